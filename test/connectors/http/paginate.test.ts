import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TerminalError } from '../../../core/errors.ts';
import { BodyBuffer } from '../../../connectors/http/body-buffer.ts';
import { lastRecord, nextLink, paginate, type Page, type PaginateOptions } from '../../../connectors/http/paginate.ts';
import type { HttpClient, PaginatorSpec, RequestSpec } from '../../../connectors/http/types.ts';
import { Agent, fakeTime, json, startServer, testClient, type TestServer } from './helpers.ts';

let server: TestServer;
let other: TestServer;
let agent: Agent;

beforeAll(async () => {
  server = await startServer();
  other = await startServer();
  agent = new Agent();
});

afterAll(async () => {
  await agent.close();
  await server.close();
  await other.close();
});

/** Records 1..n as `{ id }` objects. */
const records = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => ({ id: from + i }));

async function collect(client: HttpClient, first: RequestSpec, paginator: PaginatorSpec, recordPath: string[], options?: PaginateOptions): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of paginate(client, first, paginator, recordPath, { stream: 'items' }, options)) pages.push(page);
  return pages;
}

/** The ids on every page, decoded from the NDJSON bytes. */
const ids = (pages: Page[]) =>
  pages.map((p) => new TextDecoder().decode(p.ndjson).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: number }).id));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('paginators', () => {
  it('none: reads one page', async () => {
    server.route('/api/single', (_req, res) => json(res, { data: records(1, 3), meta: { total: 3 } }));
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/single' }, { kind: 'none' }, ['data']);
    expect(ids(pages)).toEqual([[1, 2, 3]]);
    expect(pages[0]!.count).toBe(3);
    expect(pages[0]!.envelope).toEqual({ data: [], meta: { total: 3 } });
    expect(new TextDecoder().decode(pages[0]!.ndjson)).toBe('{"id":1}\n{"id":2}\n{"id":3}\n');
  });

  it('cursor: sends the cursor back until it is missing (Graph)', async () => {
    server.route('/api/graph-posts', (req, res) => {
      const after = req.query.get('after');
      if (!after) return json(res, { data: records(1, 2), paging: { cursors: { after: 'c2' } } });
      if (after === 'c2') return json(res, { data: records(3, 4), paging: { cursors: { after: 'c4' } } });
      json(res, { data: records(5, 5), paging: { cursors: {} } });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/graph-posts', query: { limit: 2 } }, { kind: 'cursor', cursorPath: ['paging', 'cursors', 'after'], param: 'after' }, ['data']);
    expect(ids(pages)).toEqual([[1, 2], [3, 4], [5]]);
    expect(server.hits('/api/graph-posts').map((r) => r.url)).toEqual(['/api/graph-posts?limit=2', '/api/graph-posts?limit=2&after=c2', '/api/graph-posts?limit=2&after=c4']);
  });

  it('cursor: stops when has_more is false even with a cursor (Zendesk)', async () => {
    server.route('/api/tickets', (req, res) =>
      req.query.get('page[after]') ? json(res, { tickets: records(3, 3), meta: { has_more: false, after_cursor: 'x2' } }) : json(res, { tickets: records(1, 2), meta: { has_more: true, after_cursor: 'x1' } }));
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/tickets' }, { kind: 'cursor', cursorPath: ['meta', 'after_cursor'], param: 'page[after]', hasMorePath: ['meta', 'has_more'] }, ['tickets']);
    expect(ids(pages)).toEqual([[1, 2], [3]]);
  });

  it('nextUrl: follows absolute and relative next links, dropping the first query', async () => {
    server.route('/api/links', (req, res) => {
      const page = Number(req.query.get('page') ?? 1);
      const next = page === 1 ? `${server.origin}/api/links?page=2` : page === 2 ? 'links?page=3' : null;
      json(res, { results: records(page, page), links: { next } });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/links', query: { filter: 'x' } }, { kind: 'nextUrl', path: ['links', 'next'] }, ['results']);
    expect(ids(pages)).toEqual([[1], [2], [3]]);
    expect(server.hits('/api/links').map((r) => r.url)).toEqual(['/api/links?filter=x', '/api/links?page=2', '/api/links?page=3']);
  });

  it('nextUrl: refuses a next link on another origin', async () => {
    other.route('/api/links', (_req, res) => json(res, { results: [] }));
    server.route('/api/evil-links', (_req, res) => json(res, { results: records(1, 1), links: { next: `${other.origin}/api/links?page=2` } }));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'bearer', token: 'tok-evil-1' } });
    const error = await rejection(collect(client, { path: '/evil-links' }, { kind: 'nextUrl', path: ['links', 'next'] }, ['results']));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toContain(`not on ${server.origin}`);
    expect(other.requests).toHaveLength(0);
  });

  it('linkHeader: follows rel="next" (Shopify page_info)', async () => {
    server.route('/api/orders.json', (req, res) => {
      const info = req.query.get('page_info');
      const base = `${server.origin}/api/orders.json?limit=2`;
      if (!info) return json(res, { orders: records(1, 2) }, 200, { link: `<${base}&page_info=p2>; rel="next"` });
      if (info === 'p2') return json(res, { orders: records(3, 4) }, 200, { link: `<${base}&page_info=p1>; rel="previous", <${base}&page_info=p3>; rel="next"` });
      json(res, { orders: records(5, 5) }, 200, { link: `<${base}&page_info=p2>; rel="previous"` });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/orders.json', query: { limit: 2, status: 'any' } }, { kind: 'linkHeader' }, ['orders']);
    expect(ids(pages)).toEqual([[1, 2], [3, 4], [5]]);
    // Shopify rejects filters next to page_info, so only the link's own query is sent.
    expect(server.hits('/api/orders.json')[1]!.url).toBe('/api/orders.json?limit=2&page_info=p2');
  });

  it('offset in the query: stops at a short page', async () => {
    server.route('/api/offset', (req, res) => {
      const offset = Number(req.query.get('offset'));
      const limit = Number(req.query.get('limit'));
      json(res, records(offset + 1, Math.min(offset + limit, 7)));
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/offset' }, { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 3 }, []);
    expect(ids(pages)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('offset in the query: stops at the total without fetching an empty page', async () => {
    server.route('/api/offset-total', (req, res) => {
      const offset = Number(req.query.get('offset'));
      json(res, { items: records(offset + 1, Math.min(offset + 3, 6)), total: 6 });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/offset-total' }, { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 3, totalPath: ['total'] }, ['items']);
    expect(ids(pages)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(server.hits('/api/offset-total')).toHaveLength(2);
  });

  it('offset with a total keeps going when the API caps the page below the limit', async () => {
    server.route('/api/offset-capped', (req, res) => {
      const offset = Number(req.query.get('offset'));
      json(res, { items: records(offset + 1, Math.min(offset + 2, 5)), total: '5' });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/offset-capped' }, { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 100, totalPath: ['total'] }, ['items']);
    expect(ids(pages)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('offset in a JSON body: GA4 runReport with rowCount', async () => {
    server.route('/api/properties/123:runReport', (req, res) => {
      const body = JSON.parse(req.body) as { offset: number; limit: number; dimensions: unknown };
      expect(body.dimensions).toEqual([{ name: 'sessionSource' }]);
      const rows = records(body.offset + 1, Math.min(body.offset + body.limit, 5)).map((r) => ({ dimensionValues: [{ value: `s${r.id}` }], id: r.id }));
      // GA4 omits `rows` when there are none.
      json(res, { dimensionHeaders: [{ name: 'sessionSource' }], ...(rows.length ? { rows } : {}), rowCount: 5 });
    });
    const pages = await collect(
      testClient(server, agent, fakeTime()),
      { method: 'POST', path: '/properties/123:runReport', json: { dimensions: [{ name: 'sessionSource' }] } },
      { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 2, in: 'body', totalPath: ['rowCount'] },
      ['rows'],
    );
    expect(ids(pages)).toEqual([[1, 2], [3, 4], [5]]);
    expect(server.hits('/api/properties/123:runReport').map((r) => (JSON.parse(r.body) as { offset: number }).offset)).toEqual([0, 2, 4]);
  });

  it('pageNumber: stops at a short page', async () => {
    server.route('/api/paged', (req, res) => {
      const page = Number(req.query.get('page'));
      const size = Number(req.query.get('per_page'));
      json(res, { items: records((page - 1) * size + 1, Math.min(page * size, 5)) });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/paged' }, { kind: 'pageNumber', pageParam: 'page', sizeParam: 'per_page', size: 2 }, ['items']);
    expect(ids(pages)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('pageNumber: stops at the total page count, or at an empty page', async () => {
    server.route('/api/paged-total', (req, res) => {
      const page = Number(req.query.get('p'));
      json(res, { items: page <= 3 ? records(page, page) : [], pages: Number(req.query.get('claim')) });
    });
    const client = testClient(server, agent, fakeTime());
    // Page numbers from 0, total 2 pages: pages 0 and 1.
    expect(ids(await collect(client, { path: '/paged-total', query: { claim: 2 } }, { kind: 'pageNumber', pageParam: 'p', start: 0, totalPagesPath: ['pages'] }, ['items']))).toEqual([[0], [1]]);
    // No usable total: stops at the first empty page.
    const pages = await collect(client, { path: '/paged-total' }, { kind: 'pageNumber', pageParam: 'p' }, ['items']);
    expect(ids(pages)).toEqual([[1], [2], [3], []]);
  });

  it('startingAfter: pages with has_more and the last id (Stripe)', async () => {
    server.route('/api/v1/charges', (req, res) => {
      const after = req.query.get('starting_after');
      const start = after ? Number(after.slice(3)) + 1 : 1;
      const data = records(start, Math.min(start + 1, 5)).map((r) => ({ id: `ch_${r.id}`, object: 'charge', description: 'multi\nline' }));
      json(res, { object: 'list', data, has_more: start + 1 < 5, url: '/v1/charges' });
    });
    const pages = await collect(testClient(server, agent, fakeTime()), { path: '/v1/charges', query: { limit: 2 } }, { kind: 'startingAfter', hasMorePath: ['has_more'], param: 'starting_after', idField: 'id' }, ['data']);
    expect(pages.map((p) => p.count)).toEqual([2, 2, 1]);
    expect(server.hits('/api/v1/charges').map((r) => r.query.get('starting_after'))).toEqual([null, 'ch_2', 'ch_4']);
  });
});

describe('paging failures', () => {
  it('fetches a truncated page again', async () => {
    let calls = 0;
    server.route('/api/truncated-once', (_req, res) => (++calls <= 2 ? res.writeHead(200).end('{"data":[{"id":1},{"id"') : json(res, { data: records(1, 2) })));
    const time = fakeTime();
    const pages = await collect(testClient(server, agent, time), { path: '/truncated-once' }, { kind: 'none' }, ['data']);
    expect(ids(pages)).toEqual([[1, 2]]);
    expect(time.delays).toHaveLength(2);
  });

  it('fails terminally when the body stays non-JSON after the retries', async () => {
    server.route('/api/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'));
    const error = await rejection(collect(testClient(server, agent, fakeTime()), { path: '/html' }, { kind: 'none' }, ['data']));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toBe(`test ${server.origin}/api/html: the API returned a body that is not JSON at "data"`);
    expect((error as TerminalError).context).toMatchObject({ source: 'test', stream: 'items', url: `${server.origin}/api/html` });
    expect(server.hits('/api/html')).toHaveLength(4);
  });

  it('stops a repeated cursor with a TerminalError', async () => {
    server.route('/api/stuck', (_req, res) => json(res, { data: records(1, 1), next: 'same' }));
    const error = await rejection(collect(testClient(server, agent, fakeTime()), { path: '/stuck' }, { kind: 'cursor', cursorPath: ['next'], param: 'cursor' }, ['data']));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toBe(`paging loop: test returned the same cursor twice at ${server.origin}/api/stuck?cursor=same`);
    expect(server.hits('/api/stuck')).toHaveLength(2);
  });

  it('stops a next URL that points back to itself', async () => {
    server.route('/api/self', (_req, res) => json(res, { data: records(1, 1), next: `${server.origin}/api/self` }));
    const error = await rejection(collect(testClient(server, agent, fakeTime()), { path: `${server.origin}/api/self` }, { kind: 'nextUrl', path: ['next'] }, ['data']));
    expect(error.message).toMatch(/^paging loop/);
    expect(server.hits('/api/self')).toHaveLength(1);
  });

  it('stops at the page cap', async () => {
    let n = 0;
    server.route('/api/endless', (_req, res) => json(res, { data: records(1, 1), next: `c${++n}` }));
    const error = await rejection(collect(testClient(server, agent, fakeTime()), { path: '/endless' }, { kind: 'cursor', cursorPath: ['next'], param: 'cursor' }, ['data'], { maxPages: 5 }));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toContain('more than 5 pages');
    expect(server.hits('/api/endless')).toHaveLength(5);
  });
});

describe('helpers', () => {
  it('parses Link headers', () => {
    expect(nextLink('<https://a.test/x?page_info=1&limit=2>; rel="next"')).toBe('https://a.test/x?page_info=1&limit=2');
    expect(nextLink('<https://a.test/p>; rel="prev", <https://a.test/n>; title="x, y"; rel="next last"')).toBe('https://a.test/n');
    expect(nextLink('<https://a.test/n>; rel=next')).toBe('https://a.test/n');
    expect(nextLink(['<https://a.test/p>; rel="previous"', '<https://a.test/n>; rel="next"'])).toBe('https://a.test/n');
    expect(nextLink('<https://a.test/p>; rel="previous"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('parses only the last NDJSON line', () => {
    expect(lastRecord(new TextEncoder().encode('{"id":1}\n{"id":2}\n'))).toEqual({ id: 2 });
    expect(lastRecord(new Uint8Array(0))).toBeUndefined();
  });
});

describe('reading ahead', () => {
  it('asks for the next cursor pages while the current one is walked, at most two ahead, and none after the last', async () => {
    const asked: number[] = [];
    server.route('/api/ahead', (req, res) => {
      const after = Number(req.query.get('after') ?? 0);
      asked.push(after);
      json(res, { data: records(after + 1, after + 2), paging: after < 18 ? { cursors: { after: String(after + 2) } } : {} });
    });
    const walk = paginate(testClient(server, agent, fakeTime()), { path: '/ahead' }, { kind: 'cursor', cursorPath: ['paging', 'cursors', 'after'], param: 'after' }, ['data'], { stream: 'items' });
    const first = await walk.next();
    expect(ids([first.value as Page])).toEqual([[1, 2]]);
    // The walk has not been asked for page two yet, but its request is already out.
    await vi.waitFor(() => expect(asked).toContain(2));
    let held = 0;
    const seen: number[][] = ids([first.value as Page]);
    for await (const page of walk) {
      held++;
      seen.push(...ids([page]));
      // Memory stays bounded however slow the walk is: the next two pages at most are out.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(Math.max(...asked)).toBeLessThanOrEqual((held + 2) * 2);
    }
    expect(seen.flat()).toEqual(records(1, 20).map((r) => r.id));
    // Every page was asked for once; nothing after the last page, which has no cursor.
    expect(asked).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });
});

/** The ids of every page, read while the walk is on that page (reused bodies are overwritten later). */
async function idsAsWalked(client: HttpClient, first: RequestSpec, paginator: PaginatorSpec, options: PaginateOptions): Promise<number[][]> {
  const out: number[][] = [];
  for await (const page of paginate(client, first, paginator, ['data'], { stream: 'items' }, options)) out.push(...ids([page]));
  return out;
}

describe('repeated pages and reused bodies', () => {
  const offset: PaginatorSpec = { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 2 };

  it.each([false, true])('offset: an API that serves the same page for every offset is a paging loop (reused bodies: %s)', async (reuseBodies) => {
    server.route('/api/stuck', (_req, res) => json(res, { data: records(1, 2) }));
    const error = await rejection(idsAsWalked(testClient(server, agent, fakeTime()), { path: '/stuck' }, offset, { reuseBodies }));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toMatch(/returned the same page twice in a row/);
  });

  it('offset with reused bodies: distinct pages of the same length are each read, none taken for a repeat', async () => {
    // Every full page has the same byte length, so only a byte comparison against the page before tells them apart.
    server.route('/api/same-length', (req, res) => {
      const from = Number(req.query.get('offset')) + 1;
      json(res, { data: records(from, Math.min(from + 1, 9)) });
    });
    const pages = await idsAsWalked(testClient(server, agent, fakeTime()), { path: '/same-length' }, offset, { reuseBodies: true });
    expect(pages).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9]]);
  });

  it('cursor with reused bodies: every page is read right, into a few buffers however long the walk', async () => {
    server.route('/api/long-walk', (req, res) => {
      const after = Number(req.query.get('after') ?? 0);
      json(res, { data: records(after + 1, after + 3), paging: after < 57 ? { cursors: { after: String(after + 3) } } : {} });
    });
    const buffers = new Set<BodyBuffer>();
    const read = BodyBuffer.prototype.read;
    const spy = vi.spyOn(BodyBuffer.prototype, 'read').mockImplementation(function (this: BodyBuffer, body) {
      buffers.add(this);
      return read.call(this, body);
    });
    try {
      const pages = await idsAsWalked(testClient(server, agent, fakeTime()), { path: '/long-walk' }, { kind: 'cursor', cursorPath: ['paging', 'cursors', 'after'], param: 'after' }, { reuseBodies: true });
      expect(pages.flat()).toEqual(records(1, 60).map((r) => r.id));
      expect(pages).toHaveLength(20);
      // The page being walked, the one before it (kept for the repeat check) and one fetched ahead.
      expect(buffers.size).toBeGreaterThan(0);
      expect(buffers.size).toBeLessThanOrEqual(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('a body buffer grows for a body larger than itself and keeps only the latest body', async () => {
    const buffer = new BodyBuffer();
    const chunk = (byte: number, size: number) => new Uint8Array(size).fill(byte);
    async function* chunks(...parts: Uint8Array[]) {
      yield* parts;
    }
    const big = await buffer.read(chunks(chunk(1, 700_000), chunk(2, 700_000), chunk(3, 1_300_000)));
    expect(big.length).toBe(2_700_000);
    expect([big[0], big[699_999], big[700_000], big[1_399_999], big[1_400_000], big[2_699_999]]).toEqual([1, 1, 2, 2, 3, 3]);
    const small = await buffer.read(chunks(chunk(9, 10)));
    expect([...small]).toEqual(new Array(10).fill(9));
    expect(await buffer.read(chunks())).toHaveLength(0);
  });
});
