/**
 * URL handling for the HTTP toolkit: joining request paths to a source's base URL, keeping
 * server-supplied URLs on the source's origin, and rendering URLs safe for errors and logs.
 */
import { TerminalError, type ErrorContext } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';
import type { RequestSpec } from './types.ts';

// A scheme ("https:") or a protocol-relative "//host" makes a path absolute.
const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

// Query parameters whose values are credentials on common APIs (Graph puts `access_token` in
// its `paging.next` links); their values never reach a message.
const SECRET_PARAM = /token|secret|password|passwd|api[-_]?key|apikey|signature|credential|^(?:key|sig|auth|code)$/i;

/**
 * Resolves `request.path` against `baseUrl` and adds `request.query`.
 *
 * A relative path is appended to the base URL's path (`https://graph.facebook.com/v19.0` +
 * `/me/posts`), unlike WHATWG resolution, which would drop `/v19.0`. An absolute URL must stay
 * on the base URL's origin, or equal `allowedUrl` (the OAuth token URL): a next-page URL pointing
 * elsewhere would carry the source's credentials to another host.
 */
export function resolveRequestUrl(baseUrl: string, request: RequestSpec, context: ErrorContext, allowedUrl?: string): URL {
  const base = new URL(baseUrl);
  let url: URL;
  if (ABSOLUTE.test(request.path)) {
    url = new URL(request.path, base);
    if (url.origin !== base.origin && url.href !== allowedUrl) {
      throw new TerminalError(`refusing to send a request to ${redactUrl(url)}: it is not on ${base.origin}, the origin of the source's base URL`, {
        context: { ...context, url: redactUrl(url) },
        hint: 'a next-page URL pointing to another host would leak credentials; check the base URL and the paginator',
      });
    }
  } else {
    const joined = base.pathname.replace(/\/+$/, '') + '/' + request.path.replace(/^\/+/, '');
    url = new URL(base.origin + joined);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TerminalError(`refusing to send a request to ${redactUrl(url)}: only http and https are supported`, { context });
  }
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/**
 * Renders `url` for messages: user info dropped, values of credential-like query parameters
 * (and of `secretParams`) replaced by `[redacted]`, registered secrets masked.
 */
export function redactUrl(url: URL | string, secretParams: readonly string[] = []): string {
  let copy: URL;
  try {
    copy = new URL(String(url));
  } catch {
    return redact(String(url));
  }
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  const query = [...copy.searchParams]
    .map(([name, value]) => `${encodeURIComponent(name)}=${SECRET_PARAM.test(name) || secretParams.includes(name) ? '[redacted]' : encodeURIComponent(value)}`)
    .join('&');
  copy.search = '';
  return redact(query ? `${copy.href}?${query}` : copy.href);
}
