/**
 * Helpers shared by the reliability suites: temp folders, whole-warehouse snapshots to compare a
 * faulted or interrupted run with a clean one, and checks that output carries no stack trace.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { plainValue, type Warehouse } from '../../core/warehouse.ts';
import { ident, qualified } from '../../core/sql.ts';

/** Creates a fresh temp folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pulse-rel-${prefix}-`));
}

/** Load bookkeeping columns that legitimately differ between two runs of the same data. */
const BOOKKEEPING = new Set(['_loaded_at', '_run_id']);

/** Every raw table's content (declared columns only when `columns` says so), stream state and quarantine count. */
export interface WarehouseSnapshot {
  tables: Record<string, unknown[]>;
  state: unknown[];
  quarantined: number;
}

/** Lists the tables of a schema. */
export async function tablesIn(wh: Warehouse, schema: string): Promise<string[]> {
  const rows = await wh.all<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

/**
 * Reads every `raw.*` table sorted by all columns (bookkeeping and `skipColumns` left out), the
 * saved cursors and the number of quarantined records, as plain values.
 */
export async function snapshotRaw(wh: Warehouse, options: { skipColumns?: (table: string) => ReadonlySet<string> } = {}): Promise<WarehouseSnapshot> {
  const tables: Record<string, unknown[]> = {};
  for (const table of await tablesIn(wh, 'raw')) {
    if (table.startsWith('_incoming__')) continue;
    const skip = options.skipColumns?.(table) ?? new Set<string>();
    const columns = (await wh.all<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'raw' and table_name = $1 order by ordinal_position`,
      [table],
    ))
      .map((c) => c.column_name)
      .filter((c) => !BOOKKEEPING.has(c) && !skip.has(c));
    const list = columns.map((c) => `${ident(c)}::varchar as ${ident(c)}`).join(', ');
    tables[table] = await wh.all(`select ${list} from ${qualified('raw', table)} order by all`);
  }
  const state = await wh.all(`select source, stream, cursor from meta.stream_state order by all`);
  const [q] = await wh.all<{ n: number }>(`select count(*)::int as n from meta.quarantine`);
  return { tables, state, quarantined: q?.n ?? 0 };
}

/** Runs one query against a DuckDB file opened read-only in this process, then closes it. */
export async function queryFile<T = Record<string, unknown>>(path: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      return (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => plainValue(r) as T);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Matches the frames of a JavaScript stack trace (`    at fn (file:line:col)`). */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m;

/** Tells whether a text holds a stack trace. */
export function hasStackTrace(text: string): boolean {
  return STACK_FRAME.test(text);
}

/** A counter of what a suite exercised, printed at its end so the README figures can be checked. */
export function tally(): { add(key: string, n?: number): void; print(suite: string): void; get(key: string): number } {
  const counts = new Map<string, number>();
  return {
    add: (key, n = 1) => void counts.set(key, (counts.get(key) ?? 0) + n),
    get: (key) => counts.get(key) ?? 0,
    print: (suite) => console.log(`[reliability] ${suite}: ${[...counts].map(([k, v]) => `${k}=${v}`).join(' ')}`),
  };
}

/** The tsx loader as a URL, for `node --import` from any working folder. */
export const TSX_LOADER = import.meta.resolve('tsx');
