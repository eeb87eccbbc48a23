/**
 * Shared fixtures for the commerce model tests: a temp warehouse with the macros, raw tables with
 * the columns the commerce staging models read, row builders, and `stg_shopify__orders` — the
 * customers area's model when it exists, else a stand-in over the same raw table.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { defineModel, type ModelDef } from '../../../models/engine/index.ts';
import { createMacros } from '../../../models/macros.ts';
import { CUSTOMERS_STAGING_MODELS } from '../../../models/staging/customers.ts';
import { COMMERCE_INTERMEDIATE_MODELS } from '../../../models/intermediate/commerce.ts';
import { COMMERCE_MARTS_MODELS } from '../../../models/marts/commerce.ts';
import { COMMERCE_STAGING_MODELS } from '../../../models/staging/commerce.ts';

/** The build clock of the unit tests. */
export const NOW = new Date('2026-04-30T12:00:00Z');

/** The stand-in for the customers area's `stg_shopify__orders` (same agreed columns). */
export const standInShopifyOrders = defineModel({
  name: 'stg_shopify__orders',
  layer: 'staging',
  sql: 'test/models/commerce/fixtures/stg_shopify__orders.sql',
  materialized: 'view',
  grain: 'order',
  uniqueKey: ['order_id'],
  description: 'Stand-in for the customers area\'s Shopify orders (tests only).',
  columns: {
    order_id: { type: 'VARCHAR', description: 'Order id.' },
    order_name: { type: 'VARCHAR', description: 'Order name.' },
    customer_key: { type: 'VARCHAR', description: 'Customer pseudonym.', nullable: true },
    shopify_customer_id: { type: 'VARCHAR', description: 'Shopify customer id.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'Created.' },
    order_date: { type: 'DATE', description: 'report_date(created_at).' },
    currency: { type: 'VARCHAR', description: 'Currency.' },
    total_price: { type: 'DECIMAL(18,2)', description: 'Total.' },
    subtotal_price: { type: 'DECIMAL(18,2)', description: 'Subtotal.' },
    total_discounts: { type: 'DECIMAL(18,2)', description: 'Discounts.' },
    refunded_amount: { type: 'DECIMAL(18,2)', description: 'Refunds.' },
    net_revenue: { type: 'DECIMAL(18,2)', description: 'Total − refunds.' },
    financial_status: { type: 'VARCHAR', description: 'Financial status.' },
    landing_site: { type: 'VARCHAR', description: 'Landing site.', nullable: true },
    referring_site: { type: 'VARCHAR', description: 'Referring site.', nullable: true },
    utm_source: { type: 'VARCHAR', description: 'UTM source.', nullable: true },
    utm_medium: { type: 'VARCHAR', description: 'UTM medium.', nullable: true },
    utm_campaign: { type: 'VARCHAR', description: 'UTM campaign.', nullable: true },
    utm_content: { type: 'VARCHAR', description: 'UTM content.', nullable: true },
    utm_term: { type: 'VARCHAR', description: 'UTM term.', nullable: true },
    discount_codes: { type: 'VARCHAR', description: 'Discount codes.', nullable: true },
    referral_code: { type: 'VARCHAR', description: 'Referral code.', nullable: true },
    is_cancelled: { type: 'BOOLEAN', description: 'Cancelled.' },
    line_item_count: { type: 'INTEGER', description: 'Line items.' },
  },
});

/** The customers area's `stg_shopify__orders` when it is defined, else the stand-in. */
export function shopifyOrdersModel(): { model: ModelDef; standIn: boolean } {
  const real = (CUSTOMERS_STAGING_MODELS as readonly ModelDef[]).find((m) => m.name === 'stg_shopify__orders');
  return real ? { model: real, standIn: false } : { model: standInShopifyOrders, standIn: true };
}

/** Every commerce model plus `stg_shopify__orders`, for `buildModels`. */
export function commerceModels(): ModelDef[] {
  return [shopifyOrdersModel().model, ...COMMERCE_STAGING_MODELS, ...COMMERCE_INTERMEDIATE_MODELS, ...COMMERCE_MARTS_MODELS];
}

const RAW_TABLES: Record<string, string> = {
  web_events__events:
    'event_id varchar, event_timestamp timestamptz, anonymous_id varchar, session_id varchar, customer_id varchar, event_name varchar, page_url varchar, referrer varchar, order_id varchar, value double, currency varchar',
  web_events__events_csv:
    'event_id varchar, event_timestamp timestamptz, anonymous_id varchar, session_id varchar, customer_id varchar, event_name varchar, page_url varchar, referrer varchar, order_id varchar, value double, currency varchar',
  ga4__sessions: '"dimensionValues" json, "metricValues" json, report_date date',
  ga4__transactions: '"dimensionValues" json, "metricValues" json, report_date date',
  meta_ads__ad_insights:
    'account_id varchar, account_currency varchar, campaign_id varchar, campaign_name varchar, adset_id varchar, adset_name varchar, ad_id varchar, ad_name varchar, date_start date, date_stop date, publisher_platform varchar, spend decimal(18,2), impressions bigint, reach bigint, clicks bigint, inline_link_clicks bigint, actions json, action_values json',
  meta_ads__campaigns:
    'id varchar, name varchar, objective varchar, status varchar, effective_status varchar, daily_budget bigint, start_time timestamptz, stop_time timestamptz, created_time timestamptz, updated_time timestamptz',
  meta_ads__adsets: 'id varchar, name varchar, campaign_id varchar, status varchar, effective_status varchar, created_time timestamptz, updated_time timestamptz',
  meta_ads__ads: 'id varchar, name varchar, adset_id varchar, campaign_id varchar, status varchar, effective_status varchar, created_time timestamptz, updated_time timestamptz, creative json',
  // Every column the connector loads, so the customers area's model can read what it needs.
  shopify__orders:
    'id bigint, admin_graphql_api_id varchar, name varchar, order_number bigint, email varchar, created_at timestamptz, updated_at timestamptz, processed_at timestamptz, cancelled_at timestamptz, cancel_reason varchar, closed_at timestamptz, currency varchar, presentment_currency varchar, total_price decimal(18,2), subtotal_price decimal(18,2), total_discounts decimal(18,2), total_tax decimal(18,2), total_line_items_price decimal(18,2), financial_status varchar, fulfillment_status varchar, landing_site varchar, referring_site varchar, source_name varchar, tags varchar, test boolean, discount_codes json, customer json, line_items json, shipping_lines json, refunds json',
  shopify__customers:
    'id bigint, admin_graphql_api_id varchar, email varchar, first_name varchar, last_name varchar, created_at timestamptz, updated_at timestamptz, state varchar, orders_count bigint, total_spent decimal(18,2), last_order_id bigint, last_order_name varchar, currency varchar, verified_email boolean, tax_exempt boolean, tags varchar, note varchar, phone varchar, email_marketing_consent json, default_address json',
};

/** Opens a temp warehouse with the macros and empty raw tables (plus `_loaded_at`, `_run_id`). */
export async function setupCommerceWarehouse(): Promise<Warehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-commerce-'));
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  await createMacros(wh);
  for (const [table, columns] of Object.entries(RAW_TABLES)) {
    await wh.run(`create table raw.${table} (${columns}, _loaded_at timestamptz default '2026-04-30T00:00:00Z', _run_id varchar default 'r1')`);
  }
  return wh;
}

/** One web event line as a test writes it. */
export interface EventInput {
  id: string;
  at: string;
  anon: string;
  name?: string;
  url?: string | null;
  referrer?: string | null;
  customer?: string | null;
  order?: string | null;
  value?: number | null;
  currency?: string | null;
}

/** Inserts web events into raw.web_events__events (or the CSV table). */
export async function insertEvents(wh: Warehouse, events: EventInput[], table: 'web_events__events' | 'web_events__events_csv' = 'web_events__events'): Promise<void> {
  for (const e of events) {
    await wh.run(`insert into raw.${table} (event_id, event_timestamp, anonymous_id, session_id, customer_id, event_name, page_url, referrer, order_id, value, currency) values ($1, $2::timestamptz, $3, null, $4, $5, $6, $7, $8, $9, $10)`, [
      e.id,
      e.at,
      e.anon,
      e.customer ?? null,
      e.name ?? 'page_view',
      e.url === undefined ? 'https://shop.example/' : e.url,
      e.referrer ?? null,
      e.order ?? null,
      e.value ?? null,
      e.currency ?? null,
    ]);
  }
}

/** One Shopify order as a test writes it. */
export interface OrderInput {
  id: number;
  at: string;
  customer?: number | null;
  total: number;
  currency?: string;
  refund?: number;
  landingSite?: string;
  referringSite?: string;
  cancelled?: boolean;
}

/** Inserts orders into raw.shopify__orders in the Admin API's shape. */
export async function insertOrders(wh: Warehouse, orders: OrderInput[]): Promise<void> {
  for (const o of orders) {
    const customer = o.customer == null ? null : JSON.stringify({ id: o.customer, email: `c${o.customer}@example.com`, first_name: 'Ann', last_name: 'Example', currency: o.currency ?? 'USD' });
    const refunds = o.refund
      ? JSON.stringify([{ id: o.id * 10, order_id: o.id, created_at: o.at, transactions: [{ id: o.id * 100, kind: 'refund', status: 'success', amount: o.refund.toFixed(2), currency: o.currency ?? 'USD' }], refund_line_items: [] }])
      : '[]';
    await wh.run(
      `insert into raw.shopify__orders (id, admin_graphql_api_id, name, order_number, email, created_at, updated_at, processed_at, cancelled_at, currency, presentment_currency,
        total_price, subtotal_price, total_discounts, total_tax, total_line_items_price, financial_status, landing_site, referring_site, source_name, tags, test, discount_codes, customer, line_items, shipping_lines, refunds)
       values ($1, 'gid://shopify/Order/' || $1, '#' || $1, $1, $2, $3::timestamptz, $3::timestamptz, $3::timestamptz, $4::timestamptz, $5, $5,
        $6, $6, 0, 0, $6, $7, $8, $9, 'web', '', false, '[]', $10::json, '[{"id":1,"quantity":1}]', '[]', $11::json)`,
      [o.id, o.customer == null ? null : `c${o.customer}@example.com`, o.at, o.cancelled ? o.at : null, o.currency ?? 'USD', o.total, o.refund ? 'partially_refunded' : 'paid', o.landingSite ?? '/', o.referringSite ?? '', customer, refunds],
    );
  }
}
