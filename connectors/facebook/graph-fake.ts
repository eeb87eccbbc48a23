/**
 * What the fake Meta APIs (Facebook, Instagram, Marketing API) share to answer like Graph does:
 * Graph timestamps and insights day ends, `since`/`until` parsing, error bodies, usage headers,
 * token checks, cursor pages with absolute `paging.next`, field selection, and post metrics as
 * reported on a given day.
 */
import { daysBetween, utcOffsetMinutes } from '../../core/sample-world/calendar.ts';
import { insightsSettledShare, postDailyAsOf } from '../../core/sample-world/restatement.ts';
import type { Post, PostDaily, PostMetrics } from '../../core/sample-world/types.ts';
import type { FakeRequest, FakeResponse } from '../fakes/index.ts';
import { decodeCursor, encodeCursor } from '../fakes/index.ts';
import { nextDay } from './graph.ts';
/** Formats an ISO instant the way Graph does: `2025-11-02T14:03:11+0000`. */
export function graphTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}+0000`;
}

/** The instant a local day ends in `timeZone`, formatted like Graph's insights `end_time`. */
export function localDayEndTime(day: string, timeZone: string): string {
  const midnightUtc = Date.parse(`${nextDay(day)}T00:00:00Z`);
  // The offset at local midnight; asking at UTC midnight is off by hours only on DST days, so ask twice.
  let offset = utcOffsetMinutes(timeZone, midnightUtc);
  offset = utcOffsetMinutes(timeZone, midnightUtc - offset * 60_000);
  return graphTime(new Date(midnightUtc - offset * 60_000).toISOString());
}

/** Reads a Graph `since`/`until` parameter (Unix seconds, a date, or an ISO instant) as epoch ms. */
export function parseGraphTime(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A Graph error answer, as the fakes send it. */
export function graphError(status: number, code: number, message: string, extra: { type?: string; subcode?: number } = {}): FakeResponse {
  return {
    status,
    headers: usageHeaders(),
    body: {
      error: {
        message,
        type: extra.type ?? (code === 190 || code === 104 ? 'OAuthException' : 'GraphMethodException'),
        code,
        ...(extra.subcode ? { error_subcode: extra.subcode } : {}),
        fbtrace_id: 'A'.padEnd(23, 'x'),
      },
    },
  };
}

/** The usage headers Graph sends on every answer (the fakes are never close to a limit). */
export function usageHeaders(businessId = 'fake', type = 'pages'): Record<string, string> {
  return {
    'x-app-usage': JSON.stringify({ call_count: 1, total_cputime: 1, total_time: 1 }),
    'x-business-use-case-usage': JSON.stringify({ [businessId]: [{ type, call_count: 1, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0 }] }),
  };
}

/** Checks a fake request's token (query `access_token` or `Authorization: Bearer`); returns Graph's error when it has none. */
export function requireToken(req: FakeRequest): FakeResponse | undefined {
  const query = req.query.get('access_token');
  const auth = req.headers.authorization;
  const bearer = typeof auth === 'string' && /^(Bearer|OAuth)\s+\S+/i.test(auth);
  if (query || bearer) return undefined;
  return graphError(400, 104, 'An access token is required to request this resource.', { type: 'OAuthException' });
}

/** Checks the version segment of a fake request path. */
export function requireVersion(req: FakeRequest): FakeResponse | undefined {
  const version = req.params['version'] ?? '';
  return /^v\d+\.\d+$/.test(version) ? undefined : graphError(400, 2635, `Unknown path components: /${version}`, { type: 'OAuthException' });
}

/** Graph's default and largest `limit` on list edges. */
export const GRAPH_DEFAULT_LIMIT = 25;
const GRAPH_MAX_LIMIT = 100;

/**
 * Cuts `items` into one Graph page: `{ data, paging: { cursors: { before, after }, next? } }`,
 * with `next` an absolute URL on the request's host carrying every query parameter (and the
 * token when the caller sent it in the query, as Graph does). Returns a Graph error for a bad cursor.
 */
export function graphPage<T>(req: FakeRequest, items: readonly T[], extra: Record<string, unknown> = {}): FakeResponse {
  return graphPageOf(req, items, (item) => item, extra);
}

/** Like `graphPage`, rendering only the page's items with `shape` (shaping every item of a long list per page is O(n²)). */
export function graphPageOf<T, R>(req: FakeRequest, items: readonly T[], shape: (item: T) => R, extra: Record<string, unknown> = {}): FakeResponse {
  const limit = Math.min(GRAPH_MAX_LIMIT, Math.max(1, Number(req.query.get('limit') ?? GRAPH_DEFAULT_LIMIT) || GRAPH_DEFAULT_LIMIT));
  let offset = 0;
  const after = req.query.get('after');
  if (after) {
    const decoded = decodeCursor<{ o?: unknown }>(after);
    if (!decoded || typeof decoded.o !== 'number') return graphError(400, 100, 'Invalid parameter: after cursor is not valid', { type: 'OAuthException' });
    offset = decoded.o;
  }
  const data = items.slice(offset, offset + limit).map(shape);
  const end = offset + data.length;
  const cursors = { before: encodeCursor({ o: offset }), after: encodeCursor({ o: end }) };
  let next: string | undefined;
  if (end < items.length) {
    const host = typeof req.headers.host === 'string' ? `http://${req.headers.host}` : req.baseUrl;
    const url = new URL(req.path, host);
    for (const [key, value] of req.query) url.searchParams.set(key, value);
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('after', encodeCursor({ o: end }));
    next = url.href;
  }
  return { headers: usageHeaders(), body: { data, ...extra, paging: { cursors, ...(next ? { next } : {}) } } };
}

/** Parses Graph's `fields` parameter into top-level names (nested `{...}` and `.modifier(...)` parts dropped). */
export function requestedFields(value: string | null): Set<string> {
  const out = new Set<string>();
  if (!value) return out;
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === '{' || char === '(') depth++;
    if (char === '}' || char === ')') depth--;
    if (char === ',' && depth === 0) {
      out.add(current.trim().split(/[.{(]/)[0]!);
      current = '';
    } else current += char;
  }
  if (current.trim()) out.add(current.trim().split(/[.{(]/)[0]!);
  return out;
}

/** Keeps only the requested top-level fields of a record (Graph returns what `fields` asks for, `id` always). */
export function pickFields<T extends Record<string, unknown>>(record: T, fields: Set<string>): Partial<T> {
  if (fields.size === 0) return record;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if ((fields.has(key) || key === 'id') && value !== undefined) out[key] = value;
  return out as Partial<T>;
}

/**
 * Returns a post's lifetime metrics as an insights API reports them on `asOf`: the settled totals
 * once 28 days have passed, else the sum of its days so far as reported then (reach scaled alike).
 */
export function lifetimeAsOf(post: Post, daily: readonly PostDaily[], asOf: string): PostMetrics {
  const share = insightsSettledShare(daysBetween(post.date, asOf));
  if (share === 1) return post.lifetime;
  const rows = daily.filter((r) => r.date < asOf).map((r) => postDailyAsOf(r, asOf));
  const sum = (pick: (m: PostMetrics) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    impressions: sum((r) => r.impressions),
    reach: Math.floor(post.lifetime.reach * share),
    likes: sum((r) => r.likes),
    reactions: { like: sum((r) => r.reactions.like), love: sum((r) => r.reactions.love), haha: sum((r) => r.reactions.haha), wow: sum((r) => r.reactions.wow), sad: sum((r) => r.reactions.sad), angry: sum((r) => r.reactions.angry) },
    comments: sum((r) => r.comments),
    shares: sum((r) => r.shares),
    saves: sum((r) => r.saves),
    clicks: sum((r) => r.clicks),
    videoViews: sum((r) => r.videoViews),
  };
}

/** Groups a world's post-day rows by post, for one platform. */
export function dailyRowsByPost(rows: readonly PostDaily[], platform: Post['platform']): Map<string, PostDaily[]> {
  const out = new Map<string, PostDaily[]>();
  for (const row of rows) {
    if (row.platform !== platform) continue;
    const list = out.get(row.postId) ?? [];
    list.push(row);
    out.set(row.postId, list);
  }
  return out;
}

/** Regroups post-day rows grouped by post (`dailyRowsByPost`) by day, keeping their order, so a day's totals read that day's rows only. */
export function dailyRowsByDate(byPost: ReadonlyMap<string, readonly PostDaily[]>): Map<string, PostDaily[]> {
  const out = new Map<string, PostDaily[]>();
  for (const rows of byPost.values()) {
    for (const row of rows) {
      const list = out.get(row.date);
      if (list) list.push(row);
      else out.set(row.date, [row]);
    }
  }
  return out;
}
