/**
 * Facebook Pages (Graph API) record schemas, mirroring Graph's field names, and the source config.
 * Only top-level fields become typed columns; nested objects (`values`, `insights`, `from`,
 * `messages`) stay JSON in raw and are flattened by the staging models.
 */
import { z } from 'zod';
import { graphAccessToken, graphApiVersion, graphBaseUrl, startDate } from './graph.ts';

// Graph sends timestamps as `2025-11-02T14:03:11+0000`; DuckDB's TIMESTAMPTZ cast reads that offset form.
const graphTimestamp = z.iso.datetime({ offset: true });

/**
 * Page metrics requested by default (period `day`), after Meta's 2025–2026 retirements:
 * - `page_follows` — followers at the end of the day; replaces `page_fans` (retired 2025-11-15).
 * - `page_daily_follows_unique` — new follows; replaces `page_fan_adds_unique` (retired 2025-11-15).
 * - `page_daily_unfollows_unique` — unfollows; replaces `page_fan_removes_unique` (retired 2025-11-15).
 * - `page_media_view` — views of the Page's content; replaces `page_impressions` (retired 2025-11-15).
 * - `page_total_media_view_unique` — people reached; replaces `page_impressions_unique` (retired 2026-06-15).
 *   Paid reach (`page_impressions_paid_unique`) was retired then without a replacement: take paid
 *   reach from the Marketing API (`meta_ads` insights, `publisher_platform = facebook`).
 * - `page_views_total` — Page profile views (unchanged).
 * - `page_post_engagements` — reactions, comments, shares and clicks on posts (unchanged).
 * - `page_actions_post_reactions_total` — reactions by type, an object per day (unchanged).
 * - `page_video_views` — video plays of 3 seconds or more (unchanged).
 */
export const DEFAULT_PAGE_METRICS = [
  'page_follows',
  'page_daily_follows_unique',
  'page_daily_unfollows_unique',
  'page_media_view',
  'page_total_media_view_unique',
  'page_views_total',
  'page_post_engagements',
  'page_actions_post_reactions_total',
  'page_video_views',
] as const;

/**
 * Lifetime post metrics requested with each post (`insights.metric(...)`):
 * `post_media_view` replaces `post_impressions` and `post_total_media_view_unique` replaces
 * `post_impressions_unique` (both retired); `post_clicks`, `post_reactions_by_type_total` and
 * `post_video_views` are unchanged.
 */
export const DEFAULT_POST_METRICS = ['post_media_view', 'post_total_media_view_unique', 'post_clicks', 'post_reactions_by_type_total', 'post_video_views'] as const;

/** One value of an insights metric: a count, or counts by key (reactions by type). */
const insightValue = z.object({
  value: z.union([z.number(), z.record(z.string(), z.number())]),
  end_time: graphTimestamp.optional(),
});

/**
 * `GET /{page-id}/insights?metric=…&period=day&since=D&until=D+1`: one record per metric for one
 * day (`values` holds that day's single value, with `end_time` the end of the Page's local day).
 * The extractor adds `day` (the requested day), so a restated day replaces the stored one.
 */
export const pageInsightRecord = z.object({
  name: z.string(),
  period: z.enum(['day', 'week', 'days_28', 'month', 'lifetime', 'total_over_range']),
  values: z.array(insightValue),
  title: z.string().nullish(),
  description: z.string().nullish(),
  id: z.string(),
});

/** A post insights entry (`insights.data[]`), lifetime period. */
const postInsight = z.object({
  name: z.string(),
  period: z.string(),
  values: z.array(insightValue),
  title: z.string().nullish(),
  description: z.string().nullish(),
  id: z.string(),
});

/**
 * `GET /{page-id}/posts?fields=…`: the Page's own posts with their lifetime metrics nested in
 * `insights.data[]` (name, values[0].value) and summary counts in `comments.summary.total_count`,
 * `reactions.summary.total_count` and `shares.count` (Graph leaves `shares` out when there are none).
 */
export const postRecord = z.object({
  id: z.string(),
  created_time: graphTimestamp,
  updated_time: graphTimestamp.nullish(),
  message: z.string().nullish(),
  permalink_url: z.string(),
  status_type: z.string().nullish(),
  shares: z.object({ count: z.number().int() }).nullish(),
  comments: z.object({ data: z.array(z.unknown()), summary: z.object({ total_count: z.number().int() }).loose() }).nullish(),
  reactions: z.object({ data: z.array(z.unknown()), summary: z.object({ total_count: z.number().int() }).loose() }).nullish(),
  insights: z.object({ data: z.array(postInsight) }).loose().nullish(),
});

/** A person or Page as Graph nests it (`from`, `to`, `participants`). */
const profileRef = z.object({ id: z.string(), name: z.string().optional(), email: z.string().optional() });

/**
 * `GET /{post-id}/comments?filter=stream`: every comment and reply of a post, flat; a reply
 * carries `parent.id`. Replies by the Page itself have `from.id` equal to the page id.
 */
export const commentRecord = z.object({
  id: z.string(),
  message: z.string(),
  created_time: graphTimestamp,
  from: profileRef.nullish(),
  parent: z.object({ id: z.string() }).loose().nullish(),
  like_count: z.number().int().min(0),
  comment_count: z.number().int().min(0).nullish(),
  is_hidden: z.boolean().nullish(),
});

/**
 * `GET /{page-id}/conversations?platform=messenger`: one record per thread with its messages
 * nested (`messages.data[]`: id, created_time, from, to, message), newest first as Graph sends
 * them. Who sent each message is `from.id` (the page id for the Page's replies).
 */
export const conversationRecord = z.object({
  id: z.string(),
  updated_time: graphTimestamp,
  message_count: z.number().int().min(0).nullish(),
  participants: z.object({ data: z.array(profileRef) }).loose().nullish(),
  messages: z
    .object({
      data: z.array(z.object({ id: z.string(), created_time: graphTimestamp, from: profileRef, to: z.object({ data: z.array(profileRef) }).optional(), message: z.string() })),
    })
    .loose(),
});

/** The `facebook` source config. */
export const facebookConfigSchema = z
  .object({
    type: z.literal('facebook'),
    pageId: z.string().regex(/^\d+$/, 'the numeric Page id').describe('the numeric id of the Facebook Page (Page settings → Page transparency, or GET /me/accounts)'),
    accessToken: graphAccessToken.describe('a Page access token with pages_read_engagement, read_insights and pages_messaging: write env("VARIABLE_NAME")'),
    baseUrl: graphBaseUrl,
    apiVersion: graphApiVersion,
    startDate,
    insightsLookbackDays: z
      .number()
      .int()
      .min(0)
      .max(93)
      .default(28)
      .describe('days of Page insights and post metrics re-read on every run, because Meta restates them for up to 28 days'),
    pageMetrics: z
      .array(z.string().regex(/^page_[a-z0-9_]+$/, 'a Page insights metric name such as page_media_view'))
      .min(1)
      .default([...DEFAULT_PAGE_METRICS])
      .describe('Page insights metrics (period day); when Meta retires one, every metric fails with error 100 until it is removed here'),
    postMetrics: z
      .array(z.string().regex(/^post_[a-z0-9_]+$/, 'a post insights metric name such as post_clicks'))
      .min(1)
      .default([...DEFAULT_POST_METRICS])
      .describe('lifetime post insights metrics requested with each post'),
    pageSize: z.number().int().min(1).max(100).default(100).describe('records asked per page of the posts, comments and conversations lists (Graph allows up to 100)'),
    concurrency: z.number().int().positive().max(16).default(4).describe('requests in flight at once (comments are read per post)'),
  })
  .strict();

/** A validated `facebook` source config. */
export type FacebookConfig = z.output<typeof facebookConfigSchema>;
