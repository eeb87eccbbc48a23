/**
 * A small JSON API on 127.0.0.1 for engine tests: `/items` pages through a deterministic list of
 * records with a cursor in the body, filters by `since`, and can be told to misbehave.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One record as the API serves it. */
export interface ApiItem {
  id: string;
  updated_at: string;
  likes: number | string;
  message: string;
  [extra: string]: unknown;
}

/** Knobs for the test API. */
export interface ApiOptions {
  items: ApiItem[];
  pageSize?: number;
  /** Milliseconds to wait before answering each page (to let a test kill a client mid-load). */
  delayMs?: number;
  /** Pages whose cursor is at or past this record index are refused with 400 (a read that fails part-way). */
  failFrom?: number;
}

/** A running test API. */
export interface TestApi {
  url: string;
  requests: string[];
  items: ApiItem[];
  close(): Promise<void>;
}

/** Builds `n` records, one an hour from 2026-01-01, deterministic. */
export function makeItems(n: number, start = Date.UTC(2026, 0, 1)): ApiItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `item_${String(i).padStart(6, '0')}`,
    updated_at: new Date(start + i * 3_600_000).toISOString(),
    likes: (i * 7) % 101,
    message: `message ${i} with "quotes", commas, {braces} and ünïcödé ✓`,
  }));
}

/** Starts the test API on an ephemeral port. */
export async function startTestApi(options: ApiOptions): Promise<TestApi> {
  const requests: string[] = [];
  const pageSize = options.pageSize ?? 100;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const reply = () => {
      if (url.pathname !== '/items') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const since = url.searchParams.get('since') ?? '';
      const until = url.searchParams.get('until') ?? '\uffff';
      const after = Number(url.searchParams.get('after') ?? '0');
      if (options.failFrom !== undefined && after >= options.failFrom) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"cursor expired"}');
        return;
      }
      const matching = options.items.filter((i) => i.updated_at >= since && i.updated_at < until);
      const page = matching.slice(after, after + pageSize);
      const next = after + pageSize < matching.length ? String(after + pageSize) : null;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: page, paging: { next_cursor: next } }));
    };
    if (options.delayMs) setTimeout(reply, options.delayMs);
    else reply();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    items: options.items,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The REST source config that reads the test API. */
export function itemsSourceConfig(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'rest',
    baseUrl: url,
    retries: 2,
    streams: {
      items: {
        path: '/items',
        query: { since: '{since}' },
        recordPath: 'data',
        primaryKey: 'id',
        paginator: { kind: 'cursor', cursorPath: 'paging.next_cursor', param: 'after' },
        cursor: { field: 'updated_at', initial: '2025-12-01T00:00:00.000Z', lookbackDays: 2 },
        fields: { id: { type: 'string', required: true }, updated_at: { type: 'timestamp', required: true }, likes: { type: 'integer', min: 0 }, message: 'string' },
      },
    },
    ...extra,
  };
}
