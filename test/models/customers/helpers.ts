/**
 * Fixtures for the customers-area tests: a temp warehouse with the product macros, and small raw
 * Shopify and Stripe tables shaped like the connectors' (only the columns staging reads, plus the
 * loader's `_loaded_at` / `_run_id`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildModels, type BuildResult, type ModelDef } from '../../../models/engine/index.ts';
import { createMacros } from '../../../models/macros.ts';
import { CUSTOMERS_INTERMEDIATE_MODELS } from '../../../models/intermediate/customers.ts';
import { CUSTOMERS_MARTS_MODELS } from '../../../models/marts/customers.ts';
import { CUSTOMERS_STAGING_MODELS } from '../../../models/staging/customers.ts';

/** Every model of the customers area. */
export const CUSTOMER_MODELS: readonly ModelDef[] = [...CUSTOMERS_STAGING_MODELS, ...CUSTOMERS_INTERMEDIATE_MODELS, ...CUSTOMERS_MARTS_MODELS];

export const NOW = new Date('2026-07-01T08:00:00Z');

/** Opens a fresh warehouse in a temp dir with the product macros (default settings: UTC, 90-day churn window). */
export async function openTestWarehouse(): Promise<Warehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-customers-'));
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  await createMacros(wh);
  return wh;
}

/** Builds the selected customer models and throws with every failure if any model or error test failed. */
export async function buildCustomers(wh: Warehouse, select: string[]): Promise<BuildResult> {
  const result = await buildModels(wh, CUSTOMER_MODELS, { select, now: () => NOW });
  const problems = [
    ...result.models.filter((m) => m.status === 'failed' || m.status === 'skipped').map((m) => `${m.model}: ${m.error}`),
    ...result.tests.filter((t) => t.status !== 'pass').map((t) => `${t.model} ${t.test}: ${t.status}`),
  ];
  if (problems.length) throw new Error(`build failed:\n${problems.join('\n')}`);
  return result;
}

/** A line of a test order. */
export interface LineSpec {
  sku: string;
  price: number;
  quantity?: number;
}

/** A test order: amounts in major units, timestamps ISO. */
export interface OrderSpec {
  id: number;
  customer: number | null;
  at: string;
  total: number;
  subtotal?: number;
  discounts?: number;
  currency?: string;
  refunds?: number[];
  cancelled?: boolean;
  landing?: string | null;
  referrer?: string | null;
  codes?: string[];
  lines?: LineSpec[];
  email?: string;
}

/** Creates `raw.shopify__orders` (the columns staging reads) and inserts the orders. */
export async function insertShopifyOrders(wh: Warehouse, orders: readonly OrderSpec[]): Promise<void> {
  await wh.run(`create table if not exists raw.shopify__orders (
    id bigint primary key, name varchar, email varchar, created_at timestamptz, cancelled_at timestamptz, currency varchar,
    total_price decimal(18,2), subtotal_price decimal(18,2), total_discounts decimal(18,2), financial_status varchar,
    landing_site varchar, referring_site varchar, discount_codes json, customer json, line_items json, refunds json,
    _loaded_at timestamptz, _run_id varchar)`);
  const values: unknown[][] = orders.map((o) => {
    const lines = (o.lines ?? [{ sku: 'NW-GEN-001', price: o.subtotal ?? o.total }]).map((l, i) => ({
      id: o.id * 100 + i,
      product_id: 8_000 + Number(l.sku.replace(/\D/g, '') || 0),
      variant_id: null,
      title: l.sku,
      quantity: l.quantity ?? 1,
      price: l.price.toFixed(2),
      sku: l.sku,
    }));
    const refunds = (o.refunds ?? []).map((amount, i) => ({
      id: o.id * 10 + i,
      created_at: o.at,
      transactions: [{ id: o.id * 10 + i, kind: 'refund', status: 'success', amount: amount.toFixed(2) }],
    }));
    const email = o.email ?? (o.customer === null ? null : `buyer${o.customer}@example.com`);
    return [
      o.id,
      `#${o.id}`,
      email,
      o.at,
      o.cancelled ? o.at : null,
      o.currency ?? 'USD',
      o.total.toFixed(2),
      (o.subtotal ?? o.total).toFixed(2),
      (o.discounts ?? 0).toFixed(2),
      o.cancelled ? 'voided' : o.refunds?.length ? 'partially_refunded' : 'paid',
      o.landing === undefined ? '/' : o.landing,
      o.referrer === undefined ? '' : o.referrer,
      JSON.stringify((o.codes ?? []).map((code) => ({ code, amount: '0.00', type: 'percentage' }))),
      o.customer === null ? null : JSON.stringify({ id: o.customer, email }),
      JSON.stringify(lines),
      JSON.stringify(refunds),
    ];
  });
  // One statement per 200 orders keeps bigger simulated histories fast.
  for (let start = 0; start < values.length; start += 200) {
    const chunk = values.slice(start, start + 200);
    const tuples = chunk.map((_, i) => {
      const p = (k: number) => `$${i * 16 + k}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}::timestamptz, ${p(5)}::timestamptz, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}, ${p(13)}::json, ${p(14)}::json, ${p(15)}::json, ${p(16)}::json, now(), 'r1')`;
    });
    await wh.run(`insert into raw.shopify__orders values ${tuples.join(', ')}`, chunk.flat() as DuckDBValue[]);
  }
}

/** A Stripe subscription state at an event: price in cents per interval, quantity. */
export interface SubscriptionEventSpec {
  id: string;
  type: 'created' | 'updated' | 'deleted';
  at: string;
  subscription: string;
  customer: string;
  unitAmount: number;
  quantity?: number;
  interval?: 'month' | 'year';
  status?: string;
}

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function items(unitAmount: number, quantity: number, interval: string): Record<string, unknown> {
  return { object: 'list', data: [{ id: 'si_x', quantity, price: { id: 'price_x', unit_amount: unitAmount, recurring: { interval, interval_count: 1 } } }] };
}

/** Creates the raw Stripe tables the MRR models read and inserts subscription events. */
export async function insertStripeEvents(wh: Warehouse, events: readonly SubscriptionEventSpec[]): Promise<void> {
  await createStripeTables(wh);
  for (const e of events) {
    const status = e.status ?? (e.type === 'deleted' ? 'canceled' : 'active');
    const object = { id: e.subscription, object: 'subscription', customer: e.customer, status, currency: 'usd', items: items(e.unitAmount, e.quantity ?? 1, e.interval ?? 'month') };
    await wh.run(`insert into raw.stripe__subscription_events values ($1, 'event', $2, $3, $4::json, now(), 'r1')`, [
      e.id,
      epoch(e.at),
      `customer.subscription.${e.type}`,
      JSON.stringify({ object }),
    ]);
  }
}

/** A subscription as `GET /v1/subscriptions` returns it now. */
export interface SubscriptionSpec {
  id: string;
  customer: string;
  status: string;
  start: string;
  ended?: string;
  unitAmount: number;
  quantity?: number;
  interval?: 'month' | 'year';
}

/** Inserts subscriptions (current state). */
export async function insertStripeSubscriptions(wh: Warehouse, subs: readonly SubscriptionSpec[]): Promise<void> {
  await createStripeTables(wh);
  for (const s of subs) {
    await wh.run(`insert into raw.stripe__subscriptions values ($1, $2, $3, $4, $4, $5, $6, $4, $4, 'usd', $7::json, now(), 'r1')`, [
      s.id,
      s.customer,
      s.status,
      epoch(s.start),
      s.ended ? epoch(s.ended) : null,
      s.ended ? epoch(s.ended) : null,
      JSON.stringify(items(s.unitAmount, s.quantity ?? 1, s.interval ?? 'month')),
    ]);
  }
}

/** Inserts a charge (only its day and amount matter to the marts). */
export async function insertStripeCharge(wh: Warehouse, id: string, customer: string, at: string, cents: number): Promise<void> {
  await createStripeTables(wh);
  await wh.run(`insert into raw.stripe__charges values ($1, $2, $3, $4, $4, 0, 'usd', 'succeeded', true, '{}'::json, null, now(), 'r1')`, [id, customer, epoch(at), cents]);
}

async function createStripeTables(wh: Warehouse): Promise<void> {
  await wh.run(`create table if not exists raw.stripe__subscription_events (id varchar primary key, object varchar, created bigint, type varchar, data json, _loaded_at timestamptz, _run_id varchar)`);
  await wh.run(`create table if not exists raw.stripe__subscriptions (id varchar primary key, customer varchar, status varchar, created bigint, start_date bigint,
    canceled_at bigint, ended_at bigint, current_period_start bigint, current_period_end bigint, currency varchar, items json, _loaded_at timestamptz, _run_id varchar)`);
  await wh.run(`create table if not exists raw.stripe__charges (id varchar primary key, customer varchar, created bigint, amount bigint, amount_captured bigint,
    amount_refunded bigint, currency varchar, status varchar, paid boolean, metadata json, invoice varchar, _loaded_at timestamptz, _run_id varchar)`);
}

/** Reads rows with BIGINTs as numbers and dates/decimals as text. */
export async function rows(wh: Warehouse, sql: string): Promise<Record<string, unknown>[]> {
  const result = await wh.all<Record<string, unknown>>(sql);
  return result.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}
