/**
 * Applies a source's `AuthSpec` to outgoing requests: static credentials (bearer, API key,
 * basic) and OAuth2 client credentials with a cached, shared, self-refreshing access token.
 */
import { TerminalError, type ErrorContext } from '../../core/errors.ts';
import { registerSecret } from '../../core/redact.ts';
import type { AuthSpec, RawResponse } from './types.ts';

/** Adds credentials to requests and tells the client what to do on a 401. */
export interface Authenticator {
  /**
   * Adds credentials to `url` and `headers` (lower-case names); returns the credential used, so
   * a 401 can invalidate exactly that one.
   */
  apply(url: URL, headers: Record<string, string>): Promise<string | undefined>;
  /**
   * Forgets `credential` if it is still the current one; true when a fresh credential can be
   * fetched, i.e. the request is worth sending once more (OAuth2 only).
   */
  invalidate(credential: string | undefined): boolean;
  /** Query parameter names that carry credentials, for redacting URLs. */
  readonly secretParams: readonly string[];
}

/** Effects the authenticator needs: a way to POST the token form, and a clock. */
export interface AuthDeps {
  /** POSTs `form` (urlencoded) to `tokenUrl` with `headers`; retried and classified by the caller. */
  postForm(tokenUrl: string, form: URLSearchParams, headers: Record<string, string>): Promise<RawResponse>;
  now(): number;
  context: ErrorContext;
}

/** Creates the authenticator for `spec`, registering its secrets for redaction. */
export function createAuthenticator(spec: AuthSpec, deps: AuthDeps): Authenticator {
  switch (spec.kind) {
    case 'none':
      return staticAuth(() => undefined);
    case 'bearer':
      registerSecret(spec.token);
      return staticAuth((_url, headers) => {
        headers['authorization'] = `Bearer ${spec.token}`;
        return spec.token;
      });
    case 'apiKey':
      registerSecret(spec.value);
      return staticAuth((url, headers) => {
        if (spec.in === 'query') url.searchParams.set(spec.name, spec.value);
        else headers[spec.name.toLowerCase()] = spec.value;
        return spec.value;
      }, spec.in === 'query' ? [spec.name] : []);
    case 'basic': {
      registerSecret(spec.password);
      const encoded = Buffer.from(`${spec.username}:${spec.password}`).toString('base64');
      registerSecret(encoded);
      return staticAuth((_url, headers) => {
        headers['authorization'] = `Basic ${encoded}`;
        return encoded;
      });
    }
    case 'oauth2ClientCredentials':
      return oauth2ClientCredentials(spec, deps);
  }
}

function staticAuth(apply: (url: URL, headers: Record<string, string>) => string | undefined, secretParams: string[] = []): Authenticator {
  return {
    apply: async (url, headers) => apply(url, headers),
    // A static credential does not get better by asking again.
    invalidate: () => false,
    secretParams,
  };
}

interface CachedToken {
  value: string;
  /** Clock time after which the token is fetched again. */
  refreshAt: number;
}

type OAuth2Spec = Extract<AuthSpec, { kind: 'oauth2ClientCredentials' }>;

function oauth2ClientCredentials(spec: OAuth2Spec, deps: AuthDeps): Authenticator {
  registerSecret(spec.clientSecret);
  let cached: CachedToken | undefined;
  // One fetch in flight at a time: concurrent requests wait for the same token.
  let pending: Promise<CachedToken> | undefined;

  const token = async (): Promise<string> => {
    if (cached && deps.now() < cached.refreshAt) return cached.value;
    pending ??= fetchToken(spec, deps).finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached.value;
  };

  return {
    async apply(_url, headers) {
      const value = await token();
      headers['authorization'] = `Bearer ${value}`;
      return value;
    },
    invalidate(credential) {
      // Only the first of several concurrent 401s drops the token; the rest reuse the new one.
      if (cached && cached.value === credential) cached = undefined;
      return true;
    },
    secretParams: [],
  };
}

async function fetchToken(spec: OAuth2Spec, deps: AuthDeps): Promise<CachedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (spec.scope) form.set('scope', spec.scope);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (spec.clientAuth === 'basic') {
    const encoded = Buffer.from(`${encodeURIComponent(spec.clientId)}:${encodeURIComponent(spec.clientSecret)}`).toString('base64');
    registerSecret(encoded);
    headers['authorization'] = `Basic ${encoded}`;
  } else {
    form.set('client_id', spec.clientId);
    form.set('client_secret', spec.clientSecret);
  }
  const requestedAt = deps.now();
  const response = await deps.postForm(spec.tokenUrl, form, headers);
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(response.body.toString('utf8')) as typeof body;
  } catch (cause) {
    throw new TerminalError('the OAuth2 token endpoint returned a body that is not JSON', { cause, context: deps.context });
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new TerminalError('the OAuth2 token endpoint returned no access_token', {
      context: deps.context,
      hint: 'check the token URL and the grant the client is allowed',
    });
  }
  registerSecret(body.access_token);
  const lifetimeMs = Number(body.expires_in) * 1000;
  // Refresh a little early (10% of the lifetime, at most a minute) so a token never expires in flight.
  const refreshAt = Number.isFinite(lifetimeMs) && lifetimeMs > 0
    ? requestedAt + lifetimeMs - Math.min(60_000, lifetimeMs / 10)
    : Number.POSITIVE_INFINITY;
  return { value: body.access_token, refreshAt };
}
