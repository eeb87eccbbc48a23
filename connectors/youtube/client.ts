/**
 * How Brandpulse talks to the YouTube Data API v3: request builders (the uploads playlist, videos
 * by id, comment threads per video, channel statistics) and the mapping of Google's
 * `{error: {code, message, errors: [{reason}]}}` bodies to typed errors.
 *
 * Quota decision: `quotaExceeded` / `dailyLimitExceeded` are terminal for the run. The project's
 * quota resets at midnight Pacific time, hours away; a transient error would make the job runner
 * hold the run open (or retry into the same wall) until then. The stream fails with a hint, its
 * cursor stays, and the next scheduled run picks up. `rateLimitExceeded` and
 * `userRateLimitExceeded` are per-100-seconds limits: transient, retried with backoff.
 */
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { parseRetryAfter } from '../http/retry.ts';
import type { RawResponse, RequestSpec } from '../http/types.ts';
import type { ReadContext } from '../source.ts';

/** Returns the uploads playlist of a channel: `UC…` → `UU…`. */
export function uploadsPlaylistOf(channelId: string): string {
  return `UU${channelId.slice(2)}`;
}

/** `GET /playlistItems`: the channel's uploads, newest first, 50 a page. */
export function playlistItemsRequest(playlistId: string) {
  return (): RequestSpec => ({ path: '/playlistItems', query: { part: 'snippet,contentDetails,status', playlistId, maxResults: 50 } });
}

/**
 * `GET /videos?id=…` for the video of one playlist item. The parent's `contentDetails` arrives as
 * its JSON text (the engine passes whole parent columns), so the video id is read from it.
 */
export function videosRequest() {
  return (ctx: ReadContext): RequestSpec => {
    const raw = ctx.parent?.contentDetails;
    let videoId = '';
    try {
      videoId = String((JSON.parse(String(raw)) as { videoId?: unknown }).videoId ?? '');
    } catch {
      videoId = '';
    }
    return { path: '/videos', query: { part: 'snippet,contentDetails,statistics', id: videoId } };
  };
}

/** `GET /commentThreads?videoId=…`: a video's top-level comments with inline replies, newest first. */
export function commentThreadsRequest() {
  return (ctx: ReadContext): RequestSpec => ({
    path: '/commentThreads',
    query: { part: 'snippet,replies', videoId: String(ctx.parent?.video_id ?? ''), maxResults: 100, order: 'time', textFormat: 'plainText' },
  });
}

/** `GET /channels?id=…`: public statistics of the brand's and competitors' channels, now. */
export function channelsRequest(channelIds: string[]) {
  return (): RequestSpec => ({ path: '/channels', query: { part: 'snippet,statistics', id: channelIds.join(','), maxResults: 50 } });
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; message?: string; domain?: string }>; details?: Array<{ reason?: string }> };
}

function reasonsOf(body: Buffer): { reasons: string[]; message: string } {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as GoogleErrorBody;
    const error = parsed.error ?? {};
    const reasons = [...(error.errors ?? []).map((e) => e.reason), ...(error.details ?? []).map((d) => d.reason), error.status].filter((r): r is string => Boolean(r));
    return { reasons, message: error.message ?? 'no message' };
  } catch {
    return { reasons: [], message: 'no message' };
  }
}

const QUOTA = new Set(['quotaExceeded', 'dailyLimitExceeded']);
const RATE = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const CREDENTIALS = new Set(['keyInvalid', 'API_KEY_INVALID', 'keyExpired', 'API_KEY_EXPIRED', 'authError']);

/** Maps YouTube errors to typed errors (see the module comment for the quota decision). */
export function classifyYoutubeError(options: { credentialHint: string; now?: () => number }) {
  const now = options.now ?? Date.now;
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const { reasons, message } = reasonsOf(response.body);
    const has = (set: Set<string>) => reasons.some((r) => set.has(r));
    const what = `YouTube ${response.status} at ${context.url}: ${message}${reasons.length ? ` (${[...new Set(reasons)].join(', ')})` : ''}`;
    if (has(QUOTA)) {
      return new TerminalError(what, {
        context,
        hint: 'the Google Cloud project spent its daily YouTube Data API quota (resets at midnight Pacific time); the next run continues from the saved state — request more quota in the Cloud console if this repeats',
      });
    }
    if (has(RATE) || response.status === 429) {
      const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], now());
      return new TransientError(what, { context, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    }
    if (response.status === 401 || has(CREDENTIALS) || (response.status === 403 && /API key/i.test(message))) {
      return new TerminalError(what, { context, hint: options.credentialHint });
    }
    if (reasons.includes('commentsDisabled')) {
      return new TerminalError(what, { context, hint: 'comments are turned off on this video; turn them on or stop reading comment threads for this channel' });
    }
    if (response.status === 404) return new TerminalError(what, { context, hint: 'check channelId and uploadsPlaylistId in the source config' });
    if (response.status >= 400 && response.status < 500) return new TerminalError(what, { context });
    return undefined;
  };
}
