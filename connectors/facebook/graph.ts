/**
 * What the Meta connectors (Facebook Pages, Instagram, Marketing API) share about the Graph API:
 * config fields, the versioned base URL, cursor paging, error classification with the usage
 * headers Meta sends for throttling. What their fakes share lives in `graph-fake.ts`.
 */
import { z } from 'zod';
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { envNameOf, secret } from '../../core/config.ts';
import { redact } from '../../core/redact.ts';
import type { PaginatorSpec, RawResponse } from '../http/types.ts';
import type { SourceHttp } from '../source.ts';

/** The real Graph API host. */
export const GRAPH_HOST = 'https://graph.facebook.com';
/** Graph API version requested when the config names none. */
export const DEFAULT_GRAPH_VERSION = 'v23.0';
/**
 * The env var sample configs take their (fake) token from; `jobs/sample.ts` sets it
 * (`SAMPLE_TOKEN_ENV` there; not imported, because jobs/ imports the registry that imports us).
 */
export const SAMPLE_TOKEN_ENV = 'PULSE_SAMPLE_TOKEN';

/** An access token in config, written as `env("NAME")` and resolved from that variable when the config parses. */
export const graphAccessToken = secret;

/** The Graph host, overridable for the fakes. */
export const graphBaseUrl = z.url().default(GRAPH_HOST).describe(`the Graph API host (default ${GRAPH_HOST}); the sample world points it at its fake`);

/** The Graph API version, part of every path. */
export const graphApiVersion = z
  .string()
  .regex(/^v\d+\.\d+$/, 'a Graph API version such as v23.0')
  .default(DEFAULT_GRAPH_VERSION)
  .describe(`Graph API version used in every path (default ${DEFAULT_GRAPH_VERSION})`);

/** A `YYYY-MM-DD` start date. */
export const startDate = z.iso.date().describe('first day to extract on the first run (YYYY-MM-DD); later runs continue from the saved cursor');

/** Graph's cursor paging: `paging.next` is present exactly when there is another page (`cursors.after` is sent even on the last). */
export const GRAPH_PAGING: PaginatorSpec = { kind: 'nextUrl', path: ['paging', 'next'] };

/** Graph error codes that mean "slow down": app, user, page, custom and business-use-case (800xx) limits. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);
/** Graph error codes for a temporary fault on Meta's side. */
const TEMPORARY_CODES = new Set([1, 2]);
/** Graph error codes for a missing permission. */
const isPermissionCode = (code: number) => code === 10 || (code >= 200 && code <= 299);

/** The `error` object of a Graph error body. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Reads the Graph `error` object of a body, or undefined when the body is not a Graph error. */
export function graphErrorOf(body: Buffer): GraphErrorBody | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: unknown };
    const error = parsed.error;
    return error && typeof error === 'object' && typeof (error as GraphErrorBody).code === 'number' ? (error as GraphErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonHeader(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Returns the seconds Meta asks a throttled caller to wait, from the usage headers: the largest
 * `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage` or `X-App-Usage`,
 * or `reset_time_duration` (seconds) in `X-Ad-Account-Usage`; undefined when none says.
 */
export function retryAfterFromUsage(headers: RawResponse['headers']): number | undefined {
  let seconds = 0;
  const minutesOf = (entry: unknown) => {
    const minutes = entry && typeof entry === 'object' ? Number((entry as Record<string, unknown>)['estimated_time_to_regain_access']) : Number.NaN;
    if (Number.isFinite(minutes) && minutes > 0) seconds = Math.max(seconds, minutes * 60);
  };
  const business = parseJsonHeader(header(headers, 'x-business-use-case-usage'));
  if (business && typeof business === 'object') {
    for (const entries of Object.values(business as Record<string, unknown>)) for (const entry of Array.isArray(entries) ? entries : [entries]) minutesOf(entry);
  }
  minutesOf(parseJsonHeader(header(headers, 'x-app-usage')));
  const account = parseJsonHeader(header(headers, 'x-ad-account-usage'));
  const reset = account && typeof account === 'object' ? Number((account as Record<string, unknown>)['reset_time_duration']) : Number.NaN;
  if (Number.isFinite(reset) && reset > 0) seconds = Math.max(seconds, reset);
  return seconds > 0 ? seconds : undefined;
}

/** What a connector tells the error classifier about itself, for hints. */
export interface GraphErrorHints {
  /** Config path of the token (`sources.facebook.accessToken`), named when Meta rejects it. */
  tokenPath: string;
  /** The env var the token came from, when known. */
  tokenEnv?: string | undefined;
  /** What to check when Graph says a parameter is invalid (code 100). */
  badParameter: string;
}

/**
 * Maps a Graph error body to a typed error: rate limits (4, 17, 32, 613, 800xx) are transient and
 * carry the wait from the usage headers; temporary faults (1, 2, `is_transient`) are transient;
 * an invalid or expired token (190), a missing permission (10, 2xx) and a bad parameter (100) are
 * terminal with a hint. Anything else falls back to the HTTP status rules.
 */
export function classifyGraphError(hints: GraphErrorHints): (response: RawResponse, context: ErrorContext) => Error | undefined {
  return (response, context) => {
    const error = graphErrorOf(response.body);
    if (!error || error.code === undefined) return undefined;
    const code = error.code;
    const what = `Graph API error ${code}${error.error_subcode ? `/${error.error_subcode}` : ''}${error.type ? ` (${error.type})` : ''} from ${context.url}: ${redact(error.message ?? 'no message')}${error.fbtrace_id ? ` [fbtrace_id ${error.fbtrace_id}]` : ''}`;
    if (RATE_LIMIT_CODES.has(code)) {
      const retryAfterSeconds = retryAfterFromUsage(response.headers);
      return new TransientError(what, {
        context,
        hint: 'Meta is throttling this app, page or ad account; the run retries after the wait Meta estimates, or fails and the next run continues',
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      });
    }
    if (TEMPORARY_CODES.has(code) || error.is_transient === true) return new TransientError(what, { context });
    if (code === 190 || code === 102 || code === 104) {
      return new TerminalError(what, {
        context,
        hint: `the access token is expired, revoked or invalid: generate a new long-lived token and export it in ${hints.tokenEnv ? `env var ${hints.tokenEnv} (${hints.tokenPath})` : `the env var that ${hints.tokenPath} names`}`,
      });
    }
    if (isPermissionCode(code)) {
      return new TerminalError(what, { context, hint: `the token lacks a permission this stream needs; grant it to the app and issue a new token (${hints.tokenPath})` });
    }
    if (code === 100) return new TerminalError(what, { context, hint: hints.badParameter });
    return undefined;
  };
}

/** The HTTP settings of a Graph source: versioned base URL, bearer token, Graph error classes, patient retries. */
export function graphHttp(options: { baseUrl: string; apiVersion: string; accessToken: string; hints: GraphErrorHints; concurrency?: number | undefined }): SourceHttp {
  const tokenEnv = envNameOf(options.accessToken);
  return {
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/${options.apiVersion}`,
    // A bearer header keeps the token out of URLs (Graph echoes a query token into `paging.next`).
    auth: { kind: 'bearer', token: options.accessToken, ...(tokenEnv ? { credentialsEnv: tokenEnv } : {}) },
    concurrency: options.concurrency ?? 4,
    // Meta's throttles ask for minutes, not seconds: wait up to five, beyond that fail and let the next run continue.
    retry: { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 300_000 },
    classifyError: classifyGraphError({ ...options.hints, tokenEnv: options.hints.tokenEnv ?? tokenEnv }),
  };
}

/** Returns an ISO instant as Unix seconds, the form Graph's `since`/`until` take most reliably. */
export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** Returns the `YYYY-MM-DD` day an ISO instant falls on in UTC (how request windows are cut into days). */
export function utcDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** Returns the day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
