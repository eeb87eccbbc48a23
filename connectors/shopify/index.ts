/**
 * The Shopify connector: orders and customers from the Admin REST API, read incrementally by
 * `updated_at_min` (with a lookback for late edits such as refunds), paged with `Link` headers and
 * merged on `id`.
 *
 * Streams (raw table `raw.<source>__<stream>`):
 * | stream    | primary key | cursor     | disposition |
 * |-----------|-------------|------------|-------------|
 * | orders    | id          | updated_at | merge       |
 * | customers | id          | updated_at | merge       |
 *
 * `startDate` bounds orders; the first run reads every customer (a dimension), later runs only changes.
 */
import type { ReadContext, SourceDef, StreamDef } from '../source.ts';
import { defineSource } from '../source.ts';
import type { Connector } from '../registry.ts';
import { shopifyHttp } from './client.ts';
import { shopifyFakeRoutes } from './fake.ts';
import { shopifyConfigSchema, shopifyCustomerSchema, shopifyOrderSchema, type ShopifyConfig } from './schema.ts';

/** Records per page: Shopify's maximum. */
export const SHOPIFY_PAGE_SIZE = 250;

/** Builds the Shopify `SourceDef` of a validated config. */
export function buildShopifySource(config: ShopifyConfig, name: string): SourceDef {
  const base = `/admin/api/${config.apiVersion}`;
  const cursor = { field: 'updated_at', initial: new Date(`${config.startDate}T00:00:00Z`).toISOString(), lookbackDays: config.lookbackDays };
  // Only the first request carries filters; the next ones follow the Link header, which holds
  // page_info and limit only (Shopify rejects other parameters next to page_info).
  const list = (resource: string, extra: Record<string, string> = {}) => (ctx: ReadContext) => ({
    path: `${base}/${resource}.json`,
    query: { ...extra, updated_at_min: ctx.since, updated_at_max: ctx.until, limit: SHOPIFY_PAGE_SIZE },
  });
  const streams: StreamDef[] = [
    {
      name: 'orders',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: shopifyOrderSchema,
      cursor,
      // status=any: the default (open) would leave cancelled orders out.
      read: { kind: 'http', request: list('orders', { status: 'any' }), paginator: { kind: 'linkHeader' }, recordPath: ['orders'] },
      freshnessHours: 26,
    },
    {
      name: 'customers',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: shopifyCustomerSchema,
      // A dimension: the first run reads every customer, later runs those changed since.
      cursor: { ...cursor, initial: new Date(0).toISOString() },
      read: { kind: 'http', request: list('customers'), paginator: { kind: 'linkHeader' }, recordPath: ['customers'] },
      freshnessHours: 26,
    },
  ];
  return defineSource({ name, streams, http: shopifyHttp(config, name) });
}

/** The sample shop's REST rate limit: a Shopify Plus bucket. */
const SAMPLE_RATE_LIMIT = { bucketSize: 400, leakPerSecond: 20 };

/** The `shopify` connector for the registry. */
export const shopifyConnector: Connector<ShopifyConfig> = {
  type: 'shopify',
  description: 'Shopify Admin REST API: orders (with refunds, line items, landing site) and customers',
  configSchema: shopifyConfigSchema,
  build: (config, ctx) => buildShopifySource(config, ctx.name),
  // The sample shop is on Shopify Plus: its bucket holds 400 calls and drains 20 a second, and
  // the config says so, so the demo is not held to a standard plan's 2 calls a second.
  sample: {
    fake: (world) => shopifyFakeRoutes(world, SAMPLE_RATE_LIMIT),
    config: ({ baseUrl }, world) => ({
      type: 'shopify',
      shop: 'northwind-outfitters',
      accessToken: { $env: 'PULSE_SAMPLE_TOKEN' },
      startDate: world.meta.start,
      rateLimit: SAMPLE_RATE_LIMIT,
      ...(baseUrl ? { baseUrl } : {}),
    }),
  },
};
