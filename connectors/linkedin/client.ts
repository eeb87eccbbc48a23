/**
 * How Brandpulse talks to LinkedIn's Community Management API: Rest.li 2.0 requests (URNs encoded,
 * `timeIntervals` / `List(…)` structures left raw, as LinkedIn parses them) and the mapping of
 * LinkedIn's `{status, serviceErrorCode, code, message}` errors to typed errors.
 */
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { parseRetryAfter } from '../http/retry.ts';
import type { RawResponse, RequestSpec } from '../http/types.ts';
import type { ReadContext } from '../source.ts';

const DAY_MS = 86_400_000;

/** Returns the organization URN for an id or URN. */
export function organizationUrn(idOrUrn: string): string {
  return idOrUrn.startsWith('urn:') ? idOrUrn : `urn:li:organization:${idOrUrn}`;
}

/** The UTC day a statistics window reads: the day `since` falls in. */
export function windowDay(ctx: ReadContext): { startMs: number; endMs: number; day: string } {
  const startMs = Math.floor(Date.parse(ctx.since) / DAY_MS) * DAY_MS;
  return { startMs, endMs: startMs + DAY_MS, day: new Date(startMs).toISOString().slice(0, 10) };
}

/**
 * `GET /organizationalEntity{Share,Follower}Statistics` for one day. The query is written into
 * the path on purpose: URLSearchParams would percent-encode the Rest.li parentheses and colons,
 * which LinkedIn then reads as literal characters.
 */
export function dailyStatisticsRequest(resource: 'organizationalEntityShareStatistics' | 'organizationalEntityFollowerStatistics', orgUrn: string) {
  return (ctx: ReadContext): RequestSpec => {
    const { startMs, endMs } = windowDay(ctx);
    return {
      path: `/${resource}?q=organizationalEntity&organizationalEntity=${encodeURIComponent(orgUrn)}&timeIntervals=(timeRange:(start:${startMs},end:${endMs}),timeGranularityType:DAY)`,
    };
  };
}

/** `GET /organizationalEntityShareStatistics?shares=List(…)`: lifetime statistics of one post. */
export function postStatisticsRequest(orgUrn: string) {
  return (ctx: ReadContext): RequestSpec => {
    const post = String(ctx.parent?.post_urn ?? '');
    const list = post.startsWith('urn:li:ugcPost:') ? 'ugcPosts' : 'shares';
    return { path: `/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeURIComponent(orgUrn)}&${list}=List(${encodeURIComponent(post)})` };
  };
}

/** `GET /posts?q=author`: the organization's posts, most recently changed first. */
export function postsRequest(orgUrn: string) {
  return (): RequestSpec => ({ path: '/posts', query: { q: 'author', author: orgUrn, sortBy: 'LAST_MODIFIED' } });
}

/** `GET /socialActions/{post urn}/comments`: the comments on one post. */
export function commentsRequest() {
  return (ctx: ReadContext): RequestSpec => ({ path: `/socialActions/${encodeURIComponent(String(ctx.parent?.post_urn ?? ''))}/comments` });
}

interface LinkedinErrorBody {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
}

function parseBody(body: Buffer): LinkedinErrorBody {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as LinkedinErrorBody) : {};
  } catch {
    return {};
  }
}

/**
 * Maps LinkedIn errors: 429 throttling is transient (LinkedIn's limits are per day and it rarely
 * sends Retry-After, so backoff applies), 401/403 name the credential and the scopes, an
 * unsupported `LinkedIn-Version` names the config field; 5xx fall back to the client's rules.
 */
export function classifyLinkedinError(options: { credentialHint: string; now?: () => number }) {
  const now = options.now ?? Date.now;
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const body = parseBody(response.body);
    const code = [body.code, body.serviceErrorCode === undefined ? undefined : `serviceErrorCode ${body.serviceErrorCode}`].filter(Boolean).join(', ');
    const what = `LinkedIn ${response.status} at ${context.url}: ${body.message ?? 'no message'}${code ? ` (${code})` : ''}`;
    if (response.status === 429) {
      const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], now());
      return new TransientError(what, {
        context,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        hint: 'LinkedIn throttles per application and member per day (reset at midnight UTC); a run that keeps hitting it resumes from the saved cursor',
      });
    }
    if (response.status === 401) return new TerminalError(what, { context, hint: options.credentialHint });
    if (response.status === 403) {
      return new TerminalError(what, { context, hint: 'the member must be an admin of the page and the token needs the r_organization_social and rw_organization_admin scopes' });
    }
    if (response.status === 426 || body.code === 'VERSION_MISSING' || body.code === 'NONEXISTENT_VERSION') {
      return new TerminalError(what, { context, hint: 'set apiVersion (LinkedIn-Version, YYYYMM) to a version LinkedIn still supports' });
    }
    if (response.status >= 400 && response.status < 500) return new TerminalError(what, { context, hint: 'check organizationId and startDate (LinkedIn keeps 12 months of statistics)' });
    return undefined;
  };
}
