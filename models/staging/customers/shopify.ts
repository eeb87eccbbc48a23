/**
 * Staging models of Shopify for the customers area: orders, their lines and customers, renamed and
 * typed; people appear only as pseudonymous `customer_key`s (`pseudonym(<Shopify customer id>)`).
 */
import { defineModel } from '../../engine/index.ts';

/** Shopify orders (one row per order); `net_revenue` = total − refunds; UTM parsed from the landing URL. */
export const stgShopifyOrders = defineModel({
  name: 'stg_shopify__orders',
  layer: 'staging',
  sql: 'sql/staging/stg_shopify__orders.sql',
  // A table, not a view: five models and three changed-SQL files read the orders, and as a view
  // each of them parsed every order's JSON again. Incremental per order: a row comes from its own
  // record only.
  materialized: 'incremental',
  incremental: { by: 'order_id', changed: 'sql/staging/stg_shopify__orders.changed.sql' },
  grain: 'Shopify order',
  uniqueKey: ['order_id'],
  tags: ['shopify', 'customers'],
  description:
    'Shopify orders, renamed and typed, one row per order. People appear only as customer_key = pseudonym(Shopify customer id); ' +
    'no emails or names. net_revenue = total_price − refunded_amount (successful refund transactions). UTM parameters are parsed ' +
    'from landing_site (percent-decoded); referral_code is the first discount code shaped like a referral code (FRIEND-…, REF-…, REFERRAL-…).',
  columns: {
    order_id: { type: 'VARCHAR', description: 'Shopify order id.' },
    order_name: { type: 'VARCHAR', description: 'Order name shown to people (#1001).' },
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key: pseudonym(Shopify customer id); NULL for guest orders without a customer.', nullable: true },
    shopify_customer_id: { type: 'VARCHAR', description: 'Shopify customer id (not personal data by itself); NULL without a customer.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the order was placed (UTC).' },
    order_date: { type: 'DATE', description: 'Day the order was placed, in the reporting time zone (report_date).' },
    currency: { type: 'VARCHAR', description: 'ISO 4217 currency of the order amounts.' },
    total_price: { type: 'DECIMAL(18,2)', description: 'Order total incl. shipping and tax, after discounts.' },
    subtotal_price: { type: 'DECIMAL(18,2)', description: 'Line items after discounts, before shipping and tax.' },
    total_discounts: { type: 'DECIMAL(18,2)', description: 'Discounts applied to the order.' },
    refunded_amount: { type: 'DECIMAL(18,2)', description: 'Sum of the successful refund transactions of the order so far.' },
    net_revenue: { type: 'DECIMAL(18,2)', description: 'total_price − refunded_amount.' },
    financial_status: { type: 'VARCHAR', description: "Shopify financial status ('paid', 'partially_refunded', 'refunded', 'pending', 'voided', …)." },
    landing_site: { type: 'VARCHAR', description: 'Path and query of the page the buyer landed on.', nullable: true },
    referring_site: { type: 'VARCHAR', description: 'Referrer URL of the buyer’s session.', nullable: true },
    utm_source: { type: 'VARCHAR', description: 'utm_source of landing_site.', nullable: true },
    utm_medium: { type: 'VARCHAR', description: 'utm_medium of landing_site.', nullable: true },
    utm_campaign: { type: 'VARCHAR', description: 'utm_campaign of landing_site.', nullable: true },
    utm_content: { type: 'VARCHAR', description: 'utm_content of landing_site.', nullable: true },
    utm_term: { type: 'VARCHAR', description: 'utm_term of landing_site.', nullable: true },
    discount_codes: { type: 'VARCHAR', description: 'Discount codes used, comma-separated.', nullable: true },
    referral_code: { type: 'VARCHAR', description: 'Customer-referral code used (first discount code matching ^(friend|ref|referral)[-_], case-insensitive).', nullable: true },
    is_cancelled: { type: 'BOOLEAN', description: 'The order was cancelled (cancelled_at set).' },
    line_item_count: { type: 'INTEGER', description: 'Number of line items.' },
  },
  tests: [
    { kind: 'expression', expression: 'refunded_amount >= 0' },
    { kind: 'expression', expression: 'line_item_count >= 0' },
  ],
});

/** Shopify order lines (one row per line item) with the product category read from the SKU. */
export const stgShopifyOrderLines = defineModel({
  name: 'stg_shopify__order_lines',
  layer: 'staging',
  sql: 'sql/staging/stg_shopify__order_lines.sql',
  // A table, not a view: flattening the nested JSON (and masking) would otherwise run again for
  // its contract check, each of its tests and each model that reads it. Incremental per order: an
  // order's lines come from its own record only.
  materialized: 'incremental',
  incremental: { by: 'order_id', changed: 'sql/staging/stg_shopify__order_lines.changed.sql' },
  grain: 'Shopify order line',
  uniqueKey: ['line_id'],
  tags: ['shopify', 'customers'],
  description:
    'Line items of Shopify orders, one row per line. category is the middle part of a three-part SKU (NW-JAC-001 → JAC) ' +
    'when the SKU has that shape, else NULL (Shopify line items carry no product type).',
  columns: {
    line_id: { type: 'VARCHAR', description: 'Shopify line item id.' },
    order_id: { type: 'VARCHAR', description: 'Shopify order id of the line.' },
    product_id: { type: 'VARCHAR', description: 'Shopify product id (NULL for custom items).', nullable: true },
    variant_id: { type: 'VARCHAR', description: 'Shopify variant id.', nullable: true },
    sku: { type: 'VARCHAR', description: 'Stock keeping unit.', nullable: true },
    title: { type: 'VARCHAR', description: 'Product title.', nullable: true },
    category: { type: 'VARCHAR', description: 'Product category code from the SKU (NW-JAC-001 → JAC); NULL when not derivable.', nullable: true },
    quantity: { type: 'INTEGER', description: 'Units ordered.' },
    price: { type: 'DECIMAL(18,2)', description: 'Unit price, in the order currency.', nullable: true },
    line_amount: { type: 'DECIMAL(18,2)', description: 'price × quantity.', nullable: true },
  },
  tests: [{ kind: 'relationships', column: 'order_id', to: 'staging.stg_shopify__orders', field: 'order_id' }],
});

/** Shopify customers as pseudonymous keys (no email, name, phone, address or note). */
export const stgShopifyCustomers = defineModel({
  name: 'stg_shopify__customers',
  layer: 'staging',
  sql: 'sql/staging/stg_shopify__customers.sql',
  materialized: 'view',
  grain: 'Shopify customer',
  uniqueKey: ['customer_key'],
  tags: ['shopify', 'customers'],
  description: 'Shopify customers, one row per customer, as customer_key = pseudonym(Shopify customer id); email, names, phone, address and notes stay in raw.',
  columns: {
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key: pseudonym(Shopify customer id).' },
    shopify_customer_id: { type: 'VARCHAR', description: 'Shopify customer id.' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the customer record was created (UTC).' },
    updated_at: { type: 'TIMESTAMPTZ', description: 'When it last changed (UTC).' },
    state: { type: 'VARCHAR', description: "Account state ('enabled', 'disabled', 'invited', 'declined')." },
    orders_count: { type: 'INTEGER', description: 'Orders as Shopify counts them.' },
    total_spent: { type: 'DECIMAL(18,2)', description: 'Total spent as Shopify reports it.' },
    currency: { type: 'VARCHAR', description: 'Customer currency.' },
    country_code: { type: 'VARCHAR', description: 'Country of the default address (ISO 3166-1 alpha-2).', nullable: true },
    accepts_marketing: { type: 'BOOLEAN', description: 'Email marketing consent is subscribed.' },
  },
});

