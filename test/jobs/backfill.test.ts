import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPulse, writeConfig } from '../support/cli.ts';
import { itemsSourceConfig, makeItems, startTestApi, type TestApi } from '../support/api-server.ts';

let api: TestApi;
let dir: string;
let config: string;

beforeAll(async () => {
  api = await startTestApi({ items: makeItems(24 * 20), pageSize: 100 }); // hourly from 2026-01-01 for 20 days
  dir = mkdtempSync(join(tmpdir(), 'pulse-backfill-'));
  const source = itemsSourceConfig(api.url) as { streams: { items: Record<string, unknown> } };
  source.streams.items['query'] = { since: '{since}', until: '{until}' };
  config = writeConfig(dir, { warehouse: { path: 'warehouse.duckdb' }, sources: { testapi: source } });
});
afterAll(() => api.close());

describe('pulse backfill', () => {
  it('re-extracts a date range in windows, records each, and resumes by skipping finished windows', async () => {
    const first = await runPulse(['backfill', 'testapi', '--from', '2026-01-03', '--to', '2026-01-10', '--window-days', '2', '--config', config, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { windows: { start: string; end: string; status: string; rows: number }[]; rowsLoaded: number };
    expect(result.windows.map((w) => [w.start, w.end, w.status, w.rows])).toEqual([
      ['2026-01-03', '2026-01-05', 'done', 48],
      ['2026-01-05', '2026-01-07', 'done', 48],
      ['2026-01-07', '2026-01-09', 'done', 48],
      ['2026-01-09', '2026-01-10', 'done', 24],
    ]);
    expect(result.rowsLoaded).toBe(7 * 24);
    const again = await runPulse(['backfill', 'testapi', '--from', '2026-01-03', '--to', '2026-01-10', '--window-days', '2', '--config', config, '--json']);
    expect(JSON.parse(again.stdout).windows.every((w: { status: string }) => w.status === 'skipped')).toBe(true);
  });

  it('rejects bad dates and a missing source with exit 2', async () => {
    const bad = await runPulse(['backfill', 'testapi', '--from', '2026-13-01', '--to', '2026-01-10', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from must be a date like 2026-01-31');
    const missing = await runPulse(['backfill', '--from', '2026-01-01', '--to', '2026-01-02', '--config', config]);
    expect(missing.code).toBe(2);
  });
});
