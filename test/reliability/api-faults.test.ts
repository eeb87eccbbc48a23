/**
 * API faults, table-driven over every HTTP connector × every fault the fakes can inject: 429 with
 * and without Retry-After, 5xx bursts and outages, timeouts, connection resets, truncated and
 * non-JSON bodies, paging loops, empty pages, records duplicated across pages, and schema drift.
 *
 * Each run ends either in a complete load equal to a fault-free load, or in a failed stream with a
 * clear error whose state did not move and whose table holds nothing half-written (and a clean
 * rerun then converges); retries are bounded (requests are counted). Worlds are tiny, pages small
 * and sleeps injected, so the whole table runs in about a minute.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer, type FaultRule, type RequestLogEntry } from '../../connectors/fakes/index.ts';
import { allConnectors, buildSource, type Connector } from '../../connectors/registry.ts';
import type { SourceDef } from '../../connectors/source.ts';
import type { RequestSpec } from '../../connectors/http/types.ts';
import { runExtract, type ExtractResult } from '../../jobs/steps.ts';
import { hasStackTrace, snapshotRaw, tally, tempDir, type WarehouseSnapshot } from './support.ts';

const CONNECTORS = ['facebook', 'instagram', 'meta_ads', 'x', 'linkedin', 'youtube', 'ga4', 'shopify', 'stripe', 'zendesk'] as const;
type ConnectorType = (typeof CONNECTORS)[number];

const ENV = { PULSE_SAMPLE_TOKEN: 'fault-suite-token-0000' };
/** The client timeout set on every source; the timeout fault answers after twice as long. */
const TIMEOUT_MS = 600;
/** Page sizes the connectors' configs allow; the rest get small pages by rewriting their first request. */
const CONFIG: Partial<Record<ConnectorType, Record<string, unknown>>> = { facebook: { pageSize: 3 }, instagram: { pageSize: 3 }, meta_ads: { pageSize: 20 }, ga4: { pageSize: 10 } };
// Not Zendesk's per_page: its incremental exports allow 10 requests a minute, and the fake enforces it.
const SMALL_PAGE_PARAMS: Record<string, number> = { limit: 3, 'page[size]': 3, maxResults: 2, count: 3, max_results: 10 };
const PAGING_PARAMS = new Set(['after', 'before', 'cursor', 'page_info', 'pagination_token', 'next_token', 'starting_after', 'pageToken', 'start', 'offset', 'page', 'page[after]', 'limit']);

/**
 * CI runs each fault against 3 connectors (rotating, so every connector meets 5 or more faults);
 * `PULSE_FAULT_MATRIX=full` runs every connector × every fault.
 */
const FULL_MATRIX = process.env['PULSE_FAULT_MATRIX'] === 'full';
const CONNECTORS_PER_FAULT = 3;
const selected = (caseIndex: number, connectorIndex: number) =>
  FULL_MATRIX || (((connectorIndex - caseIndex * CONNECTORS_PER_FAULT) % CONNECTORS.length) + CONNECTORS.length) % CONNECTORS.length < CONNECTORS_PER_FAULT;

const figures = tally();
let smallWorld: World;
let shopWorld: World;

beforeAll(() => {
  smallWorld = generateWorld({ seed: 7, scale: 0.05, days: 30 });
  // Commerce APIs page by 100-250 and the small world has few customers: a larger slice, small pages.
  shopWorld = generateWorld({ seed: 7, scale: 0.3, days: 30 });
});
afterAll(() => figures.print('api faults'));

const worldFor = (type: ConnectorType) => (type === 'shopify' || type === 'stripe' || type === 'zendesk' ? shopWorld : smallWorld);
const untilOf = (world: World) => new Date(`${world.meta.asOf}T00:00:00Z`);
const connectorOf = (type: ConnectorType): Connector<unknown> => allConnectors().find((c) => c.type === type)!;

/** Builds the sample source for a fake, with one request at a time, a short timeout and small pages. */
function prepareSource(type: ConnectorType, baseUrl: string, world: World, dir: string): SourceDef {
  const connector = connectorOf(type);
  const source = buildSource(type, { ...connector.sample!.config({ baseUrl }, world), ...CONFIG[type] }, dir, ENV);
  // One request at a time makes the request order, and so every fault's target, deterministic.
  // No pacing budget: it reads the wall clock while sleeps are injected, so it would spin.
  const { budget: _pacing, ...http } = source.http!;
  source.http = { ...http, concurrency: 1, timeoutMs: TIMEOUT_MS };
  for (const stream of source.streams) {
    if (stream.read.kind !== 'http') continue;
    const paginator = stream.read.paginator;
    if (paginator.kind === 'offset' && !CONFIG[type]) stream.read.paginator = { ...paginator, limit: 3 };
    const original = stream.read.request;
    stream.read.request = (ctx): RequestSpec => {
      const request = original(ctx);
      const query = { ...request.query };
      // Shopify's fake enforces the shop's leaky bucket (40 calls, 2 a second) on the wall clock: fewer, larger pages.
      for (const [key, size] of Object.entries(type === 'shopify' ? { limit: 25 } : SMALL_PAGE_PARAMS)) if (typeof query[key] === 'number' || (typeof query[key] === 'string' && /^\d+$/.test(query[key]))) query[key] = size;
      return { ...request, query };
    };
  }
  return source;
}

interface Run {
  result: ExtractResult;
  /** Requests the fault was applied to (counted by the fake as they arrive). */
  hits: number;
  /** Records received per stream, before validation. */
  seen: Map<string, number>;
  snapshot: WarehouseSnapshot;
  requests: RequestLogEntry[];
  sleeps: number[];
  wh: Warehouse;
  source: SourceDef;
  fake: FakeServer;
}

/** Extracts a connector's sample world into a fresh warehouse, with `rules` injected. */
async function extractWith(type: ConnectorType, rules: FaultRule[], keep = false): Promise<Run> {
  const world = worldFor(type);
  const fake = await startFakeServer({ routes: connectorOf(type).sample!.fake!(world) });
  const handles = rules.map((rule) => fake.faults.add(rule));
  const dir = tempDir(`fault-${type}`);
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const source = prepareSource(type, fake.url, world, dir);
  const sleeps: number[] = [];
  const seen = new Map<string, number>();
  try {
    const result = await runExtract(wh, [source], {
      log: silentLogger,
      sleep: async (ms) => void sleeps.push(ms),
      until: untilOf(world),
      onProgress: (p) => void seen.set(p.stream, p.rows),
    });
    // Some APIs put their own URL in records (Zendesk `url`); each fake has its own port.
    const snapshot = JSON.parse(JSON.stringify(await snapshotRaw(wh)).replaceAll(fake.url, 'http://fake')) as WarehouseSnapshot;
    const hits = handles.reduce((n, h) => n + h.hits, 0);
    return { result, hits, seen, snapshot, requests: [...fake.requests], sleeps, wh, source, fake };
  } finally {
    if (!keep) {
      wh.close();
      await fake.close();
    }
  }
}

const exactPath = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

function queryMap(query: string): Map<string, string> {
  return new Map([...new URLSearchParams(query)]);
}

/** Tells whether `current` fetched the page after `previous` in the same walk (same path, only paging parameters changed). */
function isNextPage(previous: RequestLogEntry, current: RequestLogEntry, type: ConnectorType): boolean {
  if (previous.path !== current.path || previous.method !== current.method || !(previous.records! > 0)) return false;
  if (current.query === '' && previous.query === '') return type === 'ga4' && previous.records === (CONFIG.ga4!['pageSize'] as number);
  const before = queryMap(previous.query);
  const after = queryMap(current.query);
  if (![...after.keys()].some((k) => PAGING_PARAMS.has(k) && after.get(k) !== before.get(k))) return false;
  // A followed next link may drop filters, but never changes one.
  return [...after].every(([k, v]) => PAGING_PARAMS.has(k) || before.get(k) === v);
}

/** A fault target hitting the `index`-th request of a run exactly (by path and its position among that path's requests). */
function targetOf(log: RequestLogEntry[], index: number): { path: RegExp; method: string; skip: number } {
  const entry = log[index]!;
  const skip = log.slice(0, index).filter((r) => r.path === entry.path && r.method === entry.method).length;
  return { path: exactPath(entry.path), method: entry.method, skip };
}

/** A fault and the outcome it must lead to. */
interface FaultCase {
  name: string;
  /** The request hit first: the middle one of the run, the second page of a walk, or every request. */
  at: 'mid' | 'nextPage' | 'all';
  fault: FaultRule['fault'];
  times: number;
  /**
   * complete: equal to the fault-free load; fail: a failed stream, state unmoved, nothing half-written;
   * subset: either, and what loaded is part of the fault-free load; conserve: loaded + quarantined = served.
   */
  expect: 'complete' | 'fail' | 'subset' | 'conserve';
  /** Declared-column comparison only (drift adds a JSON column). */
  ignore?: string;
  error?: RegExp;
}

const firstNumberToText = (records: unknown[]) =>
  records.map((r) => {
    if (r === null || typeof r !== 'object') return r;
    const copy = { ...(r as Record<string, unknown>) };
    const key = Object.keys(copy).find((k) => typeof copy[k] === 'number');
    if (key) copy[key] = 'n/a';
    return copy;
  });
const dropLastField = (records: unknown[]) =>
  records.map((r) => {
    if (r === null || typeof r !== 'object') return r;
    const copy = { ...(r as Record<string, unknown>) };
    delete copy[Object.keys(copy).at(-1)!];
    return copy;
  });

const CASES: FaultCase[] = [
  { name: '429 with Retry-After', at: 'mid', fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, times: 2, expect: 'complete' },
  { name: '429 without Retry-After', at: 'mid', fault: { kind: 'rateLimit', retryAfterSeconds: null }, times: 2, expect: 'complete' },
  { name: '5xx burst', at: 'mid', fault: { kind: 'serverError', status: 503 }, times: 3, expect: 'complete' },
  { name: '5xx outage', at: 'mid', fault: { kind: 'serverError', status: 502 }, times: Infinity, expect: 'fail', error: /HTTP 502|unavailable|server error|try again/i },
  { name: 'timeout', at: 'mid', fault: { kind: 'delay', ms: TIMEOUT_MS * 2 }, times: 1, expect: 'complete' },
  { name: 'connection reset', at: 'mid', fault: { kind: 'reset' }, times: 2, expect: 'complete' },
  { name: 'truncated body', at: 'mid', fault: { kind: 'truncate', fraction: 0.5 }, times: 1, expect: 'complete' },
  { name: 'body cut mid-transfer', at: 'mid', fault: { kind: 'truncate', fraction: 0.6, abort: true }, times: 1, expect: 'complete' },
  { name: 'non-JSON 200 body', at: 'mid', fault: { kind: 'html', status: 200 }, times: 1, expect: 'complete' },
  { name: 'HTML 502 page', at: 'mid', fault: { kind: 'html', status: 502 }, times: 2, expect: 'complete' },
  { name: 'non-JSON bodies forever', at: 'mid', fault: { kind: 'html', status: 200 }, times: Infinity, expect: 'fail', error: /not JSON/ },
  { name: 'paging loop', at: 'nextPage', fault: { kind: 'pagingLoop' }, times: 1, expect: 'fail', error: /paging loop/ },
  { name: 'empty page', at: 'nextPage', fault: { kind: 'emptyPage' }, times: 1, expect: 'subset' },
  { name: 'duplicates across pages', at: 'nextPage', fault: { kind: 'duplicateRecords', count: 2 }, times: 1, expect: 'complete' },
  { name: 'drift: new field', at: 'all', fault: { kind: 'schemaDrift', change: 'add', field: 'pulse_new_field', value: { nested: [1, 2] } }, times: Infinity, expect: 'complete', ignore: 'pulse_new_field' },
  { name: 'drift: retyped field', at: 'mid', fault: { kind: 'mutateRecords', mutate: firstNumberToText }, times: 1, expect: 'conserve' },
  { name: 'drift: removed field', at: 'all', fault: { kind: 'mutateRecords', mutate: dropLastField }, times: Infinity, expect: 'conserve' },
];

const distinctRows = (s: WarehouseSnapshot): WarehouseSnapshot => ({
  ...s,
  tables: Object.fromEntries(Object.entries(s.tables).map(([t, rows]) => [t, [...new Set(rows.map((r) => JSON.stringify(r)))].sort()])),
});
const rowCount = (s: WarehouseSnapshot) => Object.values(s.tables).reduce((n, rows) => n + rows.length, 0);
const withoutColumn = (s: WarehouseSnapshot, column: string): WarehouseSnapshot => ({
  ...s,
  tables: Object.fromEntries(Object.entries(s.tables).map(([t, rows]) => [t, rows.map((r) => Object.fromEntries(Object.entries(r as object).filter(([k]) => k !== column)))])),
});

describe.each(CONNECTORS)('%s under API faults', (type) => {
  let baseline: Run;
  let nextPageIndex: number;

  beforeAll(async () => {
    baseline = await extractWith(type, []);
    expect(baseline.result.status, JSON.stringify(baseline.result.streams.map((s) => [s.stream, s.error]))).toBe('succeeded');
    expect(rowCount(baseline.snapshot)).toBeGreaterThan(0);
    nextPageIndex = baseline.requests.findIndex((r, i) => {
      const previous = baseline.requests.slice(0, i).filter((p) => p.route === r.route).at(-1);
      return previous !== undefined && isNextPage(previous, r, type);
    });
    if (nextPageIndex < 0) console.log(baseline.requests.map((r) => `${r.method} ${r.path}?${r.query} → ${r.records}`).join('\n'));
  }, 60_000);

  const cases = CASES.filter((_, i) => selected(i, CONNECTORS.indexOf(type)));
  it.each(cases)('$name', async (c) => {
    // The fault-free run is the yardstick: its middle request, or the second page of a walk.
    const index = c.at === 'nextPage' ? nextPageIndex : Math.floor(baseline.requests.length / 2);
    expect(index, 'the fake serves no walk of two pages or more: make the pages smaller').toBeGreaterThan(0);
    const rule: FaultRule = c.at === 'all' ? { fault: c.fault, times: c.times } : { ...targetOf(baseline.requests, index), fault: c.fault, times: c.times };
    const run = await extractWith(type, [rule], true);
    try {
      const hits = run.hits;
      expect(hits, 'the fault never fired').toBeGreaterThan(0);
      figures.add('runs');
      figures.add('faults injected', hits);
      const maxRetries = run.source.http?.retry?.maxRetries ?? 5;
      // Bounded: a faulted request is sent at most 1 + maxRetries times, and nothing else is re-sent.
      expect(run.requests.length).toBeLessThanOrEqual(baseline.requests.length + hits * (maxRetries + 1));
      const failed = run.result.streams.filter((s) => s.status === 'failed');
      // An outage costs each failed stream one request and its retries, not one per parent record.
      if (c.times === Infinity && c.at !== 'all') expect(hits).toBeLessThanOrEqual((maxRetries + 1) * Math.max(1, failed.length));
      for (const s of run.result.streams) {
        if (s.error) expect(hasStackTrace(s.error), s.error).toBe(false);
      }

      if (c.expect === 'complete') {
        expect(failed.map((s) => `${s.stream}: ${s.error}`)).toEqual([]);
        const actual = c.ignore ? withoutColumn(run.snapshot, c.ignore) : run.snapshot;
        expect(actual).toEqual(baseline.snapshot);
        if (c.fault.kind === 'rateLimit' && c.fault.retryAfterSeconds) expect(run.sleeps).toContain(c.fault.retryAfterSeconds * 1000);
        if (c.ignore) {
          const drift = await run.wh.all<{ field: string }>(`select distinct field from meta.schema_drift where change = 'added'`);
          expect(drift.map((d) => d.field)).toContain(c.ignore);
        }
        figures.add('complete loads');
        return;
      }

      if (c.expect === 'conserve') {
        // Nothing silently lost: every record received is loaded or quarantined with a reason.
        for (const s of run.result.streams) {
          expect(s.rowsLoaded + s.rowsQuarantined, `${s.stream}: records received vs loaded + quarantined`).toBe(run.seen.get(s.stream) ?? 0);
        }
        const reasons = await run.wh.all<{ reason: string }>(`select reason from meta.quarantine where reason is null or reason = ''`);
        expect(reasons).toEqual([]);
        figures.add('conserved loads');
        return;
      }

      if (c.expect === 'subset' && failed.length === 0) {
        for (const [table, rows] of Object.entries(run.snapshot.tables)) {
          const known = new Set((baseline.snapshot.tables[table] ?? []).map((r) => JSON.stringify(r)));
          for (const row of rows) expect(known.has(JSON.stringify(row)), `${table}: a row the fault-free load does not have`).toBe(true);
        }
        figures.add('partial loads without foreign rows');
        return;
      }

      // A failed stream: a clear error, its cursor unmoved, nothing of it half-written.
      expect(failed.length, `expected a failed stream for ${c.name}`).toBeGreaterThan(0);
      for (const s of failed) {
        if (c.error) expect(s.error).toMatch(c.error);
        expect(s.error).toMatch(new RegExp(`${type}|${s.stream}|http`, 'i'));
        expect(s.cursorAfter).toBe(s.cursorBefore);
        const state = await run.wh.all(`select cursor from meta.stream_state where source = $1 and stream = $2`, [type, s.stream]);
        expect(state, `${s.stream}: state moved although the stream failed`).toEqual([]);
        const rows = run.snapshot.tables[`${type}__${s.stream}`] ?? [];
        expect(rows, `${s.stream}: rows half-written by a failed stream`).toEqual([]);
      }
      for (const s of run.result.streams.filter((o) => o.status === 'succeeded')) {
        expect(run.snapshot.tables[`${type}__${s.stream}`], `${s.stream} succeeded but differs`).toEqual(baseline.snapshot.tables[`${type}__${s.stream}`]);
      }
      // The API recovers: a clean rerun on the same warehouse converges to the fault-free load.
      // (A fresh fake: Zendesk's counts export requests per minute, and the faulted run used them up.)
      const world = worldFor(type);
      const recovered = await startFakeServer({ routes: connectorOf(type).sample!.fake!(world) });
      try {
        const rerun = await runExtract(run.wh, [prepareSource(type, recovered.url, world, tempDir(`fault-${type}-rerun`))], { log: silentLogger, sleep: async () => {}, until: untilOf(world) });
        expect(rerun.streams.map((s) => [s.stream, s.status, s.error])).toEqual(rerun.streams.map((s) => [s.stream, 'succeeded', undefined]));
        // Append streams (snapshots) add their rows again on a rerun: compare distinct rows.
        const converged = JSON.parse(JSON.stringify(await snapshotRaw(run.wh)).replaceAll(run.fake.url, 'http://fake').replaceAll(recovered.url, 'http://fake')) as WarehouseSnapshot;
        expect(distinctRows(converged)).toEqual(distinctRows(baseline.snapshot));
      } finally {
        await recovered.close();
      }
      figures.add('clear failures, converged on rerun');
    } finally {
      run.wh.close();
      await run.fake.close();
    }
  });
});
