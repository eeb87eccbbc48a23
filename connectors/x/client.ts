/**
 * How Brandpulse talks to X API v2: request builders for each endpoint (time windows in X's
 * format, the fields asked for) and the mapping of X's error bodies and rate-limit headers to
 * `TransientError` / `TerminalError`.
 */
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import type { RawResponse, RequestSpec } from '../http/types.ts';
import type { ReadContext } from '../source.ts';

const DAY_MS = 86_400_000;
/** X refuses an `end_time` less than 10 seconds before the request; keep a margin. */
const END_TIME_MARGIN_MS = 30_000;
/** The `/recent` endpoints reach back 7 days from the request. */
const RECENT_REACH_MS = 7 * DAY_MS;

/** Tweet fields requested for own posts, mentions and replies. */
export function tweetFields(privateMetrics: boolean): string {
  return ['created_at', 'author_id', 'public_metrics', ...(privateMetrics ? ['non_public_metrics'] : []), 'lang', 'conversation_id', 'in_reply_to_user_id', 'referenced_tweets', 'entities', 'edit_history_tweet_ids'].join(',');
}

/** User fields requested for follower snapshots. */
export const USER_FIELDS = 'created_at,description,protected,verified,public_metrics';

/** Formats an instant as X wants it: `YYYY-MM-DDTHH:mm:ssZ`. */
export function xTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The `[start_time, end_time)` of a read, clamped to what X accepts (and to 7 days for `/recent`). */
export function timeWindow(ctx: ReadContext, options: { now: () => number; recent?: boolean; alignToDay?: boolean }): { start_time: string; end_time: string } {
  const now = options.now();
  let end = Math.min(Date.parse(ctx.until), now - END_TIME_MARGIN_MS);
  let start = Date.parse(ctx.since);
  if (options.alignToDay) start = Math.floor(start / DAY_MS) * DAY_MS;
  if (options.recent) {
    const earliest = now - RECENT_REACH_MS + 60_000;
    if (start < earliest) start = options.alignToDay ? Math.ceil(earliest / DAY_MS) * DAY_MS : earliest;
  }
  // An empty range still needs a valid request: X wants start_time before end_time.
  if (end <= start) end = start + 1000;
  return { start_time: xTime(start), end_time: xTime(end) };
}

/** `GET /2/users/:id/tweets`: the brand's posts (no replies or retweets) in the range. */
export function ownTweetsRequest(userId: string, privateMetrics: boolean, now: () => number) {
  return (ctx: ReadContext): RequestSpec => ({
    path: `/users/${encodeURIComponent(userId)}/tweets`,
    query: { ...timeWindow(ctx, { now }), max_results: 100, exclude: 'replies,retweets', 'tweet.fields': tweetFields(privateMetrics) },
  });
}

/** `GET /2/users/:id/mentions`: tweets mentioning the brand (replies to its posts included). */
export function mentionsRequest(userId: string, now: () => number) {
  return (ctx: ReadContext): RequestSpec => ({
    path: `/users/${encodeURIComponent(userId)}/mentions`,
    query: { ...timeWindow(ctx, { now }), max_results: 100, 'tweet.fields': tweetFields(false) },
  });
}

/** `GET /2/tweets/search/{recent,all}?query=conversation_id:…`: the replies under one post. */
export function repliesRequest(fullArchive: boolean, now: () => number) {
  return (ctx: ReadContext): RequestSpec => ({
    path: `/tweets/search/${fullArchive ? 'all' : 'recent'}`,
    query: {
      query: `conversation_id:${String(ctx.parent?.conversation_id ?? '')}`,
      ...timeWindow(ctx, { now, recent: !fullArchive }),
      max_results: 100,
      'tweet.fields': tweetFields(false),
    },
  });
}

/** `GET /2/users?ids=…`: the brand's and competitors' public metrics, now. */
export function usersRequest(userIds: string[]) {
  return (): RequestSpec => ({ path: '/users', query: { ids: userIds.join(','), 'user.fields': USER_FIELDS } });
}

/** `GET /2/tweets/counts/{recent,all}`: daily counts of one tracked account's query. */
export function countsRequest(queryOf: (userId: string) => string, fullArchive: boolean, now: () => number) {
  return (ctx: ReadContext): RequestSpec => ({
    path: `/tweets/counts/${fullArchive ? 'all' : 'recent'}`,
    query: { query: queryOf(String(ctx.parent?.user_id ?? '')), granularity: 'day', ...timeWindow(ctx, { now, recent: !fullArchive, alignToDay: true }) },
  });
}

/** The parts of X's two error shapes: problem details (`title`, `detail`) and `errors[]`. */
interface XErrorBody {
  title?: string;
  detail?: string;
  type?: string;
  status?: number;
  errors?: Array<{ message?: string; detail?: string; title?: string; parameters?: Record<string, unknown> }>;
}

function parseBody(body: Buffer): XErrorBody {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as XErrorBody) : {};
  } catch {
    return {};
  }
}

function header(response: RawResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Describes an X error body in one line: `title: detail (errors…)`. */
export function describeXError(body: XErrorBody): string {
  const parts = [body.title, body.detail].filter((p): p is string => Boolean(p));
  const details = (body.errors ?? []).map((e) => e.message ?? e.detail ?? e.title).filter((m): m is string => Boolean(m));
  return [...parts, ...details].join(': ') || 'no error details';
}

/**
 * Maps X's error responses to typed errors: a 429 waits until `x-rate-limit-reset` (epoch
 * seconds), 401 and 403 name the credential to fix, 400 quotes X's parameter errors; anything
 * else falls back to the client's status rules.
 */
export function classifyXError(options: { now: () => number; credentialHint: string }) {
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const body = parseBody(response.body);
    const what = `X API ${response.status} at ${context.url}: ${describeXError(body)}`;
    switch (response.status) {
      case 429: {
        const reset = Number(header(response, 'x-rate-limit-reset'));
        const retryAfter = Number(header(response, 'retry-after'));
        // One second more than asked: the reset is whole seconds and clocks differ slightly.
        const wait = Number.isFinite(reset) && reset > 0 ? Math.max(1, Math.ceil(reset - options.now() / 1000) + 1) : Number.isFinite(retryAfter) ? retryAfter : undefined;
        return new TransientError(`${what} (rate limit ${header(response, 'x-rate-limit-limit') ?? '?'} per window, resets in ${wait ?? '?'} s)`, {
          context,
          ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
          hint: 'X rate limits are per 15-minute window and endpoint; the extract resumes from the saved cursor next run',
        });
      }
      case 401:
        return new TerminalError(what, { context, hint: options.credentialHint });
      case 403:
        return new TerminalError(what, {
          context,
          hint: 'the token may not read this: non_public_metrics need a user-context token of the brand account (set privateMetrics: false for an app-only token), and /all endpoints need Pro or Enterprise access (set fullArchive: false)',
        });
      case 400:
        return new TerminalError(what, { context, hint: 'X rejected a request parameter; check the queries and user ids in the source config' });
      default:
        return undefined;
    }
  };
}
