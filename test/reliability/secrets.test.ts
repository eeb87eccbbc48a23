/**
 * Secrets and personal data. A known token, configured only through env(), must appear nowhere:
 * not in logs (stderr, at debug level), stdout, error messages, any table of the warehouse
 * (meta.* included), the published file or the built site — even when an API echoes it in error
 * bodies and hands out next-page URLs carrying `access_token`. And the published file and the
 * site hold no e-mail address and no name or handle of the sample world's private persons.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateWorld } from '../../core/sample-world/index.ts';
import { ident, literal, qualified } from '../../core/sql.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { collect, runPulse, writeConfig, type CliResult } from '../support/cli.ts';
import { personalNeedles, scanForPersonalData } from './pii.ts';
import { tally, tempDir, TSX_LOADER } from './support.ts';

const TOKEN = 'pulse-secret-Tk9w2ZqX7vLm';
const KEY = 'pulse-apikey-Hq3RtY8uP0aa';
const RUN_STEP = join(import.meta.dirname, 'fixtures/run-step.ts');
const figures = tally();
afterAll(() => figures.print('secrets and personal data'));

/** Every place a value of `needle` sits in a DuckDB file: table.column and how many rows. */
async function findInDuckDB(path: string, needles: string[]): Promise<string[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const columns = (await conn.runAndReadAll(
      `select table_schema s, table_name t, column_name c from information_schema.columns where table_catalog = current_database() order by 1, 2, 3`,
    )).getRowObjectsJS() as { s: string; t: string; c: string }[];
    const hits: string[] = [];
    for (const { s, t, c } of columns) {
      for (const needle of needles) {
        const [row] = (await conn.runAndReadAll(`select count(*)::int n from ${qualified(s, t)} where contains(${ident(c)}::varchar, ${literal(needle)})`)).getRowObjectsJS() as { n: number }[];
        if (row!.n > 0) hits.push(`${s}.${t}.${c}: ${row!.n} rows hold ${needle}`);
      }
      figures.add('columns searched for secrets');
    }
    return hits;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Every file under `dir` (recursively). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Files under `dir` whose bytes (as text, or URL-encoded) hold a needle. */
function findInFiles(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    if (statSync(file).size > 200 * 1024 * 1024) continue;
    const text = readFileSync(file).toString('latin1');
    for (const needle of needles) if (text.includes(needle) || text.includes(encodeURIComponent(needle))) hits.push(`${relative(dir, file)} holds ${needle}`);
    figures.add('files searched for secrets');
  }
  return hits;
}

function outputHits(label: string, result: CliResult, needles: string[]): string[] {
  figures.add('command outputs searched');
  return needles.flatMap((n) => [result.stdout.includes(n) ? `${label} stdout holds ${n}` : [], result.stderr.includes(n) ? `${label} stderr holds ${n}` : []].flat());
}

describe('a token an API echoes back never leaks', () => {
  let fake: FakeServer;
  let dir: string;
  const results: [string, CliResult][] = [];

  beforeAll(async () => {
    let pageTwoCalls = 0;
    fake = await startFakeServer({
      routes: [
        {
          path: '/items',
          recordsPath: ['data'],
          handler: (req) => {
            if (req.query.get('page') === '2') {
              // The first try fails with the token in the body (as some gateways do), the retry succeeds.
              if (pageTwoCalls++ === 0) return { status: 503, body: { error: `upstream refused credentials Bearer ${TOKEN} for ${req.baseUrl}/items?access_token=${TOKEN}` } };
              return { body: { data: [{ id: 'i3', updated_at: '2026-01-03T00:00:00Z', likes: 3, message: 'three' }, { id: 'i4', updated_at: '2026-01-04T00:00:00Z', likes: 'many', message: 'bad type' }], next: null } };
            }
            // The next link carries the token in its query, as Graph API `paging.next` links do.
            return { body: { data: [{ id: 'i1', updated_at: '2026-01-01T00:00:00Z', likes: 1, message: 'one' }, { id: 'i2', updated_at: '2026-01-02T00:00:00Z', likes: 2, message: 'two' }], next: `${req.baseUrl}/items?page=2&access_token=${TOKEN}` } };
          },
        },
        { path: '/denied', handler: (req) => ({ status: 403, body: { error: { message: `token ${TOKEN} lacks scope`, echo: String(req.headers['authorization']) } } }) },
        { path: '/keyed', recordsPath: ['rows'], handler: (req) => (req.query.get('api_key') === KEY ? { body: { rows: [{ id: 'k1' }] } } : { status: 401, body: { error: `bad key ${req.query.get('api_key')}` } }) },
      ],
    });
    dir = tempDir('secrets');
    const items = { path: '/items', recordPath: 'data', primaryKey: 'id', paginator: { kind: 'nextUrl', path: 'next' }, cursor: { field: 'updated_at', initial: '2025-12-01T00:00:00Z' }, fields: { id: 'string', updated_at: 'timestamp', likes: 'integer', message: 'string' } };
    writeFileSync(join(dir, 'orders-1.csv'), 'order_id,customer_email,amount,ordered_at\no1,ann@example.com,10,2026-01-01T00:00:00Z\n');
    const config = writeConfig(dir, {
      warehouse: { path: 'warehouse.duckdb', analyticsPath: 'published/analytics.duckdb' },
      sources: {
        crashapi: { type: 'rest', baseUrl: fake.url, auth: { kind: 'bearer', token: { $env: 'RELI_TOKEN' } }, retries: 2, streams: { items, denied: { path: '/denied', primaryKey: 'id', fields: { id: 'string' } } } },
        keyed: { type: 'rest', baseUrl: fake.url, auth: { kind: 'apiKey', in: 'query', name: 'api_key', value: { $env: 'RELI_KEY' } }, streams: { rows: { path: '/keyed', recordPath: 'rows', primaryKey: 'id', fields: { id: 'string' } } } },
        drops: { type: 'files', root: '.', streams: { orders: { glob: 'orders-*.csv', format: 'csv', primaryKey: 'order_id', fields: { order_id: 'string', customer_email: 'string', amount: 'decimal', ordered_at: 'timestamp' } } } },
      },
    });
    const env = { RELI_TOKEN: TOKEN, RELI_KEY: KEY };
    const run = async (label: string, argv: string[]) => results.push([label, await runPulse(argv, { env, cwd: dir })]);
    await run('extract (debug logs)', ['extract', '--config', config, '--log-level', 'debug']);
    await run('extract --json (json logs)', ['extract', '--config', config, '--json', '--log-level', 'debug', '--log-format', 'json']);
    for (const step of ['build', 'publish'] as const) {
      const child = spawn(process.execPath, ['--import', TSX_LOADER, RUN_STEP, step, config], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      results.push([step, await collect(child)]);
    }
    await run('status --json', ['status', '--config', config, '--json']);
    await run('quarantine list', ['quarantine', 'list', '--all', '--config', config, '--json']);
  }, 120_000);
  afterAll(() => fake?.close());

  it('ran the pipeline, with the failures and retries that tempt a leak', () => {
    const extract = results[0]![1];
    expect(extract.code).toBe(1); // the denied stream fails
    expect(extract.stderr).toMatch(/retrying request/);
    expect(extract.stderr + extract.stdout).toMatch(/403/);
    expect(results.find(([l]) => l === 'build')![1].code).toBe(0);
    expect(results.find(([l]) => l === 'publish')![1].code).toBe(0);
    expect(results.find(([l]) => l === 'quarantine list')![1].stdout).toMatch(/many/);
  });

  it('keeps the token out of every output, table and file', async () => {
    const hits: string[] = [];
    for (const [label, result] of results) hits.push(...outputHits(label, result, [TOKEN, KEY]));
    hits.push(...(await findInDuckDB(join(dir, 'warehouse.duckdb'), [TOKEN, KEY])));
    hits.push(...(await findInDuckDB(join(dir, 'published', 'analytics.duckdb'), [TOKEN, KEY])));
    hits.push(...findInFiles(dir, [TOKEN, KEY]).filter((h) => !h.startsWith('pulse.config.ts')));
    expect(hits).toEqual([]);
    // The redacted error still says what happened.
    const errors = results[0]![1].stdout + results[0]![1].stderr;
    expect(errors).toMatch(/\[redacted\]/);
  });
});

describe('the product pipeline (pulse demo) leaks neither secrets nor personal data', () => {
  const SAMPLE_TOKEN = 'pulse-sample-Zr8Kp2Wd5Nq1';
  let dir: string;
  const results: [string, CliResult][] = [];

  beforeAll(async () => {
    dir = tempDir('demo');
    const env = { PULSE_SAMPLE_TOKEN: SAMPLE_TOKEN };
    results.push(['demo', await runPulse(['demo', '--scale', '0.01', '--out', dir, '--log-level', 'debug'], { env, cwd: dir })]);
    const config = writeConfig(dir, { warehouse: { path: join(dir, 'warehouse.duckdb'), analyticsPath: join(dir, 'analytics.duckdb') } }, 'status.config.ts');
    results.push(['status --json', await runPulse(['status', '--json', '--config', config], { env, cwd: dir })]);
    results.push(['quarantine list', await runPulse(['quarantine', 'list', '--all', '--json', '--config', config], { env, cwd: dir })]);
  }, 300_000);

  it('keeps the sample token out of outputs, the warehouse, the published file and the site', async () => {
    const demo = results[0]![1];
    expect(demo.code, demo.stderr.slice(-2000)).toBe(0);
    const hits: string[] = [];
    for (const [label, result] of results) hits.push(...outputHits(label, result, [SAMPLE_TOKEN]));
    hits.push(...(await findInDuckDB(join(dir, 'warehouse.duckdb'), [SAMPLE_TOKEN])));
    hits.push(...(await findInDuckDB(join(dir, 'analytics.duckdb'), [SAMPLE_TOKEN])));
    hits.push(...findInFiles(dir, [SAMPLE_TOKEN]));
    expect(hits).toEqual([]);
  }, 120_000);

  it('publishes no e-mail, name or handle of a private person in analytics.duckdb or the site', async () => {
    const world = generateWorld({ seed: 42, scale: 0.01 });
    const needles = personalNeedles(world);
    expect(needles.length).toBeGreaterThan(100);
    // Sanity: the scanner does find them in the warehouse, where raw personal data belongs.
    const raw = await scanForPersonalData(join(dir, 'warehouse.duckdb'), needles);
    expect(raw.some((l) => l.table.startsWith('raw.'))).toBe(true);
    const leaks = await scanForPersonalData(join(dir, 'analytics.duckdb'), needles);
    figures.add('personal-data needles', needles.length);
    expect(leaks.map((l) => `${l.table}.${l.column}: ${l.rows} rows with ${l.kind}, e.g. ${l.example}`)).toEqual([]);
    // The site: its pages and data files (library bundles under _npm/_node/_observablehq aside).
    const site = join(dir, 'site');
    const emails = /[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/i;
    const siteHits: string[] = [];
    for (const file of filesUnder(site)) {
      const rel = relative(site, file);
      if (/^(_npm|_node|_observablehq)\//.test(rel)) continue;
      const text = readFileSync(file).toString('utf8').toLowerCase();
      const email = emails.exec(text);
      if (email) siteHits.push(`${rel}: e-mail ${email[0]}`);
      const known = needles.find((n) => text.includes(n));
      if (known) siteHits.push(`${rel}: ${known}`);
      figures.add('site files scanned');
    }
    expect(siteHits).toEqual([]);
  }, 120_000);
});
