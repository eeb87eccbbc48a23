/**
 * The HTTP client every source uses: undici `request()` (faster than `fetch`) through an
 * injected dispatcher, with auth, pacing, timeouts, bounded retries and typed errors whose
 * messages never carry credentials.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { request as undiciRequest } from 'undici';
import { describeError, PulseError, TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { silentLogger } from '../../core/log.ts';
import { redact } from '../../core/redact.ts';
import { createAuthenticator, type Authenticator } from './auth.ts';
import { createRequestGate } from './budget.ts';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry } from './retry.ts';
import type { BodyBuffer } from './body-buffer.ts';
import type { HttpClient, HttpClientOptions, RawResponse, ReadOptions, RequestSpec } from './types.ts';
import { redactUrl, resolveRequestUrl } from './url.ts';

/** Timeout for one request (headers and body together) when a source sets none. */
export const DEFAULT_TIMEOUT_MS = 30_000;

// Error codes of failures on the way (connect, socket, DNS hiccup) that a retry may get past.
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** A request after auth, ready for the wire. */
interface Prepared {
  method: 'GET' | 'POST';
  url: URL;
  /** The URL before auth added query credentials: what `RawResponse.url` reports. */
  plainUrl: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Creates a client for one source; see `HttpClientOptions` for what can be injected. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const log = options.log ?? silentLogger;
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseContext: ErrorContext = { source: options.source };
  const gate = createRequestGate({ budget: options.budget, concurrency: options.concurrency, now, sleep });
  const tokenUrl = options.auth?.kind === 'oauth2ClientCredentials' ? options.auth.tokenUrl : undefined;
  let requestCount = 0;

  const auth: Authenticator = createAuthenticator(options.auth ?? { kind: 'none' }, {
    now,
    context: baseContext,
    // The token request bypasses the API's budget (token endpoints are limited separately). It is
    // not retried here: it runs inside the retry loop of the request that needed it.
    postForm: async (url, form, headers) => {
      const target = resolveRequestUrl(options.baseUrl, { path: url }, baseContext, tokenUrl);
      const context = contextFor(target.href, undefined);
      const response = await exchange({ method: 'POST', url: target, plainUrl: target.href, headers, body: form.toString() }, context);
      const refused = `the OAuth2 token endpoint refused the client; ${credentialsHint()}`;
      return checkStatus(response, context, { unauthorized: refused, forbidden: refused, clientError: refused });
    },
  });

  function credentialsHint(): string {
    const env = options.auth?.credentialsEnv;
    return env ? `check the credentials in env var ${env}` : `check the credentials configured for source ${options.source}`;
  }

  function contextFor(url: string, context: ErrorContext | undefined): ErrorContext {
    return { ...baseContext, ...context, url: redactUrl(url, auth.secretParams) };
  }

  async function prepare(request: RequestSpec, context: ErrorContext): Promise<{ prepared: Prepared; credential: string | undefined }> {
    const url = resolveRequestUrl(options.baseUrl, request, context, tokenUrl);
    const plainUrl = url.href;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'brandpulse' };
    for (const [name, value] of Object.entries({ ...options.headers, ...request.headers })) headers[name.toLowerCase()] = value;
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    }
    const credential = await auth.apply(url, headers);
    return { prepared: { method: request.method ?? (body === undefined ? 'GET' : 'POST'), url, plainUrl, headers, body }, credential };
  }

  /** Sends one prepared request and reads the whole body; network failures become typed errors. */
  async function exchange(prepared: Prepared, context: ErrorContext, into?: BodyBuffer): Promise<RawResponse> {
    requestCount++;
    try {
      const response = await undiciRequest(prepared.url, {
        method: prepared.method,
        headers: prepared.headers,
        body: prepared.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // headers/body timeouts reset on every chunk; the signal bounds the whole exchange.
        signal: AbortSignal.timeout(timeoutMs),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const body = into ? await into.read(response.body) : Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body, url: prepared.plainUrl };
    } catch (cause) {
      throw networkError(cause, context);
    }
  }

  function networkError(cause: unknown, context: ErrorContext): Error {
    const code = errorCode(cause);
    const name = cause instanceof Error ? cause.name : '';
    if (name === 'TimeoutError' || (code !== undefined && TIMEOUT_CODES.has(code))) {
      return new TransientError(`request to ${context.url} timed out after ${timeoutMs} ms`, { cause, context });
    }
    if (code !== undefined && TRANSIENT_CODES.has(code)) {
      return new TransientError(`request to ${context.url} failed: ${redact(messageOf(cause))} (${code})`, { cause, context });
    }
    if (code === 'ENOTFOUND') {
      return new TerminalError(`cannot resolve the host of ${context.url}`, { cause, context, hint: 'check the base URL of the source' });
    }
    return new TerminalError(`request to ${context.url} failed: ${redact(messageOf(cause))}`, { cause, context });
  }

  /** Turns a non-2xx response into the error it stands for; returns 2xx responses. */
  function checkStatus(response: RawResponse, context: ErrorContext, hints: { unauthorized: string; forbidden: string; clientError?: string }): RawResponse {
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    const custom = options.classifyError?.(response, context);
    if (custom) throw custom;
    const snippet = bodySnippet(response.body);
    const what = `HTTP ${status} from ${context.url}${snippet ? `: ${snippet}` : ''}`;
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], now());
      throw new TransientError(what, { context, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    }
    if (status === 401) throw new TerminalError(what, { context, hint: hints.unauthorized });
    if (status === 403) throw new TerminalError(what, { context, hint: hints.forbidden });
    if (status === 404) throw new TerminalError(what, { context, hint: 'check the path and the ids in the source config' });
    throw new TerminalError(what, { context, ...(hints.clientError ? { hint: hints.clientError } : {}) });
  }

  function retrying<T>(request: RequestSpec, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, {
      policy,
      sleep,
      random,
      onRetry: ({ attempt, delayMs, error }) =>
        log.warn('retrying request', {
          source: options.source,
          url: (error instanceof PulseError && error.context.url) || redactUrl(request.path, auth.secretParams),
          attempt,
          of: policy.maxRetries,
          delayMs,
          reason: redact(describeError(error)),
        }),
    });
  }

  async function sendAndRead<T>(request: RequestSpec, read: (response: RawResponse) => T, context?: ErrorContext, readOptions: ReadOptions = {}): Promise<T> {
    return retrying(request, async () => {
      let { prepared, credential } = await prepare(request, context ?? {});
      const errorContext = contextFor(prepared.plainUrl, context);
      let response = await gate(() => exchange(prepared, errorContext, readOptions.into));
      if (response.status === 401 && auth.invalidate(credential)) {
        // An OAuth2 token can be revoked or expire early: fetch a new one and try once more.
        ({ prepared, credential } = await prepare(request, context ?? {}));
        response = await gate(() => exchange(prepared, errorContext, readOptions.into));
      }
      checkStatus(response, errorContext, {
        unauthorized: credentialsHint(),
        forbidden: `check the token's permissions (scopes) for source ${options.source}`,
      });
      return read(response);
    });
  }

  return {
    source: options.source,
    send: (request, context) => sendAndRead(request, (response) => response, context),
    sendAndRead,
    get requestCount() {
      return requestCount;
    },
  };
}

/** Returns the first 200 characters of a body for an error message, with secrets masked. */
function bodySnippet(body: Buffer): string {
  // Redact before cutting, so a secret straddling the cut is still masked whole.
  const text = redact(body.subarray(0, 4096).toString('utf8')).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function errorCode(error: unknown): string | undefined {
  // undici sometimes wraps the socket error; look one level down too.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
