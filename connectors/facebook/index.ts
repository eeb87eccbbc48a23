/**
 * The Facebook Pages connector (Graph API): Page daily insights, posts with lifetime metrics,
 * comments per post, and Messenger conversations with who sent each message.
 *
 * Streams (raw tables `raw.<source>__<stream>`):
 * - `page_insights` — one row per metric × day; merge on (name, period, day). Read in one-day
 *   windows (`since=D&until=D+1`), `day` injected from the window, so a restated day replaces the
 *   stored one; every run re-reads `insightsLookbackDays` (default 28) behind the saved cursor.
 * - `posts` — one row per post, lifetime metrics nested in `insights`; merge on id; cursor
 *   `created_time` with the same lookback, because a post's metrics settle over 28 days.
 * - `post_comments` — child of `posts`: every comment and reply of the posts read in the run
 *   (so comments keep arriving for the lookback window); merge on id, `post_id` from the parent.
 * - `conversations` — one row per Messenger thread with its messages nested; merge on id; the
 *   edge has no time filter, so the whole inbox is read every run.
 */
import { defineSource, type SourceDef } from '../source.ts';
import type { Connector } from '../registry.ts';
import { commentsRequest, conversationsRequest, facebookErrorHints, pageInsightsRequest, postsRequest } from './client.ts';
import { facebookFake } from './fake.ts';
import { GRAPH_PAGING, SAMPLE_TOKEN_ENV, graphHttp, utcDay } from './graph.ts';
import { commentRecord, conversationRecord, facebookConfigSchema, pageInsightRecord, postRecord, type FacebookConfig } from './schema.ts';

/** Builds the Facebook Pages `SourceDef` of a validated config. */
export function buildFacebookSource(config: FacebookConfig, name: string): SourceDef {
  const lookbackDays = config.insightsLookbackDays;
  return defineSource({
    name,
    http: graphHttp({ baseUrl: config.baseUrl, apiVersion: config.apiVersion, accessToken: config.accessToken, concurrency: config.concurrency, hints: facebookErrorHints(name) }),
    streams: [
      {
        name: 'page_insights',
        primaryKey: ['name', 'period', 'day'],
        disposition: 'merge',
        schema: pageInsightRecord,
        // A windowed stream saves the end of the last window read; `field` names what the windows cover.
        cursor: { field: 'values', initial: config.startDate, lookbackDays },
        read: {
          kind: 'http',
          request: (ctx) => pageInsightsRequest(config.pageId, config.pageMetrics, ctx),
          paginator: { kind: 'none' },
          recordPath: ['data'],
          windows: { days: 1 },
          inject: { fields: { day: 'DATE' }, values: (ctx) => ({ day: utcDay(ctx.since) }) },
        },
        freshnessHours: 48,
      },
      {
        name: 'posts',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: postRecord,
        cursor: { field: 'created_time', initial: config.startDate, lookbackDays },
        read: { kind: 'http', request: (ctx) => postsRequest(config.pageId, config.postMetrics, config.pageSize, ctx), paginator: GRAPH_PAGING, recordPath: ['data'] },
        freshnessHours: 48,
      },
      {
        name: 'post_comments',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: commentRecord,
        parent: { stream: 'posts', fields: { post_id: 'id' } },
        read: { kind: 'http', request: (ctx) => commentsRequest(config.pageSize, ctx), paginator: GRAPH_PAGING, recordPath: ['data'] },
        freshnessHours: 48,
      },
      {
        name: 'conversations',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: conversationRecord,
        cursor: { field: 'updated_time', initial: config.startDate },
        read: { kind: 'http', request: () => conversationsRequest(config.pageId, config.pageSize), paginator: GRAPH_PAGING, recordPath: ['data'] },
        freshnessHours: 24,
      },
    ],
  });
}

/** The `facebook` connector for the registry. */
export const facebookConnector: Connector<FacebookConfig> = {
  type: 'facebook',
  description: 'Facebook Pages (Graph API): Page daily insights, posts with lifetime metrics, comments, Messenger conversations',
  configSchema: facebookConfigSchema,
  build: (config, ctx) => buildFacebookSource(config, ctx.name),
  sample: {
    fake: (world) => facebookFake(world),
    config: ({ baseUrl }, world) => ({
      type: 'facebook',
      pageId: world.brand.accounts.facebook.id,
      accessToken: { $env: SAMPLE_TOKEN_ENV },
      ...(baseUrl ? { baseUrl } : {}),
      startDate: world.meta.start,
    }),
  },
};
