import { withSecretEnvironment } from '../../core/config.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { buildXSource, xConnector } from '../../connectors/x/index.ts';
import { xConfigSchema } from '../../connectors/x/schema.ts';
import { xRoutes, type XFakeOptions } from '../../connectors/x/fake.ts';
import { runExtract } from '../../jobs/steps.ts';

const world: World = generateWorld({ seed: 7, scale: 0.02 });
const ENV = { PULSE_SAMPLE_TOKEN: 'sample-token' };
const noSleep = async () => {};
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

async function setup(options: XFakeOptions = {}, environment: NodeJS.ProcessEnv = ENV) {
  fake = await startFakeServer({ routes: xRoutes(world, options) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-x-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const config = xConnector.sample!.config({ baseUrl: fake.url }, world);
  const source = buildSource('x', config, dir, environment);
  return { fake, wh, source };
}

const count = async (sql: string) => Number((await wh!.all<{ n: number }>(sql))[0]?.n);
const livePosts = world.social.posts.filter((p) => p.platform === 'x' && p.deletedAt === null);
const liveIds = new Set(livePosts.map((p) => p.id));
const xComments = world.social.comments.filter((c) => c.platform === 'x');

describe('x connector', () => {
  it('loads posts, replies, mentions, follower snapshots and mention counts equal to the world', async () => {
    const { wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(result.streams.map((s) => [s.stream, s.status, s.rowsQuarantined])).toEqual([
      ['tweets', 'succeeded', 0],
      ['replies', 'succeeded', 0],
      ['mentions', 'succeeded', 0],
      ['users_daily', 'succeeded', 0],
      ['mention_counts', 'succeeded', 0],
    ]);
    expect(await count('select count(*) n from raw.x__tweets')).toBe(livePosts.length);
    expect(await count('select count(*) n from raw.x__replies')).toBe(xComments.filter((c) => liveIds.has(c.postId)).length);
    const brandMentions = world.social.mentions.filter((m) => m.platform === 'x' && m.target === 'brand').length;
    expect(await count('select count(*) n from raw.x__mentions')).toBe(brandMentions + xComments.filter((c) => !c.fromBrand).length);
    expect(await count('select count(distinct id) n from raw.x__users_daily')).toBe(1 + world.competitors.length);

    // Share of voice: every tracked account's counts add up to its X mentions in the world.
    const sums = await wh.all<{ brand_label: string; n: number }>('select brand_label, sum(tweet_count)::int n from raw.x__mention_counts group by 1 order by 1');
    const expected = ['brand', ...world.competitors.map((c) => c.id)].sort().map((label) => ({ brand_label: label, n: world.social.mentions.filter((m) => m.platform === 'x' && m.target === label).length }));
    expect(sums).toEqual(expected);
    const [dup] = await wh.all<{ n: number }>('select count(*) - count(distinct (user_id, start)) n from raw.x__mention_counts');
    expect(Number(dup?.n)).toBe(0);

    // UTM-tagged links arrive in entities.urls[].expanded_url; private metrics beside public ones.
    const withUtm = livePosts.filter((p) => p.links.some((l) => l.includes('utm_campaign'))).length;
    expect(await count(`select count(*) n from raw.x__tweets where entities->>'$.urls[0].expanded_url' like '%utm_campaign=%'`)).toBe(withUtm);
    const [types] = await wh.all<{ c: string; m: string }>('select typeof(any_value(created_at)) c, typeof(any_value(public_metrics)) m from raw.x__tweets');
    expect(types).toEqual({ c: 'TIMESTAMP WITH TIME ZONE', m: 'JSON' });
    const [follow] = await wh.all<{ f: number }>(`select (public_metrics->>'followers_count')::int f from raw.x__users_daily where id = '${world.brand.accounts.x.id}'`);
    expect(follow?.f).toBe(world.social.accountDaily.filter((d) => d.platform === 'x').at(-1)!.followers);
  });

  it('reruns incrementally: re-reads only the lookback windows, without duplicates', async () => {
    const { fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const before = await count('select count(*) n from raw.x__tweets');
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(second.status).toBe('succeeded');
    expect(await count('select count(*) n from raw.x__tweets')).toBe(before);
    expect(await count('select count(*) - count(distinct id) n from raw.x__replies')).toBe(0);

    const lastPost = livePosts.at(-1)!.createdAt;
    const tweetsQuery = new URLSearchParams(fake.requests.find((r) => r.route === '/2/users/:id/tweets')!.query);
    expect(Date.parse(tweetsQuery.get('start_time')!)).toBe(Date.parse(lastPost) - 28 * 86_400_000);
    const rereadPosts = livePosts.filter((p) => Date.parse(p.createdAt) >= Date.parse(lastPost) - 28 * 86_400_000).length;
    expect(second.streams.find((s) => s.stream === 'tweets')?.rowsLoaded).toBe(rereadPosts);
    // Replies are searched only for the posts re-read this run.
    expect(fake.requests.filter((r) => r.route === '/2/tweets/search/all' && !r.query.includes('next_token')).length).toBe(rereadPosts);
    const countsQuery = new URLSearchParams(fake.requests.find((r) => r.route === '/2/tweets/counts/all')!.query);
    const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'x' and stream = 'mention_counts'`);
    expect(countsQuery.get('start_time')).toBe(new Date(Date.parse(state!.cursor) - 2 * 86_400_000).toISOString().replace('.000Z', 'Z'));
  });

  it('waits for x-rate-limit-reset on a 429 and then succeeds', async () => {
    const { fake, wh, source } = await setup();
    const resetIn = 37;
    fake.faults.add({
      path: '/2/users/:id/mentions',
      fault: {
        kind: 'rateLimit',
        retryAfterSeconds: null,
        headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + resetIn) },
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      },
    });
    const waits: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void waits.push(ms) });
    expect(result.status).toBe('succeeded');
    expect(waits.some((ms) => ms >= (resetIn - 2) * 1000 && ms <= (resetIn + 2) * 1000)).toBe(true);
    expect(fake.requests.filter((r) => r.route === '/2/users/:id/mentions').map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
  });

  it('waits out a spent 15-minute window when the fake enforces its limit', async () => {
    let advancedMs = 0;
    const clock = () => Date.now() + advancedMs;
    const { fake, wh } = await setup({ now: clock, rateLimit: { limit: 1, windowSeconds: 900 } });
    // The connector reads the same clock the fake's windows run on.
    const config = withSecretEnvironment({ PULSE_SAMPLE_TOKEN: 'sample-token' }, () => xConfigSchema.parse(xConnector.sample!.config({ baseUrl: fake.url }, world)));
    const source = buildXSource(config, 'x', clock);
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void (advancedMs += ms), streams: ['tweets', 'mentions'] });
    expect(result.streams.map((s) => s.error ?? s.status)).toEqual(['succeeded', 'succeeded']);
    expect(fake.requests.some((r) => r.status === 429)).toBe(true);
    expect(advancedMs).toBeGreaterThanOrEqual(800_000);
    expect(await count('select count(*) n from raw.x__tweets')).toBe(livePosts.length);
  });

  it('fails on a refused token with a clear message and keeps the cursor', async () => {
    const { fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['tweets'] });
    const [before] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'tweets'`);
    fake.faults.add({ path: '/2/users/:id/tweets', times: Infinity, fault: { kind: 'status', status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } } });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['tweets'] });
    expect(result.streams[0]).toMatchObject({ stream: 'tweets', status: 'failed', transient: false });
    expect(result.streams[0]?.error).toMatch(/X API 401 .*Unauthorized.*bearerToken.*X_BEARER_TOKEN/);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(1);
    const [after] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'tweets'`);
    expect(after).toEqual(before);
  });

  it('answers a missing token with 401 in X shape', async () => {
    fake = await startFakeServer({ routes: xRoutes(world) });
    const response = await fetch(`${fake.url}/2/users/${world.brand.accounts.x.id}/tweets`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 });
  });

  it('quarantines a malformed tweet with its reason and reports a renamed field as drift', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.malformedRecord('created_at', { path: '/2/users/:id/tweets', value: 'yesterday' });
    fake.faults.mutateRecords((records) => records.map((r) => {
      const { lang, ...rest } = r as Record<string, unknown>;
      return { ...rest, language: lang };
    }), { path: '/2/users/:id/mentions', times: Infinity });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['tweets', 'mentions'] });
    expect(result.streams.find((s) => s.stream === 'tweets')).toMatchObject({ rowsQuarantined: 1, rowsLoaded: livePosts.length - 1 });
    const [q] = await wh.all<{ field: string; reason: string }>(`select field, reason from meta.quarantine where stream = 'tweets'`);
    expect(q).toEqual({ field: 'created_at', reason: 'created_at: expected TIMESTAMPTZ, got yesterday' });
    const drift = await wh.all<{ field: string; change: string }>(`select field, change from meta.schema_drift where stream = 'mentions' order by field`);
    expect(drift).toEqual([
      { field: 'lang', change: 'removed' },
      { field: 'language', change: 'added' },
    ]);
  });

  it('reads the replies under each post as a child stream', async () => {
    const { wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['replies'] });
    const perPost = await wh.all<{ conversation_id: string; n: number }>('select conversation_id, count(*)::int n from raw.x__replies group by 1 order by 1');
    const expected = new Map<string, number>();
    for (const c of xComments) if (liveIds.has(c.postId)) expected.set(c.postId, (expected.get(c.postId) ?? 0) + 1);
    expect(perPost).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([conversation_id, n]) => ({ conversation_id, n })));
    const brandReplies = xComments.filter((c) => c.fromBrand && liveIds.has(c.postId)).length;
    expect(await count(`select count(*) n from raw.x__replies where author_id = '${world.brand.accounts.x.id}'`)).toBe(brandReplies);
  });
});
