/**
 * The LinkedIn connector (Community Management API, organization pages): daily share and follower
 * statistics of the page, its posts with lifetime statistics, and the comments on each post.
 *
 * @example
 * sources: { linkedin: { type: 'linkedin', accessToken: env('LINKEDIN_ACCESS_TOKEN'), organizationId: '2414183', startDate: '2025-11-01' } }
 */
import { ConfigError } from '../../core/errors.ts';
import type { PaginatorSpec } from '../http/types.ts';
import type { Connector } from '../registry.ts';
import { defineSource, type HttpRead, type SourceDef } from '../source.ts';
import { classifyLinkedinError, commentsRequest, dailyStatisticsRequest, organizationUrn, postsRequest, postStatisticsRequest, windowDay } from './client.ts';
import { linkedinRoutes } from './fake.ts';
import { commentSchema, followerStatisticsSchema, linkedinConfigSchema, orgShareStatisticsSchema, postSchema, postStatisticsSchema, type LinkedinConfig } from './schema.ts';

const offsetPaging = (limit: number): PaginatorSpec => ({ kind: 'offset', offsetParam: 'start', limitParam: 'count', limit, totalPath: ['paging', 'total'] });

/**
 * One request a day, with the day injected: LinkedIn nests each record's day in `timeRange`, and
 * a primary key must be a top-level field. LinkedIn keeps daily statistics for 12 months.
 */
function dailyRead(resource: Parameters<typeof dailyStatisticsRequest>[0], orgUrn: string): HttpRead {
  return {
    kind: 'http',
    request: dailyStatisticsRequest(resource, orgUrn),
    paginator: { kind: 'none' },
    recordPath: ['elements'],
    windows: { days: 1 },
    inject: { fields: { day: 'DATE' }, values: (ctx) => ({ day: windowDay(ctx).day }) },
  };
}

/** Builds the `SourceDef` of a validated LinkedIn config. */
export function buildLinkedinSource(config: LinkedinConfig, name: string): SourceDef {
  const orgUrn = organizationUrn(config.organizationId);
  const initial = new Date(`${config.startDate}T00:00:00Z`).toISOString();
  // Windowed streams save the end of the last window read; `timeRange` names what the window cuts.
  const dailyCursor = { field: 'timeRange', initial, lookbackDays: config.lookbackDays };
  return defineSource({
    name,
    streams: [
      {
        name: 'share_statistics_daily',
        primaryKey: ['organizationalEntity', 'day'],
        disposition: 'merge',
        schema: orgShareStatisticsSchema,
        cursor: dailyCursor,
        read: dailyRead('organizationalEntityShareStatistics', orgUrn),
        freshnessHours: 48,
      },
      {
        name: 'follower_statistics_daily',
        primaryKey: ['organizationalEntity', 'day'],
        disposition: 'merge',
        schema: followerStatisticsSchema,
        cursor: dailyCursor,
        read: dailyRead('organizationalEntityFollowerStatistics', orgUrn),
        freshnessHours: 48,
      },
      {
        // The posts finder has no date filter: every run reads the page's posts (tens to hundreds a year).
        name: 'posts',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: postSchema,
        read: { kind: 'http', request: postsRequest(orgUrn), paginator: offsetPaging(50), recordPath: ['elements'] },
        freshnessHours: 30,
      },
      {
        name: 'post_statistics',
        primaryKey: ['post_urn'],
        disposition: 'merge',
        schema: postStatisticsSchema,
        parent: { stream: 'posts', fields: { post_urn: 'id' } },
        read: { kind: 'http', request: postStatisticsRequest(orgUrn), paginator: { kind: 'none' }, recordPath: ['elements'] },
      },
      {
        name: 'comments',
        primaryKey: ['commentUrn'],
        disposition: 'merge',
        schema: commentSchema,
        parent: { stream: 'posts', fields: { post_urn: 'id' } },
        read: { kind: 'http', request: commentsRequest(), paginator: offsetPaging(100), recordPath: ['elements'] },
      },
    ],
    http: {
      baseUrl: config.baseUrl,
      auth: { kind: 'bearer', token: config.accessToken },
      headers: { 'LinkedIn-Version': config.apiVersion, 'X-Restli-Protocol-Version': '2.0.0' },
      concurrency: config.concurrency,
      retry: { maxRetries: config.retries, baseDelayMs: 1000, maxDelayMs: 60_000 },
      classifyError: classifyLinkedinError({
        credentialHint: `LinkedIn refused the access token: check the environment variable that sources.${name}.accessToken names with env("…") (e.g. LINKEDIN_ACCESS_TOKEN); member tokens expire after 60 days`,
      }),
    },
  });
}

/** The `linkedin` connector for the registry. */
export const linkedinConnector: Connector<LinkedinConfig> = {
  type: 'linkedin',
  description: 'LinkedIn company page: daily share and follower statistics, posts with lifetime statistics, comments',
  configSchema: linkedinConfigSchema,
  build: (config, ctx) => buildLinkedinSource(config, ctx.name),
  sample: {
    fake: (world) => linkedinRoutes(world),
    config: ({ baseUrl }, world) => ({
      type: 'linkedin',
      baseUrl: `${baseUrl ?? 'http://127.0.0.1'}/rest`,
      accessToken: { $env: 'PULSE_SAMPLE_TOKEN' },
      organizationId: world.brand.accounts.linkedin.id,
      startDate: world.meta.start,
    }),
  },
};
