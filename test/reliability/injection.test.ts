/**
 * Identifiers from config or APIs can never inject SQL, and file paths can never leave their
 * configured folder. Field names with quotes, semicolons and `"; drop table` go through the
 * loader as plain column names; globs with `..`, absolute globs, and symbolic links (to a file or a
 * folder) that lead outside the root are refused. The warehouse is checked intact afterwards.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import { silentLogger } from '../../core/log.ts';
import { parseConfig } from '../../core/config.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { runExtract } from '../../jobs/steps.ts';
import { tally, tablesIn, tempDir } from './support.ts';

const HOSTILE = ['x"; drop table meta.runs; --', "it's", 'semi;colon', 'a"b"c', '); delete from meta.stream_state; --', 'select', 'Ünïcödé ✓', '--comment', '/* c */'];
const figures = tally();
let fake: FakeServer;
let dir: string;
let wh: Warehouse;

beforeAll(async () => {
  const record = (i: number) => ({
    id: `r${i}`,
    updated_at: `2026-01-0${i}T00:00:00Z`,
    ...Object.fromEntries(HOSTILE.map((name, k) => [name, k % 2 ? i * 10 : `v${i} '); drop table raw.x; --`])),
    // Fields nobody declared, named to break out of a quoted identifier.
    'undeclared"); drop table meta.runs; --': { nested: `'; truncate meta.quarantine; --` },
    "o'hara": i,
  });
  fake = await startFakeServer({ routes: [{ path: '/records', recordsPath: ['data'], handler: () => ({ body: { data: [record(1), record(2), record(3)] } }) }] });
  dir = tempDir('injection');
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
});
afterAll(async () => {
  figures.print('injection and paths');
  wh?.close();
  await fake?.close();
});

/** The warehouse still has its ledger, state and quarantine tables, with rows. */
async function expectIntact(): Promise<void> {
  expect(await tablesIn(wh, 'meta')).toEqual(expect.arrayContaining(['runs', 'stream_state', 'stream_runs', 'quarantine', 'schema_drift', 'loaded_files', 'schema_migrations']));
  const [runs] = await wh.all<{ n: number }>(`select count(*)::int n from meta.runs`);
  expect(runs!.n).toBeGreaterThan(0);
}

describe('SQL identifiers from config and APIs', () => {
  it('declared and undeclared field names with quotes and semicolons become plain columns', async () => {
    const fields = Object.fromEntries([['id', { type: 'string', required: true }], ['updated_at', 'timestamp'], ...HOSTILE.map((name, k) => [name, k % 2 ? 'integer' : 'string'])]);
    const source = buildSource('hostile', {
      type: 'rest',
      baseUrl: fake.url,
      streams: { records: { path: '/records', recordPath: 'data', primaryKey: ['id', HOSTILE[0]!], cursor: { field: 'updated_at', initial: '2025-12-01T00:00:00Z' }, fields } },
    }, dir);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.streams.map((s) => [s.status, s.error])).toEqual([['succeeded', undefined]]);
    const columns = (await wh.all<{ c: string }>(`select column_name c from information_schema.columns where table_schema = 'raw' and table_name = 'hostile__records'`)).map((r) => r.c);
    expect(columns).toEqual(expect.arrayContaining([...HOSTILE, 'undeclared"); drop table meta.runs; --', "o'hara"]));
    const rows = await wh.all<Record<string, unknown>>(`select * from raw.hostile__records order by id`);
    expect(rows).toHaveLength(3);
    expect(rows[0]![HOSTILE[0]!]).toBe(`v1 '); drop table raw.x; --`);
    expect(rows[0]![HOSTILE[1]!]).toBe(10);
    const drift = (await wh.all<{ field: string }>(`select field from meta.schema_drift where source = 'hostile' order by 1`)).map((r) => r.field);
    expect(drift).toEqual(["o'hara", 'undeclared"); drop table meta.runs; --']);
    // A rerun merges on the hostile primary key column: still three rows.
    expect((await runExtract(wh, [source], { log: silentLogger })).status).toBe('succeeded');
    expect(await wh.all(`select count(*)::int n from raw.hostile__records`)).toEqual([{ n: 3 }]);
    await expectIntact();
    figures.add('hostile identifiers loaded', HOSTILE.length + 2);
  });

  it('CSV headers and file names with quotes load as data, not SQL', async () => {
    const root = join(dir, "it's exports");
    mkdirSync(root);
    writeFileSync(join(root, "o'rders; drop.csv"), `id,"na""me; drop table meta.runs; --",amount\n1,"Ann",10\n2,"B'ob",11\n`);
    const source = buildSource('csvhostile', { type: 'files', root, streams: { rows: { glob: '*.csv', format: 'csv', primaryKey: 'id', fields: { id: 'string', 'na"me; drop table meta.runs; --': 'string', amount: 'number' } } } }, dir);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.streams[0]?.status).toBe('succeeded');
    expect(await wh.all(`select "na""me; drop table meta.runs; --" as name from raw.csvhostile__rows order by id`)).toEqual([{ name: 'Ann' }, { name: "B'ob" }]);
    await expectIntact();
  });

  it('refuses SQL-looking source and stream names in config with a ConfigError', () => {
    for (const name of ['x"; drop table meta.runs; --', 'Raw', 'a b', 'a;b']) {
      expect(() => parseConfig({ sources: { [name]: { type: 'rest' } } }, dir, undefined)).toThrow(ConfigError);
      expect(() => buildSource('ok', { type: 'rest', baseUrl: 'https://api.example.com', streams: { [name]: { path: '/x', primaryKey: 'id', fields: { id: 'string' } } } }, dir)).toThrow(ConfigError);
      figures.add('hostile names refused', 2);
    }
  });
});

describe('file paths stay inside their folder', () => {
  let root: string;
  beforeAll(() => {
    root = join(dir, 'confined');
    const outside = join(dir, 'outside');
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.csv'), 'id,amount\nleak,1\n');
    writeFileSync(join(root, 'ok.csv'), 'id,amount\nfine,1\n');
    symlinkSync(join(outside, 'secret.csv'), join(root, 'linked.csv'));
    symlinkSync(outside, join(root, 'sub', 'linkdir'));
  });

  const source = (name: string, glob: string) => buildSource(name, { type: 'files', root, streams: { rows: { glob, format: 'csv', primaryKey: 'id', fields: { id: 'string', amount: 'number' } } } }, dir);

  it.each([
    ['a glob with ..', 'pathdots', '../outside/*.csv', /without "\.\."/],
    ['a glob with .. inside', 'pathdots2', 'sub/../../outside/*.csv', /without "\.\."/],
    ['an absolute glob', 'pathabs', '<dir>/outside/*.csv', /must be relative/],
    ['a symbolic link to a file outside', 'pathlink', 'linked.csv', /resolves outside the configured folder/],
    ['a symbolic link to a folder outside', 'pathlinkdir', 'sub/linkdir/*.csv', /resolves outside the configured folder/],
  ])('refuses %s', async (_label, name, glob, message) => {
    const result = await runExtract(wh, [source(name, glob.replace('<dir>', dir))], { log: silentLogger });
    expect(result.streams[0]?.status).toBe('failed');
    expect(result.streams[0]?.error).toMatch(message);
    const leaked = await wh.all(`select 1 from information_schema.tables where table_schema = 'raw' and table_name = $1`, [`${name}__rows`]);
    if (leaked.length) expect(await wh.all(`select * from raw.${name}__rows`)).toEqual([]);
    figures.add('path escapes refused');
  });

  it('still loads the files that are inside', async () => {
    const result = await runExtract(wh, [source('pathok', '*.csv')], { log: silentLogger });
    // linked.csv matches *.csv too and leads outside: the stream is refused as a whole, not partly loaded.
    expect(result.streams[0]?.status).toBe('failed');
    const inside = await runExtract(wh, [source('pathonly', 'ok.csv')], { log: silentLogger });
    expect(inside.streams[0]?.status).toBe('succeeded');
    expect(await wh.all(`select id from raw.pathonly__rows`)).toEqual([{ id: 'fine' }]);
  });
});
