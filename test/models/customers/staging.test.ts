import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildCustomers, insertShopifyOrders, insertStripeCharge, insertStripeEvents, insertStripeSubscriptions, openTestWarehouse, rows } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

describe('staging.stg_shopify__orders', () => {
  it('has exactly the agreed columns and types, parses UTM, refunds and referral codes', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, [
      {
        id: 1001, customer: 77, at: '2026-02-03T23:30:00Z', total: 120.5, subtotal: 110, discounts: 10, refunds: [20.25, 5],
        landing: '/collections/spring?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring%20sale&utm_content=reel+a&utm_term=rain%2Bjacket&fbclid=x',
        referrer: 'https://l.facebook.com/', codes: ['SPRING10', 'friend-ab12'],
        lines: [{ sku: 'NW-JAC-001', price: 60 }, { sku: 'NW-ACC-002', price: 25, quantity: 2 }],
      },
      { id: 1002, customer: null, at: '2026-02-04T10:00:00Z', total: 15, cancelled: true },
    ]);
    await buildCustomers(wh, ['stg_shopify__orders', 'stg_shopify__order_lines']);
    const columns = await rows(wh, `select column_name, data_type from information_schema.columns where table_schema = 'staging' and table_name = 'stg_shopify__orders' order by ordinal_position`);
    expect(columns.map((c) => `${c['column_name']} ${c['data_type']}`)).toEqual([
      'order_id VARCHAR', 'order_name VARCHAR', 'customer_key VARCHAR', 'shopify_customer_id VARCHAR', 'created_at TIMESTAMP WITH TIME ZONE',
      'order_date DATE', 'currency VARCHAR', 'total_price DECIMAL(18,2)', 'subtotal_price DECIMAL(18,2)', 'total_discounts DECIMAL(18,2)',
      'refunded_amount DECIMAL(18,2)', 'net_revenue DECIMAL(18,2)', 'financial_status VARCHAR', 'landing_site VARCHAR', 'referring_site VARCHAR',
      'utm_source VARCHAR', 'utm_medium VARCHAR', 'utm_campaign VARCHAR', 'utm_content VARCHAR', 'utm_term VARCHAR', 'discount_codes VARCHAR',
      'referral_code VARCHAR', 'is_cancelled BOOLEAN', 'line_item_count INTEGER',
    ]);
    const [order, guest] = await rows(wh, `select * exclude (created_at, order_date, total_price, refunded_amount, net_revenue), order_date::varchar as order_date, total_price::double total_price, refunded_amount::double refunded_amount, net_revenue::double net_revenue from staging.stg_shopify__orders order by order_id`);
    const [{ k }] = (await rows(wh, `select pseudonym('77') k`)) as [{ k: string }];
    expect(k).toMatch(/^p_[0-9a-f]{16}$/);
    // net revenue = 120.50 − (20.25 + 5.00) = 95.25
    expect(order).toMatchObject({
      order_id: '1001', order_name: '#1001', customer_key: k, shopify_customer_id: '77', order_date: '2026-02-03', currency: 'USD',
      total_price: 120.5, refunded_amount: 25.25, net_revenue: 95.25, utm_source: 'facebook', utm_medium: 'paid_social', utm_campaign: 'spring sale',
      utm_content: 'reel a', utm_term: 'rain+jacket', discount_codes: 'SPRING10,friend-ab12', referral_code: 'friend-ab12', is_cancelled: false,
      line_item_count: 2, referring_site: 'https://l.facebook.com/',
    });
    expect(guest).toMatchObject({ customer_key: null, shopify_customer_id: null, is_cancelled: true, refunded_amount: 0, net_revenue: 15, utm_source: null, referral_code: null, referring_site: null });
    const lines = await rows(wh, `select line_id, order_id, category, quantity, price::double price, line_amount::double line_amount from staging.stg_shopify__order_lines where order_id = '1001' order by line_id`);
    expect(lines).toEqual([
      { line_id: '100100', order_id: '1001', category: 'JAC', quantity: 1, price: 60, line_amount: 60 },
      { line_id: '100101', order_id: '1001', category: 'ACC', quantity: 2, price: 25, line_amount: 50 },
    ]);
  });
});

describe('pseudonymisation', () => {
  it('keeps emails and names out of every staging and mart relation of the area', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, [
      { id: 1, customer: 1, at: '2026-01-05T12:00:00Z', total: 10, email: 'ann.smith@example.com' },
      { id: 2, customer: 1, at: '2026-02-05T12:00:00Z', total: 20, email: 'ann.smith@example.com' },
    ]);
    await wh.run(`create table raw.shopify__customers (id bigint, email varchar, first_name varchar, last_name varchar, phone varchar, note varchar,
      created_at timestamptz, updated_at timestamptz, state varchar, orders_count bigint, total_spent decimal(18,2), currency varchar,
      email_marketing_consent json, default_address json, _loaded_at timestamptz, _run_id varchar)`);
    await wh.run(`insert into raw.shopify__customers values (1, 'ann.smith@example.com', 'Ann', 'Smith', '+1555', 'VIP', now(), now(), 'enabled', 2, 30, 'USD',
      '{"state":"subscribed"}', '{"country_code":"US","address1":"1 Main St"}', now(), 'r')`);
    await insertStripeEvents(wh, [{ id: 'evt_1', type: 'created', at: '2026-01-10T12:00:00Z', subscription: 'sub_1', customer: 'cus_1', unitAmount: 900 }]);
    await insertStripeSubscriptions(wh, []);
    await insertStripeCharge(wh, 'ch_1', 'cus_1', '2026-01-10T12:00:00Z', 900);
    await wh.run(`create table raw.stripe__customers (id varchar, created bigint, email varchar, name varchar, phone varchar, currency varchar, delinquent boolean,
      address json, metadata json, _loaded_at timestamptz, _run_id varchar)`);
    await wh.run(`insert into raw.stripe__customers values ('cus_1', 1767000000, 'ann.smith@example.com', 'Ann Smith', '+1555', 'usd', false, '{"country":"US"}', '{"shop_customer_id":"1"}', now(), 'r')`);
    await buildCustomers(wh, []);
    const relations = await rows(wh, `select table_schema, table_name from information_schema.tables where table_schema in ('staging', 'intermediate', 'marts')`);
    expect(relations.length).toBeGreaterThanOrEqual(18);
    const personal = await rows(
      wh,
      `select table_name, column_name from information_schema.columns where table_schema in ('staging', 'intermediate', 'marts')
         and regexp_matches(column_name, '(email|first_name|last_name|^name$|phone|address|note)')`,
    );
    expect(personal).toEqual([]);
    for (const r of relations) {
      const table = `${r['table_schema']}.${r['table_name']}`;
      const [hit] = await rows(wh, `select count(*) n from ${table} t where regexp_matches(cast(t as varchar), '(?i)(example\\.com|smith|\\+1555|main st)')`);
      expect(hit?.['n'], table).toBe(0);
    }
    // The shop and Stripe customer meet through pseudonymous keys only.
    const [link] = await rows(wh, `select shop_customer_key = pseudonym('1') linked from staging.stg_stripe__customers`);
    expect(link?.['linked']).toBe(true);
  });
});
