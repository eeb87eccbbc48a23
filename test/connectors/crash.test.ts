/**
 * Crash consistency of `pulse extract`: SIGKILL the process at seeded random moments while it
 * pages and loads, check that saved state is never ahead of the data, rerun, and compare every
 * table with an uninterrupted run. PULSE_CRASH_POINTS sets how many kills (default 6 in CI;
 * the full mode documented in the README uses 50) and PULSE_CRASH_SEED replays a failure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../core/warehouse.ts';
import { collect, runPulse, spawnPulse, writeConfig } from '../support/cli.ts';
import { itemsSourceConfig, makeItems, startTestApi, type TestApi } from '../support/api-server.ts';
import { seededRandom } from '../support/random.ts';

const POINTS = Number(process.env['PULSE_CRASH_POINTS'] ?? 6);
const SEED = Number(process.env['PULSE_CRASH_SEED'] ?? 20261123);
const ITEMS = 4000;

let api: TestApi;
let root: string;

beforeAll(async () => {
  api = await startTestApi({ items: makeItems(ITEMS), pageSize: 100, delayMs: 40 });
  root = mkdtempSync(join(tmpdir(), 'pulse-crash-'));
});
afterAll(() => api.close());

function configIn(dir: string): string {
  return writeConfig(dir, { warehouse: { path: join(dir, 'warehouse.duckdb') }, extract: { batchRows: 250 }, sources: { crashapi: itemsSourceConfig(api.url) } });
}

/** Every table's content that must match an uninterrupted run (load bookkeeping columns aside). */
async function snapshot(path: string) {
  const wh = await openWarehouse(path);
  try {
    const items = await wh.all<{ id: string }>(`select id, updated_at, likes, message from raw.crashapi__items order by id`);
    const state = await wh.all(`select source, stream, cursor from meta.stream_state order by all`);
    const quarantine = await wh.all(`select count(*)::int n from meta.quarantine`);
    return { items, state, quarantine };
  } finally {
    wh.close();
  }
}

describe(`extract survives SIGKILL at ${POINTS} seeded points (seed ${SEED})`, () => {
  it('never leaves state ahead of data, and a rerun converges to the uninterrupted result', async () => {
    const referenceDir = mkdtempSync(join(root, 'reference-'));
    const started = Date.now();
    const reference = await runPulse(['extract', '--config', configIn(referenceDir)]);
    expect(reference.code, reference.stderr).toBe(0);
    console.log(`uninterrupted extract took ${Date.now() - started} ms`);
    const expected = await snapshot(join(referenceDir, 'warehouse.duckdb'));
    expect(expected.items).toHaveLength(ITEMS);

    const random = seededRandom(SEED);
    let killedMidRun = 0;
    for (let point = 0; point < POINTS; point++) {
      const dir = mkdtempSync(join(root, `point-${point}-`));
      const config = configIn(dir);
      const delay = 600 + Math.floor(random() * 2400);
      const child = spawnPulse(['extract', '--config', config]);
      const done = collect(child);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const outcome = await done;
      clearTimeout(timer);
      if (outcome.signal === 'SIGKILL') killedMidRun++;

      // After the kill: no duplicates, and every record at or before the saved cursor is loaded.
      const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
      try {
        const [dupes] = await wh.all<{ n: number }>(`select count(*) - count(distinct id) as n from raw.crashapi__items`).catch(() => [{ n: 0 }]);
        expect(dupes?.n, `point ${point} (kill after ${delay} ms): duplicates`).toBe(0);
        const [state] = await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'crashapi'`);
        if (state) {
          const covered = api.items.filter((i) => i.updated_at <= state.cursor).length;
          const [loaded] = await wh.all<{ n: number }>(`select count(*)::int n from raw.crashapi__items where updated_at <= $1::timestamptz`, [state.cursor]);
          expect(loaded?.n, `point ${point} (kill after ${delay} ms): state ${state.cursor} ahead of data`).toBe(covered);
        }
      } finally {
        wh.close();
      }

      const rerun = await runPulse(['extract', '--config', config]);
      expect(rerun.code, `point ${point}: rerun failed: ${rerun.stderr}`).toBe(0);
      const actual = await snapshot(join(dir, 'warehouse.duckdb'));
      expect(actual, `point ${point} (kill after ${delay} ms): differs from the uninterrupted run`).toEqual(expected);
    }
    // The seeded delays must actually hit runs in flight, or the test proves nothing.
    expect(killedMidRun).toBeGreaterThanOrEqual(Math.ceil(POINTS / 2));
  }, 600_000);
});
