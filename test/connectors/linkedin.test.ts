import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { linkedinRoutes } from '../../connectors/linkedin/fake.ts';
import { linkedinConnector } from '../../connectors/linkedin/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { runExtract } from '../../jobs/steps.ts';

const DAY_MS = 86_400_000;
const world: World = generateWorld({ seed: 11, scale: 0.05, days: 60 });
const START = Date.parse(`${world.meta.start}T00:00:00Z`);
/** The end of the world: a run "now" after its last day. */
const END = new Date(Date.parse(`${world.meta.asOf}T12:00:00Z`));
const noSleep = async () => {};
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

async function setup() {
  fake = await startFakeServer({ routes: linkedinRoutes(world) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-linkedin-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const source = buildSource('linkedin', linkedinConnector.sample!.config({ baseUrl: fake.url }, world), dir, { PULSE_SAMPLE_TOKEN: 'sample-token' });
  return { fake, wh, source };
}

const count = async (sql: string) => Number((await wh!.all<{ n: number }>(sql))[0]?.n);
const posts = world.social.posts.filter((p) => p.platform === 'linkedin' && p.deletedAt === null);
const postIds = new Set(posts.map((p) => p.id));
const comments = world.social.comments.filter((c) => c.platform === 'linkedin' && postIds.has(c.postId));
const accountDays = world.social.accountDaily.filter((d) => d.platform === 'linkedin');

describe('linkedin connector', () => {
  it('loads daily statistics, posts, post statistics and comments equal to the world', async () => {
    const { fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: END });
    expect(result.streams.map((s) => [s.stream, s.status, s.rowsQuarantined])).toEqual([
      ['share_statistics_daily', 'succeeded', 0],
      ['follower_statistics_daily', 'succeeded', 0],
      ['posts', 'succeeded', 0],
      ['post_statistics', 'succeeded', 0],
      ['comments', 'succeeded', 0],
    ]);
    expect(await count('select count(*) n from raw.linkedin__share_statistics_daily')).toBe(accountDays.length);
    expect(await count('select count(*) n from raw.linkedin__follower_statistics_daily')).toBe(accountDays.length);
    expect(await count('select count(*) n from raw.linkedin__posts')).toBe(posts.length);
    expect(await count('select count(*) n from raw.linkedin__post_statistics')).toBe(posts.length);
    expect(await count('select count(*) n from raw.linkedin__comments')).toBe(comments.length);

    const day = accountDays[20]!;
    const [row] = await wh.all<{ impressions: number; gain: number }>(
      `select (s.totalShareStatistics->>'impressionCount')::int impressions, (f.followerGains->>'organicFollowerGain')::int gain
       from raw.linkedin__share_statistics_daily s join raw.linkedin__follower_statistics_daily f using (day) where day = '${day.date}'`,
    );
    expect(row).toEqual({ impressions: day.impressions, gain: day.follows - day.unfollows });
    const post = posts[0]!;
    const [stats] = await wh.all<{ likes: number }>(`select (totalShareStatistics->>'likeCount')::int likes from raw.linkedin__post_statistics where post_urn = '${post.id}'`);
    expect(stats?.likes).toBe(post.lifetime.likes);

    // Rest.li structures travel unencoded; URNs inside them are encoded.
    const statsRequest = fake.requests.find((r) => r.route === '/rest/organizationalEntityShareStatistics')!;
    expect(statsRequest.query).toBe(`q=organizationalEntity&organizationalEntity=${encodeURIComponent(world.brand.accounts.linkedin.id)}&timeIntervals=(timeRange:(start:${START},end:${START + DAY_MS}),timeGranularityType:DAY)`);
    const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'share_statistics_daily'`);
    expect(state?.cursor).toBe(END.toISOString());
  });

  it('reruns re-reading only the lookback days, without duplicates', async () => {
    const { fake, wh, source } = await setup();
    const first = new Date(START + 40 * DAY_MS + 12 * 3_600_000);
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: first });
    // Days 0..40: the window ending at noon of day 40 reads that whole day (restated next run).
    expect(await count('select count(*) n from raw.linkedin__share_statistics_daily')).toBe(41);
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: new Date(first.getTime() + 5 * DAY_MS) });
    expect(second.status).toBe('succeeded');
    const days = fake.requests
      .filter((r) => r.route === '/rest/organizationalEntityShareStatistics' && r.query.includes('timeIntervals'))
      .map((r) => new Date(Number(/start:(\d+)/.exec(r.query)![1])).toISOString().slice(0, 10));
    // Three days of lookback behind the saved cursor, then the five new days.
    const expected = Array.from({ length: 8 }, (_, i) => new Date(START + (37 + i) * DAY_MS).toISOString().slice(0, 10));
    expect(days).toEqual(expected);
    expect(await count('select count(*) n from raw.linkedin__share_statistics_daily')).toBe(45);
    expect(await count('select count(*) - count(distinct day) n from raw.linkedin__share_statistics_daily')).toBe(0);
    expect(await count('select count(*) - count(distinct "commentUrn") n from raw.linkedin__comments')).toBe(0);
  });

  it('retries a 429 throttle and then succeeds', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.add({
      path: '/rest/posts',
      times: 2,
      fault: { kind: 'rateLimit', retryAfterSeconds: null, body: { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.' } },
    });
    const waits: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void waits.push(ms), until: END, streams: ['posts'] });
    expect(result.streams[0]).toMatchObject({ status: 'succeeded', rowsLoaded: posts.length });
    expect(waits).toHaveLength(2);
    expect(fake.requests.filter((r) => r.route === '/rest/posts').map((r) => r.status).slice(0, 3)).toEqual([429, 429, 200]);
  });

  it('fails on an invalid token with a clear message and keeps the cursor', async () => {
    const { fake, wh, source } = await setup();
    const first = new Date(START + 10 * DAY_MS);
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: first, streams: ['share_statistics_daily'] });
    fake.faults.add({ times: Infinity, fault: { kind: 'status', status: 401, body: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' } } });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: END, streams: ['share_statistics_daily'] });
    expect(result.streams[0]).toMatchObject({ status: 'failed', transient: false, cursorAfter: first.toISOString() });
    expect(result.streams[0]?.error).toMatch(/LinkedIn 401 .*Invalid access token \(INVALID_ACCESS_TOKEN, serviceErrorCode 65600\).*accessToken.*LINKEDIN_ACCESS_TOKEN/);
    const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'share_statistics_daily'`);
    expect(state?.cursor).toBe(first.toISOString());
  });

  it('answers a missing token or version header in LinkedIn shape', async () => {
    fake = await startFakeServer({ routes: linkedinRoutes(world) });
    const noToken = await fetch(`${fake.url}/rest/posts?q=author`, { headers: { 'linkedin-version': '202410' } });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({ status: 401, serviceErrorCode: 65604, code: 'EMPTY_ACCESS_TOKEN', message: 'Empty oauth2 access token' });
    const noVersion = await fetch(`${fake.url}/rest/posts?q=author`, { headers: { authorization: 'Bearer t' } });
    expect(await noVersion.json()).toMatchObject({ status: 400, code: 'VERSION_MISSING' });
  });

  it('quarantines a malformed post and reports a renamed field as drift', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.malformedRecord('createdAt', { path: '/rest/posts', value: 'yesterday' });
    fake.faults.mutateRecords((records) => records.map((r) => {
      const { totalShareStatistics, ...rest } = r as Record<string, unknown>;
      return { ...rest, totalShareStats: totalShareStatistics };
    }), { path: '/rest/organizationalEntityShareStatistics', times: Infinity });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: END, streams: ['posts', 'share_statistics_daily'] });
    expect(result.streams.find((s) => s.stream === 'posts')).toMatchObject({ rowsQuarantined: 1, rowsLoaded: posts.length - 1 });
    const [q] = await wh.all<{ field: string; reason: string }>(`select field, reason from meta.quarantine where stream = 'posts'`);
    expect(q).toEqual({ field: 'createdAt', reason: 'createdAt: expected BIGINT, got yesterday' });
    // The renamed field is required: rows without it are quarantined, and both names show up as drift.
    const drift = await wh.all<{ field: string; change: string }>(`select field, change from meta.schema_drift where stream = 'share_statistics_daily' order by field`);
    expect(drift).toEqual([
      { field: 'totalShareStatistics', change: 'removed' },
      { field: 'totalShareStats', change: 'added' },
    ]);
  });

  it('reads the comments of each post as a child stream, with replies pointing at their parent', async () => {
    const { wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: END, streams: ['comments'] });
    const perPost = await wh.all<{ post_urn: string; n: number }>('select post_urn, count(*)::int n from raw.linkedin__comments group by 1 order by 1');
    const expected = new Map<string, number>();
    for (const c of comments) expected.set(c.postId, (expected.get(c.postId) ?? 0) + 1);
    expect(perPost).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([post_urn, n]) => ({ post_urn, n })));
    expect(await count(`select count(*) n from raw.linkedin__comments where "parentComment" is not null`)).toBe(comments.filter((c) => c.parentId).length);
    const [text] = await wh.all<{ t: string }>(`select message->>'text' t from raw.linkedin__comments where "commentUrn" = '${comments[0]!.id.replace(/'/g, "''")}'`);
    expect(text?.t).toBe(comments[0]!.text);
  });
});
