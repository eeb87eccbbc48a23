/**
 * Instagram Graph API (professional accounts) record schemas, mirroring Graph's field names, and
 * the source config. Nested objects (`values`, `total_value`, `insights`, `replies`, batch
 * `body`) stay JSON in raw; the staging models flatten them.
 */
import { z } from 'zod';
import { graphAccessToken, graphApiVersion, graphBaseUrl, startDate } from '../facebook/graph.ts';

// Graph sends `2025-11-02T14:03:11+0000`; DuckDB's TIMESTAMPTZ cast reads that offset form.
const graphTimestamp = z.iso.datetime({ offset: true });

/**
 * Daily time-series account metrics (`period=day`, one value per day): `reach` (accounts that saw
 * any content) and `follower_count` (new followers that day). `impressions` was retired in
 * April 2025 in favour of `views`, which, like the other counts below, only comes as a total.
 */
export const DEFAULT_SERIES_METRICS = ['reach', 'follower_count'] as const;

/**
 * Daily total-value account metrics (`metric_type=total_value`): `views` (replaces `impressions`),
 * `profile_views`, `accounts_engaged`, `total_interactions`, and `follows_and_unfollows`
 * (replaces the daily `follower_count` deltas for unfollows), broken down by `follow_type`
 * (FOLLOWER = follows, NON_FOLLOWER = unfollows).
 */
export const DEFAULT_TOTAL_METRICS = ['views', 'profile_views', 'accounts_engaged', 'total_interactions', 'follows_and_unfollows'] as const;

/**
 * Lifetime media metrics requested with each media (`insights.metric(...)`): `views` replaces
 * `impressions`/`plays`/`video_views` (retired 2025); `saved`, `shares`, `likes`, `comments`,
 * `reach`, `total_interactions` are current.
 */
export const DEFAULT_MEDIA_METRICS = ['reach', 'views', 'likes', 'comments', 'saved', 'shares', 'total_interactions'] as const;

const seriesValue = z.object({ value: z.number(), end_time: graphTimestamp.optional() });

/** `GET /{ig-user-id}/insights?metric=reach,follower_count&period=day`: one metric, one day (`values[0]`). */
export const accountSeriesRecord = z.object({
  name: z.string(),
  period: z.literal('day'),
  values: z.array(seriesValue),
  title: z.string().nullish(),
  description: z.string().nullish(),
  id: z.string(),
});

/** `GET /{ig-user-id}/insights?metric_type=total_value&period=day`: one metric's total for one day, breakdowns nested. */
export const accountTotalRecord = z.object({
  name: z.string(),
  period: z.literal('day'),
  total_value: z.object({
    value: z.number(),
    breakdowns: z.array(z.object({ dimension_keys: z.array(z.string()), results: z.array(z.object({ dimension_values: z.array(z.string()), value: z.number() })) })).optional(),
  }),
  title: z.string().nullish(),
  description: z.string().nullish(),
  id: z.string(),
});

const mediaInsight = z.object({ name: z.string(), period: z.string(), values: z.array(z.object({ value: z.number() })), title: z.string().nullish(), description: z.string().nullish(), id: z.string() });

/** Media kinds of the `/media` and `/tags` edges. */
const mediaType = z.enum(['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM']);
/** Surfaces media appear on (stories are not listed on `/media`; they live 24 hours on `/stories`). */
const mediaProductType = z.enum(['FEED', 'REELS', 'STORY', 'AD']);

/**
 * `GET /{ig-user-id}/media?fields=…`: the account's feed posts and reels, with public counts
 * (`like_count`, `comments_count`) and lifetime metrics nested in `insights.data[]`.
 */
export const mediaRecord = z.object({
  id: z.string(),
  caption: z.string().nullish(),
  media_type: mediaType,
  media_product_type: mediaProductType,
  timestamp: graphTimestamp,
  permalink: z.string(),
  like_count: z.number().int().min(0).nullish(),
  comments_count: z.number().int().min(0),
  insights: z.object({ data: z.array(mediaInsight) }).loose().nullish(),
});

const commentAuthor = z.object({ id: z.string(), username: z.string() });

/**
 * `GET /{ig-media-id}/comments?fields=…`: top-level comments of one media, each with its replies
 * nested in `replies.data[]` (id, text, timestamp, username, like_count, from, parent_id). The
 * account's own replies have `from.id` equal to the IG user id.
 */
export const mediaCommentRecord = z.object({
  id: z.string(),
  text: z.string(),
  timestamp: graphTimestamp,
  username: z.string(),
  like_count: z.number().int().min(0),
  from: commentAuthor.nullish(),
  hidden: z.boolean().nullish(),
  replies: z.object({ data: z.array(z.object({ id: z.string(), text: z.string(), timestamp: graphTimestamp, username: z.string(), like_count: z.number().int().optional(), parent_id: z.string().optional() }).loose()) }).loose().nullish(),
});

/** `GET /{ig-user-id}/tags?fields=…`: public media in which others tagged the account (brand mentions). */
export const taggedMediaRecord = z.object({
  id: z.string(),
  caption: z.string().nullish(),
  media_type: mediaType,
  media_product_type: mediaProductType.nullish(),
  timestamp: graphTimestamp,
  permalink: z.string(),
  username: z.string(),
  like_count: z.number().int().min(0).nullish(),
  comments_count: z.number().int().min(0).nullish(),
});

/**
 * One answer of a Graph batch request (`POST /` with `batch=[…]`): `code` is the sub-request's
 * HTTP status and `body` its JSON as a string — for the account itself `{id, username,
 * followers_count, follows_count, media_count}`, for each competitor `{business_discovery: {id,
 * username, followers_count, follows_count, media_count, media: {data: [{id, timestamp,
 * like_count, comments_count}]}}}`. A failed sub-request (not a business account, a typo) has a
 * code other than 200 and is quarantined with its error body.
 */
export const batchAnswerRecord = z.object({
  code: z.literal(200),
  body: z.string(),
});

/** The `instagram` source config. */
export const instagramConfigSchema = z
  .object({
    type: z.literal('instagram'),
    igUserId: z.string().regex(/^\d+$/, 'the numeric Instagram user id').describe('the Instagram professional account id (GET /{page-id}?fields=instagram_business_account)'),
    accessToken: graphAccessToken.describe('an access token with instagram_basic, instagram_manage_insights and instagram_manage_comments: write env("VARIABLE_NAME")'),
    baseUrl: graphBaseUrl,
    apiVersion: graphApiVersion,
    startDate,
    insightsLookbackDays: z.number().int().min(0).max(90).default(28).describe('days of account insights and media metrics re-read on every run, because Meta restates them for up to 28 days'),
    competitors: z
      .array(z.string().regex(/^[A-Za-z0-9._]{1,30}$/, 'an Instagram username without @'))
      .max(49, 'a Graph batch holds 50 requests: the account itself and up to 49 competitors')
      .default([])
      .describe('usernames of competitors’ professional accounts whose public metrics are read through business discovery'),
    competitorMediaLimit: z.number().int().min(1).max(100).default(25).describe('recent media read per competitor (like and comment counts)'),
    seriesMetrics: z.array(z.string().regex(/^[a-z_]+$/)).min(1).default([...DEFAULT_SERIES_METRICS]).describe('daily time-series account metrics'),
    totalMetrics: z.array(z.string().regex(/^[a-z_]+$/)).min(1).default([...DEFAULT_TOTAL_METRICS]).describe('daily total-value account metrics (follows_and_unfollows is broken down by follow_type)'),
    mediaMetrics: z.array(z.string().regex(/^[a-z_]+$/)).min(1).default([...DEFAULT_MEDIA_METRICS]).describe('lifetime media metrics requested with each media'),
    pageSize: z.number().int().min(1).max(100).default(100).describe('records asked per page of the media, comments and tags lists'),
    concurrency: z.number().int().positive().max(16).default(4).describe('requests in flight at once (comments are read per media)'),
  })
  .strict();

/** A validated `instagram` source config. */
export type InstagramConfig = z.output<typeof instagramConfigSchema>;
