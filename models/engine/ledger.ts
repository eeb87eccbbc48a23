/**
 * The model run ledger (`meta.model_runs`): what each build did to each model, with the hashes
 * that let the next build skip a model whose SQL and inputs have not changed.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { qualified } from '../../core/sql.ts';
import { queryRows } from './connection.ts';
import type { IncrementState } from './keyed-increment.ts';
import type { Lineage } from './lineage.ts';
import type { LoadedModel } from './registry.ts';

/** What a build did with one model. */
export type ModelStatus = 'succeeded' | 'unchanged' | 'failed' | 'skipped';

/** How a built model was materialized this time. */
export type BuildMode = 'view' | 'full' | 'incremental';

/** One `meta.model_runs` row. */
export interface ModelRunRow {
  runId: string;
  model: string;
  status: ModelStatus;
  mode: BuildMode | null;
  rows: number | null;
  durationMs: number;
  sqlHash: string;
  inputHash: string | null;
  error: string | null;
  startedAt: Date;
  /** What an incremental build covered (JSON in `meta.model_increments`). */
  increment?: IncrementState | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Hashes the model's SQL together with the parts of its definition that shape the table
 * (materialization, key, contract, incremental settings and `changed` SQL) and the macros it may
 * call (which carry the settings), so changing any of them rebuilds it in full.
 */
export function sqlHash(model: LoadedModel, macros: readonly string[] = []): string {
  const shape = {
    materialized: model.materialized,
    uniqueKey: model.uniqueKey,
    columns: model.columns,
    incremental: model.incremental ?? null,
    changed: model.changedSqlText ?? null,
    compute: model.compute?.version ?? null,
  };
  return sha256(`${model.sqlText}\n-- ${JSON.stringify(shape)}${macros.length ? `\n-- macros: ${sha256(macros.join('\n'))}` : ''}`);
}

/**
 * What a build needs to know about earlier builds and the sources, read once when it starts:
 * each model's latest successful run and latest good hashes, which source tables carry
 * `_loaded_at`, and (filled as models ask) each source's fingerprint. Why once: each of these
 * catalog and ledger lookups costs ~5–10 ms, and a build made four or five of them per model.
 * Valid for the whole build: a build writes no source table, and a model's own ledger rows are
 * only read before it is built.
 */
export interface LedgerSnapshot {
  /** The run id of each model's latest successful (re)build. */
  readonly lastBuildRunId: ReadonlyMap<string, string>;
  /** How long each model's latest successful (re)build took, in ms. */
  readonly lastBuildMs: ReadonlyMap<string, number>;
  /** The hashes of each model's latest build that left it correct (built or unchanged). */
  readonly lastGoodHashes: ReadonlyMap<string, { sqlHash: string; inputHash: string }>;
  /** Source tables (`schema.table`, lower case) that have a `_loaded_at` column. */
  readonly stamped: ReadonlySet<string>;
  /** Source fingerprints computed so far in this build. */
  readonly fingerprints: Map<string, Promise<string>>;
}

/** Reads the ledger and the source catalog for one build. */
export async function readLedgerSnapshot(conn: DuckDBConnection): Promise<LedgerSnapshot> {
  // The latest row per model (not arg_max per column: both hashes must come from the same row).
  const built = await queryRows<{ model: string; run_id: string; duration_ms: number }>(
    conn,
    `select model, run_id, duration_ms from meta.model_runs where status = 'succeeded' qualify row_number() over (partition by model order by seq desc) = 1`,
  );
  const good = await queryRows<{ model: string; sql_hash: string; input_hash: string }>(
    conn,
    `select model, sql_hash, input_hash from meta.model_runs where status in ('succeeded', 'unchanged') qualify row_number() over (partition by model order by seq desc) = 1`,
  );
  const stamped = await queryRows<{ id: string }>(
    conn,
    // duckdb_columns() rather than information_schema.columns: the same rows, without the view's cost.
    `select lower(schema_name || '.' || table_name) as id from duckdb_columns() where database_name = current_database() and column_name = '_loaded_at'`,
  );
  return {
    lastBuildRunId: new Map(built.map((r) => [r.model, r.run_id])),
    lastBuildMs: new Map(built.map((r) => [r.model, Number(r.duration_ms)])),
    lastGoodHashes: new Map(good.map((r) => [r.model, { sqlHash: r.sql_hash, inputHash: r.input_hash }])),
    stamped: new Set(stamped.map((r) => r.id)),
    fingerprints: new Map(),
  };
}

/** Fingerprints a source table cheaply: row count and latest `_loaded_at`, or a content hash without one. */
async function sourceFingerprint(conn: DuckDBConnection, id: string, stamped: ReadonlySet<string>): Promise<string> {
  const [schema, table] = id.split('.') as [string, string];
  // Loaded raw tables stamp every merged row with _loaded_at, so count + max catches inserts,
  // restatements and deletes without reading the data; other (small meta) tables are hashed.
  const sql = stamped.has(id.toLowerCase())
    ? `select count(*)::varchar || '/' || coalesce(max(_loaded_at)::varchar, '') as f from ${qualified(schema, table)}`
    : `select count(*)::varchar || '/' || coalesce(bit_xor(hash(t))::varchar, '') as f from ${qualified(schema, table)} as t`;
  const [row] = await queryRows<{ f: string }>(conn, sql);
  return row?.f ?? '';
}

/**
 * Hashes the state of everything a model reads: each upstream model's latest build run id
 * (`builtThisRun` first) and each source's fingerprint.
 */
export async function inputHash(conn: DuckDBConnection, model: LoadedModel, lineage: Lineage, builtThisRun: ReadonlyMap<string, string>, snapshot: LedgerSnapshot): Promise<string> {
  const parts: string[] = [];
  for (const up of lineage.upstream.get(model.name) ?? []) {
    parts.push(`model ${up}=${builtThisRun.get(up) ?? snapshot.lastBuildRunId.get(up) ?? 'never built'}`);
  }
  for (const source of lineage.sources.get(model.name) ?? []) {
    let fingerprint = snapshot.fingerprints.get(source);
    if (!fingerprint) {
      fingerprint = sourceFingerprint(conn, source, snapshot.stamped);
      snapshot.fingerprints.set(source, fingerprint);
    }
    parts.push(`source ${source}=${await fingerprint}`);
  }
  return sha256(parts.sort().join('\n'));
}

/** Appends one row to `meta.model_runs` (and what an incremental build covered to `meta.model_increments`). */
export async function recordModelRun(conn: DuckDBConnection, row: ModelRunRow): Promise<void> {
  await conn.run(
    `insert into meta.model_runs (run_id, model, status, mode, rows, duration_ms, sql_hash, input_hash, error, started_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)`,
    [row.runId, row.model, row.status, row.mode, row.rows, Math.round(row.durationMs), row.sqlHash, row.inputHash, row.error, row.startedAt.toISOString()],
  );
  if (row.increment) {
    await conn.run(`insert into meta.model_increments (run_id, model, increment) values ($1, $2, $3)`, [row.runId, row.model, JSON.stringify(row.increment)]);
  }
}
