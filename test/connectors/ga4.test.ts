import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { GA4_LATEST_LOAD_FILTER, SESSION_DIMENSIONS, SESSION_METRICS, ga4Connector, ga4SelectList } from '../../connectors/ga4/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { runExtract } from '../../jobs/steps.ts';

const REPORT = '/v1beta/properties/:propertyId:runReport';
const noSleep = async () => {};
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

beforeAll(() => {
  process.env['PULSE_SAMPLE_TOKEN'] ||= 'sample-token';
});

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

// Twelve days of a small world; the extract stops at the world's end instead of today.
const makeWorld = () => generateWorld({ seed: 9, scale: 0.05, days: 12 });
const untilOf = (world: World, extraDays = 1) => new Date(Date.parse(`${world.meta.end}T00:00:00Z`) + extraDays * 86_400_000);

async function setup(world: World = makeWorld()) {
  fake = await startFakeServer({ routes: ga4Connector.sample!.fake!(world) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-ga4-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  // Pages of 8 rows, so most days take several offset pages.
  const source = buildSource('web', { ...ga4Connector.sample!.config({ baseUrl: fake.url }, world), pageSize: 8 }, dir);
  return { world, fake, wh, source };
}

const tracked = (world: World) => world.web.sessions.filter((s) => s.trackedByAnalytics);
const sessionsSql = `select ${ga4SelectList(SESSION_DIMENSIONS, SESSION_METRICS).join(', ')}, report_date from raw.web__sessions`;
const bodies = (fake: FakeServer) => fake.requests.filter((r) => r.route === REPORT);

describe('ga4 connector', () => {
  it('loads one-day reports with report_date injected, paging by offset in the body', async () => {
    const { world, fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    expect(result.status).toBe('succeeded');
    expect(await wh.all(`select stream, field from meta.schema_drift`)).toEqual([]);
    expect(await wh.all(`select reason from meta.quarantine`)).toEqual([]);
    const [totals] = await wh.all<{ sessions: number; engaged: number; n_days: number; mismatched: number }>(
      `select sum(sessions)::int sessions, sum(engaged_sessions)::int engaged, count(distinct report_date)::int n_days, count(*) filter (where date <> report_date)::int mismatched from (${sessionsSql})`,
    );
    expect(totals).toEqual({ sessions: tracked(world).length, engaged: tracked(world).filter((s) => s.engaged).length, n_days: 12, mismatched: 0 });
    // One row per distinct (day, source, medium, campaign, content, term, landing page).
    const combos = new Set(tracked(world).map((s) => [s.date, s.source, s.medium, s.campaign, s.content, s.term, s.landingPath].join('|')));
    const [rows] = await wh.all<{ n: number; keys: number }>(`select count(*)::int n, count(distinct (report_date, "dimensionValues"))::int keys from raw.web__sessions`);
    expect(rows).toEqual({ n: combos.size, keys: combos.size });
    const orders = new Set(tracked(world).flatMap((s) => s.events.filter((e) => e.name === 'purchase').map((e) => e.orderId)));
    expect(await wh.all(`select count(*)::int n from raw.web__transactions`)).toEqual([{ n: orders.size }]);
    // Later pages of a day carry offset and limit in the JSON body; each window saved its end as the cursor.
    expect(bodies(fake).length).toBeGreaterThan(2 * 12);
    const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'sessions'`);
    expect(state!.cursor).toBe(untilOf(world).toISOString());
  });

  it('re-requests only the lookback days on a rerun, without duplicating rows', async () => {
    const { world, fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    const before = await wh.all(`select report_date::varchar d, "dimensionValues"::varchar k, "metricValues"::varchar v from raw.web__sessions order by all`);
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    expect(second.status).toBe('succeeded');
    // Cursor = the world's end + 1 day; the 3-day lookback re-reads the last three days only.
    const firstReread = new Date(Date.parse(`${world.meta.end}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
    const reread = (await wh.all(`select 1 from raw.web__sessions where report_date >= $1::date`, [firstReread])).length;
    expect(second.streams.find((s) => s.stream === 'sessions')?.rowsLoaded).toBe(reread);
    expect(reread).toBeLessThan(before.length / 2);
    const after = await wh.all(`select report_date::varchar d, "dimensionValues"::varchar k, "metricValues"::varchar v from raw.web__sessions order by all`);
    expect(after).toEqual(before);
  });

  it('keeps a restated day exact when a dimension combination disappears: the re-read day replaces its rows', async () => {
    const { world, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    // GA4 restates the last day: a "(not set)"-campaign session gets its campaign late.
    const day = world.meta.end;
    const session = tracked(world).find((s) => s.date === day && s.campaign === '(not set)') ?? tracked(world).find((s) => s.date === day)!;
    session.campaign = 'late_attributed_campaign';
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    const metrics = ga4SelectList([], SESSION_METRICS).join(', ');
    const sum = async (filter: string) => (await wh.all<{ n: number }>(`select sum(sessions)::int n from (select *, ${metrics} from raw.web__sessions ${filter}) where report_date = $1::date`, [day]))[0]!.n;
    const truth = tracked(world).filter((s) => s.date === day).length;
    // The re-read day replaced its rows as a whole: the vanished combination's row is gone …
    expect(await sum('')).toBe(truth);
    // … and the older staging filter agrees.
    expect(await sum(GA4_LATEST_LOAD_FILTER)).toBe(truth);
  });

  it('retries a 429 RESOURCE_EXHAUSTED and succeeds', async () => {
    const { world, fake, wh, source } = await setup();
    fake.faults.rateLimit({ path: REPORT, retryAfterSeconds: null, skip: 5, body: { error: { code: 429, message: 'Exhausted property tokens per hour for a project per property.', status: 'RESOURCE_EXHAUSTED' } } });
    const slept: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void slept.push(ms), until: untilOf(world) });
    expect(result.status).toBe('succeeded');
    expect(slept.length).toBe(1);
    expect(bodies(fake).filter((r) => r.status === 429)).toHaveLength(1);
    expect((await wh.all<{ n: number }>(`select sum(sessions)::int n from (${sessionsSql})`))[0]!.n).toBe(tracked(world).length);
  });

  it('fails on UNAUTHENTICATED without retrying or moving the cursor', async () => {
    const { world, fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    const [before] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where stream = 'sessions'`);
    fake.faults.add({ path: REPORT, times: Infinity, fault: { kind: 'status', status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.', status: 'UNAUTHENTICATED' } } } });
    fake.requests.length = 0;
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world, 3) });
    const sessions = result.streams.find((s) => s.stream === 'sessions')!;
    expect(sessions).toMatchObject({ status: 'failed', transient: false });
    expect(sessions.error).toMatch(/UNAUTHENTICATED.*invalid authentication credentials.*env var PULSE_SAMPLE_TOKEN/);
    expect(bodies(fake)).toHaveLength(2); // one per stream, no retries
    expect(await wh.all(`select cursor from meta.stream_state where stream = 'sessions'`)).toEqual([before]);
  });

  it('quarantines a row without dimension values with its reason', async () => {
    const { world, fake, wh, source } = await setup();
    fake.faults.malformedRecord('dimensionValues', { path: REPORT, value: null });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    expect(result.streams.find((s) => s.stream === 'sessions')).toMatchObject({ status: 'succeeded', rowsQuarantined: 1 });
    expect(await wh.all(`select stream, reason from meta.quarantine`)).toEqual([{ stream: 'sessions', reason: 'dimensionValues: required field is missing or null' }]);
  });

  it('reports a renamed field as drift (and quarantines the rows that lack the required one)', async () => {
    const { world, fake, wh, source } = await setup();
    fake.faults.mutateRecords(
      (rows) => rows.map((r) => {
        const { metricValues, ...rest } = r as Record<string, unknown>;
        return { ...rest, metricValue: metricValues };
      }),
      { path: REPORT, times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep, until: untilOf(world) });
    const sessions = result.streams.find((s) => s.stream === 'sessions')!;
    expect(sessions).toMatchObject({ status: 'succeeded', rowsLoaded: 0, driftFields: ['metricValue'] });
    expect(sessions.rowsQuarantined).toBeGreaterThan(0);
    const drift = await wh.all(`select stream, field, change from meta.schema_drift order by all`);
    expect(drift).toEqual([
      { stream: 'sessions', field: 'metricValue', change: 'added' },
      { stream: 'sessions', field: 'metricValues', change: 'removed' },
      { stream: 'transactions', field: 'metricValue', change: 'added' },
      { stream: 'transactions', field: 'metricValues', change: 'removed' },
    ]);
  });

  it('answers like GA4: 401 without a token, 400 for an unknown dimension, no rows member for an empty day', async () => {
    const { fake } = await setup();
    const url = `${fake.url}/v1beta/properties/312345678:runReport`;
    const json = (body: unknown, token = true) => request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer t' } : {}) }, body: JSON.stringify(body) });
    const bare = await json({}, false);
    expect(bare.statusCode).toBe(401);
    expect(((await bare.body.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
    const bad = await json({ dateRanges: [{ startDate: '2025-11-01', endDate: '2025-11-01' }], dimensions: [{ name: 'utmSource' }], metrics: [{ name: 'sessions' }] });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as { error: { message: string } }).error.message).toMatch(/utmSource is not a valid dimension/);
    const empty = await json({ dateRanges: [{ startDate: '2020-01-01', endDate: '2020-01-01' }], dimensions: [{ name: 'date' }], metrics: [{ name: 'sessions' }] });
    const body = (await empty.body.json()) as Record<string, unknown>;
    expect(body['rows']).toBeUndefined();
    expect(body['metricHeaders']).toEqual([{ name: 'sessions', type: 'TYPE_INTEGER' }]);
  });
});
