/**
 * HTTP settings of the Shopify source: the host, the `X-Shopify-Access-Token` header, pacing
 * under the shop's leaky bucket, and Shopify's error bodies (`{"errors": "..."}` or
 * `{"errors": {"field": ["..."]}}`) turned into transient or terminal errors that say what to do.
 */
import { envNameOf } from '../../core/config.ts';
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { parseRetryAfter } from '../http/retry.ts';
import type { RawResponse } from '../http/types.ts';
import type { SourceHttp } from '../source.ts';
import type { ShopifyConfig } from './schema.ts';

/** Returns the shop's subdomain from `northwind` or `northwind.myshopify.com`. */
export function shopHandle(shop: string): string {
  return shop.toLowerCase().replace(/\.myshopify\.com$/, '');
}

/** Renders Shopify's `errors` member (a string, a list, or field → messages) as one line. */
export function shopifyErrorText(body: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const errors = parsed && typeof parsed === 'object' ? (parsed as { errors?: unknown }).errors : undefined;
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) return errors.map(String).join('; ');
  if (errors && typeof errors === 'object') {
    return Object.entries(errors as Record<string, unknown>)
      .map(([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`)
      .join('; ');
  }
  return undefined;
}

/** Builds the error classifier for one configured shop; `tokenHint` says what to check on a 401. */
export function classifyShopifyError(tokenHint: string, shop: string) {
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const text = shopifyErrorText(response.body);
    const what = `Shopify answered HTTP ${response.status} for ${context.url}${text ? `: ${text}` : ''}`;
    switch (response.status) {
      case 429: {
        const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], Date.now()) ?? 2;
        return new TransientError(what, { context, retryAfterSeconds, hint: 'the shop\'s API call bucket is full; lower rateLimit.leakPerSecond if this repeats' });
      }
      case 401:
        return new TerminalError(what, { context, hint: tokenHint });
      case 402:
        return new TerminalError(what, { context, hint: 'the shop is frozen or unpaid; it must be reactivated in Shopify admin' });
      case 403:
        return new TerminalError(what, { context, hint: 'the app lacks an access scope: grant read_orders (and read_all_orders for orders older than 60 days) and read_customers' });
      case 404:
        return new TerminalError(what, { context, hint: `check the shop name (${shop}) and apiVersion` });
      case 423:
        return new TerminalError(what, { context, hint: 'the shop is locked by Shopify; contact Shopify support' });
      case 400:
      case 406:
      case 422:
        return new TerminalError(what, { context, hint: 'the request was rejected; a paging or filter bug in the connector, or an unsupported apiVersion' });
      default:
        return response.status >= 500 ? new TransientError(what, { context }) : undefined;
    }
  };
}

/** The shared HTTP settings of a Shopify source. */
export function shopifyHttp(config: ShopifyConfig, sourceName: string): SourceHttp {
  const shop = shopHandle(config.shop);
  const token = config.accessToken;
  const credentialsEnv = envNameOf(token);
  const { bucketSize, leakPerSecond } = config.rateLimit;
  return {
    baseUrl: config.baseUrl ?? `https://${shop}.myshopify.com`,
    auth: { kind: 'apiKey', in: 'header', name: 'X-Shopify-Access-Token', value: token, ...(credentialsEnv ? { credentialsEnv } : {}) },
    // Shopify's bucket allows a burst of `bucketSize` calls, then drains `leakPerSecond`: a sliding
    // window of that many calls over the time the bucket takes to empty keeps us under it.
    budget: { requests: bucketSize, perMs: Math.ceil((bucketSize / leakPerSecond) * 1000) },
    concurrency: 2,
    retry: { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
    classifyError: classifyShopifyError(`check the Admin API access token in ${credentialsEnv ? `env var ${credentialsEnv}` : `sources.${sourceName}.accessToken`} (a custom app's token for ${shop})`, shop),
  };
}
