/**
 * Facebook Pages requests: one builder per stream, from the read context (window, parent post)
 * to the Graph request. Errors are classified by the shared Graph classifier (`graph.ts`).
 */
import type { RequestSpec } from '../http/types.ts';
import type { ReadContext } from '../source.ts';
import { nextDay, unixSeconds, utcDay, type GraphErrorHints } from './graph.ts';

/**
 * Page insights for the window's first day: `since=D&until=D+1` (dates, read in the Page's time
 * zone), so each request returns exactly one value per metric and the record can be keyed by day.
 * Graph's `paging.next` for insights walks on in time forever, so it is not followed.
 */
export function pageInsightsRequest(pageId: string, metrics: readonly string[], ctx: ReadContext): RequestSpec {
  const day = utcDay(ctx.since);
  return { path: `/${pageId}/insights`, query: { metric: metrics.join(','), period: 'day', since: day, until: nextDay(day) } };
}

/** The Page's posts created in the range, with lifetime metrics and summary counts nested. */
export function postsRequest(pageId: string, postMetrics: readonly string[], limit: number, ctx: ReadContext): RequestSpec {
  const fields = [
    'id',
    'created_time',
    'updated_time',
    'message',
    'permalink_url',
    'status_type',
    'shares',
    'comments.summary(true).limit(0)',
    'reactions.summary(true).limit(0)',
    `insights.metric(${postMetrics.join(',')})`,
  ];
  return { path: `/${pageId}/posts`, query: { fields: fields.join(','), since: unixSeconds(ctx.since), until: unixSeconds(ctx.until), limit } };
}

/** Every comment and reply of one post (`filter=stream` flattens replies), oldest first. */
export function commentsRequest(limit: number, ctx: ReadContext): RequestSpec {
  const postId = String(ctx.parent?.['post_id'] ?? '');
  return {
    path: `/${encodeURIComponent(postId)}/comments`,
    query: { fields: 'id,message,created_time,from{id,name},parent{id},like_count,comment_count,is_hidden', filter: 'stream', order: 'chronological', limit },
  };
}

/**
 * The Page's Messenger inbox with each thread's messages nested. The conversations edge has no
 * time filter, so every run reads the whole inbox (newest first) and merges threads by id.
 */
export function conversationsRequest(pageId: string, limit: number): RequestSpec {
  return {
    path: `/${pageId}/conversations`,
    query: { platform: 'messenger', fields: 'id,updated_time,message_count,participants,messages.limit(100){id,created_time,from,to,message}', limit },
  };
}

/** What the Graph error classifier tells a person about a Facebook source's token and parameters. */
export function facebookErrorHints(sourceName: string): GraphErrorHints {
  return {
    tokenPath: `sources.${sourceName}.accessToken`,
    badParameter: `check sources.${sourceName}.pageId and the metric names in pageMetrics/postMetrics (Meta rejects the whole request when one metric is retired)`,
  };
}
