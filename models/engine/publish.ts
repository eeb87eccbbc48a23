/**
 * Write–audit–publish: writes `analytics.duckdb` as a new file (marts, documentation comments,
 * metadata views, caller SQL such as macros) and renames it over the old one, only when every
 * error-severity data test last passed. Readers holding the old file keep their view of it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import { ident, literal, qualified } from '../../core/sql.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { exec, queryRows, relationKind } from './connection.ts';
import type { ModelDef } from './define.ts';
import { loadModels, type LoadedModel } from './registry.ts';

/** Options for `publish`. */
export interface PublishOptions {
  /** Where the published file lives (`analytics.duckdb`); replaced atomically. */
  readonly analyticsPath: string;
  readonly log?: Logger;
  /** Statements run inside the published file (e.g. `create macro channel_group(...) as ...`). */
  readonly extraSql?: readonly string[];
}

/** What was published. */
export interface PublishResult {
  readonly path: string;
  readonly tables: readonly string[];
  readonly bytes: number;
}

/** Lists error-severity tests whose latest result is not a pass (or that never ran). */
export async function failingGateTests(conn: DuckDBConnection, models: readonly LoadedModel[]): Promise<string[]> {
  const latest = await queryRows<{ model: string; test: string; status: string; failing_rows: number | null; error: string | null }>(
    conn,
    `select model, test, status, failing_rows, error from meta.test_results
     qualify row_number() over (partition by model, test order by seq desc) = 1`,
  );
  const byKey = new Map(latest.map((r) => [`${r.model}\u0000${r.test}`, r]));
  const failing: string[] = [];
  for (const model of models) {
    // A model left out of the build (its source is not loaded) has no relation and is not published.
    if (!(await relationKind(conn, model.layer, model.name))) continue;
    for (const test of model.allTests) {
      if (test.severity !== 'error') continue;
      const result = byKey.get(`${model.name}\u0000${test.name}`);
      if (!result) failing.push(`${model.name} ${test.name}: never ran`);
      else if (result.status === 'fail') failing.push(`${model.name} ${test.name}: ${result.failing_rows} failing row${result.failing_rows === 1 ? '' : 's'}`);
      else if (result.status !== 'pass') failing.push(`${model.name} ${test.name}: ${result.status}${result.error ? ` (${result.error})` : ''}`);
    }
  }
  return failing;
}

/** Writes a table comment from the definition: description, grain and unique key. */
function tableComment(model: LoadedModel): string {
  return `${model.description.trim()} Grain: ${model.grain}. Unique key: ${model.uniqueKey.join(', ')}.`;
}

/** Copies marts and writes their comments into the attached catalog `target`. */
async function copyMarts(conn: DuckDBConnection, source: string, target: string, marts: readonly LoadedModel[]): Promise<void> {
  await exec(conn, `create schema ${ident(target)}.marts`);
  for (const model of marts) {
    const dest = `${ident(target)}.${qualified('marts', model.name)}`;
    // Sorting by the unique key makes the published file deterministic and its zone maps useful.
    await exec(conn, `create table ${dest} as select * from ${ident(source)}.${qualified('marts', model.name)} order by ${model.uniqueKey.map(ident).join(', ')}`);
    await exec(conn, `comment on table ${dest} is ${literal(tableComment(model))}`);
    for (const [column, contract] of Object.entries(model.columns)) {
      await exec(conn, `comment on column ${dest}.${ident(column)} is ${literal(contract.description)}`);
    }
  }
}

/** Copies run metadata into the published file's `meta` schema and adds views of its latest state. */
async function writeMetadata(conn: DuckDBConnection, source: string, marts: readonly LoadedModel[]): Promise<void> {
  const from = (table: string) => `${ident(source)}.${qualified('meta', table)}`;
  // Run with the published catalog as default so the views name tables without a catalog and
  // still bind after the file is renamed (its catalog name changes with the file name).
  const statements: [string, string][] = [
    [`create schema meta`, ''],
    [`create table meta.runs as select * from ${from('runs')} order by started_at`, `comment on table meta.runs is 'Every pipeline run: job, command, status, error (redacted).'`],
    [`create table meta.stream_state as select * from ${from('stream_state')} order by source, stream`, `comment on table meta.stream_state is 'Saved incremental cursor per source stream and when it last moved.'`],
    [`create table meta.model_run_history as select * from ${from('model_runs')} order by seq`, `comment on table meta.model_run_history is 'Every model build: status, rows, duration, hashes.'`],
    [`create table meta.test_result_history as select * from ${from('test_results')} order by seq`, `comment on table meta.test_result_history is 'Every data test result, with up to 5 failing rows.'`],
    [
      `create view meta.model_runs as select * exclude (seq) from meta.model_run_history qualify row_number() over (partition by model order by seq desc) = 1`,
      `comment on view meta.model_runs is 'The latest build of each model.'`,
    ],
    [
      `create view meta.test_results as select * exclude (seq) from meta.test_result_history qualify row_number() over (partition by model, test order by seq desc) = 1`,
      `comment on view meta.test_results is 'The latest result of each data test; all error-severity tests passed when this file was published.'`,
    ],
    [
      `create view meta.freshness as select source, stream, updated_at as last_loaded_at, round(date_diff('minute', updated_at, now()) / 60.0, 1) as hours_since_load from meta.stream_state`,
      `comment on view meta.freshness is 'How long ago each source stream last loaded, as of when you query it.'`,
    ],
    [
      `create table meta.published as select now() as published_at, ${literal(marts.map((m) => `marts.${m.name}`).join(', '))} as tables`,
      `comment on table meta.published is 'When this file was published and which marts it holds.'`,
    ],
  ];
  for (const [sql, comment] of statements) {
    await exec(conn, sql);
    if (comment) await exec(conn, comment);
  }
}

/** Flushes a file (or directory) to disk so a rename cannot expose unwritten bytes after a crash. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Tells whether a process with `pid` exists on this machine (EPERM: it exists, someone else's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes temp files a killed publish left beside the target (`<name>.tmp-<pid>-<hex>`, and its
 * WAL): their process is gone, so nothing will ever rename or remove them, and each is a whole copy
 * of the marts.
 */
function removeStaleTempFiles(target: string, log: Logger): void {
  const prefix = `${basename(target)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+(\.wal)?$/.exec(name.slice(prefix.length)) : null;
    if (!match || processAlive(Number(match[1]))) continue;
    rmSync(join(dirname(target), name), { force: true });
    log.warn('removed a temp file left by an interrupted publish', { file: join(dirname(target), name) });
  }
}

/**
 * Publishes the marts of `models` to `analyticsPath`: refuses (TerminalError listing the tests)
 * unless every error-severity test's latest result passed; otherwise writes a new file next to
 * the target, fsyncs it and renames it into place. A failure leaves the old file untouched and
 * no temp file behind.
 */
export async function publish(wh: Warehouse, defs: readonly ModelDef[], options: PublishOptions): Promise<PublishResult> {
  const log = options.log ?? silentLogger;
  const models = loadModels(defs);
  const target = resolve(options.analyticsPath);
  const conn = await wh.connect();
  // Marts whose sources are not loaded were left out of the build; the rest are published.
  const marts: LoadedModel[] = [];
  for (const m of models) if (m.layer === 'marts' && (await relationKind(conn, m.layer, m.name))) marts.push(m);
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let source: string | undefined;
  const alias = `pulse_publish_${randomBytes(4).toString('hex')}`;
  let attached = false;
  try {
    const failing = await failingGateTests(conn, models);
    if (failing.length > 0) {
      throw new TerminalError(`publish withheld: ${failing.length} error-severity data test${failing.length === 1 ? '' : 's'} did not pass: ${failing.join('; ')}`, {
        context: { file: target },
        hint: 'fix the data or the model and run `pulse build` again; the published file was left as it was',
      });
    }
    const missing = [];
    for (const m of marts) if (!(await relationKind(conn, m.layer, m.name))) missing.push(m.relation);
    if (missing.length > 0) {
      throw new TerminalError(`publish withheld: ${missing.join(', ')} not built`, { context: { file: target }, hint: 'run `pulse build` first' });
    }
    const [db] = await queryRows<{ name: string }>(conn, 'select current_database() as name');
    source = db?.name as string;
    mkdirSync(dirname(target), { recursive: true });
    removeStaleTempFiles(target, log);
    await exec(conn, `attach ${literal(temp)} as ${ident(alias)}`);
    attached = true;
    await copyMarts(conn, source, alias, marts);
    await exec(conn, `use ${ident(alias)}`);
    await writeMetadata(conn, source, marts);
    for (const sql of options.extraSql ?? []) await exec(conn, sql);
    await exec(conn, `use ${ident(source)}`);
    await exec(conn, `checkpoint ${ident(alias)}`);
    await exec(conn, `detach ${ident(alias)}`);
    attached = false;
    if (existsSync(`${temp}.wal`)) throw new Error(`DuckDB left a write-ahead log next to ${temp} after checkpoint and detach`);
    fsyncPath(temp);
    // A stale WAL beside the target would be replayed into the new file by the next writer.
    rmSync(`${target}.wal`, { force: true });
    renameSync(temp, target);
    fsyncPath(dirname(target));
    const bytes = statSync(target).size;
    log.info('published', { file: target, tables: marts.length, bytes });
    return { path: target, tables: marts.map((m) => m.relation), bytes };
  } catch (error) {
    if (attached) {
      if (source) await exec(conn, `use ${ident(source)}`).catch(() => undefined);
      await exec(conn, `detach ${ident(alias)}`).catch(() => undefined);
    }
    rmSync(temp, { force: true });
    rmSync(`${temp}.wal`, { force: true });
    throw error;
  } finally {
    conn.closeSync();
  }
}
