/**
 * Paging helpers shared by the fakes: opaque cursors, offset slices, RFC 8288 `Link` headers and
 * next-page URLs, so every fake pages the way its real API does without re-inventing it.
 */

/** Encodes any JSON value as an opaque base64url cursor (what Graph `after` or Shopify `page_info` look like). */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; returns undefined for anything else, so a fake can answer 400. */
export function decodeCursor<T = unknown>(cursor: string | null | undefined): T | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** One page of a list cut by offset and limit. */
export interface OffsetPage<T> {
  records: T[];
  /** Offset of the next page, or null on the last page. */
  nextOffset: number | null;
}

/** Cuts `items` at `offset` for `limit` items. */
export function offsetPage<T>(items: readonly T[], offset: number, limit: number): OffsetPage<T> {
  const start = Math.max(0, Math.floor(offset));
  const size = Math.max(1, Math.floor(limit));
  const records = items.slice(start, start + size);
  return { records, nextOffset: start + size < items.length ? start + size : null };
}

/** One page of a list cut by an opaque cursor. */
export interface CursorPage<T> {
  records: T[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** Cursor of the previous page, or null on the first page. */
  previousCursor: string | null;
}

/** Cuts `items` at an opaque cursor (an encoded offset) for `limit` items; an invalid cursor throws `RangeError`. */
export function cursorPage<T>(items: readonly T[], cursor: string | null | undefined, limit: number): CursorPage<T> {
  let offset = 0;
  if (cursor) {
    const decoded = decodeCursor<{ offset?: unknown }>(cursor);
    if (!decoded || typeof decoded.offset !== 'number') throw new RangeError(`invalid cursor "${cursor}"`);
    offset = decoded.offset;
  }
  const page = offsetPage(items, offset, limit);
  return {
    records: page.records,
    nextCursor: page.nextOffset === null ? null : encodeCursor({ offset: page.nextOffset }),
    previousCursor: offset > 0 ? encodeCursor({ offset: Math.max(0, offset - limit) }) : null,
  };
}

/** Builds an RFC 8288 `Link` header value: `<url>; rel="next", <url>; rel="previous"`. */
export function buildLinkHeader(links: Partial<Record<'next' | 'previous' | 'first' | 'last', string | null>>): string {
  return Object.entries(links)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0)
    .map(([rel, url]) => `<${url}>; rel="${rel}"`)
    .join(', ');
}

/** Parses a `Link` header into `{ rel: url }` (for tests and clients of the fakes). */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part);
    if (match?.[1] !== undefined && match[2] !== undefined) out[match[2]] = match[1];
  }
  return out;
}

/** Builds an absolute URL on the fake server from a path and query values (undefined values are left out). */
export function urlWith(baseUrl: string, path: string, query: Record<string, string | number | boolean | null | undefined> = {}): string {
  const url = new URL(path, baseUrl);
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  return url.toString();
}
