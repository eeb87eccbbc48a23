/**
 * The model run ledger (`meta.model_runs`): what each build did to each model, with the hashes
 * that let the next build skip a model whose SQL and inputs have not changed.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { qualified } from '../../core/sql.ts';
import { queryRows } from './connection.ts';
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
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Hashes the model's SQL together with the parts of its definition that shape the table
 * (materialization, key, contract, incremental settings), so changing any of them rebuilds it.
 */
export function sqlHash(model: LoadedModel): string {
  const shape = { materialized: model.materialized, uniqueKey: model.uniqueKey, columns: model.columns, incremental: model.incremental ?? null, compute: model.compute?.version ?? null };
  return sha256(`${model.sqlText}\n-- ${JSON.stringify(shape)}`);
}

/** Returns the run id of the model's latest successful (re)build, if any. */
export async function lastBuildRunId(conn: DuckDBConnection, model: string): Promise<string | undefined> {
  const [row] = await queryRows<{ run_id: string }>(
    conn,
    `select run_id from meta.model_runs where model = $1 and status = 'succeeded' order by seq desc limit 1`,
    [model],
  );
  return row?.run_id;
}

/** Returns the hashes of the model's latest build that left it correct (built or unchanged). */
export async function lastGoodHashes(conn: DuckDBConnection, model: string): Promise<{ sqlHash: string; inputHash: string } | undefined> {
  const [row] = await queryRows<{ sql_hash: string; input_hash: string }>(
    conn,
    `select sql_hash, input_hash from meta.model_runs where model = $1 and status in ('succeeded', 'unchanged') order by seq desc limit 1`,
    [model],
  );
  return row ? { sqlHash: row.sql_hash, inputHash: row.input_hash } : undefined;
}

/** Fingerprints a source table cheaply: row count and latest `_loaded_at`, or a content hash without one. */
async function sourceFingerprint(conn: DuckDBConnection, id: string): Promise<string> {
  const [schema, table] = id.split('.') as [string, string];
  const [hasLoadedAt] = await queryRows(
    conn,
    // duckdb_columns() rather than information_schema.columns: the same rows, without the view's cost on every build.
    `select 1 from duckdb_columns() where database_name = current_database() and schema_name = $1 and table_name = $2 and column_name = '_loaded_at'`,
    [schema, table],
  );
  // Loaded raw tables stamp every merged row with _loaded_at, so count + max catches inserts,
  // restatements and deletes without reading the data; other (small meta) tables are hashed.
  const sql = hasLoadedAt
    ? `select count(*)::varchar || '/' || coalesce(max(_loaded_at)::varchar, '') as f from ${qualified(schema, table)}`
    : `select count(*)::varchar || '/' || coalesce(bit_xor(hash(t))::varchar, '') as f from ${qualified(schema, table)} as t`;
  const [row] = await queryRows<{ f: string }>(conn, sql);
  return row?.f ?? '';
}

/**
 * Hashes the state of everything a model reads: each upstream model's latest build run id
 * (`builtThisRun` first) and each source's fingerprint.
 */
export async function inputHash(conn: DuckDBConnection, model: LoadedModel, lineage: Lineage, builtThisRun: ReadonlyMap<string, string>): Promise<string> {
  const parts: string[] = [];
  for (const up of lineage.upstream.get(model.name) ?? []) {
    parts.push(`model ${up}=${builtThisRun.get(up) ?? (await lastBuildRunId(conn, up)) ?? 'never built'}`);
  }
  for (const source of lineage.sources.get(model.name) ?? []) parts.push(`source ${source}=${await sourceFingerprint(conn, source)}`);
  return sha256(parts.sort().join('\n'));
}

/** Appends one row to `meta.model_runs`. */
export async function recordModelRun(conn: DuckDBConnection, row: ModelRunRow): Promise<void> {
  await conn.run(
    `insert into meta.model_runs (run_id, model, status, mode, rows, duration_ms, sql_hash, input_hash, error, started_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)`,
    [row.runId, row.model, row.status, row.mode, row.rows, Math.round(row.durationMs), row.sqlHash, row.inputHash, row.error, row.startedAt.toISOString()],
  );
}
