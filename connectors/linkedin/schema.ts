/**
 * LinkedIn Community Management API shapes: the source config, and zod schemas of the records as
 * LinkedIn sends them (share and follower statistics with `timeRange`, posts with `commentary`
 * and millisecond times, comments with `message.text`). Nested objects stay JSON in raw.
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

/** A secret field: `env("NAME")` in the config, resolved to its value by the registry before validation. */
const secretField = secret;

/** Config of a `linkedin` source. */
export const linkedinConfigSchema = z
  .object({
    type: z.literal('linkedin'),
    baseUrl: z.url().default('https://api.linkedin.com/rest').describe('LinkedIn versioned REST API root; override only for a proxy or a fake'),
    accessToken: secretField.describe('OAuth 2.0 member access token of a page admin (scopes r_organization_social, rw_organization_admin): env("LINKEDIN_ACCESS_TOKEN")'),
    organizationId: z
      .string()
      .regex(/^(urn:li:organization:)?\d+$/, 'a numeric organization id or urn:li:organization:<id>')
      .describe('the company page: its numeric id (from the admin URL linkedin.com/company/<id>/admin) or its URN'),
    apiVersion: z.string().regex(/^\d{6}$/, 'YYYYMM').default('202410').describe('LinkedIn-Version header (YYYYMM); LinkedIn supports each version for about a year'),
    startDate: z.iso.date().describe('first day of statistics read on the first run (YYYY-MM-DD); LinkedIn keeps 12 months of daily statistics'),
    lookbackDays: z.number().int().min(0).max(28).default(3).describe('days of daily statistics re-read each run, as LinkedIn settles them over about two days'),
    retries: z.number().int().min(0).max(10).default(5).describe('retries of a request after a transient failure'),
    concurrency: z.number().int().positive().max(8).default(2).describe('requests in flight at once'),
  })
  .strict();

/** A validated `linkedin` source config. */
export type LinkedinConfig = z.output<typeof linkedinConfigSchema>;

const count = z.number().int().min(0);
const timeRange = z.object({ start: z.number().int(), end: z.number().int() });
const auditStamp = z.object({ actor: z.string().optional(), impersonator: z.string().optional(), time: z.number().int() });

/** `totalShareStatistics` of an organization (per day) or of one post (lifetime). */
export const shareStatistics = z.object({
  impressionCount: count,
  uniqueImpressionsCount: count.optional(),
  clickCount: count,
  likeCount: count,
  commentCount: count,
  shareCount: count,
  engagement: z.number(),
  commentMentionsCount: count.optional(),
  shareMentionsCount: count.optional(),
});

/** One day of `organizationalEntityShareStatistics` with `timeIntervals`. */
export const orgShareStatisticsSchema = z.object({
  organizationalEntity: z.string(),
  totalShareStatistics: shareStatistics,
  timeRange,
});

/** One day of `organizationalEntityFollowerStatistics` with `timeIntervals`. */
export const followerStatisticsSchema = z.object({
  organizationalEntity: z.string(),
  followerGains: z.object({ organicFollowerGain: z.number().int(), paidFollowerGain: z.number().int() }),
  timeRange,
});

/** Lifetime statistics of one post (`organizationalEntityShareStatistics` with `shares=List(…)`). */
export const postStatisticsSchema = z.object({
  organizationalEntity: z.string(),
  share: z.string(),
  totalShareStatistics: shareStatistics,
});

/** A post from `GET /rest/posts?q=author`. */
export const postSchema = z.object({
  id: z.string().regex(/^urn:li:(share|ugcPost):\d+$/),
  author: z.string(),
  commentary: z.string(),
  visibility: z.enum(['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER']),
  lifecycleState: z.enum(['PUBLISHED', 'DRAFT', 'PUBLISH_REQUESTED', 'PUBLISH_FAILED']),
  distribution: z.object({ feedDistribution: z.string(), targetEntities: z.array(z.unknown()), thirdPartyDistributionChannels: z.array(z.unknown()) }),
  content: z.unknown().optional(),
  isReshareDisabledByAuthor: z.boolean(),
  createdAt: z.number().int(),
  publishedAt: z.number().int().optional(),
  lastModifiedAt: z.number().int(),
});

/** A comment from `GET /rest/socialActions/{post urn}/comments`. */
export const commentSchema = z.object({
  id: z.string(),
  commentUrn: z.string().regex(/^urn:li:comment:/),
  actor: z.string(),
  object: z.string(),
  message: z.object({ text: z.string(), attributes: z.array(z.unknown()).optional() }),
  created: auditStamp,
  lastModified: auditStamp,
  parentComment: z.string().optional(),
  likesSummary: z.object({ totalLikes: count, likedByCurrentUser: z.boolean() }).optional(),
});
