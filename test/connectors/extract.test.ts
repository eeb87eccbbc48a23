import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { StreamLoader } from '../../connectors/load/loader.ts';
import { buildSource } from '../../connectors/registry.ts';
import { runExtract } from '../../jobs/steps.ts';
import { itemsSourceConfig, makeItems, startTestApi, type ApiOptions, type TestApi } from '../support/api-server.ts';

const NOW = new Date('2026-02-01T00:00:00Z');
let api: TestApi | undefined;
let wh: Warehouse | undefined;

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await api?.close();
  api = undefined;
});

async function setup(items = makeItems(950), apiOptions: Omit<ApiOptions, 'items'> = {}) {
  api = await startTestApi({ items, pageSize: 100, ...apiOptions });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-extract-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const source = buildSource('demoapi', itemsSourceConfig(api.url) as { type: string }, dir);
  return { api, wh, source, dir };
}

/** DuckDB's thread count as the warehouse has it now. */
async function threadsSetting(wh: Warehouse): Promise<number> {
  const [row] = await wh.all<{ threads: number }>(`select current_setting('threads')::int as threads`);
  return row!.threads;
}

describe('extract engine over HTTP', () => {
  it('loads every record, types the columns, and saves the cursor with the data', async () => {
    const { wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, batchRows: 250 });
    expect(result.status).toBe('succeeded');
    expect(result.streams[0]).toMatchObject({ rowsLoaded: 950, rowsQuarantined: 0, pages: 10 });
    const [row] = await wh.all<{ n: number; ids: number; t: string; likes: string }>(
      `select count(*) n, count(distinct id) ids, typeof(any_value(updated_at)) t, typeof(any_value(likes)) likes from raw.demoapi__items`,
    );
    expect(row).toEqual({ n: 950, ids: 950, t: 'TIMESTAMP WITH TIME ZONE', likes: 'BIGINT' });
    const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'demoapi'`);
    expect(state?.cursor).toBe('2026-02-09T13:00:00.000Z'); // item 949: 949 hours after 2026-01-01
    const [msg] = await wh.all<{ message: string }>(`select message from raw.demoapi__items where id = 'item_000003'`);
    expect(msg?.message).toBe('message 3 with "quotes", commas, {braces} and ünïcödé ✓');
  });

  it('starts a stream with small batches that double up to the configured size, so loading starts early', async () => {
    // Pages arrive slowly enough that each batch loads on its own (batches left when the read ends load together).
    const { wh, source } = await setup(makeItems(950), { delayMs: 40 });
    const result = await runExtract(wh, [source], { log: silentLogger, batchRows: 400 });
    expect(result.streams[0]).toMatchObject({ rowsLoaded: 950, pages: 10 });
    // Each batch has its own load stamp. Limits 50, 100, 200, 400 (a batch is cut between pages of 100).
    const batches = await wh.all<{ n: number }>(`select count(*)::int as n from raw.demoapi__items group by _loaded_at order by _loaded_at`);
    expect(batches.map((b) => b.n)).toEqual([100, 100, 200, 400, 150]);
  });

  /** Spies on each batch load: the DuckDB thread count it ran with, and when it started and ended. */
  function watchLoads(delay: (load: number) => number = () => 0) {
    type Loader = { wh: Warehouse };
    const loads: { threads: number; rows: number; start: number; end: number }[] = [];
    const proto = StreamLoader.prototype as unknown as { loadBatchChecked: (this: Loader, ...args: unknown[]) => Promise<unknown> };
    const original = proto.loadBatchChecked;
    const spy = vi.spyOn(proto, 'loadBatchChecked').mockImplementation(async function (this: Loader, ...args: unknown[]) {
      const start = performance.now();
      const threads = await threadsSetting(this.wh);
      const ms = delay(loads.length);
      if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
      const result = await original.apply(this, args);
      loads.push({ threads, rows: (args[1] as { expectedRows: number }).expectedRows, start, end: performance.now() });
      return result;
    });
    return { loads, restore: () => spy.mockRestore() };
  }

  it('loads batches on one DuckDB thread while pages are still fetched, the rest on all, and leaves the default', async () => {
    // Pages arrive slowly enough that each batch is loaded before the next is sealed.
    const { wh, source } = await setup(makeItems(950), { delayMs: 40 });
    const before = await threadsSetting(wh);
    expect(before).toBeGreaterThan(1);
    const watch = watchLoads();
    try {
      const result = await runExtract(wh, [source], { log: silentLogger, batchRows: 400 });
      expect(result.streams[0]).toMatchObject({ rowsLoaded: 950, status: 'succeeded' });
    } finally {
      watch.restore();
    }
    // Batches of 100, 100, 200, 400 are sealed while later pages arrive; the last 150 once the walk is over.
    expect(watch.loads.map((l) => l.threads)).toEqual([1, 1, 1, 1, before]);
    expect(await threadsSetting(wh)).toBe(before);
  });

  it('keeps fetching while the warehouse is slow, up to a bounded backlog, and loads what is left with every thread', async () => {
    const { wh, source } = await setup();
    const defaults = await threadsSetting(wh);
    const progress: { rows: number; at: number }[] = [];
    // Loading is the slow stage: the first load takes 400 ms, every other 40 ms; pages come at once.
    const watch = watchLoads((load) => (load === 0 ? 400 : 40));
    try {
      const result = await runExtract(wh, [source], { log: silentLogger, batchRows: 100, onProgress: (p) => progress.push({ rows: p.rows, at: performance.now() }) });
      expect(result.streams[0]).toMatchObject({ rowsLoaded: 950, status: 'succeeded' });
    } finally {
      watch.restore();
    }
    // Each page of 100 is a batch of its own.
    const loads = watch.loads;
    // While the first load is held up, fetching goes on until two sealed batches wait behind it
    // and a fourth is being filled (pages 1-4), then stops: it does not run away from the warehouse.
    const fetchedDuringFirst = Math.max(...progress.filter((p) => p.at < loads[0]!.end).map((p) => p.rows));
    expect(fetchedDuringFirst).toBe(400);
    // When the read ended, the two batches waiting and the last one had not started: they load as
    // one, with every thread; each earlier batch loaded on its own, on one thread.
    expect(loads.map((l) => [l.rows, l.threads])).toEqual([...Array.from({ length: 7 }, () => [100, 1]), [250, defaults]]);
    // Nothing lost or doubled by fetching ahead of loading.
    const [row] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.demoapi__items`);
    expect(row).toEqual({ n: 950, ids: 950 });
  });

  it('a read that fails part-way loads the batch already loading, drops the ones waiting, and the rerun completes the stream', async () => {
    const items = makeItems(950);
    const { api: failing, wh, source, dir } = await setup(items, { failFrom: 500 });
    const watch = watchLoads((load) => (load === 0 ? 300 : 40));
    let result;
    try {
      result = await runExtract(wh, [source], { log: silentLogger, batchRows: 100 });
    } finally {
      watch.restore();
    }
    const stream = result.streams[0]!;
    expect(stream).toMatchObject({ status: 'failed', error: expect.stringContaining('HTTP 400') });
    // Pages 1-5 arrived; the batches loaded when the read failed are whole pages, and exactly what the run reports.
    const [row] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.demoapi__items`);
    expect(row!.n).toBe(stream.rowsLoaded);
    expect(row!.ids).toBe(row!.n);
    expect(row!.n % 100).toBe(0);
    // Pages 1-4 were sealed when the read failed; the first two loaded (held up, then loading), the
    // ones still waiting were dropped. Loading every sealed batch would give 400.
    expect(row!.n).toBeGreaterThanOrEqual(100);
    expect(row!.n).toBeLessThanOrEqual(300);
    expect(watch.loads.length).toBe(row!.n / 100);
    // The range never completed, so no cursor was saved ahead of the data; no batch file is left behind.
    expect(await wh.all(`select cursor from meta.stream_state where source = 'demoapi' and cursor is not null`)).toEqual([]);
    const left = existsSync(join(dir, '.spool')) ? readdirSync(join(dir, '.spool'), { recursive: true }).filter((f) => String(f).endsWith('.ndjson')) : [];
    expect(left).toEqual([]);
    // Once the API answers again, the rerun loads every record once.
    await failing.close();
    api = await startTestApi({ items, pageSize: 100 });
    const again = buildSource('demoapi', itemsSourceConfig(api.url) as { type: string }, dir);
    const second = await runExtract(wh, [again], { log: silentLogger, batchRows: 100 });
    expect(second.status).toBe('succeeded');
    const [final] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.demoapi__items`);
    expect(final).toEqual({ n: 950, ids: 950 });
  });

  it('restores the DuckDB threads when a batch loaded on one thread fails', async () => {
    const { wh, source } = await setup();
    const before = await threadsSetting(wh);
    const spy = vi.spyOn(StreamLoader.prototype as unknown as { loadBatchChecked: () => Promise<unknown> }, 'loadBatchChecked').mockRejectedValue(new Error('disk full'));
    try {
      const result = await runExtract(wh, [source], { log: silentLogger, batchRows: 400 });
      expect(result.streams[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('disk full') });
    } finally {
      spy.mockRestore();
    }
    expect(await threadsSetting(wh)).toBe(before);
  });

  it('reruns without duplicates and re-reads only the lookback window', async () => {
    const { api, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger });
    const before = await wh.all(`select id, updated_at, likes, message from raw.demoapi__items order by id`);
    api.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger });
    const after = await wh.all(`select id, updated_at, likes, message from raw.demoapi__items order by id`);
    expect(after).toEqual(before);
    // The saved cursor is item 949's time; a 2-day lookback re-reads items 901..949 (49 records).
    expect(second.streams[0]?.rowsLoaded).toBe(49);
    expect(api.requests[0]).toContain('since=2026-02-07T13%3A00%3A00.000Z');
  });

  it('quarantines a record with a bad field, with field and reason, and loads the rest', async () => {
    const items = makeItems(300);
    items[42] = { ...items[42]!, likes: 'lots' };
    items[43] = { ...items[43]!, likes: -5 };
    const { wh, source } = await setup(items);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.streams[0]).toMatchObject({ rowsLoaded: 298, rowsQuarantined: 2, status: 'succeeded' });
    const rows = await wh.all<{ field: string; reason: string; record: string }>(`select field, reason, record from meta.quarantine order by quarantine_id`);
    expect(rows.map((r) => [r.field, r.reason])).toEqual([
      ['likes', 'likes: expected BIGINT, got lots'],
      ['likes', 'likes: must be at least 0, got -5'],
    ]);
    expect(JSON.parse(rows[0]!.record)).toMatchObject({ id: 'item_000042', likes: 'lots' });
  });

  it('keeps a field the API added and reports it as schema drift', async () => {
    const items = makeItems(120).map((i, n) => (n >= 100 ? { ...i, video_views: n * 10 } : i));
    const { wh, source } = await setup(items);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.streams[0]?.driftFields).toEqual(['video_views']);
    const [row] = await wh.all<{ v: string }>(`select video_views::varchar v from raw.demoapi__items where id = 'item_000110'`);
    expect(row?.v).toBe('1100');
    const drift = await wh.all(`select field, change from meta.schema_drift`);
    expect(drift).toEqual([{ field: 'video_views', change: 'added' }]);
  });

  it('fails a stream on an unreachable API without moving its cursor, and records the error', async () => {
    const { wh, source } = await setup();
    await api!.close();
    api = undefined;
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async () => {} });
    expect(result.status).toBe('failed');
    expect(result.streams[0]?.error).toMatch(/ECONNREFUSED|connect/i);
    expect(await wh.all(`select * from meta.stream_state`)).toEqual([]);
    const [run] = await wh.all<{ status: string; error: string }>(`select status, error from meta.runs`);
    expect(run?.status).toBe('failed');
  });

  it('keeps the last copy of a record served twice, and a bad restatement never deletes the good row', async () => {
    const items = makeItems(250);
    // item 120 appears again on a later page with new likes: the later copy wins.
    items.push({ ...items[120]!, likes: 99 });
    const { api, wh, source } = await setup(items);
    await runExtract(wh, [source], { log: silentLogger });
    const [dup] = await wh.all<{ n: number; likes: number }>(`select count(*)::int n, any_value(likes)::int likes from raw.demoapi__items where id = 'item_000120'`);
    expect(dup).toEqual({ n: 1, likes: 99 });
    // Now the API restates item 249 with a broken value: the stored row stays, the new one is quarantined.
    api.items[249] = { ...api.items[249]!, likes: 'n/a' };
    const rerun = await runExtract(wh, [source], { log: silentLogger });
    expect(rerun.streams[0]?.rowsQuarantined).toBe(1);
    const [kept] = await wh.all<{ likes: number }>(`select likes::int likes from raw.demoapi__items where id = 'item_000249'`);
    expect(kept?.likes).toBe((249 * 7) % 101);
  });

  it('reads a windowed stream in many windows, commits them together, and resumes after the last window saved', async () => {
    const items = makeItems(24 * 20); // one an hour for 20 days from 2026-01-01
    api = await startTestApi({ items, pageSize: 50 });
    const dir = mkdtempSync(join(tmpdir(), 'pulse-windows-'));
    wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
    const config = itemsSourceConfig(api.url) as { type: string; streams: { items: Record<string, unknown> } };
    config.streams.items['query'] = { since: '{since}', until: '{until}' };
    config.streams.items['windowDays'] = 1;
    config.streams.items['cursor'] = { field: 'updated_at', initial: '2026-01-01T00:00:00.000Z', lookbackDays: 2 };
    const source = buildSource('winapi', config, dir);
    const until = new Date('2026-01-21T00:00:00Z');
    const first = await runExtract(wh, [source], { log: silentLogger, until });
    expect(first.streams[0]).toMatchObject({ status: 'succeeded', rowsLoaded: 480 });
    expect(api.requests.filter((r) => r.startsWith("/items")).length).toBe(20); // 20 one-day windows of 24 rows: one page each
    const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state`);
    expect(state?.cursor).toBe('2026-01-21T00:00:00.000Z');
    api.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, until });
    // Only the 2-day lookback is read again: two windows.
    expect(api.requests).toHaveLength(2);
    expect(second.streams[0]?.rowsLoaded).toBe(48);
    const [count] = await wh.all<{ n: number }>(`select count(*)::int n from raw.winapi__items`);
    expect(count?.n).toBe(480);
  });

  it('append keeps every delivery; replace swaps in a complete new copy only at the end', async () => {
    const items = makeItems(120);
    api = await startTestApi({ items, pageSize: 50 });
    const dir = mkdtempSync(join(tmpdir(), 'pulse-dispositions-'));
    wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
    const url = api.url;
    const withDisposition = (disposition: string) => {
      const config = itemsSourceConfig(url) as { type: string; streams: { items: Record<string, unknown> } };
      config.streams.items['disposition'] = disposition;
      delete config.streams.items['cursor'];
      return config;
    };
    const appendSource = buildSource('appendapi', withDisposition('append'), dir);
    const replaceSource = buildSource('replaceapi', withDisposition('replace'), dir);
    await runExtract(wh, [appendSource, replaceSource], { log: silentLogger });
    await runExtract(wh, [appendSource, replaceSource], { log: silentLogger });
    const counts = await wh.all<{ a: number; r: number; runs: number }>(
      `select (select count(*)::int from raw.appendapi__items) a, (select count(*)::int from raw.replaceapi__items) r, (select count(distinct _run_id)::int from raw.replaceapi__items) runs`,
    );
    // Two full deliveries appended; one current copy replaced, all from the latest run.
    expect(counts[0]).toEqual({ a: 240, r: 120, runs: 1 });
    // A replace that fails half-way leaves the previous copy untouched.
    await api.close(); // the API goes away: the next replace fails before its swap
    api = undefined;
    const brokenConfig = withDisposition('replace');
    const failing = await runExtract(wh, [buildSource('replaceapi', brokenConfig, dir)], { log: silentLogger, sleep: async () => {} });
    expect(failing.status).toBe('failed');
    const [after] = await wh.all<{ n: number }>(`select count(*)::int n from raw.replaceapi__items`);
    expect(after?.n).toBe(120);
  });
});
