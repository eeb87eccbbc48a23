/**
 * HTTP settings of the GA4 source: bearer access token, a few requests in flight (GA4 allows 10
 * concurrent requests per property), and Google's error bodies
 * (`{"error": {"code", "message", "status"}}`) turned into errors: `RESOURCE_EXHAUSTED` (token
 * quotas) and `UNAVAILABLE` are transient, `UNAUTHENTICATED`, `PERMISSION_DENIED` and
 * `INVALID_ARGUMENT` terminal with what to do.
 */
import { envNameOf } from '../../core/config.ts';
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { parseRetryAfter } from '../http/retry.ts';
import type { RawResponse } from '../http/types.ts';
import type { SourceHttp } from '../source.ts';
import type { Ga4Config } from './schema.ts';

/** A Google API error object. */
export interface GoogleError {
  code?: number;
  message?: string;
  status?: string;
}

/** Reads the `error` object of a Google API error body, if it is one. */
export function googleError(body: Buffer): GoogleError | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: unknown };
    return parsed.error && typeof parsed.error === 'object' ? (parsed.error as GoogleError) : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the error classifier for one property; `tokenHint` says what to check on a 401. */
export function classifyGa4Error(tokenHint: string, propertyId: string) {
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const error = googleError(response.body);
    const what = `GA4 answered HTTP ${response.status}${error?.status ? ` ${error.status}` : ''} for ${context.url}${error?.message ? `: ${error.message}` : ''}`;
    const status = error?.status;
    if (response.status === 429 || status === 'RESOURCE_EXHAUSTED') {
      const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], Date.now());
      const daily = /per day/i.test(error?.message ?? '');
      return new TransientError(what, {
        context,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        hint: daily ? `property ${propertyId} spent its daily token quota; the next scheduled run continues where this one stopped` : `property ${propertyId} is over a token or concurrency quota; a later retry continues`,
      });
    }
    if (response.status === 401 || status === 'UNAUTHENTICATED') {
      return new TerminalError(what, { context, hint: tokenHint });
    }
    if (response.status === 403 || status === 'PERMISSION_DENIED') {
      return new TerminalError(what, { context, hint: `give the token's account the Viewer role on property ${propertyId}, and enable the Google Analytics Data API in its Cloud project` });
    }
    if (response.status === 400 || status === 'INVALID_ARGUMENT') {
      return new TerminalError(what, { context, hint: 'GA4 rejected the report request: a dimension/metric pair may be incompatible, or the property id is wrong' });
    }
    if (response.status >= 500 || status === 'UNAVAILABLE' || status === 'INTERNAL') return new TransientError(what, { context });
    return undefined;
  };
}

/** The shared HTTP settings of a GA4 source. */
export function ga4Http(config: Ga4Config, sourceName: string): SourceHttp {
  const value = config.accessToken;
  const env = envNameOf(value);
  return {
    baseUrl: config.baseUrl ?? 'https://analyticsdata.googleapis.com',
    auth: { kind: 'bearer', token: value, ...(env ? { credentialsEnv: env } : {}) },
    concurrency: 4,
    retry: { maxRetries: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 },
    classifyError: classifyGa4Error(`check the access token in ${env ? `env var ${env}` : `sources.${sourceName}.accessToken`} (Google access tokens expire after an hour; it needs the analytics.readonly scope)`, config.propertyId),
  };
}
