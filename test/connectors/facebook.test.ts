import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { facebookConnector } from '../../connectors/facebook/index.ts';
import { facebookFake, type FacebookFakeOptions } from '../../connectors/facebook/fake.ts';
import { DEFAULT_PAGE_METRICS } from '../../connectors/facebook/schema.ts';
import { runExtract } from '../../jobs/steps.ts';
import { buildWith, graphErrorBody, paramsOf, recordingSleep, requestsTo, tempWarehouse } from './meta-support.ts';

let world: World;
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

beforeAll(() => {
  world = generateWorld({ seed: 11, scale: 0.05, start: '2026-01-01', days: 45 });
});

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

const DAY_MS = 86_400_000;

async function setup(options: FacebookFakeOptions = {}, config: Record<string, unknown> = {}) {
  fake = await startFakeServer({ routes: facebookFake(world, options) });
  ({ wh } = await tempWarehouse('pulse-facebook-'));
  const sample = facebookConnector.sample!.config({ baseUrl: fake.url }, world);
  // Small pages, so every list is walked over several pages.
  const source = buildWith(facebookConnector, 'facebook', { ...sample, pageSize: 5, ...config });
  return { fake, wh: wh!, source };
}

const untilOf = (day: string) => new Date(`${day}T00:00:00Z`);
const fbPosts = () => world.social.posts.filter((p) => p.platform === 'facebook' && p.deletedAt === null);
const fbComments = () => world.social.comments.filter((c) => c.platform === 'facebook');

describe('facebook connector', () => {
  it('loads page insights per metric and day, posts, comments per post and conversations', async () => {
    const { fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(result.streams.map((s) => [s.stream, s.status])).toEqual([
      ['page_insights', 'succeeded'],
      ['posts', 'succeeded'],
      ['post_comments', 'succeeded'],
      ['conversations', 'succeeded'],
    ]);
    const days = world.meta.days;
    const [insights] = await wh.all<{ n: number; days: number; metrics: number }>(`select count(*)::int n, count(distinct day)::int as days, count(distinct name)::int metrics from raw.facebook__page_insights`);
    expect(insights).toEqual({ n: days * DEFAULT_PAGE_METRICS.length, days, metrics: DEFAULT_PAGE_METRICS.length });
    // Values are the world's, on the world's local day.
    const someDay = world.social.accountDaily.find((r) => r.platform === 'facebook' && r.date === '2026-01-10')!;
    const [follows] = await wh.all<{ v: number; end_time: string }>(
      `select (values->0->>'value')::int v, values->0->>'end_time' end_time from raw.facebook__page_insights where name = 'page_follows' and day = '${someDay.date}'`,
    );
    expect(follows?.v).toBe(someDay.followers);
    expect(follows?.end_time).toMatch(/^\d{4}-\d{2}-\d{2}T0[45]:00:00\+0000$/); // local midnight in New York

    const [posts] = await wh.all<{ n: number; typed: string }>(`select count(*)::int n, typeof(any_value(created_time)) typed from raw.facebook__posts`);
    expect(posts).toEqual({ n: fbPosts().length, typed: 'TIMESTAMP WITH TIME ZONE' });
    const oldest = fbPosts()[0]!;
    const [reach] = await wh.all<{ reach: number }>(
      `select (i->'values'->0->>'value')::int reach from (select unnest(from_json(insights->'data', '["json"]')) i from raw.facebook__posts where id = '${oldest.id}') where i->>'name' = 'post_total_media_view_unique'`,
    );
    expect(reach?.reach).toBe(oldest.lifetime.reach); // settled: older than 28 days at asOf

    const perPost = await wh.all<{ post_id: string; n: number }>(`select post_id, count(*)::int n from raw.facebook__post_comments group by 1 order by 1`);
    const expected = new Map<string, number>();
    for (const c of fbComments()) expected.set(c.postId, (expected.get(c.postId) ?? 0) + 1);
    expect(Object.fromEntries(perPost.map((r) => [r.post_id, r.n]))).toEqual(Object.fromEntries([...expected].sort()));
    const [replies] = await wh.all<{ brand: number; replies: number }>(
      `select count(*) filter (where "from"->>'id' = '${world.brand.accounts.facebook.id}')::int brand, count(*) filter (where parent is not null)::int replies from raw.facebook__post_comments`,
    );
    expect(replies).toEqual({ brand: fbComments().filter((c) => c.fromBrand).length, replies: fbComments().filter((c) => c.parentId !== null).length });

    const conversations = world.social.conversations.filter((c) => c.platform === 'facebook');
    const [inbox] = await wh.all<{ n: number; messages: number; from_page: number }>(
      `select count(distinct id)::int n, count(*)::int messages, count(*) filter (where m->'from'->>'id' = '${world.brand.accounts.facebook.id}')::int from_page
       from (select id, unnest(from_json(messages->'data', '["json"]')) m from raw.facebook__conversations)`,
    );
    expect(inbox).toEqual({
      n: conversations.length,
      messages: conversations.reduce((n, c) => n + c.messages.length, 0),
      from_page: conversations.reduce((n, c) => n + c.messages.filter((m) => m.from === 'brand').length, 0),
    });

    // Pages were walked through absolute `paging.next` links, and the token never went into a URL.
    const commentPages = requestsTo(fake.requests, '/comments');
    expect(commentPages.some((e) => paramsOf(e).has('after'))).toBe(true);
    expect(fake.requests.every((e) => !paramsOf(e).has('access_token'))).toBe(true);
    // One request per day: since=D&until=D+1.
    const insightRequests = requestsTo(fake.requests, '/insights');
    expect(insightRequests).toHaveLength(days);
    expect(paramsOf(insightRequests[0]!).get('since')).toBe(world.meta.start);
    expect(paramsOf(insightRequests[0]!).get('until')).toBe('2026-01-02');
    const drift = await wh.all(`select stream, field, change from meta.schema_drift`);
    expect(drift).toEqual([]);
  });

  it('re-reads only the 28-day lookback on a rerun, restates recent days, and adds no duplicates', async () => {
    const options: FacebookFakeOptions = { asOf: '2026-02-05' };
    const { fake, wh, source } = await setup(options);
    await runExtract(wh, [source], { log: silentLogger, until: untilOf('2026-02-05'), sleep: async () => {} });
    const [before] = await wh.all<{ v: number }>(`select (values->0->>'value')::int v from raw.facebook__page_insights where name = 'page_media_view' and day = '2026-02-03'`);
    const [postState] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'posts'`);

    // A week later the API reports more for the same days.
    options.asOf = world.meta.asOf;
    fake.requests.length = 0;
    const rerun = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(rerun.status).toBe('succeeded');
    const insightRequests = requestsTo(fake.requests, '/insights');
    // Saved cursor 2026-02-05T00:00Z minus 28 days.
    expect(paramsOf(insightRequests[0]!).get('since')).toBe('2026-01-08');
    expect(insightRequests).toHaveLength(28 + 10);
    const postRequests = requestsTo(fake.requests, '/posts');
    expect(Number(paramsOf(postRequests[0]!).get('since'))).toBe(Math.floor((Date.parse(postState!.cursor) - 28 * DAY_MS) / 1000));

    const [after] = await wh.all<{ v: number }>(`select (values->0->>'value')::int v from raw.facebook__page_insights where name = 'page_media_view' and day = '2026-02-03'`);
    const settled = world.social.accountDaily.find((r) => r.platform === 'facebook' && r.date === '2026-02-03')!;
    expect(before!.v).toBeLessThan(after!.v);
    expect(after!.v).toBe(Math.floor(settled.impressions * (1 - 0.35 * ((28 - 12) / 28) ** 2)));
    const [dupes] = await wh.all<{ n: number }>(
      `select (select count(*) from raw.facebook__page_insights) - (select count(*) from (select distinct name, period, day from raw.facebook__page_insights))
       + (select count(*) - count(distinct id) from raw.facebook__posts) + (select count(*) - count(distinct id) from raw.facebook__post_comments) as n`,
    );
    expect(Number(dupes!.n)).toBe(0);
    const [counts] = await wh.all<{ insights: number; posts: number; comments: number }>(
      `select (select count(*) from raw.facebook__page_insights)::int as insights, (select count(*) from raw.facebook__posts)::int as posts, (select count(*) from raw.facebook__post_comments)::int as comments`,
    );
    expect(counts).toEqual({ insights: world.meta.days * DEFAULT_PAGE_METRICS.length, posts: fbPosts().length, comments: fbComments().length });
  });

  it('waits as long as the usage header says when Graph answers with a rate limit (code 32), then succeeds', async () => {
    const { fake, wh, source } = await setup();
    const usage = JSON.stringify({ [world.brand.accounts.facebook.id]: [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 15, estimated_time_to_regain_access: 2 }] });
    const limit = fake.faults.add({
      path: /\/posts$/,
      times: 2,
      fault: { kind: 'status', status: 400, body: graphErrorBody(32, '(#32) Page request limit reached'), headers: { 'x-business-use-case-usage': usage } },
    });
    const { sleep, delays } = recordingSleep();
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep });
    expect(result.status).toBe('succeeded');
    expect(limit.hits).toBe(2);
    expect(delays.filter((d) => d === 120_000)).toHaveLength(2); // 2 minutes, as Meta estimated
    const [posts] = await wh.all<{ n: number }>(`select count(*)::int n from raw.facebook__posts`);
    expect(posts?.n).toBe(fbPosts().length);
  });

  it('fails the stream on an expired token (code 190) with a hint naming the config path, and keeps the cursor', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.add({
      path: /\/posts$/,
      times: Infinity,
      fault: { kind: 'status', status: 400, body: graphErrorBody(190, 'Error validating access token: Session has expired on Friday, 13-Feb-26 10:00:00 PST.', 463) },
    });
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(result.status).toBe('partial');
    const posts = result.streams.find((s) => s.stream === 'posts')!;
    expect(posts.status).toBe('failed');
    expect(posts.transient).toBe(false);
    expect(posts.error).toContain('Graph API error 190/463 (OAuthException)');
    expect(posts.error).toContain('Session has expired');
    expect(posts.error).toContain('export it in env var PULSE_SAMPLE_TOKEN (sources.facebook.accessToken)');
    expect(requestsTo(fake.requests, '/posts')).toHaveLength(1); // not retried
    expect(result.streams.find((s) => s.stream === 'post_comments')?.status).toBe('skipped');
    expect(await wh.all(`select * from meta.stream_state where stream in ('posts', 'post_comments')`)).toEqual([]);
    expect(result.streams.find((s) => s.stream === 'page_insights')?.status).toBe('succeeded');
  });

  it('quarantines a malformed comment with its reason and loads the rest', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.malformedRecord('like_count', { path: /\/comments$/, index: 1 });
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    const comments = result.streams.find((s) => s.stream === 'post_comments')!;
    expect(comments).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsLoaded: fbComments().length - 1 });
    const rows = await wh.all<{ stream: string; reason: string; record: string }>(`select stream, reason, record from meta.quarantine`);
    expect(rows.map((r) => [r.stream, r.reason])).toEqual([['post_comments', 'like_count: expected BIGINT, got #corrupt#']]);
    expect(JSON.parse(rows[0]!.record)).toMatchObject({ like_count: '#corrupt#' });
  });

  it('reports a renamed field as schema drift and keeps the new field', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.mutateRecords(
      (records) => records.map((r) => {
        const { like_count, ...rest } = r as Record<string, unknown>;
        return { ...rest, likes_count: like_count };
      }),
      { path: /\/comments$/, times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    const comments = result.streams.find((s) => s.stream === 'post_comments')!;
    expect(comments.status).toBe('succeeded');
    expect(comments.driftFields).toEqual(['likes_count']);
    const drift = await wh.all(`select field, change from meta.schema_drift where stream = 'post_comments' order by field`);
    expect(drift).toEqual([
      { field: 'like_count', change: 'removed' },
      { field: 'likes_count', change: 'added' },
    ]);
  });

  it('validates its config: env-only token, numeric page id, metric names', () => {
    const base = facebookConnector.sample!.config({ baseUrl: 'http://127.0.0.1:1' }, world);
    expect(() => buildWith(facebookConnector, 'fb', { ...base, accessToken: 'EAAB-literal-token' })).toThrow(/sources\.fb\.accessToken: Invalid input: expected object, received string — a Page access token .*: write env\("VARIABLE_NAME"\)/);
    expect(() => buildWith(facebookConnector, 'fb', base, {})).toThrow(/sources\.fb\.accessToken: environment variable PULSE_SAMPLE_TOKEN is not set/);
    expect(() => buildWith(facebookConnector, 'fb', { ...base, pageId: 'northwind' })).toThrow(/sources\.fb\.pageId: the numeric Page id/);
    expect(() => buildWith(facebookConnector, 'fb', { ...base, pageMetrics: ['impressions'] })).toThrow(/sources\.fb\.pageMetrics\.0/);
    const source = buildWith(facebookConnector, 'fb', base);
    expect(source.http?.baseUrl).toBe('http://127.0.0.1:1/v23.0');
    expect(source.streams.map((s) => [s.name, s.primaryKey.join('+'), s.cursor?.lookbackDays ?? null])).toEqual([
      ['page_insights', 'name+period+day', 28],
      ['posts', 'id', 28],
      ['post_comments', 'id', null],
      ['conversations', 'id', null],
    ]);
  });
});
