import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalError } from '../../../core/errors.ts';
import { plainValue, type Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/build.ts';
import { publish } from '../../../models/engine/publish.ts';
import { insertOrders, MODELS, NOW, setupWarehouse } from './helpers.ts';

const READER = fileURLToPath(new URL('./fixtures/reader.mjs', import.meta.url));
const CHANNEL_GROUP = `create macro channel_group(source, medium, campaign) as case when lower(medium) = 'email' then 'Email' else 'Unassigned' end`;

let wh: Warehouse | undefined;
let reader: ChildProcess | undefined;
afterEach(() => {
  reader?.kill();
  reader = undefined;
  wh?.close();
  wh = undefined;
});

/** Queries a published file in a fresh read-only instance, as an analyst would. */
async function queryFile<T = Record<string, unknown>>(path: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS().map((r) => plainValue(r) as T);
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Starts the reader process on `path` and resolves with its first read. */
function startReader(path: string): Promise<unknown> {
  reader = fork(READER, [path], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return nextMessage();
}

function nextMessage(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    reader?.once('message', (m) => resolve((m as { data: unknown }).data));
    reader?.once('error', reject);
  });
}

describe('publish (write–audit–publish)', () => {
  it('writes marts with comments, metadata views and the macro, and replaces the file while a reader keeps its view', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const target = join(dir, 'out', 'analytics.duckdb');
    expect((await buildModels(wh, MODELS, { now: () => NOW })).ok).toBe(true);
    const first = await publish(wh, MODELS, { analyticsPath: target, extraSql: [CHANNEL_GROUP] });
    expect(first.tables).toEqual(['marts.fct_daily_revenue', 'marts.dim_customers']);

    expect(await queryFile(target, `select schema_name || '.' || table_name as t, comment from duckdb_tables() where schema_name = 'marts' order by 1`)).toEqual([
      { t: 'marts.dim_customers', comment: 'One row per customer with order totals. Grain: customer. Unique key: customer_id.' },
      { t: 'marts.fct_daily_revenue', comment: 'Orders and revenue per day, cancelled orders excluded. Grain: day. Unique key: order_date.' },
    ]);
    const columns = await queryFile<{ c: string; comment: string | null }>(target, `select table_name || '.' || column_name as c, comment from duckdb_columns() where schema_name = 'marts' order by 1`);
    expect(columns).toHaveLength(8);
    expect(columns.filter((c) => !c.comment)).toEqual([]);
    expect(columns).toContainEqual({ c: 'fct_daily_revenue.revenue', comment: 'Sum of order totals.' });
    // Staging (pseudonymous but not for analysts) stays in the warehouse.
    expect(await queryFile(target, `select count(*)::integer n from duckdb_tables() where schema_name = 'staging'`)).toEqual([{ n: 0 }]);
    expect(await queryFile(target, `select channel_group('newsletter', 'Email', 'x') as g`)).toEqual([{ g: 'Email' }]);
    expect(await queryFile(target, `select model, status from meta.model_runs order by model`)).toEqual([
      { model: 'dim_customers', status: 'succeeded' },
      { model: 'fct_daily_revenue', status: 'succeeded' },
      { model: 'stg_shop__customers', status: 'succeeded' },
      { model: 'stg_shop__orders', status: 'succeeded' },
    ]);
    expect(await queryFile(target, `select count(*)::integer n from meta.test_results where status <> 'pass'`)).toEqual([{ n: 0 }]);
    expect(await queryFile(target, `select count(*)::integer n from meta.freshness`)).toEqual([{ n: 0 }]);

    // An analyst process holds the published file open…
    expect(await startReader(target)).toEqual({ customers: 3, orders: 5 });
    await wh.run(`insert into raw.shop__customers values ('c9', 'e@example.com', '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z', 'r2')`);
    await insertOrders(wh, [['o9', 'c9', 'paid', 1, '2026-03-09T00:00:00Z']], '2026-03-09T00:00:00Z');
    expect((await buildModels(wh, MODELS, { now: () => NOW })).ok).toBe(true);
    // …and the publish neither waits for it nor disturbs it.
    await publish(wh, MODELS, { analyticsPath: target, extraSql: [CHANNEL_GROUP] });
    expect(await queryFile(target, `select count(*)::integer as customers, sum(orders)::integer as orders from marts.dim_customers`)).toEqual([{ customers: 4, orders: 6 }]);
    reader?.send('read');
    expect(await nextMessage()).toEqual({ customers: 3, orders: 5 });
    reader?.send('exit');
    expect(readdirSync(join(dir, 'out'))).toEqual(['analytics.duckdb']);
  });

  it('withholds the publish while an error-severity test fails, listing the tests and leaving the old file as it was', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const target = join(dir, 'analytics.duckdb');
    await buildModels(wh, MODELS, { now: () => NOW });
    await publish(wh, MODELS, { analyticsPath: target });
    const before = digest(target);

    await insertOrders(wh, [['o10', 'c1', 'lost in the post', 5, '2026-03-08T00:00:00Z']], '2026-03-09T00:00:00Z');
    const build = await buildModels(wh, MODELS, { now: () => NOW });
    expect(build.ok).toBe(false);
    const attempt = publish(wh, MODELS, { analyticsPath: target });
    await expect(attempt).rejects.toBeInstanceOf(TerminalError);
    await expect(attempt).rejects.toThrow('publish withheld: 1 error-severity data test did not pass: stg_shop__orders accepted_values(status): 1 failing row');
    expect(digest(target)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('analytics'))).toEqual(['analytics.duckdb']);
  });

  it('refuses when tests never ran, and cleans up its temp file when writing fails', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const target = join(dir, 'analytics.duckdb');
    // Models never built are not published (nothing to gate); a built model whose tests never ran is refused.
    await buildModels(wh, MODELS, { now: () => NOW });
    const results = await wh.all<Record<string, unknown>>('select * from meta.test_results');
    await wh.run('delete from meta.test_results');
    await expect(publish(wh, MODELS, { analyticsPath: target })).rejects.toThrow(/dim_customers unique\(customer_id\): never ran/);
    expect(results.length).toBeGreaterThan(0);
    await buildModels(wh, MODELS, { now: () => NOW });
    await expect(publish(wh, MODELS, { analyticsPath: target, extraSql: ['create macro broken(('] })).rejects.toThrow(/syntax error/);
    expect(readdirSync(dir).filter((f) => f.startsWith('analytics'))).toEqual([]);
    // The warehouse connection is left usable (the temp catalog was detached).
    expect(await wh.all(`select count(*)::integer n from duckdb_databases() where database_name like 'pulse_publish_%'`)).toEqual([{ n: 0 }]);
  });
});
