/**
 * Shared fixtures for the engine tests: a warehouse in a temp dir with two small raw tables, and
 * example model definitions over the SQL in fixtures/sql.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { defineModel, type ModelDef } from '../../../models/engine/define.ts';

/** The build clock used by every test. */
export const NOW = new Date('2026-03-10T12:00:00Z');

const FIXTURES = 'test/models/engine/fixtures/sql';

/** Raw orders: id, customer, status, total, ordered_at. */
export type OrderRow = [string, string, string, number, string];

export const ORDERS: OrderRow[] = [
  ['o1', 'c1', 'paid', 10.5, '2026-03-01T10:00:00Z'],
  ['o2', 'c2', 'paid', 20, '2026-03-01T11:00:00Z'],
  ['o3', 'c1', 'PAID', 5.25, '2026-03-02T09:00:00Z'],
  ['o4', 'c3', 'cancelled', 99, '2026-03-03T09:00:00Z'],
  ['o5', 'c2', 'paid', 7, '2026-03-05T09:00:00Z'],
  ['o6', 'c3', 'refunded', 12, '2026-03-06T09:00:00Z'],
];

/** Opens a fresh warehouse with `raw.shop__orders` and `raw.shop__customers`. */
export async function setupWarehouse(orders: OrderRow[] = ORDERS): Promise<{ wh: Warehouse; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-engine-'));
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  await wh.run(`create table raw.shop__orders (order_id varchar primary key, customer_id varchar, status varchar, total double,
    ordered_at timestamptz, _loaded_at timestamptz, _run_id varchar)`);
  await wh.run(`create table raw.shop__customers (customer_id varchar primary key, email varchar, created_at timestamptz, _loaded_at timestamptz, _run_id varchar)`);
  await insertOrders(wh, orders, '2026-03-07T00:00:00Z');
  await wh.run(`insert into raw.shop__customers values
    ('c1', 'ann@example.com', '2026-01-01T00:00:00Z', '2026-03-07T00:00:00Z', 'r0'),
    ('c2', 'bob@example.com', '2026-02-01T00:00:00Z', '2026-03-07T00:00:00Z', 'r0'),
    ('c3', 'cy@example.com', '2026-02-15T00:00:00Z', '2026-03-07T00:00:00Z', 'r0')`);
  return { wh, dir };
}

/** Inserts or restates orders as the loader would (merge by key, stamping `_loaded_at`). */
export async function insertOrders(wh: Warehouse, orders: OrderRow[], loadedAt: string): Promise<void> {
  for (const [id, customer, status, total, at] of orders) {
    await wh.run(`insert or replace into raw.shop__orders values ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, 'r')`, [id, customer, status, total, at, loadedAt]);
  }
}

/** Counts rows in one relation that the other lacks, both ways, with duplicates counted (EXCEPT ALL). */
export async function tableDifference(wh: Warehouse, a: string, b: string): Promise<{ onlyA: number; onlyB: number }> {
  const [row] = await wh.all<{ only_a: number; only_b: number }>(
    `select (select count(*) from (select * from ${a} except all select * from ${b})) as only_a,
            (select count(*) from (select * from ${b} except all select * from ${a})) as only_b`,
  );
  return { onlyA: row?.only_a ?? -1, onlyB: row?.only_b ?? -1 };
}

/** Writes a SQL file into `dir` and returns its absolute path. */
export function sqlFile(dir: string, name: string, sql: string): string {
  const path = join(dir, `${name}.sql`);
  writeFileSync(path, sql);
  return path;
}

export const stgOrders = defineModel({
  name: 'stg_shop__orders',
  layer: 'staging',
  sql: `${FIXTURES}/staging/stg_shop__orders.sql`,
  materialized: 'view',
  grain: 'order',
  uniqueKey: ['order_id'],
  description: 'Shop orders, renamed and typed.',
  tags: ['shop'],
  columns: {
    order_id: { type: 'VARCHAR', description: 'Shop order id.' },
    customer_id: { type: 'VARCHAR', description: 'Pseudonymous customer key.' },
    status: { type: 'VARCHAR', description: 'Order status, lower-case.' },
    total_amount: { type: 'DECIMAL(18,2)', description: 'Order total in the shop currency.' },
    ordered_at: { type: 'TIMESTAMPTZ', description: 'When the order was placed (UTC).' },
    order_date: { type: 'DATE', description: 'Day the order was placed (UTC).' },
  },
  tests: [{ kind: 'accepted_values', column: 'status', values: ['paid', 'cancelled', 'refunded'] }],
});

export const stgCustomers = defineModel({
  name: 'stg_shop__customers',
  layer: 'staging',
  sql: `${FIXTURES}/staging/stg_shop__customers.sql`,
  materialized: 'view',
  grain: 'customer',
  uniqueKey: ['customer_id'],
  description: 'Shop customers as pseudonymous keys.',
  tags: ['shop'],
  columns: {
    customer_id: { type: 'VARCHAR', description: 'Pseudonymous customer key.' },
    signup_date: { type: 'DATE', description: 'Day the customer signed up.' },
  },
});

export const fctDailyRevenue = defineModel({
  name: 'fct_daily_revenue',
  layer: 'marts',
  sql: `${FIXTURES}/marts/fct_daily_revenue.sql`,
  materialized: 'incremental',
  incremental: { eventTime: 'order_date', lookbackDays: 2 },
  grain: 'day',
  uniqueKey: ['order_date'],
  description: 'Orders and revenue per day, cancelled orders excluded.',
  tags: ['finance'],
  columns: {
    order_date: { type: 'DATE', description: 'Day (UTC).' },
    orders: { type: 'BIGINT', description: 'Orders placed that day.' },
    revenue: { type: 'DECIMAL(38,2)', description: 'Sum of order totals.' },
  },
  tests: [{ kind: 'expression', expression: 'revenue >= 0' }],
});

export const dimCustomers = defineModel({
  name: 'dim_customers',
  layer: 'marts',
  sql: `${FIXTURES}/marts/dim_customers.sql`,
  materialized: 'table',
  grain: 'customer',
  uniqueKey: ['customer_id'],
  description: 'One row per customer with order totals.',
  columns: {
    customer_id: { type: 'VARCHAR', description: 'Pseudonymous customer key.' },
    signup_date: { type: 'DATE', description: 'Day the customer signed up.' },
    orders: { type: 'BIGINT', description: 'Orders placed, cancelled excluded.' },
    revenue: { type: 'DECIMAL(38,2)', description: 'Revenue to date.' },
    first_order_date: { type: 'DATE', description: 'Day of the first order.', nullable: true },
  },
  tests: [{ kind: 'relationships', column: 'customer_id', to: 'stg_shop__customers', field: 'customer_id' }],
});

/** The example project: two staging views and two marts. */
export const MODELS = [stgOrders, stgCustomers, fctDailyRevenue, dimCustomers] as const satisfies readonly ModelDef[];

/** A model over SQL in a temp dir, for scenario tests (cycles, contract breaks, failures). */
export function adHocModel(dir: string, name: string, sql: string, overrides: Partial<ModelDef> = {}): ModelDef {
  return {
    name,
    layer: 'marts',
    sql: sqlFile(dir, name, sql),
    materialized: 'table',
    grain: 'row',
    uniqueKey: ['id'],
    description: `Test model ${name}.`,
    columns: { id: { type: 'INTEGER', description: 'Row id.' } },
    ...overrides,
  };
}
