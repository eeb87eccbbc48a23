/**
 * The Instagram connector (Graph API, professional accounts): daily account insights, media with
 * lifetime metrics, comments per media, media the account is tagged in, and public metrics of the
 * account and its competitors through business discovery.
 *
 * Streams (raw tables `raw.<source>__<stream>`):
 * - `account_insights` — time-series metrics (reach, follower_count), one row per metric × day;
 *   merge on (name, period, day); one-day windows with `day` injected; lookback 28 days.
 * - `account_totals` — total-value metrics (views, profile_views, accounts_engaged,
 *   total_interactions, follows_and_unfollows by follow_type), same grain, key and windows.
 * - `media` — feed posts and reels, lifetime metrics nested in `insights`; merge on id; cursor
 *   `timestamp` with the 28-day lookback, as a media's metrics settle over 28 days.
 * - `media_comments` — child of `media`: top-level comments with replies nested; merge on id,
 *   `media_id` from the parent; read for the media of the run (the lookback window).
 * - `tags` — media others tagged the account in (brand mentions); merge on id; whole list each run.
 * - `account_snapshots` — one batch request per run: the account's own counts and each
 *   competitor's business discovery answer (followers, media count, recent media counts); appended
 *   with `snapshot_at`, so followers over time are a series of snapshots.
 */
import { defineSource, type SourceDef } from '../source.ts';
import type { Connector } from '../registry.ts';
import { GRAPH_PAGING, SAMPLE_TOKEN_ENV, graphHttp, utcDay } from '../facebook/graph.ts';
import { accountSeriesRequest, accountSnapshotsRequest, accountTotalsRequest, commentsRequest, instagramErrorHints, mediaRequest, tagsRequest } from './client.ts';
import { instagramFake } from './fake.ts';
import { accountSeriesRecord, accountTotalRecord, batchAnswerRecord, instagramConfigSchema, mediaCommentRecord, mediaRecord, taggedMediaRecord, type InstagramConfig } from './schema.ts';

/** Builds the Instagram `SourceDef` of a validated config. */
export function buildInstagramSource(config: InstagramConfig, name: string): SourceDef {
  const lookbackDays = config.insightsLookbackDays;
  const dayOfWindow = { fields: { day: 'DATE' as const }, values: (ctx: { since: string }) => ({ day: utcDay(ctx.since) }) };
  return defineSource({
    name,
    http: graphHttp({ baseUrl: config.baseUrl, apiVersion: config.apiVersion, accessToken: config.accessToken, concurrency: config.concurrency, hints: instagramErrorHints(name) }),
    streams: [
      {
        name: 'account_insights',
        primaryKey: ['name', 'period', 'day'],
        disposition: 'merge',
        schema: accountSeriesRecord,
        // A windowed stream saves the end of the last window read; `field` names what the windows cover.
        cursor: { field: 'values', initial: config.startDate, lookbackDays },
        read: { kind: 'http', request: (ctx) => accountSeriesRequest(config.igUserId, config.seriesMetrics, ctx), paginator: { kind: 'none' }, recordPath: ['data'], windows: { days: 1 }, inject: dayOfWindow },
        freshnessHours: 48,
      },
      {
        name: 'account_totals',
        primaryKey: ['name', 'period', 'day'],
        disposition: 'merge',
        schema: accountTotalRecord,
        cursor: { field: 'total_value', initial: config.startDate, lookbackDays },
        read: { kind: 'http', request: (ctx) => accountTotalsRequest(config.igUserId, config.totalMetrics, ctx), paginator: { kind: 'none' }, recordPath: ['data'], windows: { days: 1 }, inject: dayOfWindow },
        freshnessHours: 48,
      },
      {
        name: 'media',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: mediaRecord,
        cursor: { field: 'timestamp', initial: config.startDate, lookbackDays },
        read: { kind: 'http', request: (ctx) => mediaRequest(config.igUserId, config.mediaMetrics, config.pageSize, ctx), paginator: GRAPH_PAGING, recordPath: ['data'] },
        freshnessHours: 48,
      },
      {
        name: 'media_comments',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: mediaCommentRecord,
        parent: { stream: 'media', fields: { media_id: 'id' } },
        read: { kind: 'http', request: (ctx) => commentsRequest(config.pageSize, ctx), paginator: GRAPH_PAGING, recordPath: ['data'] },
        freshnessHours: 48,
      },
      {
        name: 'tags',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: taggedMediaRecord,
        cursor: { field: 'timestamp', initial: config.startDate },
        read: { kind: 'http', request: () => tagsRequest(config.igUserId, config.pageSize), paginator: GRAPH_PAGING, recordPath: ['data'] },
        freshnessHours: 48,
      },
      {
        name: 'account_snapshots',
        primaryKey: [],
        disposition: 'append',
        schema: batchAnswerRecord,
        read: {
          kind: 'http',
          request: () => accountSnapshotsRequest(config.igUserId, config.competitors, config.competitorMediaLimit),
          paginator: { kind: 'none' },
          recordPath: [],
          inject: { fields: { snapshot_at: 'TIMESTAMPTZ' }, values: (ctx) => ({ snapshot_at: ctx.until }) },
        },
        freshnessHours: 48,
      },
    ],
  });
}

/** The `instagram` connector for the registry. */
export const instagramConnector: Connector<InstagramConfig> = {
  type: 'instagram',
  description: 'Instagram Graph API: account daily insights, media with lifetime metrics, comments, tags (mentions), competitors via business discovery',
  configSchema: instagramConfigSchema,
  build: (config, ctx) => buildInstagramSource(config, ctx.name),
  sample: {
    fake: (world) => instagramFake(world),
    config: ({ baseUrl }, world) => ({
      type: 'instagram',
      igUserId: world.brand.accounts.instagram.id,
      accessToken: { $env: SAMPLE_TOKEN_ENV },
      ...(baseUrl ? { baseUrl } : {}),
      startDate: world.meta.start,
      competitors: world.competitors.map((c) => c.accounts.instagram.handle),
    }),
  },
};
