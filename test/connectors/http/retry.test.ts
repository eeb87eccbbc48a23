import { describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '../../../core/errors.ts';
import { backoffDelayMs, parseRetryAfter, withRetry } from '../../../connectors/http/retry.ts';
import { redactUrl, resolveRequestUrl } from '../../../connectors/http/url.ts';
import { fakeTime } from './helpers.ts';

const policy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

describe('backoff', () => {
  it('draws full jitter under an exponential ceiling capped at maxDelayMs', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelayMs(n, policy, () => 0.5))).toEqual([250, 500, 1000, 2000, 15_000]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(3996);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(['3'], now)).toBe(3);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries only transient errors', async () => {
    const time = fakeTime();
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new TerminalError('bad config');
      }, { policy, sleep: time.sleep, random: () => 0.5 }),
    ).rejects.toThrow('bad config');
    expect(calls).toBe(1);
    // Unknown errors are bugs, not weather: not retried either.
    await expect(withRetry(async () => { throw new Error('bug'); }, { policy, sleep: time.sleep, random: () => 0.5 })).rejects.toThrow('bug');
    expect(time.delays).toEqual([]);
  });

  it('waits at least what Retry-After asked for', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await withRetry(async () => {
      if (++calls === 1) throw new TransientError('429', { retryAfterSeconds: 4 });
      return 'ok';
    }, { policy, sleep: time.sleep, random: () => 0.5 });
    expect(result).toBe('ok');
    expect(time.delays).toEqual([4000]);
  });
});

describe('urls', () => {
  const base = 'https://graph.example.com/v19.0';
  it('appends relative paths to the base path', () => {
    expect(resolveRequestUrl(base, { path: '/me/posts', query: { limit: 2 } }, {}).href).toBe('https://graph.example.com/v19.0/me/posts?limit=2');
    expect(resolveRequestUrl(`${base}/`, { path: 'me' }, {}).href).toBe('https://graph.example.com/v19.0/me');
  });

  it('refuses other origins and protocol-relative tricks, except the allowed token URL', () => {
    expect(() => resolveRequestUrl(base, { path: 'https://evil.example.net/x' }, {})).toThrow(TerminalError);
    expect(() => resolveRequestUrl(base, { path: '//evil.example.net/x' }, {})).toThrow(TerminalError);
    expect(() => resolveRequestUrl(base, { path: 'http://graph.example.com/x' }, {})).toThrow(TerminalError);
    const token = 'https://auth.example.com/oauth/token';
    expect(resolveRequestUrl(base, { path: token }, {}, token).href).toBe(token);
  });

  it('masks credentials in URLs', () => {
    expect(redactUrl('https://u:p@a.example.com/x?access_token=abc&limit=2&sig=zz#frag')).toBe('https://a.example.com/x?access_token=[redacted]&limit=2&sig=[redacted]');
    expect(redactUrl('https://a.example.com/x?k=abcd', ['k'])).toBe('https://a.example.com/x?k=[redacted]');
  });
});
