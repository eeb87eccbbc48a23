/**
 * The YouTube connector (Data API v3): the channel's uploads, each video with its lifetime
 * statistics, the comment threads under each video, and daily public statistics of the brand's
 * and competitors' channels.
 *
 * Not here yet: the channel's daily report from the YouTube Analytics API (`reports?…&dimensions=day`).
 * It answers `columnHeaders` plus `rows` of arrays, and the engine's page splitter loads JSON
 * objects only; see the module comment of `fake.ts` for the route that already serves it.
 *
 * @example
 * sources: { youtube: { type: 'youtube', apiKey: env('YOUTUBE_API_KEY'), channelId: 'UC…' } }
 */
import { ConfigError } from '../../core/errors.ts';
import type { PaginatorSpec } from '../http/types.ts';
import type { Connector } from '../registry.ts';
import { defineSource, type SourceDef } from '../source.ts';
import { channelsRequest, classifyYoutubeError, commentThreadsRequest, playlistItemsRequest, uploadsPlaylistOf, videosRequest } from './client.ts';
import { youtubeRoutes } from './fake.ts';
import { channelSchema, commentThreadSchema, playlistItemSchema, videoSchema, youtubeConfigSchema, type YoutubeConfig } from './schema.ts';

const pageTokens: PaginatorSpec = { kind: 'cursor', cursorPath: ['nextPageToken'], param: 'pageToken' };

/** Builds the `SourceDef` of a validated YouTube config. */
export function buildYoutubeSource(config: YoutubeConfig, name: string): SourceDef {
  return defineSource({
    name,
    streams: [
      {
        // No date filter exists on playlists: every run lists the uploads (1 quota unit per 50 videos).
        name: 'playlist_items',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: playlistItemSchema,
        read: { kind: 'http', request: playlistItemsRequest(config.uploadsPlaylistId ?? uploadsPlaylistOf(config.channelId)), paginator: pageTokens, recordPath: ['items'] },
      },
      {
        // Re-read for every upload each run, so lifetime statistics stay current (1 unit per video).
        name: 'videos',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: videoSchema,
        parent: { stream: 'playlist_items', fields: { contentDetails: 'contentDetails' } },
        read: { kind: 'http', request: videosRequest(), paginator: { kind: 'none' }, recordPath: ['items'] },
        freshnessHours: 30,
      },
      {
        name: 'comment_threads',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: commentThreadSchema,
        parent: { stream: 'videos', fields: { video_id: 'id' } },
        read: { kind: 'http', request: commentThreadsRequest(), paginator: pageTokens, recordPath: ['items'] },
      },
      {
        // The Data API tells only current totals: one snapshot a day builds the subscriber history.
        name: 'channels_daily',
        primaryKey: ['id', 'snapshot_date'],
        disposition: 'merge',
        schema: channelSchema,
        read: {
          kind: 'http',
          request: channelsRequest([config.channelId, ...config.competitorChannelIds]),
          paginator: { kind: 'none' },
          recordPath: ['items'],
          inject: { fields: { snapshot_date: 'DATE' }, values: (ctx) => ({ snapshot_date: ctx.until.slice(0, 10) }) },
        },
        freshnessHours: 30,
      },
    ],
    http: {
      baseUrl: config.baseUrl,
      auth: { kind: 'apiKey', in: 'query', name: 'key', value: config.apiKey },
      concurrency: config.concurrency,
      retry: { maxRetries: config.retries, baseDelayMs: 1000, maxDelayMs: 60_000 },
      classifyError: classifyYoutubeError({
        credentialHint: `YouTube refused the API key: check the environment variable that sources.${name}.apiKey names with env("…") (e.g. YOUTUBE_API_KEY), and that the key's project has the YouTube Data API v3 enabled`,
      }),
    },
  });
}

/** The `youtube` connector for the registry. */
export const youtubeConnector: Connector<YoutubeConfig> = {
  type: 'youtube',
  description: 'YouTube Data API: uploads with lifetime statistics, comment threads, daily channel statistics of the brand and competitors',
  configSchema: youtubeConfigSchema,
  build: (config, ctx) => buildYoutubeSource(config, ctx.name),
  sample: {
    fake: (world) => youtubeRoutes(world),
    config: ({ baseUrl }, world) => ({
      type: 'youtube',
      baseUrl: `${baseUrl ?? 'http://127.0.0.1'}/youtube/v3`,
      apiKey: { $env: 'PULSE_SAMPLE_TOKEN' },
      channelId: world.brand.accounts.youtube.id,
      competitorChannelIds: world.competitors.map((c) => c.accounts.youtube.id),
    }),
  },
};
