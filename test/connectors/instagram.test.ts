import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { instagramConnector } from '../../connectors/instagram/index.ts';
import { instagramFake, type InstagramFakeOptions } from '../../connectors/instagram/fake.ts';
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
const untilOf = (day: string) => new Date(`${day}T00:00:00Z`);

async function setup(options: InstagramFakeOptions = {}, config: Record<string, unknown> = {}) {
  fake = await startFakeServer({ routes: instagramFake(world, options) });
  ({ wh } = await tempWarehouse('pulse-instagram-'));
  const sample = instagramConnector.sample!.config({ baseUrl: fake.url }, world);
  const source = buildWith(instagramConnector, 'instagram', { ...sample, pageSize: 4, ...config });
  return { fake, wh: wh!, source };
}

const igMedia = () => world.social.posts.filter((p) => p.platform === 'instagram' && p.mediaKind !== 'story' && p.deletedAt === null);
const igComments = () => {
  const ids = new Set(igMedia().map((p) => p.id));
  return world.social.comments.filter((c) => c.platform === 'instagram' && ids.has(c.postId));
};

describe('instagram connector', () => {
  it('loads account insights, media, comments with replies, tags and competitor snapshots', async () => {
    const { fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(result.streams.map((s) => [s.stream, s.status])).toEqual([
      ['account_insights', 'succeeded'],
      ['account_totals', 'succeeded'],
      ['media', 'succeeded'],
      ['media_comments', 'succeeded'],
      ['tags', 'succeeded'],
      ['account_snapshots', 'succeeded'],
    ]);
    const days = world.meta.days;
    const [series] = await wh.all<{ n: number; days: number }>(`select count(*)::int n, count(distinct day)::int as days from raw.instagram__account_insights`);
    expect(series).toEqual({ n: days * 2, days });
    const [totals] = await wh.all<{ n: number }>(`select count(*)::int n from raw.instagram__account_totals`);
    expect(totals?.n).toBe(days * 5);
    const day = world.social.accountDaily.find((r) => r.platform === 'instagram' && r.date === '2026-01-10')!;
    const [follows] = await wh.all<{ follows: number; unfollows: number }>(
      `select (total_value->'breakdowns'->0->'results'->0->>'value')::int follows, (total_value->'breakdowns'->0->'results'->1->>'value')::int unfollows
       from raw.instagram__account_totals where name = 'follows_and_unfollows' and day = '2026-01-10'`,
    );
    expect(follows).toEqual({ follows: day.follows, unfollows: day.unfollows });
    const [reach] = await wh.all<{ v: number }>(`select (values->0->>'value')::int v from raw.instagram__account_insights where name = 'reach' and day = '2026-01-10'`);
    expect(reach?.v).toBe(day.reachOrganic + day.reachPaid);

    const [media] = await wh.all<{ n: number; reels: number }>(`select count(*)::int n, count(*) filter (where media_product_type = 'REELS')::int reels from raw.instagram__media`);
    expect(media).toEqual({ n: igMedia().length, reels: igMedia().filter((p) => p.mediaKind === 'reel').length });
    const oldest = igMedia()[0]!;
    const [saved] = await wh.all<{ v: number }>(
      `select (i->'values'->0->>'value')::int v from (select unnest(from_json(insights->'data', '["json"]')) i from raw.instagram__media where id = '${oldest.id}') where i->>'name' = 'saved'`,
    );
    expect(saved?.v).toBe(oldest.lifetime.saves);

    // Top-level comments are rows; replies are nested in each.
    const [comments] = await wh.all<{ top: number; replies: number; media: number }>(
      `select count(*)::int top, coalesce(sum(json_array_length(replies->'data')), 0)::int replies, count(distinct media_id)::int media from raw.instagram__media_comments`,
    );
    const all = igComments();
    expect(comments).toEqual({ top: all.filter((c) => c.parentId === null).length, replies: all.filter((c) => c.parentId !== null).length, media: new Set(all.map((c) => c.postId)).size });

    const [tags] = await wh.all<{ n: number }>(`select count(*)::int n from raw.instagram__tags`);
    expect(tags?.n).toBe(world.social.mentions.filter((m) => m.platform === 'instagram' && m.target === 'brand').length);

    // One batch: the account itself, then each competitor through business discovery.
    const snapshots = await wh.all<{ username: string; followers: number; media: number }>(
      `select coalesce(json(body)->'business_discovery', json(body))->>'username' username,
              (coalesce(json(body)->'business_discovery', json(body))->>'followers_count')::int followers,
              coalesce(json_array_length(json(body)->'business_discovery'->'media'->'data'), 0)::int media
       from raw.instagram__account_snapshots order by username`,
    );
    const lastDay = '2026-02-14';
    const expected = [
      { username: world.brand.accounts.instagram.handle, followers: world.social.accountDaily.find((r) => r.platform === 'instagram' && r.date === lastDay)!.followers, media: 0 },
      ...world.competitors.map((c) => ({
        username: c.accounts.instagram.handle,
        followers: world.social.competitorDaily.find((r) => r.competitorId === c.id && r.platform === 'instagram' && r.date === lastDay)!.followers,
        media: Math.min(25, world.social.competitorDaily.filter((r) => r.competitorId === c.id && r.platform === 'instagram').reduce((n, r) => n + r.posts, 0)),
      })),
    ].sort((a, b) => a.username.localeCompare(b.username));
    expect(snapshots).toEqual(expected);
    expect(requestsTo(fake.requests, '/v23.0/').filter((e) => e.method === 'POST')).toHaveLength(1);
  });

  it('re-reads only the lookback window on a rerun and adds no duplicates', async () => {
    const { fake, wh, source } = await setup();
    const until = untilOf(world.meta.asOf);
    await runExtract(wh, [source], { log: silentLogger, until, sleep: async () => {} });
    const [mediaState] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'media'`);
    fake.requests.length = 0;
    const rerun = await runExtract(wh, [source], { log: silentLogger, until, sleep: async () => {} });
    expect(rerun.status).toBe('succeeded');
    const insightRequests = requestsTo(fake.requests, '/insights');
    const firstSince = Math.min(...insightRequests.map((e) => Number(paramsOf(e).get('since'))));
    expect(firstSince * 1000).toBe(until.getTime() - 28 * DAY_MS);
    expect(insightRequests).toHaveLength(2 * 28);
    const mediaRequest = requestsTo(fake.requests, '/media')[0]!;
    expect(Number(paramsOf(mediaRequest).get('since'))).toBe(Math.floor((Date.parse(mediaState!.cursor) - 28 * DAY_MS) / 1000));
    const [dupes] = await wh.all<{ n: number }>(
      `select (select count(*) - count(distinct (name, day)) from raw.instagram__account_insights) + (select count(*) - count(distinct id) from raw.instagram__media)
       + (select count(*) - count(distinct id) from raw.instagram__media_comments) + (select count(*) - count(distinct id) from raw.instagram__tags) as n`,
    );
    expect(Number(dupes!.n)).toBe(0);
    // Snapshots are a series: one more per run.
    const [snapshots] = await wh.all<{ n: number; runs: number }>(`select count(*)::int n, count(distinct _run_id)::int runs from raw.instagram__account_snapshots`);
    expect(snapshots).toEqual({ n: 2 * (1 + world.competitors.length), runs: 2 });
  });

  it('retries a Graph app rate limit (code 4) after the wait the usage header gives', async () => {
    const { fake, wh, source } = await setup();
    const limit = fake.faults.add({
      path: /\/media$/,
      times: 1,
      fault: { kind: 'status', status: 403, body: graphErrorBody(4, '(#4) Application request limit reached'), headers: { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 40, total_time: 50, estimated_time_to_regain_access: 3 }) } },
    });
    const { sleep, delays } = recordingSleep();
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep });
    expect(result.status).toBe('succeeded');
    expect(limit.hits).toBe(1);
    expect(delays).toContain(180_000);
  });

  it('fails on an invalid token (code 190) without advancing the cursor; a failed competitor lookup is quarantined', async () => {
    const { fake, wh, source } = await setup({}, { competitors: ['summitandpine', 'no_such_brand_123'] });
    fake.faults.add({ path: /\/media$/, times: Infinity, fault: { kind: 'status', status: 400, body: graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token') } });
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    const media = result.streams.find((s) => s.stream === 'media')!;
    expect(media.status).toBe('failed');
    expect(media.error).toMatch(/Graph API error 190 \(OAuthException\).*Cannot parse access token.*sources\.instagram\.accessToken/);
    expect(result.streams.find((s) => s.stream === 'media_comments')?.status).toBe('skipped');
    expect(await wh.all(`select * from meta.stream_state where stream = 'media'`)).toEqual([]);
    const snapshots = result.streams.find((s) => s.stream === 'account_snapshots')!;
    expect(snapshots).toMatchObject({ status: 'succeeded', rowsLoaded: 2, rowsQuarantined: 1 });
    const [bad] = await wh.all<{ reason: string; record: string }>(`select reason, record from meta.quarantine where stream = 'account_snapshots'`);
    expect(bad?.reason).toBe('code: expected one of 200, got 400');
    expect(bad?.record).toContain('Invalid user id');
  });

  it('quarantines a malformed media record and reports a renamed comment field as drift', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.malformedRecord('comments_count', { path: /\/media$/, value: 'many' });
    fake.faults.mutateRecords(
      (records) => records.map((r) => {
        const { text, ...rest } = r as Record<string, unknown>;
        return { ...rest, message: text };
      }),
      { path: /\/comments$/, times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(result.streams.find((s) => s.stream === 'media')).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsLoaded: igMedia().length - 1 });
    const [bad] = await wh.all<{ reason: string }>(`select reason from meta.quarantine where stream = 'media'`);
    expect(bad?.reason).toBe('comments_count: expected BIGINT, got many');
    // `text` stopped arriving (required: those comments are quarantined) and `message` appeared.
    const comments = result.streams.find((s) => s.stream === 'media_comments')!;
    expect(comments.driftFields).toEqual(['message']);
    const drift = await wh.all(`select field, change from meta.schema_drift where stream = 'media_comments' order by field`);
    expect(drift).toEqual([
      { field: 'message', change: 'added' },
      { field: 'text', change: 'removed' },
    ]);
  });
});
