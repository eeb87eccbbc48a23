/**
 * Shopify Admin REST API shapes: the source config, and zod schemas of the records exactly as
 * `GET /admin/api/{version}/orders.json` and `/customers.json` return them (money as decimal
 * strings, timestamps in the shop's offset, nested objects kept as JSON for staging to flatten).
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

/** Money as Shopify sends it: a decimal string such as "12.34", stored as DECIMAL(18,2). */
const money = () => z.string().meta({ sqlType: 'DECIMAL(18,2)' });
/** A timestamp with the shop's UTC offset (`2026-01-05T10:12:03-05:00`). */
const timestamp = () => z.iso.datetime({ offset: true });

/** The `shopify` source config. */
export const shopifyConfigSchema = z
  .object({
    type: z.literal('shopify'),
    shop: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*(\.myshopify\.com)?$/i, 'a myshopify subdomain such as northwind-outfitters (or northwind-outfitters.myshopify.com)')
      .describe("the shop's myshopify domain, e.g. northwind-outfitters.myshopify.com (the part before .myshopify.com is enough)"),
    accessToken: secret.describe('Admin API access token of a custom app with read_orders and read_customers scopes: env("SHOPIFY_ACCESS_TOKEN")'),
    apiVersion: z.string().regex(/^\d{4}-\d{2}$/, 'a version such as 2025-07').default('2025-07').describe('Admin API version, YYYY-MM (Shopify supports each for 12 months)'),
    startDate: z.iso.date().describe('first day to extract on the first run (YYYY-MM-DD); later runs continue from the saved cursor'),
    lookbackDays: z.number().nonnegative().default(3).describe('days re-read behind the saved cursor on every run, for orders edited late (refunds, fulfilments)'),
    baseUrl: z.url().optional().describe('API root override, default https://{shop}.myshopify.com (tests and proxies)'),
    rateLimit: z
      .object({
        bucketSize: z.number().int().positive().default(40).describe('leaky-bucket size: 40 on standard plans, 400 on Shopify Plus'),
        leakPerSecond: z.number().positive().default(2).describe('calls the bucket drains per second: 2 standard, 20 Plus'),
      })
      .strict()
      .default({ bucketSize: 40, leakPerSecond: 2 })
      .describe("the shop's REST rate limit (X-Shopify-Shop-Api-Call-Limit)"),
  })
  .strict();

/** A validated `shopify` source config. */
export type ShopifyConfig = z.output<typeof shopifyConfigSchema>;

/** One order of `GET /orders.json?status=any`. */
export const shopifyOrderSchema = z.object({
  id: z.number().int(),
  admin_graphql_api_id: z.string(),
  name: z.string(),
  order_number: z.number().int(),
  email: z.string().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
  processed_at: timestamp(),
  cancelled_at: timestamp().nullable(),
  cancel_reason: z.string().nullable(),
  closed_at: timestamp().nullable(),
  currency: z.string(),
  presentment_currency: z.string(),
  total_price: money(),
  subtotal_price: money(),
  total_discounts: money(),
  total_tax: money(),
  total_line_items_price: money(),
  financial_status: z.enum(['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided']),
  fulfillment_status: z.enum(['fulfilled', 'partial', 'restocked']).nullable(),
  landing_site: z.string().nullable(),
  referring_site: z.string().nullable(),
  source_name: z.string(),
  tags: z.string(),
  test: z.boolean(),
  discount_codes: z.array(z.object({ code: z.string(), amount: z.string(), type: z.string() })),
  customer: z.object({ id: z.number().int(), email: z.string().nullable() }).loose().nullable(),
  line_items: z.array(z.object({ id: z.number().int(), product_id: z.number().int().nullable(), variant_id: z.number().int().nullable(), title: z.string(), quantity: z.number().int(), price: z.string(), sku: z.string().nullable() }).loose()),
  shipping_lines: z.array(z.object({ id: z.number().int(), price: z.string() }).loose()),
  refunds: z.array(z.object({ id: z.number().int(), created_at: z.string(), transactions: z.array(z.object({ amount: z.string() }).loose()) }).loose()),
});

/** One customer of `GET /customers.json`. */
export const shopifyCustomerSchema = z.object({
  id: z.number().int(),
  admin_graphql_api_id: z.string(),
  email: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
  state: z.enum(['disabled', 'invited', 'enabled', 'declined']),
  orders_count: z.number().int().min(0),
  total_spent: money(),
  last_order_id: z.number().int().nullable(),
  last_order_name: z.string().nullable(),
  currency: z.string(),
  verified_email: z.boolean(),
  tax_exempt: z.boolean(),
  tags: z.string(),
  note: z.string().nullable(),
  phone: z.string().nullable(),
  email_marketing_consent: z.object({ state: z.string(), opt_in_level: z.string().nullable(), consent_updated_at: z.string().nullable() }).nullable(),
  default_address: z.object({ country_code: z.string().nullable() }).loose().nullable(),
});
