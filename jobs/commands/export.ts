/**
 * `pulse export --to DIR [--raw]`: writes every mart of the published analytics file (and, with
 * `--raw`, every raw table of the warehouse) as hive-partitioned Parquet — `DIR/marts/<table>/
 * year=YYYY/month=M/*.parquet`, cut by the table's date column — the lake format Spark, Trino,
 * Athena, BigQuery and ClickHouse read directly. Tables without a date column are written
 * unpartitioned (`DIR/marts/<table>/data_0.parquet`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigError, TerminalError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { ident, literal, qualified } from '../../core/sql.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { isKeyed, type ModelDef } from '../../models/engine/index.ts';
import { PRODUCT_MODELS } from '../../models/index.ts';
import type { CommandContext } from '../context.ts';
import { count, duration } from '../progress.ts';

/** Options of the export command. */
export interface ExportCommandOptions {
  /** The output folder (`--to`). */
  to?: string;
  /** Also export the warehouse's raw tables (`--raw`). */
  raw?: boolean;
  /** Model definitions consulted for each mart's date column (default: the product's). */
  models?: readonly ModelDef[];
}

/** One exported table. */
export interface ExportedTable {
  /** `schema.table`. */
  relation: string;
  rows: number;
  /** The date column the files are partitioned by (year, month), or null when unpartitioned. */
  partitionBy: string | null;
  /** The folder holding the table's Parquet files. */
  path: string;
}

const DATE_TYPES = /^(DATE|TIMESTAMP.*)$/i;

/** Lists the base tables of `schema` in the connection's database. */
async function tablesOf(conn: DuckDBConnection, schema: string): Promise<string[]> {
  const reader = await conn.runAndReadAll(
    `select table_name from information_schema.tables where table_catalog = current_database() and table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
    [schema],
  );
  return reader.getRowObjectsJS().map((r) => String(r['table_name']));
}

/** Lists a table's columns with their DuckDB types, in table order. */
async function columnsOf(conn: DuckDBConnection, schema: string, table: string): Promise<{ name: string; type: string }[]> {
  const reader = await conn.runAndReadAll(
    `select column_name, data_type from information_schema.columns
     where table_catalog = current_database() and table_schema = $1 and table_name = $2 order by ordinal_position`,
    [schema, table],
  );
  return reader.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), type: String(r['data_type']) }));
}

/**
 * Picks the date column a table is partitioned by: the model's event time when it declares one,
 * else the first DATE or TIMESTAMP column of its contract, else the first such column of the
 * table; null when it has none.
 */
export function partitionColumn(columns: readonly { name: string; type: string }[], model?: ModelDef): string | null {
  const present = new Set(columns.map((c) => c.name));
  const declared = [
    model?.incremental && !isKeyed(model.incremental) ? model.incremental.eventTime : undefined,
    ...Object.entries(model?.columns ?? {}).filter(([, c]) => DATE_TYPES.test(c.type.trim())).map(([name]) => name),
  ].find((name): name is string => name !== undefined && present.has(name));
  return declared ?? columns.find((c) => DATE_TYPES.test(c.type))?.name ?? null;
}

/**
 * Writes `schema.table` as Parquet under `dir/<schema>/<table>`: into a temp folder first, then
 * swapped in, so a reader never sees a mix of two exports and a failed export leaves the last one.
 */
async function exportTable(conn: DuckDBConnection, schema: string, table: string, dir: string, model: ModelDef | undefined): Promise<ExportedTable> {
  const columns = await columnsOf(conn, schema, table);
  const partitionBy = partitionColumn(columns, model);
  const parent = join(dir, schema);
  const target = join(parent, table);
  // Beside the table's folder, not inside it, so a glob over the table never sees half an export; the dot hides it from Hive-style readers.
  const temp = join(parent, `.${table}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(temp, { recursive: true });
  try {
    const from = qualified(schema, table);
    let sql: string;
    if (partitionBy) {
      // A table may already have a column called year or month (a monthly grain); keep both.
      const taken = new Set(columns.map((c) => c.name));
      const [year, month] = taken.has('year') || taken.has('month') ? ['partition_year', 'partition_month'] : ['year', 'month'];
      const col = ident(partitionBy);
      sql = `copy (select *, year(${col}) as ${ident(year)}, month(${col}) as ${ident(month)} from ${from})
        to ${literal(temp)} (format parquet, partition_by (${ident(year)}, ${ident(month)}), overwrite_or_ignore)`;
    } else {
      sql = `copy (select * from ${from}) to ${literal(join(temp, 'data_0.parquet'))} (format parquet)`;
    }
    const reader = await conn.runAndReadAll(sql);
    const rows = Number(reader.getRowObjectsJS()[0]?.['Count'] ?? 0);
    rmSync(target, { recursive: true, force: true });
    renameSync(temp, target);
    return { relation: `${schema}.${table}`, rows, partitionBy, path: target };
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw new TerminalError(`export of ${schema}.${table} failed: ${(error as Error).message}`, { cause: error, context: { file: target } });
  }
}

/** Exports every base table of `schema` in the open database to `dir/<schema>/`. */
export async function exportSchema(wh: Warehouse, schema: 'marts' | 'raw', dir: string, options: { models?: readonly ModelDef[]; log?: Logger } = {}): Promise<ExportedTable[]> {
  const conn = await wh.connect();
  try {
    // Timestamps are stored in UTC; partitions are cut in UTC too, whatever the machine's zone.
    await conn.run(`set TimeZone = 'UTC'`);
    const models = new Map((options.models ?? []).filter((m) => m.layer === schema).map((m) => [m.name, m]));
    const exported: ExportedTable[] = [];
    for (const table of await tablesOf(conn, schema)) {
      const result = await exportTable(conn, schema, table, dir, models.get(table));
      options.log?.info('exported', { table: result.relation, rows: result.rows, partitionBy: result.partitionBy ?? undefined });
      exported.push(result);
    }
    return exported;
  } finally {
    conn.closeSync();
  }
}

/** Runs the export command; returns the exit code. */
export async function exportCommand(ctx: CommandContext, options: ExportCommandOptions): Promise<number> {
  if (!options.to) throw new ConfigError('pulse export needs --to DIR, the folder to write Parquet into');
  const dir = resolve(options.to);
  const started = Date.now();
  const analyticsPath = ctx.config.warehouse.analyticsPath;
  if (!existsSync(analyticsPath)) {
    throw new TerminalError(`the published analytics file ${analyticsPath} does not exist`, { context: { file: analyticsPath }, hint: 'run `pulse build` and `pulse publish` first' });
  }
  const models = options.models ?? PRODUCT_MODELS;
  const tables: ExportedTable[] = [];
  // Marts come from the published file, opened read-only, so an export never waits for or blocks a job.
  const analytics = await openWarehouse(analyticsPath, { readOnly: true, migrate: false, log: ctx.log });
  try {
    tables.push(...(await exportSchema(analytics, 'marts', dir, { models, log: ctx.log })));
  } finally {
    analytics.close();
  }
  if (options.raw) {
    // Raw tables live only in the working warehouse: this waits while a job holds it.
    const wh = await openWarehouse(ctx.config.warehouse.path, { readOnly: true, migrate: false, lockTimeoutMs: ctx.config.warehouse.lockTimeoutSeconds * 1000, log: ctx.log });
    try {
      tables.push(...(await exportSchema(wh, 'raw', dir, { log: ctx.log })));
    } finally {
      wh.close();
    }
  }
  const durationMs = Date.now() - started;
  if (ctx.flags.json) ctx.out(JSON.stringify({ status: 'succeeded', dir, tables, durationMs }, null, 2));
  else ctx.out(renderExport(dir, tables, durationMs));
  return 0;
}

/** Renders an export for people. */
export function renderExport(dir: string, tables: readonly ExportedTable[], durationMs: number): string {
  const lines = [`exported ${tables.length} table${tables.length === 1 ? '' : 's'} to ${dir} in ${duration(durationMs)}`];
  if (tables.length === 0) lines.push('nothing to export: the published file holds no marts yet');
  const width = Math.max(5, ...tables.map((t) => t.relation.length));
  for (const t of tables) {
    lines.push(`  ${t.relation.padEnd(width)}  ${count(t.rows).padStart(10)} rows  ${t.partitionBy ? `by year/month of ${t.partitionBy}` : 'unpartitioned'}`);
  }
  if (tables.length > 0) lines.push(`read with: select * from read_parquet('${join(dir, 'marts', '<table>')}/**/*.parquet', hive_partitioning = true)`);
  return lines.join('\n');
}
