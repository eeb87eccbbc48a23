/**
 * Instagram Graph API requests: one builder per stream, from the read context (window, parent
 * media) to the Graph request. Errors are classified by the shared Graph classifier.
 */
import type { RequestSpec } from '../http/types.ts';
import type { ReadContext } from '../source.ts';
import { nextDay, unixSeconds, utcDay, type GraphErrorHints } from '../facebook/graph.ts';

const MEDIA_FIELDS = 'id,caption,media_type,media_product_type,timestamp,permalink,like_count,comments_count';

/** Unix seconds of the window's first day and the day after: one day per request, so a record is one metric-day. */
function oneDay(ctx: ReadContext): { since: number; until: number } {
  const day = utcDay(ctx.since);
  return { since: unixSeconds(`${day}T00:00:00Z`), until: unixSeconds(`${nextDay(day)}T00:00:00Z`) };
}

/** Time-series account metrics for the window's first day. */
export function accountSeriesRequest(igUserId: string, metrics: readonly string[], ctx: ReadContext): RequestSpec {
  return { path: `/${igUserId}/insights`, query: { metric: metrics.join(','), period: 'day', ...oneDay(ctx) } };
}

/** Total-value account metrics for the window's first day; the `follow_type` breakdown applies to follows_and_unfollows. */
export function accountTotalsRequest(igUserId: string, metrics: readonly string[], ctx: ReadContext): RequestSpec {
  const breakdown = metrics.includes('follows_and_unfollows') ? { breakdown: 'follow_type' } : {};
  return { path: `/${igUserId}/insights`, query: { metric: metrics.join(','), metric_type: 'total_value', period: 'day', ...breakdown, ...oneDay(ctx) } };
}

/** Feed posts and reels published in the range, with lifetime metrics nested. */
export function mediaRequest(igUserId: string, metrics: readonly string[], limit: number, ctx: ReadContext): RequestSpec {
  return {
    path: `/${igUserId}/media`,
    query: { fields: `${MEDIA_FIELDS},insights.metric(${metrics.join(',')})`, since: unixSeconds(ctx.since), until: unixSeconds(ctx.until), limit },
  };
}

/** Top-level comments of one media with their replies nested. */
export function commentsRequest(limit: number, ctx: ReadContext): RequestSpec {
  const mediaId = String(ctx.parent?.['media_id'] ?? '');
  return {
    path: `/${encodeURIComponent(mediaId)}/comments`,
    query: { fields: 'id,text,timestamp,username,like_count,from{id,username},hidden,replies{id,text,timestamp,username,like_count,from{id,username},parent_id}', limit },
  };
}

/** Media others tagged the account in. The edge has no time filter: the whole list is read and merged by id. */
export function tagsRequest(igUserId: string, limit: number): RequestSpec {
  return { path: `/${igUserId}/tags`, query: { fields: `${MEDIA_FIELDS.replace(',like_count', ',username,like_count')}`, limit } };
}

/**
 * One Graph batch request reading the account's own profile counts and each competitor's public
 * metrics through business discovery — a batch, because business discovery answers one username
 * per request and the stream makes one request per run.
 */
export function accountSnapshotsRequest(igUserId: string, competitors: readonly string[], mediaLimit: number): RequestSpec {
  const own = { method: 'GET', relative_url: `${igUserId}?fields=id,username,followers_count,follows_count,media_count` };
  const discovery = competitors.map((username) => ({
    method: 'GET',
    relative_url: `${igUserId}?fields=business_discovery.username(${username}){id,username,name,followers_count,follows_count,media_count,media.limit(${mediaLimit}){id,timestamp,media_type,media_product_type,like_count,comments_count}}`,
  }));
  return { method: 'POST', path: '/', json: { batch: [own, ...discovery], include_headers: false } };
}

/** What the Graph error classifier tells a person about an Instagram source. */
export function instagramErrorHints(sourceName: string): GraphErrorHints {
  return {
    tokenPath: `sources.${sourceName}.accessToken`,
    badParameter: `check sources.${sourceName}.igUserId and the metric names in seriesMetrics/totalMetrics/mediaMetrics (Meta rejects the whole request when one metric is retired)`,
  };
}
