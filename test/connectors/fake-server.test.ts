import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request, type Dispatcher } from 'undici';
import { buildLinkHeader, cursorPage, decodeCursor, encodeCursor, parseLinkHeader, startFakeServer, urlWith, type FakeRoute, type FakeServer, type RequestLogEntry } from '../../connectors/fake-server.ts';

interface Post {
  id: string;
  likes: number;
  message: string;
}

const POSTS: Post[] = Array.from({ length: 25 }, (_, i) => ({ id: `p${i + 1}`, likes: i * 3, message: `post ${i + 1}` }));

const graphPosts: FakeRoute = {
  path: '/v21.0/:pageId/posts',
  recordsPath: ['data'],
  handler: (req) => {
    const limit = Number(req.query.get('limit') ?? 10);
    let page;
    try {
      page = cursorPage(POSTS, req.query.get('after'), limit);
    } catch {
      return { status: 400, body: { error: { message: 'Invalid cursor', type: 'OAuthException', code: 100 } } };
    }
    return {
      body: {
        data: page.records,
        paging: {
          cursors: { after: page.nextCursor },
          ...(page.nextCursor ? { next: urlWith(req.baseUrl, req.path, { limit, after: page.nextCursor }) } : {}),
        },
      },
    };
  },
};

const shopifyOrders: FakeRoute = {
  path: '/admin/api/2024-10/orders.json',
  recordsPath: ['orders'],
  handler: (req) => {
    const page = cursorPage(POSTS, req.query.get('page_info'), 10);
    const next = page.nextCursor ? urlWith(req.baseUrl, req.path, { page_info: page.nextCursor }) : null;
    const previous = page.previousCursor ? urlWith(req.baseUrl, req.path, { page_info: page.previousCursor }) : null;
    const link = buildLinkHeader({ next, previous });
    return { headers: link ? { link } : {}, body: { orders: page.records } };
  },
};

const ga4RunReport: FakeRoute = {
  method: 'POST',
  path: '/v1beta/properties/:propertyId:runReport',
  handler: (req) => ({ body: { propertyId: req.params.propertyId, echo: req.body } }),
};

const failing: FakeRoute = {
  path: '/boom',
  handler: () => {
    throw new Error('handler bug');
  },
};

let fake: FakeServer;
const logged: RequestLogEntry[] = [];

beforeEach(async () => {
  logged.length = 0;
  fake = await startFakeServer({ routes: [graphPosts, shopifyOrders, ga4RunReport, failing], log: (entry) => logged.push(entry), now: () => Date.UTC(2026, 0, 1) });
});

afterEach(async () => {
  await fake.close();
});

/** The Graph-style page the posts route serves (record fields loosened: faults change them). */
interface PostsPage {
  data: Array<Record<string, unknown>>;
  paging: { cursors: { after: string | null }; next?: string };
  error: { message: string };
}

async function getJson<T = PostsPage>(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: T }> {
  const res = await request(`${fake.url}${path}`);
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as T };
}

async function getText(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const res = await request(`${fake.url}${path}`);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

describe('fake server harness', () => {
  it('listens on 127.0.0.1 with an ephemeral port and routes with params', async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.port).toBeGreaterThan(0);
    const page = await getJson('/v21.0/12345/posts?limit=5');
    expect(page.status).toBe(200);
    expect(page.json.data.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(page.headers['content-type']).toContain('application/json');
  });

  it('pages by cursor and next URL until the end', async () => {
    const ids: string[] = [];
    let next: string | undefined = `${fake.url}/v21.0/1/posts?limit=10`;
    while (next) {
      const res: Dispatcher.ResponseData = await request(next);
      const body = (await res.body.json()) as { data: Post[]; paging: { next?: string } };
      ids.push(...body.data.map((p) => p.id));
      next = body.paging.next;
    }
    expect(ids).toEqual(POSTS.map((p) => p.id));
    expect(decodeCursor(encodeCursor({ offset: 10 }))).toEqual({ offset: 10 });
    expect(decodeCursor('%%%not-a-cursor')).toBeUndefined();
    expect((await getJson('/v21.0/1/posts?after=garbage')).status).toBe(400);
  });

  it('pages by Link header', async () => {
    const ids: string[] = [];
    let next: string | undefined = `${fake.url}/admin/api/2024-10/orders.json`;
    while (next) {
      const res: Dispatcher.ResponseData = await request(next);
      const body = (await res.body.json()) as { orders: Post[] };
      ids.push(...body.orders.map((p) => p.id));
      next = parseLinkHeader(res.headers.link as string | undefined).next;
    }
    expect(ids).toHaveLength(25);
    expect(buildLinkHeader({ next: 'http://x/a?page_info=1', previous: null })).toBe('<http://x/a?page_info=1>; rel="next"');
  });

  it('parses JSON bodies, matches `:param:literal` paths, answers 404 and turns handler errors into 500', async () => {
    const res = await request(`${fake.url}/v1beta/properties/987:runReport`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dimensions: [{ name: 'date' }] }) });
    expect(await res.body.json()).toEqual({ propertyId: '987', echo: { dimensions: [{ name: 'date' }] } });
    expect((await getJson('/nope')).status).toBe(404);
    const boom = await getJson('/boom');
    expect(boom.status).toBe(500);
    expect(boom.json.error.message).toContain('handler bug');
  });

  it('keeps a request log and passes entries to the log callback', async () => {
    await getJson('/v21.0/1/posts?limit=3');
    await getJson('/nope');
    expect(fake.requests.map((r) => [r.seq, r.method, r.path, r.route, r.status, r.records])).toEqual([
      [1, 'GET', '/v21.0/1/posts', '/v21.0/:pageId/posts', 200, 3],
      [2, 'GET', '/nope', null, 404, null],
    ]);
    expect(fake.requests[0]?.query).toBe('limit=3');
    expect(logged).toEqual(fake.requests);
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After in seconds, as an HTTP date, or without it', async () => {
    fake.faults.rateLimit({ path: '/v21.0/:pageId/posts', retryAfterSeconds: 2 });
    const limited = await getJson('/v21.0/1/posts');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect((await getJson('/v21.0/1/posts')).status).toBe(200);

    fake.faults.rateLimit({ retryAfterSeconds: null });
    const bare = await getJson('/v21.0/1/posts');
    expect(bare.status).toBe(429);
    expect(bare.headers['retry-after']).toBeUndefined();

    fake.faults.rateLimit({ retryAfterSeconds: 30, retryAfterFormat: 'http-date', body: { errors: [{ code: 88, message: 'Rate limit exceeded' }] } });
    const dated = await getJson('/v21.0/1/posts');
    expect(dated.headers['retry-after']).toBe(new Date(Date.UTC(2026, 0, 1) + 30_000).toUTCString());
    expect(dated.json).toEqual({ errors: [{ code: 88, message: 'Rate limit exceeded' }] });
    expect(fake.requests.map((r) => r.faults)).toEqual([['rateLimit'], [], ['rateLimit'], ['rateLimit']]);
  });

  it('answers a burst of N consecutive 5xx, then recovers', async () => {
    const handle = fake.faults.serverErrors(3, { status: 502 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await getJson('/v21.0/1/posts')).status);
    expect(statuses).toEqual([502, 502, 502, 200, 200]);
    expect(handle.hits).toBe(3);
    expect(handle.seen).toBe(5);
  });

  it('targets faults by path pattern and by request count (skip, times)', async () => {
    fake.faults.serverErrors(1, { path: '/admin/*', skip: 1 });
    expect((await getJson('/v21.0/1/posts')).status).toBe(200); // other path: not counted
    expect((await getJson('/admin/api/2024-10/orders.json')).status).toBe(200); // first match: skipped
    expect((await getJson('/admin/api/2024-10/orders.json')).status).toBe(503); // second match: hit
    expect((await getJson('/admin/api/2024-10/orders.json')).status).toBe(200);
  });

  it('sets faults at start and removes them at runtime', async () => {
    await fake.close();
    fake = await startFakeServer({ routes: [graphPosts], faults: [{ fault: { kind: 'serverError' }, times: Infinity }] });
    expect((await getJson('/v21.0/1/posts')).status).toBe(503);
    expect((await getJson('/v21.0/1/posts')).status).toBe(503);
    fake.faults.clear();
    expect((await getJson('/v21.0/1/posts')).status).toBe(200);
    const handle = fake.faults.html({ times: Infinity });
    expect((await getJson('/v21.0/1/posts').catch(() => ({ status: -1 }))).status).toBe(-1); // HTML is not JSON
    handle.remove();
    expect((await getJson('/v21.0/1/posts')).status).toBe(200);
  });

  it('slows responses down (a client timeout fires)', async () => {
    fake.faults.delay(400);
    await expect(request(`${fake.url}/v21.0/1/posts`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const res = await request(`${fake.url}/v21.0/1/posts`, { signal: AbortSignal.timeout(5_000) });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('resets connections', async () => {
    fake.faults.reset();
    await expect(request(`${fake.url}/v21.0/1/posts`)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(fake.requests[0]?.status).toBeNull();
    expect((await getJson('/v21.0/1/posts')).status).toBe(200);
  });

  it('truncates bodies: short but complete, or aborted mid-body', async () => {
    fake.faults.truncate(0.5);
    const cut = await getText('/v21.0/1/posts');
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    expect(cut.text.length).toBeGreaterThan(10);

    fake.faults.truncate(0.3, { abort: true });
    const res = await request(`${fake.url}/v21.0/1/posts`);
    await expect(res.body.text()).rejects.toThrow();
  });

  it('answers an HTML error page where JSON was expected', async () => {
    fake.faults.html({ status: 504 });
    const page = await getText('/v21.0/1/posts');
    expect(page.status).toBe(504);
    expect(page.headers['content-type']).toBe('text/html');
    expect(page.text).toMatch(/^<html>/);
  });

  it('corrupts one record', async () => {
    fake.faults.malformedRecord('likes', { index: 1, value: 'lots' });
    const page = await getJson('/v21.0/1/posts?limit=3');
    expect(page.json.data.map((p) => p.likes)).toEqual([0, 'lots', 6]);
    expect(POSTS[1]?.likes).toBe(3); // the handler's data is untouched
    fake.faults.malformedRecord('id', { index: -1 });
    expect((await getJson('/v21.0/1/posts?limit=3')).json.data[2]?.id).toBe('#corrupt#');
  });

  it('drifts the schema of every record: added, removed and retyped fields', async () => {
    fake.faults.schemaDrift('add', 'is_boosted', { value: true });
    expect((await getJson('/v21.0/1/posts?limit=2')).json.data.every((p) => p.is_boosted === true)).toBe(true);
    fake.faults.schemaDrift('remove', 'message');
    expect((await getJson('/v21.0/1/posts?limit=2')).json.data.every((p) => !('message' in p))).toBe(true);
    fake.faults.schemaDrift('retype', 'likes');
    expect((await getJson('/v21.0/1/posts?limit=2')).json.data.map((p) => p.likes)).toEqual(['0', '3']);
    fake.faults.mutateRecords((records) => records.slice(0, 1));
    expect((await getJson('/v21.0/1/posts?limit=2')).json.data).toHaveLength(1);
  });

  it('serves empty pages that still carry a next cursor', async () => {
    fake.faults.emptyPage();
    const page = await getJson('/v21.0/1/posts?limit=10');
    expect(page.json.data).toEqual([]);
    expect(page.json.paging.next).toContain('after=');
    expect(fake.requests[0]?.records).toBe(0);
  });

  it('duplicates records across pages', async () => {
    fake.faults.duplicateRecords({ skip: 1, count: 2 });
    const first = await getJson('/v21.0/1/posts?limit=10');
    const second = await request(first.json.paging.next ?? '');
    const body = (await second.body.json()) as { data: Post[] };
    expect(body.data.slice(0, 2).map((p) => p.id)).toEqual(['p9', 'p10']);
    expect(body.data.slice(2, 4).map((p) => p.id)).toEqual(['p11', 'p12']);
  });

  it('loops paging by handing back the cursor the client just used', async () => {
    fake.faults.pagingLoop({ skip: 1 });
    const first = await getJson('/v21.0/1/posts?limit=10');
    const usedCursor = first.json.paging.cursors.after;
    const second = await request(first.json.paging.next ?? '');
    const body = (await second.body.json()) as { data: Post[]; paging: { cursors: { after: string } } };
    expect(body.paging.cursors.after).toBe(usedCursor);
    expect(body.data[0]?.id).toBe('p1');
    expect(fake.requests[1]?.faults).toEqual(['pagingLoop']);
  });
});
