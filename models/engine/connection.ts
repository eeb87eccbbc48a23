/**
 * Small query helpers over one DuckDB connection, for engine steps that run on their own
 * connection (parallel model builds) rather than the warehouse's shared one.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { plainValue } from '../../core/warehouse.ts';

/** Runs a query and returns rows as plain objects (BIGINT → number when safe). */
export async function queryRows<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => plainValue(row) as T);
}

/** Runs SQL whose result is of no interest. */
export async function exec(conn: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<void> {
  await conn.run(sql, params);
}

/** Runs `work` in one transaction on `conn`; rolls back and rethrows if it throws. */
export async function inTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run('begin transaction');
  try {
    const result = await work();
    await conn.run('commit');
    return result;
  } catch (error) {
    // DuckDB has already aborted the transaction on most errors; the work's error is the one to report.
    await conn.run('rollback').catch(() => undefined);
    throw error;
  }
}

/** Tells whether `schema.name` exists, and as which kind of relation. */
export async function relationKind(conn: DuckDBConnection, schema: string, name: string): Promise<'table' | 'view' | undefined> {
  const [row] = await queryRows<{ table_type: string }>(
    conn,
    `select table_type from information_schema.tables where table_catalog = current_database() and table_schema = $1 and table_name = $2`,
    [schema, name],
  );
  if (!row) return undefined;
  return row.table_type === 'VIEW' ? 'view' : 'table';
}

/**
 * The kind of every table and view of the current database, by `schema.name`: one catalog query
 * for a whole build instead of one (~10 ms) per model.
 */
export async function relationKinds(conn: DuckDBConnection): Promise<Map<string, 'table' | 'view'>> {
  const rows = await queryRows<{ id: string; kind: 'table' | 'view' }>(
    conn,
    `select schema_name || '.' || table_name as id, 'table' as kind from duckdb_tables() where database_name = current_database() and not temporary
     union all
     select schema_name || '.' || view_name, 'view' from duckdb_views() where database_name = current_database() and not temporary and not internal`,
  );
  return new Map(rows.map((r) => [r.id, r.kind]));
}

/** Opens a connection, runs `work`, and closes it whatever happens. */
export async function withConnection<T>(connect: () => Promise<DuckDBConnection>, work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await connect();
  try {
    return await work(conn);
  } finally {
    conn.closeSync();
  }
}
