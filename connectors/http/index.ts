/**
 * The HTTP toolkit sources build on: a client with auth, pacing and bounded retries, and a
 * paginator that turns pages into NDJSON without parsing records.
 */
export type { AuthSpec, HttpClient, HttpClientOptions, PageView, PaginatorSpec, RawResponse, RequestSpec, RetryPolicy } from './types.ts';
export { createAuthenticator, type AuthDeps, type Authenticator } from './auth.ts';
export { createRequestBudget, createRequestGate, type BudgetSpec, type RequestBudget, type RequestGate } from './budget.ts';
export { createHttpClient, DEFAULT_TIMEOUT_MS } from './client.ts';
export { DEFAULT_MAX_PAGES, lastRecord, nextLink, pageView, paginate, valueAt, type Page, type PaginateOptions } from './paginate.ts';
export { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry, type RetryEvent, type RetryOptions } from './retry.ts';
export { redactUrl, resolveRequestUrl } from './url.ts';
