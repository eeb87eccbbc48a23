/**
 * Crash consistency of the whole pipeline: `pulse extract` (a REST source against the test API and
 * a file source), then build and publish of small test models (run by fixtures/run-step.ts as their
 * own process), each SIGKILLed at seeded random moments. After every kill the warehouse opens,
 * no record is duplicated, saved state is not ahead of the data, every mart is either its old or
 * its new complete version, and `analytics.duckdb` is a valid DuckDB file holding either the old
 * or the new complete publish; a rerun then converges to an uninterrupted run, table by table.
 *
 * PULSE_CRASH_POINTS sets the kills per step (CI: 6, so 18 in all; full mode: 17, so 51 in all)
 * and PULSE_CRASH_SEED replays a failure. The three steps' points run side by side (each kill is
 * timed from its own child's start of work, so load on the machine shifts no kill out of a run).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, qualified } from '../../core/sql.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { makeItems, startTestApi, type TestApi } from '../support/api-server.ts';
import { silentLogger } from '../../core/log.ts';
import { createContext } from '../../jobs/context.ts';
import { buildStep, publishStep, runExtract } from '../../jobs/steps.ts';
import { collect, spawnPulse, writeConfig } from '../support/cli.ts';
import { TEST_MODELS } from './fixtures/models.ts';
import { seededRandom } from '../support/random.ts';
import { queryFile, tally, tempDir, TSX_LOADER } from './support.ts';

const POINTS = Number(process.env['PULSE_CRASH_POINTS'] ?? 6);
const SEED = Number(process.env['PULSE_CRASH_SEED'] ?? 20261124);
const ITEMS_V1 = 1200;
const ITEMS_V2 = 2400;
const RUN_STEP = resolve(import.meta.dirname, 'fixtures/run-step.ts');

const figures = tally();
let apiV1: TestApi;
let apiV2: TestApi;
let root: string;

beforeAll(async () => {
  apiV1 = await startTestApi({ items: makeItems(ITEMS_V1), pageSize: 100, delayMs: 15 });
  apiV2 = await startTestApi({ items: makeItems(ITEMS_V2), pageSize: 100, delayMs: 15 });
  root = tempDir('crash');
});
afterAll(async () => {
  figures.print('crash');
  await apiV1?.close();
  await apiV2?.close();
});

/** Writes the config of one working folder: the REST source on `api`, the file source in `drops/`. */
function configIn(dir: string, api: TestApi): string {
  return writeConfig(dir, {
    warehouse: { path: 'warehouse.duckdb', analyticsPath: 'published/analytics.duckdb', lockTimeoutSeconds: 5 },
    extract: { batchRows: 150 },
    sources: {
      crashapi: {
        type: 'rest',
        baseUrl: api.url,
        retries: 2,
        streams: {
          items: {
            path: '/items',
            query: { since: '{since}' },
            recordPath: 'data',
            primaryKey: 'id',
            paginator: { kind: 'cursor', cursorPath: 'paging.next_cursor', param: 'after' },
            cursor: { field: 'updated_at', initial: '2025-12-01T00:00:00.000Z', lookbackDays: 2 },
            fields: { id: { type: 'string', required: true }, updated_at: { type: 'timestamp', required: true }, likes: { type: 'integer', min: 0 }, message: 'string' },
          },
        },
      },
      drops: {
        type: 'files',
        root: 'drops',
        streams: {
          orders: {
            glob: 'orders-*.csv',
            format: 'csv',
            primaryKey: 'order_id',
            fields: { order_id: { type: 'string', required: true }, customer_email: 'string', amount: 'decimal', ordered_at: 'timestamp' },
          },
        },
      },
    },
  });
}

/** Writes a CSV file of `n` orders starting at number `from`. */
function writeOrders(dir: string, name: string, from: number, n: number): void {
  mkdirSync(join(dir, 'drops'), { recursive: true });
  const lines = ['order_id,customer_email,amount,ordered_at'];
  for (let i = from; i < from + n; i++) lines.push(`o${i},customer${i % 37}@example.com,${(i % 90) + 0.5},2026-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`);
  writeFileSync(join(dir, 'drops', name), lines.join('\n') + '\n');
}

/** Starts a step as a killable child: `pulse extract`, or build/publish of the test models. */
function startStep(step: 'extract' | 'build' | 'publish', config: string) {
  if (step === 'extract') return spawnPulse(['extract', '--config', config]);
  return spawn(process.execPath, ['--import', TSX_LOADER, RUN_STEP, step, config], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Copies a working folder (closed DuckDB files, config, drops) into a new one. */
function copyDir(from: string, name: string): string {
  const to = join(root, name);
  cpSync(from, to, { recursive: true });
  return to;
}

async function withWarehouse<T>(dir: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'), { lockTimeoutMs: 10_000 });
  try {
    return await work(wh);
  } finally {
    wh.close();
  }
}

const BOOKKEEPING = new Set(['_loaded_at', '_run_id']);

/**
 * Every relation of the given schemas (bookkeeping columns aside) as its row count and an
 * order-independent digest of its rows, computed inside DuckDB so wide marts stay cheap to compare.
 */
async function relations(query: (sql: string) => Promise<Record<string, unknown>[]>, schemas: string[]): Promise<Record<string, { rows: unknown; digest: unknown }>> {
  const out: Record<string, { rows: unknown; digest: unknown }> = {};
  const list = schemas.map((s) => `'${s}'`).join(', ');
  const names = await query(`select table_schema as s, table_name as t from information_schema.tables where table_schema in (${list}) and table_name not like '\\_incoming\\_\\_%' escape '\\' order by 1, 2`);
  for (const { s, t } of names as { s: string; t: string }[]) {
    const cols = (await query(`select column_name as c from information_schema.columns where table_schema = '${s}' and table_name = '${t}' order by ordinal_position`)) as { c: string }[];
    const row = cols.filter((c) => !BOOKKEEPING.has(c.c)).map((c) => `${ident(c.c)} := ${ident(c.c)}::varchar`).join(', ');
    const [summary] = await query(`select count(*)::bigint as n, coalesce(sum(hash(struct_pack(${row})))::hugeint, 0)::varchar as h from ${qualified(s, t)}`);
    out[`${s}.${t}`] = { rows: summary?.['n'], digest: summary?.['h'] };
  }
  return out;
}

/** The working warehouse's content that must match an uninterrupted run. */
async function warehouseSnapshot(dir: string) {
  return withWarehouse(dir, async (wh) => ({
    relations: await relations((sql) => wh.all(sql), ['raw', 'staging', 'marts']),
    state: await wh.all(`select source, stream, cursor from meta.stream_state order by all`),
    files: await wh.all(`select source, stream, path, sha256 from meta.loaded_files order by all`),
    quarantined: (await wh.all<{ n: number }>(`select count(*)::int n from meta.quarantine`))[0]!.n,
  }));
}

/** The published file's content: marts, the published list, the cursors copied into it. */
async function analyticsSnapshot(dir: string) {
  const path = join(dir, 'published', 'analytics.duckdb');
  const instanceQuery = (sql: string) => queryFile<Record<string, unknown>>(path, sql);
  const [published] = await instanceQuery(`select published_at::varchar as published_at, tables from meta.published`);
  return {
    marts: await relations(instanceQuery, ['marts']),
    tables: published?.['tables'],
    publishedAt: published?.['published_at'],
    state: await instanceQuery(`select source, stream, cursor from meta.stream_state order by all`),
  };
}

/** Resolves once `step` begins its work: the child's first API request (extract) or its "ready" line. */
function workStarted(step: 'extract' | 'build' | 'publish', child: ReturnType<typeof startStep>, api: TestApi): Promise<void> {
  if (step === 'extract') {
    const before = api.requests.length;
    return new Promise((resolveStarted) => {
      const poll = setInterval(() => {
        if (api.requests.length > before || child.exitCode !== null || child.signalCode !== null) {
          clearInterval(poll);
          resolveStarted();
        }
      }, 2);
    });
  }
  return new Promise((resolveStarted) => {
    let text = '';
    child.stderr?.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('ready\n')) resolveStarted();
    });
    child.on('close', () => resolveStarted());
  });
}

/** Runs `step` as a child to completion and returns how long its work took after start-up. */
async function timeWork(step: 'extract' | 'build' | 'publish', config: string, api: TestApi): Promise<number> {
  const child = startStep(step, config);
  const done = collect(child);
  await workStarted(step, child, api);
  const started = Date.now();
  const result = await done;
  expect(result.code, `${step} failed: ${result.stderr}`).toBe(0);
  return Date.now() - started;
}

/** Kills `step` a seeded moment into its work (start-up excluded); returns when and whether it was cut off. */
async function killDuring(step: 'extract' | 'build' | 'publish', config: string, workMs: number, api: TestApi, random: () => number): Promise<{ delay: number; killed: boolean }> {
  const delay = Math.floor(workMs * random());
  const child = startStep(step, config);
  const done = collect(child);
  await workStarted(step, child, api);
  const timer = setTimeout(() => child.kill('SIGKILL'), delay);
  const outcome = await done;
  clearTimeout(timer);
  const killed = outcome.signal === 'SIGKILL';
  if (!killed) expect(outcome.code, `${step} ended on its own but failed: ${outcome.stderr}`).toBe(0);
  return { delay, killed };
}

/** Runs a step uninterrupted in this process (faster than a child; the same steps the CLI runs). */
async function runInProcess(step: 'extract' | 'build' | 'publish', config: string): Promise<void> {
  const ctx = await createContext({ config, json: true, logLevel: 'error', logFormat: 'text' }, dirname(config));
  const wh = await ctx.openWarehouse();
  try {
    if (step === 'extract') {
      const result = await runExtract(wh, await ctx.sources(), { log: silentLogger, batchRows: ctx.config.extract.batchRows });
      expect(result.status, JSON.stringify(result.streams.map((s) => s.error))).toBe('succeeded');
    } else if (step === 'build') {
      const result = await buildStep(wh, { log: silentLogger, models: TEST_MODELS });
      expect(result.build.ok, JSON.stringify(result.build.models)).toBe(true);
    } else {
      const result = await publishStep(wh, { log: silentLogger, models: TEST_MODELS, analyticsPath: ctx.config.warehouse.analyticsPath });
      expect(result.status).toBe('succeeded');
    }
  } finally {
    wh.close();
    await ctx.close();
  }
}

describe(`extract, build and publish survive SIGKILL at ${POINTS} seeded points each (seed ${SEED})`, () => {
  // Working folders, each built once by uninterrupted runs.
  let v1: string; // extracted v1, built, published v1
  let extractedV2: string; // v1 + a v2 extract (more items, another file); marts and published file still v1
  let builtV2: string; // extractedV2 + build: marts v2, published file v1
  let publishedV2: string; // builtV2 + publish v2
  const usual = { extract: 0, build: 0, publish: 0 };

  beforeAll(async () => {
    v1 = join(root, 'v1');
    mkdirSync(v1);
    writeOrders(v1, 'orders-1.csv', 0, 400);
    await runInProcess('extract', configIn(v1, apiV1));
    await runInProcess('build', join(v1, 'pulse.config.ts'));
    await runInProcess('publish', join(v1, 'pulse.config.ts'));

    extractedV2 = copyDir(v1, 'extracted-v2');
    writeOrders(extractedV2, 'orders-2.csv', 400, 300);
    await runInProcess('extract', configIn(extractedV2, apiV2));
    builtV2 = copyDir(extractedV2, 'built-v2');
    await runInProcess('build', join(builtV2, 'pulse.config.ts'));
    publishedV2 = copyDir(builtV2, 'published-v2');
    await runInProcess('publish', join(publishedV2, 'pulse.config.ts'));

    // How long each step works once started, measured on throwaway copies by the same child processes the kills hit.
    const probe = copyDir(v1, 'probe-extract');
    writeOrders(probe, 'orders-2.csv', 400, 300);
    usual.extract = await timeWork('extract', configIn(probe, apiV2), apiV2);
    usual.build = await timeWork('build', join(copyDir(extractedV2, 'probe-build'), 'pulse.config.ts'), apiV2);
    usual.publish = await timeWork('publish', join(copyDir(builtV2, 'probe-publish'), 'pulse.config.ts'), apiV2);
    console.log(`[reliability] uninterrupted work after start-up: extract ${usual.extract} ms, build ${usual.build} ms, publish ${usual.publish} ms`);
  }, 300_000);

  it.concurrent('extract: no duplicates, state never ahead of data, rerun converges', async () => {
    const expected = await warehouseSnapshot(extractedV2);
    expect(expected.relations['raw.crashapi__items']?.rows).toBe(ITEMS_V2);
    const random = seededRandom(SEED);
    let killed = 0;
    for (let point = 0; point < POINTS; point++) {
      const dir = copyDir(v1, `extract-${point}`);
      writeOrders(dir, 'orders-2.csv', 400, 300);
      const config = configIn(dir, apiV2);
      const { delay, killed: wasKilled } = await killDuring('extract', config, usual.extract, apiV2, random);
      if (wasKilled) killed++;
      const where = `extract point ${point} (kill after ${delay} ms)`;
      await withWarehouse(dir, async (wh) => {
        const [dupes] = await wh.all<{ n: number }>(`select count(*) - count(distinct id) as n from raw.crashapi__items`);
        expect(dupes?.n, `${where}: duplicates`).toBe(0);
        const [orderDupes] = await wh.all<{ n: number }>(`select count(*) - count(distinct order_id) as n from raw.drops__orders`);
        expect(orderDupes?.n, `${where}: duplicate orders`).toBe(0);
        const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'crashapi'`);
        const covered = apiV2.items.filter((i) => i.updated_at <= state!.cursor).length;
        const [loaded] = await wh.all<{ n: number }>(`select count(*)::int n from raw.crashapi__items where updated_at <= $1::timestamptz`, [state!.cursor]);
        expect(loaded?.n, `${where}: state ${state!.cursor} ahead of data`).toBe(covered);
        // A file counts as loaded only together with its rows.
        const files = await wh.all<{ path: string }>(`select path from meta.loaded_files where source = 'drops'`);
        const [orders] = await wh.all<{ n: number }>(`select count(*)::int n from raw.drops__orders`);
        expect(orders?.n, `${where}: loaded files vs rows`).toBe(files.some((f) => f.path === 'orders-2.csv') ? 700 : 400);
      });
      await runInProcess('extract', config);
      expect(await warehouseSnapshot(dir), `${where}: differs from the uninterrupted run`).toEqual(expected);
      figures.add('extract points');
    }
    figures.add('extract killed mid-run', killed);
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(POINTS / 2));
  }, 600_000);

  it.concurrent('build: every mart is its old or its new complete version, rerun converges', async () => {
    const before = await warehouseSnapshot(extractedV2);
    const expected = await warehouseSnapshot(builtV2);
    const marts = Object.keys(expected.relations).filter((name) => name.startsWith('marts.'));
    expect(marts).toHaveLength(5);
    // The v2 data changes every mart, so "old or new" is a real choice.
    for (const mart of marts) expect(expected.relations[mart]).not.toEqual(before.relations[mart]);
    // The killed builds merge: the keyed and window marts build incrementally on v2.
    await withWarehouse(builtV2, async (wh) => {
      const modes = await wh.all(`select model, mode from meta.model_runs where model in ('fct_customer_orders', 'fct_item_hourly') qualify row_number() over (partition by model order by seq desc) = 1 order by model`);
      expect(modes).toEqual([
        { model: 'fct_customer_orders', mode: 'incremental' },
        { model: 'fct_item_hourly', mode: 'incremental' },
      ]);
    });
    const random = seededRandom(SEED + 1);
    let killed = 0;
    for (let point = 0; point < POINTS; point++) {
      const dir = copyDir(extractedV2, `build-${point}`);
      const config = join(dir, 'pulse.config.ts');
      const { delay, killed: wasKilled } = await killDuring('build', config, usual.build, apiV2, random);
      if (wasKilled) killed++;
      const where = `build point ${point} (kill after ${delay} ms)`;
      const after = await warehouseSnapshot(dir);
      for (const mart of marts) {
        const rows = after.relations[mart];
        expect(rows, `${where}: ${mart} lost`).toBeDefined();
        const isOld = JSON.stringify(rows) === JSON.stringify(before.relations[mart]);
        const isNew = JSON.stringify(rows) === JSON.stringify(expected.relations[mart]);
        expect(isOld || isNew, `${where}: ${mart} is neither the old nor the new build (${JSON.stringify(rows)})`).toBe(true);
      }
      await runInProcess('build', config);
      expect(await warehouseSnapshot(dir), `${where}: differs from the uninterrupted run`).toEqual(expected);
      figures.add('build points');
    }
    figures.add('build killed mid-run', killed);
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(POINTS / 2));
  }, 600_000);

  it.concurrent('publish: analytics.duckdb is always the old or the new complete file, rerun converges', async () => {
    const oldFile = await analyticsSnapshot(builtV2);
    const newFile = await analyticsSnapshot(publishedV2);
    expect(newFile.marts).not.toEqual(oldFile.marts);
    const expectedWarehouse = await warehouseSnapshot(publishedV2);
    const random = seededRandom(SEED + 2);
    let killed = 0;
    let sawOld = 0;
    let sawNew = 0;
    for (let point = 0; point < POINTS; point++) {
      const dir = copyDir(builtV2, `publish-${point}`);
      const config = join(dir, 'pulse.config.ts');
      const { delay, killed: wasKilled } = await killDuring('publish', config, usual.publish, apiV2, random);
      if (wasKilled) killed++;
      const where = `publish point ${point} (kill after ${delay} ms)`;
      // Whatever moment the kill hit, the file opens as DuckDB and is one complete publish.
      const seen = await analyticsSnapshot(dir);
      const isOld = seen.publishedAt === oldFile.publishedAt && JSON.stringify(seen.marts) === JSON.stringify(oldFile.marts);
      const isNew = seen.publishedAt !== oldFile.publishedAt && JSON.stringify(seen.marts) === JSON.stringify(newFile.marts) && seen.tables === newFile.tables;
      expect(isOld || isNew, `${where}: analytics.duckdb is neither the old nor the new publish`).toBe(true);
      if (isOld) sawOld++;
      else sawNew++;
      await runInProcess('publish', config);
      const { publishedAt: _ignored, ...rerun } = await analyticsSnapshot(dir);
      const { publishedAt: _expected, ...reference } = newFile;
      expect(rerun, `${where}: the republished file differs from the uninterrupted run`).toEqual(reference);
      expect(await warehouseSnapshot(dir), `${where}: warehouse differs`).toEqual(expectedWarehouse);
      // A killed publish may leave its temp file; the next publish clears it.
      const leftovers = readdirSync(join(dir, 'published')).filter((f) => f !== 'analytics.duckdb');
      expect(leftovers, `${where}: files left beside analytics.duckdb`).toEqual([]);
      figures.add('publish points');
    }
    figures.add('publish killed mid-run', killed);
    figures.add('kills that left the old file', sawOld);
    figures.add('kills after the rename', sawNew);
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(POINTS / 2));
    expect(existsSync(join(publishedV2, 'published', 'analytics.duckdb'))).toBe(true);
  }, 600_000);
});
