/**
 * Bounded retries for transient failures: exponential backoff with full jitter, stretched to
 * whatever the other side asked for with `Retry-After`.
 */
import { isTransient, TransientError } from '../../core/errors.ts';
import type { RetryPolicy } from './types.ts';

/** The policy used when a source declares none: 5 retries, 0.5 s doubling up to 30 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Returns the backoff before retry number `retry` (0 for the first retry): a uniform draw from
 * [0, min(maxDelayMs, baseDelayMs · 2^retry)) — "full jitter", so clients that failed together
 * do not retry together.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Parses a `Retry-After` header (delay in seconds, or an HTTP date) into seconds from `nowMs`;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** What `withRetry` reports before each retry. */
export interface RetryEvent {
  /** The retry about to happen, from 1. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

/** Effects and policy for `withRetry`. */
export interface RetryOptions {
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Runs `operation` and retries it while it fails with a `TransientError`, at most
 * `policy.maxRetries` times; other errors and the last transient one are thrown as they are.
 * A `retryAfterSeconds` longer than `maxDelayMs` is not slept through: the error is thrown so
 * the scheduler can come back later instead of holding a run open.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, sleep, random } = options;
  for (let retry = 0; ; retry++) {
    try {
      return await operation(retry);
    } catch (error) {
      if (!isTransient(error) || retry >= policy.maxRetries) throw error;
      const jitter = backoffDelayMs(retry, policy, random);
      const askedMs = error instanceof TransientError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
      if (askedMs > policy.maxDelayMs) throw error;
      const delayMs = Math.max(jitter, askedMs);
      options.onRetry?.({ attempt: retry + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}
