/**
 * HTTP settings of the Zendesk source: basic auth as `{email}/token:{apiToken}` or a bearer OAuth
 * token, a request budget under the plan's rate limit, retries that wait out the incremental
 * exports' 10-per-minute 429s (their `Retry-After` is up to a minute), and Zendesk's error bodies
 * (`{"error": ..., "description": ...}`) turned into errors that say what to do.
 */
import { envNameOf } from '../../core/config.ts';
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { parseRetryAfter } from '../http/retry.ts';
import type { AuthSpec, RawResponse } from '../http/types.ts';
import type { SourceHttp } from '../source.ts';
import type { ZendeskConfig } from './schema.ts';

/** Renders a Zendesk error body (`{error, description}`, `error` sometimes an object) as one line. */
export function zendeskErrorText(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: unknown; description?: unknown; details?: unknown };
    const error = typeof parsed.error === 'string' ? parsed.error : parsed.error && typeof parsed.error === 'object' ? JSON.stringify(parsed.error) : undefined;
    const parts = [error, typeof parsed.description === 'string' ? parsed.description : undefined].filter(Boolean);
    return parts.length ? parts.join(': ') : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the error classifier; `credentials` says which setting to check on a 401. */
export function classifyZendeskError(credentials: string) {
  return (response: RawResponse, context: ErrorContext): Error | undefined => {
    const text = zendeskErrorText(response.body);
    const what = `Zendesk answered HTTP ${response.status} for ${context.url}${text ? `: ${text}` : ''}`;
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], Date.now());
    if (response.status === 429 || response.status === 503) {
      return new TransientError(what, {
        context,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        hint: /incremental/i.test(text ?? '') || /\/incremental\//.test(context.url ?? '') ? 'incremental exports allow 10 requests a minute' : 'lower requestsPerMinute to the plan\'s limit',
      });
    }
    if (response.status === 401) return new TerminalError(what, { context, hint: credentials });
    if (response.status === 403) return new TerminalError(what, { context, hint: 'the user behind the token must be an admin (incremental exports need admin rights)' });
    if (response.status === 404) return new TerminalError(what, { context, hint: 'check the subdomain; a ticket deleted during the run also answers 404' });
    if (response.status === 422 || response.status === 400) return new TerminalError(what, { context, hint: 'Zendesk rejected the request parameters (start_time must be in the past)' });
    return response.status >= 500 ? new TransientError(what, { context }) : undefined;
  };
}

/** The shared HTTP settings of a Zendesk source. */
export function zendeskHttp(config: ZendeskConfig, sourceName: string): SourceHttp {
  let auth: AuthSpec;
  let credentials: string;
  if (config.auth.kind === 'apiToken') {
    const value = config.auth.apiToken;
    const env = envNameOf(value);
    auth = { kind: 'basic', username: `${config.auth.email}/token`, password: value, ...(env ? { credentialsEnv: env } : {}) };
    credentials = `check the API token in ${env ? `env var ${env}` : `sources.${sourceName}.auth.apiToken`} and that ${config.auth.email} is an active agent or admin`;
  } else {
    const value = config.auth.accessToken;
    const env = envNameOf(value);
    auth = { kind: 'bearer', token: value, ...(env ? { credentialsEnv: env } : {}) };
    credentials = `check the OAuth access token in ${env ? `env var ${env}` : `sources.${sourceName}.auth.accessToken`} (it may be revoked, or lack the read scope)`;
  }
  return {
    baseUrl: config.baseUrl ?? `https://${config.subdomain}.zendesk.com`,
    auth,
    budget: { requests: config.requestsPerMinute, perMs: 60_000 },
    concurrency: 4,
    // An export 429 asks for up to 60 s; a policy that stops at 30 s would give up instead of waiting.
    retry: { maxRetries: 6, baseDelayMs: 1_000, maxDelayMs: 65_000 },
    classifyError: classifyZendeskError(credentials),
  };
}
