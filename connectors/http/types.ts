/**
 * The shapes the HTTP toolkit works with: a request described as data, the response a page
 * yields, auth and paging declared as data so a source (or a config file) can state them.
 */
import type { Dispatcher } from 'undici';
import type { ErrorContext } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { BodyBuffer } from './body-buffer.ts';

/** One HTTP request as data; `path` is joined to the source's base URL unless it is absolute. */
export interface RequestSpec {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A JSON body (POST APIs such as GA4 `runReport`). */
  json?: unknown;
}

/** A raw response: the body stays bytes so records never become JS objects on the hot path. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The URL requested, without credentials the client added (auth query parameters). */
  url: string;
}

/** What a paginator sees of a page after the body was split into envelope and records. */
export interface PageView {
  headers: RawResponse['headers'];
  /** The body with the record array emptied, parsed. */
  envelope: unknown;
  /** Records on this page. */
  count: number;
  /** Parses and returns the page's last record (for `starting_after`-style paging), or undefined. */
  lastRecord(): Record<string, unknown> | undefined;
}

/** Authentication, declared as data; secret values are already resolved from the environment. */
export type AuthSpec = (
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth2ClientCredentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      /** Where the client id and secret go: the form body (default) or a Basic header, as the provider requires. */
      clientAuth?: 'body' | 'basic';
    }
) & {
  /** The env var(s) the secret came from, named in hints on 401 ("check the credentials in env var …"). */
  credentialsEnv?: string;
};

/** Paging styles, declared as data. Paths are keys into the envelope (`['paging', 'cursors', 'after']`). */
export type PaginatorSpec =
  | { kind: 'none' }
  /** A cursor token in the body, sent back as a query parameter (Graph `after`, X `pagination_token`, Zendesk `page[after]`). */
  | { kind: 'cursor'; cursorPath: string[]; param: string; hasMorePath?: string[] }
  /** A full next-page URL in the body (Graph `paging.next`, Zendesk `links.next`). */
  | { kind: 'nextUrl'; path: string[] }
  /** RFC 8288 `Link: <...>; rel="next"` header (Shopify `page_info`). */
  | { kind: 'linkHeader' }
  /** Offset and limit, in the query or the JSON body; stops at a short page or at `totalPath`. */
  | { kind: 'offset'; offsetParam: string; limitParam: string; limit: number; in?: 'query' | 'body'; totalPath?: string[] }
  /** Page numbers from `start`; stops at an empty or short page or at `totalPagesPath`. */
  | { kind: 'pageNumber'; pageParam: string; start?: number; sizeParam?: string; size?: number; totalPagesPath?: string[] }
  /** `has_more` plus the last record's id sent as `starting_after` (Stripe). */
  | { kind: 'startingAfter'; hasMorePath: string[]; param: string; idField: string };

/** Retry policy for transient failures. */
export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Everything an HTTP client needs; effects (dispatcher, sleep, random, clock) come from the caller. */
export interface HttpClientOptions {
  /** Source name, for errors and logs. */
  source: string;
  baseUrl: string;
  auth?: AuthSpec;
  headers?: Record<string, string>;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** At most `requests` requests in any window of `perMs` milliseconds. */
  budget?: { requests: number; perMs: number };
  /** Requests in flight at once (p-limit). */
  concurrency?: number;
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  log?: Logger;
  /**
   * Maps a platform's error response to a typed error (e.g. Graph codes 4/17/32/613 as rate
   * limits). Return undefined to fall back to the status-code rules.
   */
  classifyError?: (response: RawResponse, context: ErrorContext) => Error | undefined;
}

/** Options of `HttpClient.sendAndRead`. */
export interface ReadOptions {
  /**
   * Reads the body into this buffer instead of a new one; the response's body is then a view
   * that the next read into the same buffer overwrites.
   */
  into?: BodyBuffer;
}

/** A configured client for one source. */
export interface HttpClient {
  /** Source name, for errors (optional so hand-written fakes need not set it). */
  readonly source?: string;
  /** Sends one request with auth, budget, concurrency, timeout and bounded retries. */
  send(request: RequestSpec, context?: ErrorContext): Promise<RawResponse>;
  /**
   * Sends one request and runs `read` on the response inside the retry loop, so a body that
   * `read` rejects with a `TransientError` (a truncated page) is fetched again, bounded.
   * Optional so hand-written fakes need not implement it; `paginate` then reads without re-fetching.
   */
  sendAndRead?<T>(request: RequestSpec, read: (response: RawResponse) => T, context?: ErrorContext, options?: ReadOptions): Promise<T>;
  /** Number of requests sent (including retries), for run records and tests. */
  readonly requestCount: number;
}
