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
  const items = makeItems(500);
  items[7] = { ...items[7]!, likes: 'many' };
  items[8] = { ...items[8]!, likes: 150 };
  api = await startTestApi({ items, pageSize: 100 });
  dir = mkdtempSync(join(tmpdir(), 'pulse-cli-'));
  config = writeConfig(dir, { warehouse: { path: 'data/warehouse.duckdb' }, sources: { testapi: withLikes({ type: 'integer', min: 0, max: 100 }) } });
});
afterAll(() => api.close());

/** The test API's source config with a different declaration of `likes`. */
function withLikes(likes: unknown): Record<string, unknown> {
  const source = itemsSourceConfig(api.url) as { streams: { items: { fields: Record<string, unknown> } } };
  source.streams.items.fields['likes'] = likes;
  return source;
}

describe('pulse extract, status and quarantine as a user runs them', () => {
  it('loads, reruns without duplicates, quarantines the bad record, and status --json shows it all', async () => {
    const first = await runPulse(['extract', '--config', config, '--json']);
    expect(first.code, first.stderr).toBe(1 - 1);
    const result = JSON.parse(first.stdout) as { status: string; streams: { rowsLoaded: number; rowsQuarantined: number }[] };
    expect(result.status).toBe('succeeded');
    expect(result.streams[0]).toMatchObject({ rowsLoaded: 498, rowsQuarantined: 2 });

    const second = await runPulse(['extract', 'testapi', '--config', config]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/testapi\.items\s+succeeded/);

    const status = await runPulse(['status', '--config', config, '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { streams: Record<string, unknown>[]; runs: { status: string }[] };
    expect(report.streams).toHaveLength(1);
    expect(report.streams[0]).toMatchObject({ source: 'testapi', stream: 'items', lastStatus: 'succeeded', quarantinedOpen: 2, cursor: '2026-01-21T19:00:00.000Z' });
    expect(report.runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);

    const list = await runPulse(['quarantine', 'list', '--config', config, '--json']);
    const entries = JSON.parse(list.stdout) as { field: string; reason: string; record: string }[];
    expect(entries.map((e) => [e.field, e.reason, (JSON.parse(e.record) as { id: string }).id])).toEqual([
      ['likes', 'likes: must be at most 100, got 150', 'item_000008'],
      ['likes', 'likes: expected BIGINT, got many', 'item_000007'],
    ]);
  });

  it('replays quarantined records: those the fixed schema accepts load, the rest stay with their reason', async () => {
    // Unchanged schema: both records fail again.
    const unchanged = await runPulse(['quarantine', 'replay', '--config', config, '--json']);
    expect(unchanged.code).toBe(1);
    expect(JSON.parse(unchanged.stdout).streams[0]).toMatchObject({ replayed: 2, loaded: 0, stillFailing: 2 });
    // The team widens the range: 150 now loads; 'many' is still not a number.
    const relaxed = writeConfig(dir, { warehouse: { path: 'data/warehouse.duckdb' }, sources: { testapi: withLikes({ type: 'integer', min: 0, max: 1000 }) } }, 'relaxed.config.ts');
    const replay = await runPulse(['quarantine', 'replay', '--config', relaxed, '--json']);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).streams[0]).toMatchObject({ replayed: 2, loaded: 1, stillFailing: 1 });
    const list = await runPulse(['quarantine', 'list', '--config', relaxed, '--json']);
    expect((JSON.parse(list.stdout) as { reason: string }[]).map((e) => e.reason)).toEqual(['likes: expected BIGINT, got many']);
  });

  it('exits 2 with the config path and the fix for bad config, before any request', async () => {
    const before = api.requests.length;
    const bad = writeConfig(dir, { sources: { testapi: { type: 'rest', baseUrl: 'not a url', streams: {} } } }, 'bad.config.ts');
    const run = await runPulse(['extract', '--config', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sources.testapi.baseUrl: Invalid URL — the API root, e.g. https://api.example.com/v2');
    expect(run.stderr).toContain('sources.testapi.streams: declare at least one stream');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(api.requests.length).toBe(before);
  });

  it('names a missing secret environment variable before any request', async () => {
    const before = api.requests.length;
    const withSecret = writeConfig(dir, { sources: { testapi: itemsSourceConfig(api.url, { auth: { kind: 'bearer', token: { $env: 'TESTAPI_TOKEN' } } }) } }, 'secret.config.ts');
    const run = await runPulse(['extract', '--config', withSecret], { env: { TESTAPI_TOKEN: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sources.testapi.auth.token: environment variable TESTAPI_TOKEN is not set');
    expect(api.requests.length).toBe(before);
  });

  it('rejects unknown commands and flags with exit code 2', async () => {
    expect((await runPulse(['frobnicate'])).code).toBe(2);
    const flag = await runPulse(['status', '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--nope'");
  });
});
