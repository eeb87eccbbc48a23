/**
 * Bad input, fuzzed with seeds and bounded iterations: the config loader (every mutation of a
 * valid config is accepted or refused with a ConfigError naming a config path, never another
 * exception), file sources (wrong types, ragged CSV, huge fields, invalid UTF-8, BOMs, empty files,
 * NDJSON with non-objects: loaded + quarantined = records in the file, never a crash or a silent
 * loss), survey scores out of range, and the CLI (random argv ends in exit code 0, 1, 2 or 75 with
 * a message, never a stack trace).
 *
 * PULSE_FUZZ_ITERATIONS scales the iterations (CI default 1; e.g. 10 for the full mode) and
 * PULSE_FUZZ_SEED replays a failure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { checkJobSources } from '../../jobs/job-config.ts';
import { buildSource } from '../../connectors/registry.ts';
import { runExtract } from '../../jobs/steps.ts';
import { main } from '../../jobs/cli.ts';
import { runPulse, writeConfig } from '../support/cli.ts';
import { seededRandom } from '../support/random.ts';
import { hasStackTrace, tally, tempDir } from './support.ts';

const SCALE = Math.max(1, Number(process.env['PULSE_FUZZ_ITERATIONS'] ?? 1));
const SEED = Number(process.env['PULSE_FUZZ_SEED'] ?? 20261125);
const figures = tally();
afterAll(() => figures.print('bad input'));

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const HOSTILE_STRINGS = [
  '',
  ' ',
  '"; drop table meta.runs; --',
  "'; delete from raw.x; --",
  'a"b',
  'x'.repeat(100_000),
  '../../etc/passwd',
  '/etc/passwd',
  'ünïcödé ✓ 🤔',
  'line\nbreak',
  '${process.exit(1)}',
  '{since}',
  'NaN',
  '\u0000nul',
];
const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, 0, -1, 1e308, Number.NaN, true, false, null, [], [1, 'a'], {}, { $env: 'NO_SUCH_VARIABLE_X' }, { $env: '"; drop' }, { nested: { deep: [{}] } }];

/** A valid config exercising every part of the schema: warehouse, models, extract, jobs and sources of several kinds. */
function validConfig(): Record<string, unknown> {
  return {
    warehouse: { path: 'data/warehouse.duckdb', analyticsPath: 'data/analytics.duckdb', lockTimeoutSeconds: 5 },
    models: { reportingTimeZone: 'Europe/Berlin', churnWindowDays: 90, attributionLookbackDays: 30 },
    extract: { batchRows: 1000 },
    jobs: {
      nightly: {
        schedule: '0 3 * * *',
        timeZone: 'UTC',
        steps: { extract: ['helpdesk'], build: ['tag:x'], publish: true },
        retries: { count: 2, backoffSeconds: 30 },
        alerts: { webhooks: [{ url: 'https://hooks.example.com/x', format: 'json', headers: { authorization: { $env: 'FUZZ_TOKEN' } } }] },
        freshness: { helpdesk: { warnAfterHours: 2, errorAfterHours: 6 } },
      },
    },
    sources: {
      helpdesk: {
        type: 'rest',
        baseUrl: 'https://api.example.com/v2',
        auth: { kind: 'bearer', token: { $env: 'FUZZ_TOKEN' } },
        budget: { requests: 100, perSeconds: 60 },
        streams: {
          tickets: {
            path: '/tickets',
            query: { updated_since: '{since}' },
            recordPath: 'data',
            primaryKey: 'id',
            paginator: { kind: 'cursor', cursorPath: 'meta.next_cursor', param: 'cursor' },
            cursor: { field: 'updated_at', initial: '2025-01-01T00:00:00Z', lookbackDays: 3 },
            fields: { id: { type: 'string', required: true }, updated_at: 'timestamp', status: { type: 'string', enum: ['open', 'solved'] }, priority: 'integer' },
          },
          comments: {
            path: '/tickets/{parent.ticket_id}/comments',
            recordPath: 'comments',
            primaryKey: ['id'],
            parent: { stream: 'tickets', fields: { ticket_id: 'id' } },
            fields: { id: 'string', body: 'string' },
          },
        },
      },
      finance: { type: 'files', root: 'exports', streams: { invoices: { glob: 'invoices-*.csv', format: 'csv', primaryKey: 'invoice_id', fields: { invoice_id: { type: 'string', required: true }, amount: 'decimal' } } } },
      surveys: { type: 'surveys', root: 'exports/surveys' },
      shop: { type: 'shopify', shop: 'northwind', accessToken: { $env: 'FUZZ_TOKEN' }, startDate: '2025-11-01' },
    },
  };
}

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}

/** Applies one to three random mutations: a wrong value, a removed key, an unknown key, or a renamed key. */
function mutate(config: Record<string, unknown>, random: Random): string[] {
  const done: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const paths = pathsOf(config);
    const path = pick(random, paths);
    const parent = parentOf(config, path);
    const key = path.at(-1)!;
    const kind = pick(random, ['value', 'value', 'delete', 'unknown', 'rename'] as const);
    if (kind === 'value') parent[key] = structuredClone(pick(random, HOSTILE_VALUES));
    else if (kind === 'delete') delete parent[key];
    else if (kind === 'unknown' && !Array.isArray(parent)) parent[pick(random, HOSTILE_STRINGS.filter(Boolean))] = pick(random, HOSTILE_VALUES);
    else if (kind === 'rename' && !Array.isArray(parent)) {
      parent[pick(random, HOSTILE_STRINGS)] = parent[key];
      delete parent[key];
    }
    done.push(`${kind} ${path.join('.')}`);
  }
  return done;
}

/** Validates a config the way a command does: the top level, every source with its connector, then the jobs' source references. */
function loadLikeTheCli(input: unknown): void {
  const config = parseConfig(input, '/tmp/pulse-fuzz', '/tmp/pulse-fuzz/pulse.config.ts');
  for (const [name, raw] of Object.entries(config.sources)) buildSource(name, raw, config.baseDir, { FUZZ_TOKEN: 'fuzz-secret-value-123' });
  checkJobSources(config.jobs, Object.keys(config.sources));
}

describe('config loader fuzz', () => {
  it(`refuses every bad mutation with a ConfigError naming a path (${300 * SCALE} mutations, seed ${SEED})`, () => {
    expect(() => loadLikeTheCli(validConfig())).not.toThrow();
    const random = seededRandom(SEED);
    const unexpected: string[] = [];
    for (let i = 0; i < 300 * SCALE; i++) {
      const config = validConfig();
      const mutations = mutate(config, random);
      try {
        loadLikeTheCli(config);
        figures.add('config mutations accepted');
      } catch (error) {
        if (!(error instanceof ConfigError)) {
          unexpected.push(`#${i} [${mutations.join('; ')}]: ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message).slice(0, 300)}`);
          continue;
        }
        // Each problem is a line `path: what is wrong`, naming where in the config it is.
        const lines = error.message.split('\n').slice(1);
        // Some line starts with the config path (a hostile key or value may hold spaces or a line break).
        const named = /^(\(config\)|(sources|jobs|warehouse|models|extract)[.:])/m.test(error.message);
        if (!named) unexpected.push(`#${i} [${mutations.join('; ')}]: ConfigError without a path: ${error.message.slice(0, 300)}`);
        // Known: a huge value is echoed back whole in some messages (unknown connector, unknown key, cron).
        if (error.message.length > 20_000) figures.add('config errors echoing a huge value');
        figures.add('config mutations refused');
      }
      figures.add('config inputs fuzzed');
    }
    expect(unexpected).toEqual([]);
  });
});

/** One generated file-source input: the bytes, how many records it holds, and a label. */
interface FileCase {
  label: string;
  format: 'csv' | 'ndjson';
  bytes: Buffer;
  records: number;
}

const HEADER = 'order_id,amount,placed_at,status,note';

/** Builds one CSV or NDJSON file whose records go wrong in seeded ways; counts its records. */
function fileCase(random: Random, i: number): FileCase {
  const format = random() < 0.5 ? 'csv' : 'ndjson';
  const lines: Buffer[] = [];
  const labels = new Set<string>();
  let records = 0;
  const bom = random() < 0.2;
  if (bom) labels.add('BOM');
  if (format === 'csv') lines.push(Buffer.from(`${bom ? '\ufeff' : ''}${HEADER}`));
  const n = random() < 0.1 ? 0 : 1 + Math.floor(random() * 30);
  for (let r = 0; r < n; r++) {
    const id = `o${i}_${r}`;
    const good = { order_id: id, amount: String((r * 7) % 100), placed_at: '2026-01-02T03:04:05Z', status: 'paid', note: 'fine' };
    const roll = random();
    let line: Buffer;
    if (roll < 0.45) line = format === 'csv' ? Buffer.from(Object.values(good).join(',')) : Buffer.from(JSON.stringify(good));
    else if (roll < 0.55) {
      labels.add('wrong type');
      const bad = { ...good, amount: pick(random, ['ten', '1,5', 'NaN!', '1e999x']), placed_at: pick(random, ['yesterday', '2026-13-40', '']) };
      line = format === 'csv' ? Buffer.from(Object.values(bad).map((v) => (v.includes(',') ? `"${v}"` : v)).join(',')) : Buffer.from(JSON.stringify(bad));
    } else if (roll < 0.62) {
      labels.add('ragged');
      line = format === 'csv' ? Buffer.from(random() < 0.5 ? `${id},1` : `${id},1,2026-01-01T00:00:00Z,paid,x,extra,more`) : Buffer.from(JSON.stringify({ order_id: id }));
    } else if (roll < 0.68) {
      labels.add('huge field');
      const huge = 'h'.repeat(200_000 + Math.floor(random() * 200_000));
      line = format === 'csv' ? Buffer.from(`${id},1,2026-01-01T00:00:00Z,paid,${huge}`) : Buffer.from(JSON.stringify({ ...good, note: huge }));
    } else if (roll < 0.75) {
      labels.add('invalid UTF-8');
      line = Buffer.concat([Buffer.from(format === 'csv' ? `${id},1,2026-01-01T00:00:00Z,paid,bad ` : `{"order_id":"${id}","note":"bad `), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(format === 'csv' ? '' : '"}')]);
    } else if (roll < 0.82) {
      labels.add('missing key');
      line = format === 'csv' ? Buffer.from(`,1,2026-01-01T00:00:00Z,paid,x`) : Buffer.from(JSON.stringify({ ...good, order_id: null }));
    } else if (roll < 0.9 && format === 'ndjson') {
      labels.add('non-object');
      line = Buffer.from(pick(random, ['42', '"text"', '[1,2]', 'null', 'true', '{"order_id": ', '{broken json']));
    } else {
      labels.add('unknown value');
      line = format === 'csv' ? Buffer.from(`${id},1,2026-01-01T00:00:00Z,lost,"quoted, with comma"`) : Buffer.from(JSON.stringify({ ...good, status: 'lost', extra_field: { x: 1 } }));
    }
    lines.push(line);
    records++;
  }
  const crlf = random() < 0.2;
  if (crlf) labels.add('CRLF');
  const eol = Buffer.from(crlf ? '\r\n' : '\n');
  const bytes = lines.length ? Buffer.concat(lines.flatMap((l) => [l, eol])) : Buffer.alloc(0);
  if (records === 0) labels.add(lines.length ? 'header only' : 'empty');
  return { label: [...labels].join(', ') || 'clean', format, bytes, records };
}

describe('file source fuzz', () => {
  let dir: string;
  let wh: Warehouse;
  beforeAll(async () => {
    dir = tempDir('fuzz-files');
    wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  });
  afterAll(() => wh?.close());

  it(`never crashes or silently drops a record: loaded + quarantined = records (${24 * SCALE} files, seed ${SEED})`, async () => {
    const random = seededRandom(SEED + 1);
    const problems: string[] = [];
    for (let i = 0; i < 24 * SCALE; i++) {
      const c = fileCase(random, i);
      const root = join(dir, `case${i}`);
      mkdirSync(root);
      writeFileSync(join(root, `orders.${c.format}`), c.bytes);
      const source = buildSource(`f${i}`, {
        type: 'files',
        root,
        streams: {
          orders: {
            glob: `*.${c.format}`,
            format: c.format,
            primaryKey: 'order_id',
            disposition: 'append',
            fields: { order_id: { type: 'string', required: true }, amount: 'number', placed_at: 'timestamp', status: { type: 'string', enum: ['paid', 'refunded'] }, note: 'string' },
          },
        },
      }, root);
      const result = await runExtract(wh, [source], { log: silentLogger });
      const stream = result.streams[0]!;
      const where = `case ${i} (${c.format}: ${c.label}, ${c.records} records)`;
      figures.add('files fuzzed');
      figures.add('file records fuzzed', c.records);
      if (stream.status !== 'succeeded') {
        // A failed file is acceptable only with a clear reason and nothing of it loaded.
        if (!stream.error || hasStackTrace(stream.error)) problems.push(`${where}: failed without a clear error: ${stream.error}`);
        const [rows] = await wh.all<{ n: number }>(`select count(*)::int n from raw.${`f${i}`}__orders`).catch(() => [{ n: 0 }]);
        if (rows!.n !== 0) problems.push(`${where}: failed but left ${rows!.n} rows`);
        figures.add('files refused with a reason');
        console.log(`[reliability] ${where}: refused: ${stream.error?.slice(0, 200)}`);
        continue;
      }
      const [loaded] = await wh.all<{ n: number }>(`select count(*)::int n from raw.${`f${i}`}__orders`).catch(() => [{ n: 0 }]);
      const [quarantined] = await wh.all<{ n: number; unexplained: number }>(
        `select count(*)::int n, count(*) filter (where reason is null or reason = '')::int unexplained from meta.quarantine where source = $1`,
        [`f${i}`],
      );
      if (loaded!.n + quarantined!.n !== c.records) problems.push(`${where}: loaded ${loaded!.n} + quarantined ${quarantined!.n} ≠ ${c.records}`);
      if (quarantined!.unexplained) problems.push(`${where}: ${quarantined!.unexplained} quarantined without a reason`);
      figures.add('file records quarantined', quarantined!.n);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it("never modifies the user's files: an NDJSON export with bad lines is read, not rewritten", async () => {
    const root = join(dir, 'untouched');
    mkdirSync(root);
    const original = Buffer.from('{"order_id":"a1","amount":1}\n{broken json\n42\n{"order_id":"a2","amount":2}\n');
    writeFileSync(join(root, 'orders.ndjson'), original);
    const source = buildSource('untouched', { type: 'files', root, streams: { orders: { glob: '*.ndjson', format: 'ndjson', primaryKey: 'order_id', fields: { order_id: 'string', amount: 'number' } } } }, root);
    const first = await runExtract(wh, [source], { log: silentLogger });
    expect(first.streams[0]?.status).toBe('succeeded');
    expect(readFileSync(join(root, 'orders.ndjson')).equals(original), 'the export was rewritten in place').toBe(true);
    // Unchanged, the file is not loaded again (its checksum still matches).
    const second = await runExtract(wh, [source], { log: silentLogger });
    expect(second.streams[0]?.pages).toBe(0);
    const [counts] = await wh.all<{ loaded: number; quarantined: number }>(
      `select (select count(*) from raw.untouched__orders)::int loaded, (select count(*) from meta.quarantine where source = 'untouched')::int quarantined`,
    );
    expect(counts).toEqual({ loaded: 2, quarantined: 2 });
  });

  it('quarantines survey scores outside their scale, with the scale as the reason', async () => {
    const root = join(dir, 'surveys');
    mkdirSync(root);
    const rows = [
      ['r1', 'nps', '10'], ['r2', 'nps', '11'], ['r3', 'nps', '-1'], ['r4', 'csat', '0'], ['r5', 'csat', '5'],
      ['r6', 'csat', '6'], ['r7', 'ces', '7'], ['r8', 'ces', '8'], ['r9', 'nps', '7.5'], ['r10', 'ces', 'high'], ['r11', 'nps', '0'],
    ];
    writeFileSync(join(root, 'responses.csv'), ['response_id,survey,score,responded_at,comment', ...rows.map(([id, kind, score]) => `${id},${kind},${score},2026-01-05T10:00:00Z,ok`)].join('\n') + '\n');
    const source = buildSource('fuzzsurveys', { type: 'surveys', root }, root);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.streams[0]?.status).toBe('succeeded');
    const loaded = await wh.all<{ response_id: string }>(`select response_id from raw.fuzzsurveys__responses order by 1`);
    expect(loaded.map((r) => r.response_id)).toEqual(['r1', 'r11', 'r5', 'r7']);
    const reasons = await wh.all<{ reason: string }>(`select reason from meta.quarantine where source = 'fuzzsurveys' order by reason`);
    expect(reasons).toHaveLength(7);
    const text = reasons.map((r) => r.reason).join("\n");
    for (const scale of ["NPS scores are 0–10", "CSAT scores are 1–5", "CES scores are 1–7", "score: expected BIGINT, got 7.5"]) expect(text).toContain(scale);
    figures.add('survey scores checked', rows.length);
  });
});

describe('CLI argument fuzz', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = tempDir('fuzz-cli');
    config = writeConfig(dir, { warehouse: { path: join(dir, 'warehouse.duckdb'), analyticsPath: join(dir, 'analytics.duckdb'), lockTimeoutSeconds: 1 }, jobs: {} });
  });

  const COMMANDS = ['extract', 'build', 'publish', 'status', 'quarantine', 'docs', 'export', 'run', 'nosuch', '', '--', 'EXTRACT', 'status;rm'];
  const FLAGS = ['--json', '--all', '--raw', '--full-refresh', '--bogus', '-x', '--log-level', '--log-format', '--limit', '--source', '--stream', '--grace', '--scale', '--warehouse', '--config', '--to', '--out'];
  const VALUES = ['', 'debug', 'json', 'loud', '-1', '0', '3', '1e9', 'abc', '"; drop table meta.runs; --', 'list', 'replay', 'nosuch', '../../etc', 'ünï ✓', 'x'.repeat(5000)];

  /** Builds a random argv; path-taking flags only ever point into the test's folder, so nothing is written elsewhere. */
  function randomArgv(random: Random): string[] {
    const argv: string[] = [];
    const command = pick(random, COMMANDS);
    if (command) argv.push(command);
    if (command === 'quarantine' || command === 'run') argv.push(pick(random, ['list', 'replay', 'nosuch', '']));
    const flags = Math.floor(random() * 4);
    for (let i = 0; i < flags; i++) {
      const flag = pick(random, FLAGS);
      if (flag === '--warehouse') argv.push(flag, join(dir, pick(random, ['warehouse.duckdb', 'missing/none.duckdb', 'x"; drop.duckdb'])));
      else if (flag === '--to' || flag === '--out') argv.push(flag, join(dir, 'out', String(Math.floor(random() * 1000))));
      else if (flag === '--config') argv.push(flag, pick(random, [config, join(dir, 'missing.ts')]));
      else if (['--log-level', '--log-format', '--limit', '--source', '--stream', '--grace', '--scale'].includes(flag) && random() < 0.85) argv.push(flag, pick(random, VALUES));
      else argv.push(flag);
    }
    if (!argv.includes('--config')) argv.push('--config', config);
    return argv;
  }

  it(`answers random argv with exit 0, 1, 2 or 75 and a message, never a stack trace (${100 * SCALE} in process, seed ${SEED})`, async () => {
    const random = seededRandom(SEED + 2);
    const problems: string[] = [];
    const originalOut = process.stdout.write.bind(process.stdout);
    const originalErr = process.stderr.write.bind(process.stderr);
    for (let i = 0; i < 100 * SCALE; i++) {
      const argv = randomArgv(random);
      let stdout = '';
      let stderr = '';
      process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
      let code: number | undefined;
      let thrown: unknown;
      try {
        code = await main(argv);
      } catch (error) {
        thrown = error;
      } finally {
        process.stdout.write = originalOut;
        process.stderr.write = originalErr;
      }
      const shown = JSON.stringify(argv).slice(0, 300);
      figures.add('CLI argv fuzzed');
      if (thrown !== undefined) problems.push(`${shown}: threw ${String(thrown)}`);
      else if (![0, 1, 2, 75].includes(code!)) problems.push(`${shown}: exit ${code}`);
      else if (hasStackTrace(stderr) || /unexpected error/.test(stderr)) problems.push(`${shown}: stack trace on stderr: ${stderr.slice(0, 400)}`);
      else if (code !== 0 && stderr.trim() === '' && !/"error"|^usage:/m.test(stdout)) problems.push(`${shown}: exit ${code} without a message`);
      else figures.add(`CLI exit ${code}`);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('says what is wrong through the real binary too', async () => {
    for (const argv of [['extract', '--limit'], ['quarantine', 'list', '--limit', '-3', '--config', config]]) {
      const result = await runPulse(argv);
      expect([1, 2], `${argv.join(' ')}: ${result.stderr}`).toContain(result.code);
      expect(result.stderr).toMatch(/^pulse: /m);
      expect(hasStackTrace(result.stderr)).toBe(false);
      figures.add('CLI argv through the binary');
    }
  }, 60_000);
});
