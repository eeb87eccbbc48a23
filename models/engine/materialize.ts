/**
 * Materializes one model in one transaction — a view, a rebuilt table, or an incremental merge —
 * and checks its contract before committing, so readers see the old relation until the new one
 * is complete and correct.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import { ident, literal, qualified, sqlType } from '../../core/sql.ts';
import { plainValue } from '../../core/warehouse.ts';
import { assertContract } from './contracts.ts';
import { exec, inTransaction, queryRows } from './connection.ts';
import type { Counted } from './data-tests.ts';
import type { BuildMode } from './ledger.ts';
import { isKeyed } from './define.ts';
import { allowEveryGroup, IN_INCREMENT_MACRO, mergeKeyed, readMarks, type FullRebuild, type IncrementState, type KeyedPlan } from './keyed-increment.ts';
import { replaceRows } from './merge.ts';
import type { LoadedModel } from './registry.ts';

/** What a materialization wrote. */
export interface MaterializeResult {
  readonly mode: BuildMode;
  /** Rows in the table afterwards; null for views (counting would run the view). */
  readonly rows: number | null;
  /** Rows written this time: all of them for a full build, the recomputed window for an incremental one. */
  readonly rowsWritten: number | null;
  /** What an incremental model's build covered, for the next build (`meta.model_increments`). */
  readonly increment?: IncrementState;
  /** Why an incremental model was rebuilt in full although it could have merged. */
  readonly fullReason?: string;
  /**
   * For an incremental merge: a condition on the model's table selecting the rows this build
   * wrote, so its unique tests can look at those keys alone (`runModelTests`).
   */
  readonly written?: string;
}

/** What a keyed incremental model's build needs: the raw tables its `changed` SQL reads, and the plan for this build. */
export interface KeyedBuild {
  /** The raw tables its `changed` SQL reads (`keyedInputs`). */
  readonly sources: readonly string[];
  /** Absent on a first build or a full refresh. */
  readonly plan?: KeyedPlan | FullRebuild;
}

/** Options for `materialize`. */
export interface MaterializeOptions {
  /** Rebuild an incremental model from scratch (first build, `fullRefresh`, or changed SQL). */
  readonly full: boolean;
  /** Runs inside the transaction after the contract check, so ledger rows commit with the data. */
  readonly beforeCommit?: (result: MaterializeResult) => Promise<void>;
  /** What the relation is before this build (the build reads every model's kind once, as it starts). */
  readonly existing: 'table' | 'view' | undefined;
  /** Set for keyed incremental models. */
  readonly keyed?: KeyedBuild;
  /** The build's run id (recorded with a keyed model's recomputed groups). */
  readonly runId: string;
}

/** Wraps the model's SQL as a subquery; the newlines keep a trailing `--` comment from swallowing the `)`. */
const subquery = (model: LoadedModel) => `(\n${model.sqlText}\n) as ${ident(model.name)}`;

async function countRows(conn: DuckDBConnection, model: LoadedModel): Promise<number> {
  const [row] = await queryRows<{ n: number }>(conn, `select count(*) as n from ${qualified(model.layer, model.name)}`);
  return Number(row?.n ?? 0);
}

/**
 * The macro through which a model's SQL reads the start of the window being built: in an
 * incremental build the start of its lookback window, in a full build `-infinity`. A model whose
 * output rows in the window depend only on input rows from (about) the window filters its inputs
 * with it (`where event_timestamp >= pulse_window_start()`), so DuckDB prunes the rest at the
 * scan instead of computing everything and filtering the output. It is a temporary macro on the
 * building connection, so only table and incremental models can use it.
 */
export const WINDOW_START_MACRO = 'pulse_window_start';

async function setWindowStart(conn: DuckDBConnection, start: string): Promise<void> {
  await exec(conn, `create or replace temp macro ${WINDOW_START_MACRO}() as ${start}`);
}

/** Replaces the table with the model's full output. */
async function buildFullTable(conn: DuckDBConnection, model: LoadedModel): Promise<MaterializeResult> {
  await exec(conn, `create or replace table ${qualified(model.layer, model.name)} as select * from ${subquery(model)}`);
  const rows = await countRows(conn, model);
  return { mode: 'full', rows, rowsWritten: rows };
}

/**
 * Recomputes the lookback window of an incremental model and merges it by unique key:
 * rows whose event time is within `lookbackDays` of the table's latest are deleted and
 * re-inserted from the model's output (as are rows with the same key), so restated and removed
 * rows come out exactly as a full rebuild would produce them.
 */
async function mergeIncrement(conn: DuckDBConnection, model: LoadedModel): Promise<MaterializeResult | undefined> {
  const config = model.incremental;
  if (!config || isKeyed(config)) return undefined;
  const target = qualified(model.layer, model.name);
  const eventTime = ident(config.eventTime);
  const [cut] = await queryRows<{ cutoff: string | null; type: string }>(
    conn,
    `select (max(${eventTime}) - to_days(${literal(config.lookbackDays)}))::varchar as cutoff, typeof(max(${eventTime}) - to_days(0)) as type from ${target}`,
  );
  if (!cut?.cutoff) return undefined; // an empty table has no window to extend
  // A literal cutoff (not a subquery) lets DuckDB push the filter down into the model's scans,
  // so only the window's source rows are read.
  const cutoff = `cast(${literal(cut.cutoff)} as ${sqlType(cut.type)})`;
  await setWindowStart(conn, cutoff);
  // The window is replaced whole, not compared row by row like a keyed model's groups: a week of
  // web events (its rows spread over many row groups) took 0.7 s to compare against 0.25 s to
  // rewrite, and nothing downstream is told its keys.
  const written = await replaceRows(conn, model, `select * from ${subquery(model)} where ${ident(model.name)}.${eventTime} >= ${cutoff}`, (increment) => [
    `where ${eventTime} >= ${cutoff}`,
    `using ${increment} where ${model.uniqueKey.map((k) => `${target}.${ident(k)} is not distinct from ${increment}.${ident(k)}`).join(' and ')}`,
  ]);
  return { mode: 'incremental', rows: await countRows(conn, model), rowsWritten: written, increment: { windowStart: cut.cutoff }, written: `${eventTime} >= ${cutoff}` };
}

/**
 * Builds a keyed incremental model: merges the changed groups when the plan allows it, else
 * rebuilds in full; either way it records the raw tables' marks the next build starts from.
 */
async function buildKeyed(conn: DuckDBConnection, model: LoadedModel, keyed: KeyedBuild, incremental: boolean, runId: string): Promise<MaterializeResult> {
  let fullReason: string | undefined;
  if (incremental && keyed.plan?.kind === 'keys') {
    const merged = await mergeKeyed(conn, model, keyed.plan, runId, subquery(model));
    if (merged.merged) return { mode: 'incremental', rows: await countRows(conn, model), rowsWritten: merged.rowsWritten, increment: merged.increment, written: merged.written };
    fullReason = merged.reason;
  } else if (incremental && keyed.plan?.kind === 'full') fullReason = keyed.plan.reason;
  const marks = await readMarks(conn, keyed.sources);
  const built = await buildFullTable(conn, model);
  return { ...built, increment: { sources: marks }, ...(fullReason ? { fullReason } : {}) };
}

/** Serialises computed rows as NDJSON (BigInt as text, dates as ISO). */
function toNdjson(rows: Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).join('\n') + '\n';
}

/**
 * Runs the compute model's input query and feeds `compute.run`, writing its output rows as NDJSON
 * to `file`; returns how many rows it wrote. With `batchRows` the input is streamed and computed
 * batch by batch, so neither the input nor the output is ever all in memory at once.
 */
async function computeToFile(conn: DuckDBConnection, model: LoadedModel, pending: string, file: string): Promise<number> {
  const compute = model.compute!;
  const context = { now: new Date() };
  writeFileSync(file, '');
  let written = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const output = await compute.run(batch, context);
    batch = [];
    if (output.length) appendFileSync(file, toNdjson(output));
    written += output.length;
  };
  // The input streams in chunk by chunk even when `run` takes it all at once: a materialized
  // result and its converted rows would hold every input row twice (and DuckDB's copy outside
  // its memory limit).
  const result = await conn.stream(pending);
  for await (const rows of result.yieldRowObjectJs()) {
    for (const row of rows) {
      batch.push(plainValue(row) as Record<string, unknown>);
      if (compute.batchRows && batch.length >= compute.batchRows) await flush();
    }
  }
  if (batch.length) await flush();
  return written;
}

/**
 * Runs a full collection when the process exposes one (`bin/pulse.js` starts Node with
 * `--expose-gc`). Why: a compute model leaves 200–300 MB of garbage in the JS heap, and V8 does
 * not collect an idle heap by itself, so that memory stayed resident through the rest of a build
 * while DuckDB models filled their own memory limit beside it. Collected, the pages go back to
 * the system within a couple of seconds.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * A compute model's key as one text, the way `meta.compute_inputs` stores it: the key itself, or
 * `["k1","k2"]` for a key of several columns; `row` is the alias the key columns are read from.
 */
function computeKey(model: LoadedModel, row: string): string {
  const [only, ...more] = model.uniqueKey;
  if (only !== undefined && more.length === 0) return `${row}.${ident(only)}::varchar`;
  return `to_json([${model.uniqueKey.map((k) => `${row}.${ident(k)}::varchar`).join(', ')}])::varchar`;
}

/**
 * Materializes a compute model: runs its SQL for the input rows, hands them to `compute.run`, and
 * loads the output through DuckDB's JSON reader typed by the contract. An incremental model
 * computes only the rows whose input is new or changed since it was computed, and drops the rows
 * whose input is gone: every input row's fingerprint (a hash of the whole row) is kept by key in
 * `meta.compute_inputs`. Why: computing each key once left an edited comment with the score of
 * its old text, and a deleted one in the table for good, where a full rebuild has neither.
 */
async function computeTable(conn: DuckDBConnection, model: LoadedModel, incremental: boolean): Promise<MaterializeResult> {
  const target = qualified(model.layer, model.name);
  const row = ident(model.name);
  const fingerprinted = model.materialized === 'incremental';
  const fingerprints = ident(`pulse_inputs_${model.name}`);
  const todo = ident(`pulse_todo_${model.name}`);
  if (fingerprinted) {
    await exec(conn, `create or replace temp table ${fingerprints} as select ${computeKey(model, row)} as key, hash(${row}) as input_hash from ${subquery(model)}`);
  }
  if (incremental) {
    await exec(
      conn,
      `create or replace temp table ${todo} as
       select key from (select key, input_hash from ${fingerprints} except select key, input_hash from meta.compute_inputs where model = ${literal(model.name)})
       union
       select key from (select ${computeKey(model, target)} as key from ${target} except select key from ${fingerprints})`,
    );
  }
  const pending = incremental ? `select * from ${subquery(model)} where ${computeKey(model, row)} in (select key from ${todo})` : `select * from ${subquery(model)}`;
  const columns = Object.entries(model.columns).map(([name, c]) => `${literal(name)}: ${literal(sqlType(c.type))}`).join(', ');
  const file = join(tmpdir(), `pulse-compute-${model.name}-${process.pid}-${randomUUID()}.ndjson`);
  let written: number;
  try {
    written = await computeToFile(conn, model, pending, file);
    collectGarbage();
    const select = written
      ? `select ${Object.keys(model.columns).map(ident).join(', ')} from read_json(${literal(file)}, format = 'newline_delimited', columns = {${columns}})`
      : `select ${Object.entries(model.columns).map(([name, c]) => `null::${sqlType(c.type)} as ${ident(name)}`).join(', ')} where false`;
    if (incremental) {
      await exec(conn, `delete from ${target} where ${computeKey(model, target)} in (select key from ${todo})`);
      await exec(conn, `insert into ${target} by name ${select}`);
    } else await exec(conn, `create or replace table ${target} as ${select}`);
  } finally {
    rmSync(file, { force: true });
  }
  if (fingerprinted) {
    const only = incremental ? ` and key in (select key from ${todo})` : '';
    await exec(conn, `delete from meta.compute_inputs where model = ${literal(model.name)}${only}`);
    await exec(conn, `insert into meta.compute_inputs (model, key, input_hash) select ${literal(model.name)}, key, input_hash from ${fingerprints} where true${only}`);
    await exec(conn, `drop table ${fingerprints}`);
    if (incremental) await exec(conn, `drop table ${todo}`);
  }
  return { mode: incremental ? 'incremental' : 'full', rows: await countRows(conn, model), rowsWritten: written };
}

/**
 * Builds `model` on `conn` in one transaction and checks its contract before committing;
 * a failure rolls back and leaves the previous relation in place.
 */
export async function materialize(conn: DuckDBConnection, model: LoadedModel, options: MaterializeOptions): Promise<MaterializeResult & { testCounts: ReadonlyMap<string, Counted> }> {
  return inTransaction(conn, async () => {
    const existing = options.existing;
    const target = qualified(model.layer, model.name);
    let result: MaterializeResult | undefined;
    if (model.materialized === 'view') {
      for (const macro of [WINDOW_START_MACRO, IN_INCREMENT_MACRO]) {
        if (!new RegExp(`\\b${macro}\\s*\\(`, 'i').test(model.sqlText)) continue;
        throw new TerminalError(`model ${model.name} is a view but calls ${macro}(), which exists only while a table is built`, {
          context: { file: model.sqlPath },
          hint: `make it a table or incremental model, or remove the ${macro}() filter`,
        });
      }
      // DuckDB will not `create or replace` across kinds, so a model that changed kind drops the old one first.
      if (existing === 'table') await exec(conn, `drop table ${target}`);
      await exec(conn, `create or replace view ${target} as select * from ${subquery(model)}`);
      result = { mode: 'view', rows: null, rowsWritten: null };
    } else {
      if (existing === 'view') await exec(conn, `drop view ${target}`);
      // Every table build starts from the whole history; an incremental merge narrows it to its window.
      // Set on each build, so no model sees the window of one built before it on this connection.
      await setWindowStart(conn, `'-infinity'::timestamptz`);
      await allowEveryGroup(conn);
      const incremental = model.materialized === 'incremental' && existing === 'table' && !options.full;
      if (model.compute) result = await computeTable(conn, model, incremental);
      else if (model.incremental && isKeyed(model.incremental)) result = await buildKeyed(conn, model, options.keyed ?? { sources: [] }, incremental, options.runId);
      else if (incremental) result = await mergeIncrement(conn, model);
      result ??= await buildFullTable(conn, model);
    }
    const testCounts = await assertContract(conn, model, model.allTests);
    await options.beforeCommit?.(result);
    return { ...result, testCounts };
  });
}
