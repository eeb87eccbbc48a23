/**
 * The X (API v2) connector: the brand's posts with public and private metrics, the replies under
 * them, mentions of the brand, daily follower snapshots of the brand and its competitors, and
 * daily counts of each brand's search query (share of voice).
 *
 * @example
 * sources: { x: { type: 'x', bearerToken: env('X_BEARER_TOKEN'), startDate: '2025-11-01',
 *   brand: { label: 'brand', userId: '1234', query: '@northwind OR "Northwind Outfitters"' } } }
 */
import { ConfigError } from '../../core/errors.ts';
import type { PaginatorSpec } from '../http/types.ts';
import type { Connector } from '../registry.ts';
import { defineSource, type SourceDef } from '../source.ts';
import { classifyXError, countsRequest, mentionsRequest, ownTweetsRequest, repliesRequest, usersRequest } from './client.ts';
import { xRoutes } from './fake.ts';
import { conversationTweetSchema, ownTweetSchema, tweetCountSchema, userSchema, xConfigSchema, type XConfig } from './schema.ts';

// Timelines page with `pagination_token`; search and counts with `next_token`; both read `meta.next_token`.
const timelinePaging: PaginatorSpec = { kind: 'cursor', cursorPath: ['meta', 'next_token'], param: 'pagination_token' };
const searchPaging: PaginatorSpec = { kind: 'cursor', cursorPath: ['meta', 'next_token'], param: 'next_token' };


/** Builds the `SourceDef` of a validated X config; `now` is the clock used to clamp `end_time`. */
export function buildXSource(config: XConfig, name: string, now: () => number = Date.now): SourceDef {
  const token = config.bearerToken;
  const initial = new Date(`${config.startDate}T00:00:00Z`).toISOString();
  const accounts = [config.brand, ...config.competitors];
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.userId)) throw new ConfigError(`sources.${name}: X user id ${account.userId} is listed twice`, { hint: 'list each account once, under brand or competitors' });
    seen.add(account.userId);
  }
  const byUserId = new Map(accounts.map((a) => [a.userId, a]));
  const queryOf = (userId: string) => byUserId.get(userId)?.query ?? `from:${userId}`;
  return defineSource({
    name,
    streams: [
      {
        name: 'tweets',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: ownTweetSchema(config.privateMetrics),
        cursor: { field: 'created_at', initial, lookbackDays: config.lookbackDays.tweets },
        read: { kind: 'http', request: ownTweetsRequest(config.brand.userId, config.privateMetrics, now), paginator: timelinePaging, recordPath: ['data'] },
        freshnessHours: 30,
      },
      {
        // Replies under each post read this run: the conversation, including the brand's answers.
        name: 'replies',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: conversationTweetSchema,
        cursor: { field: 'created_at', initial, lookbackDays: config.lookbackDays.tweets },
        parent: { stream: 'tweets', fields: { conversation_id: 'id' } },
        read: { kind: 'http', request: repliesRequest(config.fullArchive, now), paginator: searchPaging, recordPath: ['data'] },
      },
      {
        name: 'mentions',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: conversationTweetSchema,
        cursor: { field: 'created_at', initial, lookbackDays: config.lookbackDays.mentions },
        read: { kind: 'http', request: mentionsRequest(config.brand.userId, now), paginator: timelinePaging, recordPath: ['data'] },
        freshnessHours: 30,
      },
      {
        // X only tells the current follower count: one snapshot a day builds the history.
        name: 'users_daily',
        primaryKey: ['id', 'snapshot_date'],
        disposition: 'merge',
        schema: userSchema,
        read: {
          kind: 'http',
          request: usersRequest(accounts.map((a) => a.userId)),
          paginator: { kind: 'none' },
          recordPath: ['data'],
          inject: { fields: { snapshot_date: 'DATE' }, values: (ctx) => ({ snapshot_date: ctx.until.slice(0, 10) }) },
        },
        freshnessHours: 30,
      },
      {
        // One count series per tracked account that the lookup above returned.
        name: 'mention_counts',
        primaryKey: ['user_id', 'start'],
        disposition: 'merge',
        schema: tweetCountSchema,
        cursor: { field: 'start', initial, lookbackDays: config.lookbackDays.counts },
        parent: { stream: 'users_daily', fields: { user_id: 'id' } },
        read: {
          kind: 'http',
          request: countsRequest(queryOf, config.fullArchive, now),
          paginator: searchPaging,
          recordPath: ['data'],
          inject: {
            fields: { brand_label: 'VARCHAR', query: 'VARCHAR' },
            values: (ctx) => {
              const account = byUserId.get(String(ctx.parent?.user_id ?? ''));
              return { brand_label: account?.label ?? null, query: account?.query ?? null };
            },
          },
        },
        freshnessHours: 30,
      },
    ],
    http: {
      baseUrl: config.baseUrl,
      auth: { kind: 'bearer', token },
      concurrency: config.concurrency,
      retry: { maxRetries: config.retries, baseDelayMs: 1000, maxDelayMs: config.maxRateLimitWaitSeconds * 1000 },
      classifyError: classifyXError({
        now,
        credentialHint: `X refused the bearer token: check the environment variable that sources.${name}.bearerToken names with env("…") (e.g. X_BEARER_TOKEN); the token may be expired or revoked`,
      }),
    },
  });
}

/** The `x` connector for the registry. */
export const xConnector: Connector<XConfig> = {
  type: 'x',
  description: 'X API v2: own posts with metrics, replies, mentions, follower snapshots, brand and competitor mention counts',
  configSchema: xConfigSchema,
  build: (config, ctx) => buildXSource(config, ctx.name),
  sample: {
    fake: (world) => xRoutes(world),
    config: ({ baseUrl }, world) => ({
      type: 'x',
      baseUrl: `${baseUrl ?? 'http://127.0.0.1'}/2`,
      bearerToken: { $env: 'PULSE_SAMPLE_TOKEN' },
      brand: { label: 'brand', userId: world.brand.accounts.x.id, query: `@${world.brand.accounts.x.handle} OR "${world.brand.name}"` },
      competitors: world.competitors.map((c) => ({ label: c.id, userId: c.accounts.x.id, query: `@${c.accounts.x.handle} OR "${c.name}"` })),
      startDate: world.meta.start,
      // The sample world spans a year: the full-archive endpoints reach it all.
      fullArchive: true,
    }),
  },
};
