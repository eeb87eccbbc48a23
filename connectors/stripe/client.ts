/**
 * HTTP settings of the Stripe source: bearer secret key, a pinned `Stripe-Version`, a request
 * budget, and Stripe's error objects (`{"error": {"type", "code", "message"}}`) turned into
 * transient errors (rate limits, lock timeouts, api_error) or terminal ones that say what to do.
 */
import { envNameOf } from '../../core/config.ts';
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { parseRetryAfter } from '../http/retry.ts';
import type { RawResponse } from '../http/types.ts';
import type { SourceHttp } from '../source.ts';
import type { StripeConfig } from './schema.ts';

/** A Stripe error object. */
export interface StripeError {
  type?: string;
  code?: string;
  message?: string;
  doc_url?: string;
}

/** Reads the `error` object of a Stripe error body, if it is one. */
export function stripeError(body: Buffer): StripeError | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: unknown };
    return parsed.error && typeof parsed.error === 'object' ? (parsed.error as StripeError) : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the error classifier; `keyHint` says what to check on a 401. */
export function classifyStripeError(keyHint: string) {
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const error = stripeError(response.body);
    const what = `Stripe answered HTTP ${response.status} for ${context.url}${error ? `: ${[error.type, error.code].filter(Boolean).join('/')}${error.message ? ` — ${error.message}` : ''}` : ''}`;
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], Date.now());
    const later = { context, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
    if (response.status === 429 || error?.type === 'rate_limit_error' || error?.code === 'rate_limit' || error?.code === 'lock_timeout') {
      return new TransientError(what, { ...later, hint: 'Stripe rate-limited the key; lower requestsPerSecond if this repeats' });
    }
    if (response.status === 401 || error?.type === 'authentication_error') {
      return new TerminalError(what, { context, hint: keyHint });
    }
    if (response.status === 403) return new TerminalError(what, { context, hint: 'the restricted key lacks read permission for this resource; grant it in the Stripe dashboard' });
    if (response.status >= 500 || error?.type === 'api_error') return new TransientError(what, later);
    if (error?.type === 'invalid_request_error' || error?.type === 'idempotency_error') {
      return new TerminalError(what, { context, hint: error.doc_url ? `see ${error.doc_url}` : 'the request was rejected; check apiVersion and the connector\'s parameters' });
    }
    return undefined;
  };
}

/** The shared HTTP settings of a Stripe source. */
export function stripeHttp(config: StripeConfig, sourceName: string): SourceHttp {
  const value = config.secretKey;
  const env = envNameOf(value);
  return {
    baseUrl: config.baseUrl ?? 'https://api.stripe.com',
    auth: { kind: 'bearer', token: value, ...(env ? { credentialsEnv: env } : {}) },
    headers: { 'Stripe-Version': config.apiVersion },
    budget: { requests: Math.max(1, Math.floor(config.requestsPerSecond)), perMs: 1000 },
    concurrency: 4,
    retry: { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
    classifyError: classifyStripeError(`check the Stripe secret key in ${env ? `env var ${env}` : `sources.${sourceName}.secretKey`} (it may be revoked, restricted, or a test key against live data)`),
  };
}
