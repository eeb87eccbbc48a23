/**
 * Concurrency: two `pulse run JOB` on one warehouse (one runs, the other is refused clearly with
 * exit 75, nothing corrupted); two `pulse extract` at once (the second waits for the file, both
 * load, no duplicates); an analyst holding `analytics.duckdb` open read-only mid-transaction while
 * a publish replaces it (the publish succeeds, the analyst's view stays the old one until they
 * reopen); and `pulse report` building the site while publishes replace the file under it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse } from '../../core/warehouse.ts';
import { createContext } from '../../jobs/context.ts';
import { buildStep, publishStep, runExtract } from '../../jobs/steps.ts';
import { makeItems, startTestApi, type TestApi } from '../support/api-server.ts';
import { collect, runPulse, spawnPulse, writeConfig } from '../support/cli.ts';
import { TEST_MODELS } from './fixtures/models.ts';
import { hasStackTrace, tally, tempDir, TSX_LOADER } from './support.ts';

const figures = tally();
let api: TestApi;
afterAll(async () => {
  figures.print('concurrency');
  await api?.close();
});
beforeAll(async () => {
  // Slow pages, so two runs overlap for sure.
  api = await startTestApi({ items: makeItems(600), pageSize: 50, delayMs: 150 });
});

function configIn(dir: string, extra: Record<string, unknown> = {}): string {
  mkdirSync(join(dir, 'drops'), { recursive: true });
  writeFileSync(join(dir, 'drops', 'orders-1.csv'), 'order_id,customer_email,amount,ordered_at\no1,a@example.com,10,2026-01-01T00:00:00Z\no2,b@example.com,12,2026-01-02T00:00:00Z\n');
  return writeConfig(dir, {
    warehouse: { path: 'warehouse.duckdb', analyticsPath: 'published/analytics.duckdb', lockTimeoutSeconds: 60 },
    sources: {
      crashapi: {
        type: 'rest',
        baseUrl: api.url,
        streams: {
          items: {
            path: '/items', query: { since: '{since}' }, recordPath: 'data', primaryKey: 'id',
            paginator: { kind: 'cursor', cursorPath: 'paging.next_cursor', param: 'after' },
            cursor: { field: 'updated_at', initial: '2025-12-01T00:00:00.000Z' },
            fields: { id: 'string', updated_at: 'timestamp', likes: 'integer', message: 'string' },
          },
        },
      },
      drops: { type: 'files', root: 'drops', streams: { orders: { glob: 'orders-*.csv', format: 'csv', primaryKey: 'order_id', fields: { order_id: 'string', customer_email: 'string', amount: 'decimal', ordered_at: 'timestamp' } } } },
    },
    ...extra,
  });
}

async function counts(dir: string) {
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  try {
    const [row] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.crashapi__items`);
    return row!;
  } finally {
    wh.close();
  }
}

describe('two writers on one warehouse', () => {
  it.concurrent('two `pulse run JOB` at once: one runs, the other is refused with exit 75 naming the holder', async () => {
    const dir = tempDir('two-runs');
    const config = configIn(dir, { jobs: { load: { schedule: '0 3 * * *', steps: { extract: ['crashapi'] } } } });
    const [a, b] = await Promise.all([runPulse(['run', 'load', '--config', config]), runPulse(['run', 'load', '--config', config])]);
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 75]);
    const refused = a.code === 75 ? a : b;
    expect(refused.stderr).toMatch(/in use by `pulse run load` \(pid \d+/);
    expect(hasStackTrace(refused.stderr)).toBe(false);
    expect(await counts(dir)).toEqual({ n: 600, ids: 600 });
    // A third run after both finished takes the (released) lock and converges.
    const third = await runPulse(['run', 'load', '--config', config]);
    expect(third.code, third.stderr).toBe(0);
    expect(await counts(dir)).toEqual({ n: 600, ids: 600 });
    expect(existsSync(join(dir, 'warehouse.duckdb.lock'))).toBe(false);
    figures.add('concurrent job runs', 3);
  }, 120_000);

  it.concurrent('two `pulse extract` at once: the second waits for the file, both succeed, nothing is duplicated', async () => {
    const dir = tempDir('two-extracts');
    const config = configIn(dir);
    const [a, b] = await Promise.all([runPulse(['extract', '--config', config]), runPulse(['extract', '--config', config])]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(a.stderr + b.stderr).toMatch(/warehouse file is in use; waiting/);
    expect(await counts(dir)).toEqual({ n: 600, ids: 600 });
    figures.add('concurrent extracts', 2);
  }, 120_000);
});

describe('readers of the published file', () => {
  let dir: string;
  let config: string;

  /** Extracts, builds and publishes in this process. */
  async function pipeline(steps: ('extract' | 'build' | 'publish')[]): Promise<void> {
    const ctx = await createContext({ config, json: true, logLevel: 'error', logFormat: 'text' }, dir);
    const wh = await ctx.openWarehouse();
    try {
      for (const step of steps) {
        if (step === 'extract') expect((await runExtract(wh, await ctx.sources(), { log: silentLogger })).status).toBe('succeeded');
        if (step === 'build') expect((await buildStep(wh, { log: silentLogger, models: TEST_MODELS })).build.ok).toBe(true);
        if (step === 'publish') expect((await publishStep(wh, { log: silentLogger, models: TEST_MODELS, analyticsPath: ctx.config.warehouse.analyticsPath })).status).toBe('succeeded');
      }
    } finally {
      wh.close();
      await ctx.close();
    }
  }

  /** Adds items to the warehouse as a later extract would. */
  async function addItems(from: number, n: number): Promise<void> {
    const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
    try {
      for (const item of makeItems(from + n).slice(from)) {
        await wh.run(`insert into raw.crashapi__items (id, updated_at, likes, message, _loaded_at, _run_id) values ($1, $2::timestamptz, $3, $4, now(), 'manual')`, [item.id, item.updated_at, Number(item.likes), item.message]);
      }
    } finally {
      wh.close();
    }
  }

  beforeAll(async () => {
    dir = tempDir('readers');
    config = configIn(dir);
    await pipeline(['extract', 'build', 'publish']);
  }, 120_000);

  it('an analyst mid-transaction keeps a consistent view while a publish replaces the file', async () => {
    const file = join(dir, 'published', 'analytics.duckdb');
    const analyst = spawn(process.execPath, ['--import', TSX_LOADER, join(import.meta.dirname, 'fixtures/analyst.ts'), file], { stdio: ['pipe', 'pipe', 'pipe'] });
    const done = collect(analyst);
    let out = '';
    await new Promise<void>((resolveReady, reject) => {
      analyst.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) resolveReady();
      });
      analyst.on('close', () => reject(new Error(`analyst exited early: ${out}`)));
    });
    await addItems(600, 240);
    await pipeline(['build', 'publish']); // succeeds although the analyst holds the old file open
    analyst.stdin!.write('again\n');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    const reads = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { phase: string; items: number; published_at: string });
    expect(reads.map((r) => r.phase)).toEqual(['in transaction', 'same transaction, after publish', 'reopened']);
    expect(reads[1]).toEqual({ ...reads[0], phase: 'same transaction, after publish' });
    expect(reads[0]!.items).toBe(600);
    expect(reads[2]!.items).toBe(840);
    expect(reads[2]!.published_at).not.toBe(reads[0]!.published_at);
    figures.add('analyst sessions across a publish');
  }, 120_000);

  it('`pulse report` builds the site while publishes replace the file under it', async () => {
    const report = spawnPulse(['report', '--config', config, '--out', join(dir, 'site')], { cwd: dir });
    const done = collect(report);
    let publishes = 0;
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 3 && !finished; i++) {
      await addItems(840 + i * 24, 24);
      await pipeline(['build', 'publish']);
      publishes++;
    }
    const result = await done;
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(join(dir, 'site', 'index.html'))).toBe(true);
    expect(publishes).toBeGreaterThan(0);
    figures.add('publishes during a report build', publishes);
  }, 180_000);
});
