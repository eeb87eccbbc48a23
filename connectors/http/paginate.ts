/**
 * Walks a stream's pages: sends the first request, splits each body into envelope and NDJSON
 * records without parsing the records, and derives the next request from the paginator spec
 * until the API says there is no more — or a loop or the page cap says stop.
 */
import { TerminalError, TransientError, type ErrorContext } from '../../core/errors.ts';
import { PageShapeError, peekEnvelope, splitPage, type KeyTracker } from '../load/json-records.ts';
import { BodyBufferPool, type BodyBuffer } from './body-buffer.ts';
import type { HttpClient, PageView, PaginatorSpec, RawResponse, RequestSpec } from './types.ts';
import { redactUrl } from './url.ts';

/** One page of a stream. */
export interface Page {
  /** The records as NDJSON bytes, one object a line. */
  ndjson: Uint8Array;
  count: number;
  /** The body with the record array emptied, parsed. */
  envelope: unknown;
  /** The response; its body was rewritten in place by the split (commas between records became newlines). */
  response: RawResponse;
}

/** Options for `paginate`. */
export interface PaginateOptions {
  /** Stops with a `TerminalError` after this many pages, whatever the paginator says (default 100,000). */
  maxPages?: number;
  /** Collects the field names the records carry (for schema drift), cheaply, during the split. */
  keys?: KeyTracker;
  /** Pages fetched side by side when the paginator allows it (an offset walk with a known total). */
  prefetch?: number;
  /**
   * Reads bodies into a small pool of buffers that later pages reuse, instead of a new buffer a
   * page: a page's bytes (`ndjson`, `response.body`) are then valid only until the walk is asked
   * for the next page. For consumers that copy each page out (the extractor writes it to its batch file).
   */
  reuseBodies?: boolean;
}

/** The page cap when a caller sets none. */
export const DEFAULT_MAX_PAGES = 100_000;

// A truncated or non-JSON body: worth fetching again, but terminal once the retries are spent.
class BodyShapeError extends TransientError {
  override name = 'BodyShapeError';
}

/**
 * Yields the pages of one stream read, starting at `first`. Records are found at `recordPath`
 * (`[]` when the body is the array). A body that is not JSON is fetched again within the
 * client's retry policy, then fails with a `TerminalError`; a request repeated within one walk
 * (the same cursor twice) fails with a `TerminalError` instead of looping.
 */
export async function* paginate(
  client: HttpClient,
  first: RequestSpec,
  paginator: PaginatorSpec,
  recordPath: string[],
  context: ErrorContext = {},
  options: PaginateOptions = {},
): AsyncGenerator<Page, void, undefined> {
  const source = context.source ?? client.source ?? 'source';
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let request: RequestSpec | undefined = firstRequest(first, paginator);
  let previousUrl: string | undefined;
  // Pages asked for before the walk reached them: when a cursor or next link can be read from a
  // body without splitting it, the next request goes out while this page is split and loaded.
  const ahead = new Map<string, Promise<Page>>();
  const pool = options.reuseBodies ? new BodyBufferPool() : undefined;
  const held = new Map<Page, BodyBuffer>();
  const fetchOne = async (next: RequestSpec, onBody?: (response: RawResponse) => void): Promise<Page> => {
    const into = pool?.take();
    try {
      const page = await fetchPage(client, next, recordPath, { ...context, source }, options.keys, onBody, into);
      if (into) held.set(page, into);
      return page;
    } catch (error) {
      if (into) pool!.give(into);
      throw error;
    }
  };
  const release = (page: Page | undefined): void => {
    const buffer = page && held.get(page);
    if (!buffer) return;
    held.delete(page);
    pool!.give(buffer);
  };
  const speculate = (current: RequestSpec) => (response: RawResponse) => {
    if (!SPECULATIVE.has(paginator.kind)) return;
    // The page whose body this is is about to be walked; it does not count as ahead.
    if (ahead.size - (ahead.has(requestKey(current)) ? 1 : 0) >= MAX_PAGES_AHEAD) return;
    const envelope = paginator.kind === 'linkHeader' ? {} : peekEnvelope(response.body, recordPath);
    if (envelope === undefined) return;
    let next: RequestSpec | undefined;
    try {
      next = nextRequest(paginator, current, { envelope, count: 0, ndjson: EMPTY, response }, 0, { ...context, source });
    } catch {
      return; // the walk itself will meet and report the problem
    }
    if (!next) return;
    const key = requestKey(next);
    if (seen.has(key) || ahead.has(key)) return;
    const pending = fetchOne(next, speculate(next));
    // A failure surfaces when the walk awaits this page; meanwhile it must not count as unhandled.
    pending.catch(() => undefined);
    ahead.set(key, pending);
  };
  let previousBody: Buffer | undefined;
  let previousPage: Page | undefined;
  for (let pages = 1; request; pages++) {
    const key = requestKey(request);
    if (seen.has(key)) {
      const url = redactUrl(previousUrl ?? request.path);
      throw new TerminalError(`paging loop: ${source} returned the same cursor twice at ${url}`, {
        context: { ...context, source, url },
        hint: `the API repeated a page; check the paginator (${paginator.kind}) declared for this stream`,
      });
    }
    seen.add(key);
    if (pages > maxPages) {
      throw new TerminalError(`${source} returned more than ${maxPages} pages; stopping`, {
        context: { ...context, source, url: redactUrl(previousUrl ?? request.path) },
        hint: 'a paginator that never stops is likely; raise maxPages only if the stream really has that many pages',
      });
    }
    const early = ahead.get(key);
    ahead.delete(key);
    const page = await (early ?? fetchOne(request, speculate(request)));
    // Offset and page-number walks never repeat a request, so a repeated page shows only in the
    // body: the same records again would silently stand in for the page that was asked for.
    // (Byte comparison runs only when the lengths match, so it costs nothing on the usual path.)
    const body = page.response.body;
    const walksByPosition = paginator.kind === 'offset' || paginator.kind === 'pageNumber';
    if (walksByPosition && page.count > 0 && previousBody && previousBody.length === body.length && previousBody.equals(body)) {
      throw new TerminalError(`paging loop: ${source} returned the same page twice in a row at ${redactUrl(page.response.url)}`, {
        context: { ...context, source, url: redactUrl(page.response.url) },
        hint: `the API repeated a page; check the paginator (${paginator.kind}) declared for this stream`,
      });
    }
    previousBody = page.count > 0 ? body : undefined;
    // The page before this one was compared above: its buffer is free (this one's is held until the next comparison).
    release(previousPage);
    previousPage = page;
    yield page;
    previousUrl = page.response.url;
    // An offset walk whose total is known can fetch the remaining pages side by side.
    const rest = parallelOffsets(paginator, request, page, options.prefetch ?? 1);
    if (rest) {
      release(page);
      yield* fetchInParallel(rest, fetchOne, release, options.prefetch ?? 1);
      return;
    }
    request = nextRequest(paginator, request, page, pages, { ...context, source });
  }
}

/** The requests of every remaining page of an offset walk with a known total, or undefined. */
function parallelOffsets(paginator: PaginatorSpec, request: RequestSpec, page: Page, prefetch: number): RequestSpec[] | undefined {
  if (prefetch <= 1 || paginator.kind !== 'offset' || !paginator.totalPath || page.count === 0) return undefined;
  const total = numberAt(page.envelope, paginator.totalPath);
  if (total === undefined) return undefined;
  // Only when the API honours our page size: a capped page size would leave gaps between offsets.
  if (page.count < paginator.limit && startOffset(request, paginator) + page.count < total) return undefined;
  const requests: RequestSpec[] = [];
  for (let offset = startOffset(request, paginator) + paginator.limit; offset < total; offset += paginator.limit) requests.push(withOffset(request, paginator, offset));
  return requests;
}

/** Fetches pages with up to `width` in flight, yielding them in order; each page is released once the consumer is done with it. */
async function* fetchInParallel(requests: RequestSpec[], fetchOne: (request: RequestSpec) => Promise<Page>, release: (page: Page) => void, width: number): AsyncGenerator<Page, void, undefined> {
  const inFlight: Promise<Page>[] = [];
  let next = 0;
  const launch = () => {
    while (inFlight.length < width && next < requests.length) {
      const pending = fetchOne(requests[next++]!);
      // Failures surface when the page is awaited in order; this only keeps them from being unhandled meanwhile.
      pending.catch(() => undefined);
      inFlight.push(pending);
    }
  };
  launch();
  while (inFlight.length > 0) {
    const page = await inFlight.shift()!;
    launch();
    yield page;
    release(page);
  }
}

/** Paginators whose next request can be read from a page before its records are split. */
const SPECULATIVE = new Set<PaginatorSpec['kind']>(['cursor', 'nextUrl', 'linkHeader']);
/** Pages requested ahead of the walk at most (bounds memory when loading is slower than fetching). */
const MAX_PAGES_AHEAD = 1;
const EMPTY = new Uint8Array(0);

async function fetchPage(client: HttpClient, request: RequestSpec, recordPath: string[], context: ErrorContext, keys?: KeyTracker, onBody?: (response: RawResponse) => void, into?: BodyBuffer): Promise<Page> {
  const where = recordPath.join('.') || '(body)';
  // A fake client without sendAndRead still pages; it just cannot re-fetch a bad body (nor read into a pooled buffer).
  const sendAndRead = client.sendAndRead?.bind(client) ?? (<T>(r: RequestSpec, read: (response: RawResponse) => T, c: ErrorContext) => client.send(r, c).then(read));
  try {
    return await sendAndRead(
      request,
      (response) => {
        // Only 2xx bodies reach here (the client turns the rest into errors).
        onBody?.(response);
        try {
          return { ...splitPage(response.body, recordPath, keys), response };
        } catch (cause) {
          if (!(cause instanceof PageShapeError)) throw cause;
          throw new BodyShapeError(`the API returned a body that is not JSON at "${where}" (${cause.message})`, {
            cause,
            context: { ...context, url: redactUrl(response.url) },
          });
        }
      },
      context,
      into ? { into } : {},
    );
  } catch (error) {
    if (!(error instanceof BodyShapeError)) throw error;
    // The retries are spent: the API keeps sending bodies we cannot read, which needs a person.
    const url = error.context.url ?? redactUrl(request.path);
    throw new TerminalError(`${context.source} ${url}: the API returned a body that is not JSON at "${where}"`, {
      cause: error.cause,
      context: error.context,
      hint: 'check the record path declared for this stream, or whether the API is sending errors with status 200',
    });
  }
}

/** Wraps a split page as the `PageView` paginators read. */
export function pageView(page: Page): PageView {
  return {
    headers: page.response.headers,
    envelope: page.envelope,
    count: page.count,
    lastRecord: () => lastRecord(page.ndjson),
  };
}

/** Parses only the last line of an NDJSON buffer (the page's last record); undefined when empty. */
export function lastRecord(ndjson: Uint8Array): Record<string, unknown> | undefined {
  let end = ndjson.length;
  while (end > 0 && (ndjson[end - 1] === 10 || ndjson[end - 1] === 13 || ndjson[end - 1] === 32)) end--;
  if (end === 0) return undefined;
  const start = ndjson.lastIndexOf(10, end - 1) + 1;
  const value: unknown = JSON.parse(Buffer.from(ndjson.buffer, ndjson.byteOffset + start, end - start).toString('utf8'));
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads the value at `path` inside a parsed envelope; undefined when any step is missing. */
export function valueAt(envelope: unknown, path: readonly string[]): unknown {
  let current = envelope;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Parses an RFC 8288 `Link` header and returns the target of `rel="next"`, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return undefined;
  // Each link is `<uri>; param=value; ...`; URIs may contain commas, so match bracketed URIs.
  for (const match of text.matchAll(/<([^>]*)>((?:\s*;\s*[\w*.-]+\s*(?:=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g)) {
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return match[1];
  }
  return undefined;
}

/** Sets the paging parameters of the first request, so page one asks for what the paginator expects. */
function firstRequest(first: RequestSpec, paginator: PaginatorSpec): RequestSpec {
  switch (paginator.kind) {
    case 'offset':
      return withOffset(first, paginator, startOffset(first, paginator));
    case 'pageNumber':
      return withQuery(first, {
        [paginator.pageParam]: paginator.start ?? 1,
        ...(paginator.sizeParam && paginator.size !== undefined ? { [paginator.sizeParam]: paginator.size } : {}),
      });
    default:
      return first;
  }
}

type OffsetSpec = Extract<PaginatorSpec, { kind: 'offset' }>;

function startOffset(request: RequestSpec, paginator: OffsetSpec): number {
  const raw = paginator.in === 'body' ? valueAt(request.json, [paginator.offsetParam]) : request.query?.[paginator.offsetParam];
  const offset = Number(raw ?? 0);
  return Number.isFinite(offset) ? offset : 0;
}

function withOffset(request: RequestSpec, paginator: OffsetSpec, offset: number): RequestSpec {
  const params = { [paginator.offsetParam]: offset, [paginator.limitParam]: paginator.limit };
  if (paginator.in !== 'body') return withQuery(request, params);
  const body = request.json !== null && typeof request.json === 'object' ? (request.json as Record<string, unknown>) : {};
  return { ...request, method: request.method ?? 'POST', json: { ...body, ...params } };
}

function withQuery(request: RequestSpec, params: Record<string, string | number>): RequestSpec {
  return { ...request, query: { ...request.query, ...params } };
}

/** A followed URL carries its own query; the first request's query would override it (Shopify rejects that). */
function followUrl(request: RequestSpec, target: string, base: string): RequestSpec {
  const { query: _dropped, ...rest } = request;
  return { ...rest, path: new URL(target, base).href };
}

/** Returns the request for the page after `page`, or undefined when the walk is done. */
function nextRequest(paginator: PaginatorSpec, request: RequestSpec, page: Page, pagesFetched: number, context: ErrorContext): RequestSpec | undefined {
  const view = pageView(page);
  switch (paginator.kind) {
    case 'none':
      return undefined;
    case 'cursor': {
      if (paginator.hasMorePath && valueAt(view.envelope, paginator.hasMorePath) === false) return undefined;
      const cursor = valueAt(view.envelope, paginator.cursorPath);
      if (cursor === undefined || cursor === null || cursor === '') return undefined;
      return withQuery(request, { [paginator.param]: typeof cursor === 'number' ? cursor : String(cursor) });
    }
    case 'nextUrl': {
      const next = valueAt(view.envelope, paginator.path);
      return typeof next === 'string' && next !== '' ? followUrl(request, next, page.response.url) : undefined;
    }
    case 'linkHeader': {
      const next = nextLink(view.headers['link']);
      return next ? followUrl(request, next, page.response.url) : undefined;
    }
    case 'offset': {
      if (view.count === 0) return undefined;
      // A page holding more records than asked for (records repeated as data shifts) must not push
      // the offset past records never read.
      const offset = startOffset(request, paginator) + Math.min(view.count, paginator.limit);
      const total = numberAt(view.envelope, paginator.totalPath);
      // A known total wins over page length: APIs that cap the limit below ours return "short" pages mid-way.
      if (total !== undefined ? offset >= total : view.count < paginator.limit) return undefined;
      return withOffset(request, paginator, offset);
    }
    case 'pageNumber': {
      if (view.count === 0) return undefined;
      const totalPages = numberAt(view.envelope, paginator.totalPagesPath);
      if (totalPages !== undefined ? pagesFetched >= totalPages : paginator.size !== undefined && view.count < paginator.size) return undefined;
      const current = Number(request.query?.[paginator.pageParam] ?? paginator.start ?? 1);
      return withQuery(request, { [paginator.pageParam]: current + 1 });
    }
    case 'startingAfter': {
      if (valueAt(view.envelope, paginator.hasMorePath) !== true) return undefined;
      const id = view.lastRecord()?.[paginator.idField];
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw new TerminalError(`the API says there are more pages, but the last record on this page has no "${paginator.idField}"`, {
          context: { ...context, url: redactUrl(page.response.url) },
          hint: 'check the idField declared for this stream',
        });
      }
      return withQuery(request, { [paginator.param]: id });
    }
  }
}

function numberAt(envelope: unknown, path: readonly string[] | undefined): number | undefined {
  if (!path) return undefined;
  const value = valueAt(envelope, path);
  // Totals arrive as numbers or, for int64 fields (GA4 rowCount), sometimes as strings.
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** Identifies a request by what goes on the wire, so a repeat is recognised however it was built. */
function requestKey(request: RequestSpec): string {
  const query = Object.entries(request.query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, String(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return JSON.stringify([request.method ?? (request.json === undefined ? 'GET' : 'POST'), request.path, query, request.json ?? null]);
}
