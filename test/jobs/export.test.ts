import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse, plainValue } from '../../core/warehouse.ts';
import type { CommandContext } from '../../jobs/context.ts';
import { exportCommand, partitionColumn, type ExportedTable } from '../../jobs/commands/export.ts';
import { defineModel } from '../../models/engine/index.ts';

let dir: string;
let lake: string;
let output: string[];
let checker: { instance: DuckDBInstance; conn: DuckDBConnection } | undefined;

function context(): CommandContext {
  const config = parseConfig({ warehouse: { path: 'warehouse.duckdb', analyticsPath: 'analytics.duckdb' } }, dir, undefined);
  return {
    flags: { json: true, logLevel: 'error', logFormat: 'text' },
    config,
    log: silentLogger,
    out: (text) => output.push(text),
    tty: false,
    openWarehouse: () => openWarehouse(config.warehouse.path),
    sources: async () => [],
    sample: false,
    close: async () => {},
  };
}

/** Runs statements against a DuckDB file, then closes it (as publish leaves the analytics file). */
async function writeFile(path: string, statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  for (const sql of statements) await conn.run(sql);
  conn.closeSync();
  instance.closeSync();
}

/** A DuckDB with the analytics and warehouse files attached read-only, to compare against the Parquet. */
async function query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  if (!checker) {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`set TimeZone = 'UTC'`);
    await conn.run(`attach '${join(dir, 'analytics.duckdb')}' as analytics (read_only)`);
    checker = { instance, conn };
  }
  return (await checker.conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => plainValue(r) as T);
}

/** Rows in the table but not in the Parquet files, and the other way round; both must be 0 for an exact copy. */
async function difference(table: string, files: string, partitionColumns = ['year', 'month']): Promise<{ missing: number; extra: number; tableRows: number; fileRows: number }> {
  const parquet = `(select * exclude (${partitionColumns.join(', ')}) from read_parquet('${files}', hive_partitioning = true))`;
  const [row] = await query<{ missing: number; extra: number; tableRows: number; fileRows: number }>(`select
      (select count(*) from (select * from ${table} except all select * from ${parquet})) as missing,
      (select count(*) from (select * from ${parquet} except all select * from ${table})) as extra,
      (select count(*) from ${table}) as "tableRows",
      (select count(*) from ${parquet}) as "fileRows"`);
  return row!;
}

const ANALYTICS_TABLES = [
  'create schema marts',
  `create table marts.fct_daily (order_date date, channel_group varchar, orders bigint, revenue decimal(38,2))`,
  `insert into marts.fct_daily values
     ('2025-12-31', 'Direct', 3, 30.50), ('2026-01-01', 'Direct', 1, 10.00), ('2026-01-31', 'Paid Search', 2, 20.25),
     ('2026-02-01', 'Organic Social', 5, 55.00), (null, 'Unassigned', 1, 1.00)`,
  `create table marts.fct_events (event_id varchar, recorded_at timestamptz, happened_on date, value double)`,
  `insert into marts.fct_events values ('e1', '2026-01-31T23:30:00Z', '2026-03-01', 1.5), ('e2', '2026-02-01T00:30:00Z', '2026-04-02', 2.5)`,
  `create table marts.fct_churn_monthly (month date, churned bigint)`,
  `insert into marts.fct_churn_monthly values ('2026-01-01', 4), ('2026-02-01', 6)`,
  `create table marts.dim_brands (brand varchar, is_own boolean)`,
  `insert into marts.dim_brands values ('acme', true), ('rival', false)`,
  'create schema meta',
  `create table meta.published as select now() as published_at`,
];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-export-'));
  lake = join(dir, 'lake');
  output = [];
});
afterEach(() => {
  checker?.conn.closeSync();
  checker?.instance.closeSync();
  checker = undefined;
});

describe('pulse export', () => {
  it('writes every mart as hive-partitioned Parquet that reads back to the same rows', async () => {
    await writeFile(join(dir, 'analytics.duckdb'), ANALYTICS_TABLES);
    // The model says events are partitioned by when they happened, not by the first timestamp column.
    const events = defineModel({
      name: 'fct_events', layer: 'marts', sql: 'unused.sql', materialized: 'incremental', grain: 'event', uniqueKey: ['event_id'], description: 'Events.',
      incremental: { eventTime: 'happened_on', lookbackDays: 3 },
      columns: {
        event_id: { type: 'VARCHAR', description: 'Id.' },
        recorded_at: { type: 'TIMESTAMPTZ', description: 'When recorded.' },
        happened_on: { type: 'DATE', description: 'When it happened.' },
        value: { type: 'DOUBLE', description: 'Value.' },
      },
    });
    expect(await exportCommand(context(), { to: lake, models: [events] })).toBe(0);
    const result = JSON.parse(output.pop()!) as { status: string; tables: ExportedTable[] };
    expect(result.tables.map((t) => [t.relation, t.rows, t.partitionBy, t.path])).toEqual([
      ['marts.dim_brands', 2, null, join(lake, 'marts', 'dim_brands')],
      ['marts.fct_churn_monthly', 2, 'month', join(lake, 'marts', 'fct_churn_monthly')],
      ['marts.fct_daily', 5, 'order_date', join(lake, 'marts', 'fct_daily')],
      ['marts.fct_events', 2, 'happened_on', join(lake, 'marts', 'fct_events')],
    ]);
    // meta is not a mart; nothing half-written is left beside the tables.
    expect(readdirSync(join(lake, 'marts')).sort()).toEqual(['dim_brands', 'fct_churn_monthly', 'fct_daily', 'fct_events']);

    expect(readdirSync(join(lake, 'marts', 'fct_daily')).sort()).toEqual(['year=2025', 'year=2026', 'year=__HIVE_DEFAULT_PARTITION__']);
    expect(readdirSync(join(lake, 'marts', 'fct_daily', 'year=2026')).sort()).toEqual(['month=1', 'month=2']);
    const glob = (table: string) => join(lake, 'marts', table, '**', '*.parquet');
    expect(await difference('analytics.marts.fct_daily', glob('fct_daily'))).toEqual({ missing: 0, extra: 0, tableRows: 5, fileRows: 5 });
    expect(await difference('analytics.marts.fct_events', glob('fct_events'))).toEqual({ missing: 0, extra: 0, tableRows: 2, fileRows: 2 });
    expect(readdirSync(join(lake, 'marts', 'fct_events', 'year=2026')).sort()).toEqual(['month=3', 'month=4']);
    // A table with its own `month` column gets partition_year / partition_month instead.
    expect(readdirSync(join(lake, 'marts', 'fct_churn_monthly'))).toEqual(['partition_year=2026']);
    expect(await difference('analytics.marts.fct_churn_monthly', glob('fct_churn_monthly'), ['partition_year', 'partition_month'])).toEqual({ missing: 0, extra: 0, tableRows: 2, fileRows: 2 });
    // No date column: one unpartitioned file.
    expect(readdirSync(join(lake, 'marts', 'dim_brands'))).toEqual(['data_0.parquet']);
    const brands = `(select * from read_parquet('${glob('dim_brands')}'))`;
    expect(await query(`select count(*) n from (select * from analytics.marts.dim_brands except all select * from ${brands})`)).toEqual([{ n: 0 }]);
    expect(await query(`select count(*) n from (select * from ${brands} except all select * from analytics.marts.dim_brands)`)).toEqual([{ n: 0 }]);
  });

  it('replaces a table’s earlier export whole, so no stale partition survives', async () => {
    await writeFile(join(dir, 'analytics.duckdb'), ANALYTICS_TABLES);
    expect(await exportCommand(context(), { to: lake })).toBe(0);
    await writeFile(join(dir, 'analytics.duckdb'), [`delete from marts.fct_daily where order_date < '2026-01-01' or order_date is null`]);
    expect(await exportCommand(context(), { to: lake })).toBe(0);
    expect(readdirSync(join(lake, 'marts', 'fct_daily'))).toEqual(['year=2026']);
    expect(await difference('analytics.marts.fct_daily', join(lake, 'marts', 'fct_daily', '**', '*.parquet'))).toEqual({ missing: 0, extra: 0, tableRows: 3, fileRows: 3 });
  });

  it('adds the warehouse’s raw tables with --raw, partitioned by their first date column', async () => {
    await writeFile(join(dir, 'analytics.duckdb'), ANALYTICS_TABLES);
    await writeFile(join(dir, 'warehouse.duckdb'), [
      'create schema raw',
      `create table raw.shop__orders (id varchar, total double, _loaded_at timestamptz, _run_id varchar)`,
      `insert into raw.shop__orders values ('o1', 1, '2026-01-05T00:00:00Z', 'r1'), ('o2', 2, '2026-02-05T00:00:00Z', 'r2')`,
    ]);
    expect(await exportCommand(context(), { to: lake, raw: true })).toBe(0);
    const result = JSON.parse(output.pop()!) as { tables: ExportedTable[] };
    expect(result.tables.filter((t) => t.relation.startsWith('raw.')).map((t) => [t.relation, t.rows, t.partitionBy])).toEqual([['raw.shop__orders', 2, '_loaded_at']]);
    await query(`attach '${join(dir, 'warehouse.duckdb')}' as wh (read_only)`);
    expect(await difference('wh.raw.shop__orders', join(lake, 'raw', 'shop__orders', '**', '*.parquet'))).toEqual({ missing: 0, extra: 0, tableRows: 2, fileRows: 2 });
  });

  it('needs --to and a published file', async () => {
    await expect(exportCommand(context(), {})).rejects.toThrow('pulse export needs --to DIR');
    await expect(exportCommand(context(), { to: lake })).rejects.toThrow(/analytics\.duckdb does not exist/);
    expect(existsSync(lake)).toBe(false);
  });
});

describe('partitionColumn', () => {
  it('prefers the model’s event time, then its first date column, then the table’s', () => {
    const columns = [
      { name: 'id', type: 'VARCHAR' },
      { name: 'created_at', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'day', type: 'DATE' },
    ];
    expect(partitionColumn(columns)).toBe('created_at');
    expect(partitionColumn([{ name: 'id', type: 'VARCHAR' }])).toBeNull();
    const model = defineModel({
      name: 'm', layer: 'marts', sql: 'x.sql', materialized: 'table', grain: 'row', uniqueKey: ['id'], description: 'M.',
      columns: { id: { type: 'VARCHAR', description: 'Id.' }, day: { type: 'DATE', description: 'Day.' }, created_at: { type: 'TIMESTAMPTZ', description: 'At.' } },
    });
    expect(partitionColumn(columns, model)).toBe('day');
  });
});
