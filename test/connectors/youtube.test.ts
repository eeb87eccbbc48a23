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
import { youtubeRoutes, type YoutubeFakeOptions } from '../../connectors/youtube/fake.ts';
import { youtubeConnector } from '../../connectors/youtube/index.ts';
import { runExtract } from '../../jobs/steps.ts';

const world: World = generateWorld({ seed: 5, scale: 0.2, days: 120 });
const noSleep = async () => {};
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

async function setup(options: YoutubeFakeOptions = {}) {
  fake = await startFakeServer({ routes: youtubeRoutes(world, options) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-youtube-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const source = buildSource('youtube', youtubeConnector.sample!.config({ baseUrl: fake.url }, world), dir, { PULSE_SAMPLE_TOKEN: 'sample-token' });
  return { fake, wh, source };
}

const count = async (sql: string) => Number((await wh!.all<{ n: number }>(sql))[0]?.n);
const videos = world.social.posts.filter((p) => p.platform === 'youtube' && p.deletedAt === null);
const videoIds = new Set(videos.map((v) => v.id));
const comments = world.social.comments.filter((c) => c.platform === 'youtube' && videoIds.has(c.postId));
const topLevel = comments.filter((c) => c.parentId === null);

describe('youtube connector', () => {
  it('loads uploads, videos with statistics, comment threads and channel snapshots equal to the world', async () => {
    const { fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(result.streams.map((s) => [s.stream, s.status, s.rowsQuarantined])).toEqual([
      ['playlist_items', 'succeeded', 0],
      ['videos', 'succeeded', 0],
      ['comment_threads', 'succeeded', 0],
      ['channels_daily', 'succeeded', 0],
    ]);
    expect(videos.length).toBeGreaterThan(3);
    expect(await count('select count(*) n from raw.youtube__playlist_items')).toBe(videos.length);
    expect(await count('select count(*) n from raw.youtube__videos')).toBe(videos.length);
    expect(await count('select count(*) n from raw.youtube__comment_threads')).toBe(topLevel.length);
    expect(await count(`select coalesce(sum(json_array_length(replies->'$.comments')), 0) n from raw.youtube__comment_threads`)).toBe(comments.length - topLevel.length);
    expect(await count('select count(*) n from raw.youtube__channels_daily')).toBe(1 + world.competitors.length);

    // Statistics arrive as strings, as YouTube sends 64-bit counts; the description keeps UTM links.
    const video = videos[0]!;
    const [row] = await wh.all<{ view_count: string; description: string }>(`select statistics->>'viewCount' view_count, snippet->>'description' description from raw.youtube__videos where id = '${video.id}'`);
    expect(row).toEqual({ view_count: String(video.lifetime.videoViews), description: video.text });
    const [subs] = await wh.all<{ s: string }>(`select statistics->>'subscriberCount' s from raw.youtube__channels_daily where id = '${world.brand.accounts.youtube.id}'`);
    expect(subs?.s).toBe(String(world.social.accountDaily.filter((d) => d.platform === 'youtube').at(-1)!.followers));
    // The API key travels as ?key=, never in logs: the fake sees it, the run record does not.
    expect(fake.requests[0]?.query).toContain('key=sample-token');
  });

  it('reruns without duplicates and adds one channel snapshot a day', async () => {
    const { fake, wh, source } = await setup();
    const day1 = new Date('2026-11-20T10:00:00Z');
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: day1 });
    const first = fake.requests.length;
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: new Date(day1.getTime() + 86_400_000) });
    expect(second.status).toBe('succeeded');
    // No date filter exists on these endpoints: the rerun lists the same pages, and merges.
    expect(fake.requests.length).toBe(first);
    expect(await count('select count(*) n from raw.youtube__videos')).toBe(videos.length);
    expect(await count('select count(*) - count(distinct id) n from raw.youtube__comment_threads')).toBe(0);
    const snapshots = await wh.all<{ d: string; n: number }>('select snapshot_date::varchar d, count(*)::int n from raw.youtube__channels_daily group by 1 order by 1');
    expect(snapshots).toEqual([
      { d: '2026-11-20', n: 1 + world.competitors.length },
      { d: '2026-11-21', n: 1 + world.competitors.length },
    ]);
  });

  it('retries rateLimitExceeded and then succeeds', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.add({
      path: '/youtube/v3/commentThreads',
      fault: { kind: 'status', status: 403, body: { error: { code: 403, message: 'The request cannot be completed because you have exceeded your quota per minute.', errors: [{ message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }] } } },
    });
    fake.faults.rateLimit({ path: '/youtube/v3/videos', retryAfterSeconds: 3, body: { error: { code: 429, message: 'Too many requests', errors: [{ reason: 'rateLimitExceeded' }], status: 'RESOURCE_EXHAUSTED' } } });
    const waits: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void waits.push(ms) });
    expect(result.status).toBe('succeeded');
    expect(waits).toContain(3000);
    expect(await count('select count(*) n from raw.youtube__comment_threads')).toBe(topLevel.length);
  });

  it('stops on an exhausted daily quota with a clear hint, not retrying', async () => {
    const { fake, wh, source } = await setup({ quotaPerDay: 3 });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const failed = result.streams.find((s) => s.status === 'failed')!;
    expect(failed).toMatchObject({ transient: false });
    expect(failed.error).toMatch(/YouTube 403 .*quotaExceeded.*midnight Pacific/);
    // Not retried: each refused request was sent once (the engine still sends the other parents' requests already queued).
    const refused = fake.requests.filter((r) => r.status === 403).map((r) => r.query);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused).size).toBe(refused.length);
  });

  it('fails on an invalid API key with a clear message, and the fake answers a missing key in Google shape', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.add({
      times: Infinity,
      fault: { kind: 'status', status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', errors: [{ message: 'API key not valid. Please pass a valid API key.', domain: 'global', reason: 'badRequest' }], status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } } },
    });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['channels_daily'] });
    expect(result.streams[0]).toMatchObject({ status: 'failed', transient: false, cursorAfter: undefined });
    expect(result.streams[0]?.error).toMatch(/API key not valid.*apiKey.*YOUTUBE_API_KEY/);
    expect(result.streams[0]?.error).not.toContain('sample-token');
    fake.faults.clear();
    const response = await fetch(`${fake.url}/youtube/v3/channels?part=statistics&id=${world.brand.accounts.youtube.id}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 403, message: 'The request is missing a valid API key.', errors: [{ reason: 'forbidden' }] } });
  });

  it('quarantines a malformed video and reports a renamed field as drift', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.malformedRecord('kind', { path: '/youtube/v3/videos', value: 'youtube#short' });
    fake.faults.mutateRecords((records) => records.map((r) => {
      const { statistics, ...rest } = r as Record<string, unknown>;
      return { ...rest, stats: statistics };
    }), { path: '/youtube/v3/channels', times: Infinity });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['videos', 'channels_daily'] });
    expect(result.streams.find((s) => s.stream === 'videos')).toMatchObject({ rowsQuarantined: 1, rowsLoaded: videos.length - 1 });
    const [q] = await wh.all<{ field: string; reason: string }>(`select field, reason from meta.quarantine where stream = 'videos'`);
    expect(q).toEqual({ field: 'kind', reason: 'kind: expected one of youtube#video, got youtube#short' });
    const drift = await wh.all<{ field: string; change: string }>(`select field, change from meta.schema_drift where stream = 'channels_daily' order by field`);
    expect(drift).toEqual([
      { field: 'statistics', change: 'removed' },
      { field: 'stats', change: 'added' },
    ]);
  });

  it('reads comment threads per video as a child stream, paging with pageToken', async () => {
    const { fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, streams: ['comment_threads'] });
    const perVideo = await wh.all<{ video_id: string; n: number }>('select video_id, count(*)::int n from raw.youtube__comment_threads group by 1 order by 1');
    const expected = new Map<string, number>();
    for (const c of topLevel) expected.set(c.postId, (expected.get(c.postId) ?? 0) + 1);
    expect(perVideo).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([video_id, n]) => ({ video_id, n })));
    const [text] = await wh.all<{ t: string }>(`select snippet->'$.topLevelComment.snippet'->>'textDisplay' t from raw.youtube__comment_threads where id = '${topLevel[0]!.id}'`);
    expect(text?.t).toBe(topLevel[0]!.text);
    // Paging: the busiest video's threads, two a page, walked with nextPageToken → pageToken.
    const [busiest] = [...expected].sort((a, b) => b[1] - a[1]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = (await (await fetch(`${fake.url}/youtube/v3/commentThreads?part=snippet&videoId=${busiest![0]}&maxResults=2&key=k${token ? `&pageToken=${token}` : ''}`)).json()) as { items: { id: string }[]; nextPageToken?: string };
      seen.push(...page.items.map((i) => i.id));
      token = page.nextPageToken;
    } while (token);
    expect(seen).toHaveLength(busiest![1]);
    expect(new Set(seen).size).toBe(busiest![1]);
  });
});
