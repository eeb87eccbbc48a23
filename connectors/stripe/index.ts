/**
 * The Stripe connector: customers, charges (with refunds expanded), subscriptions (with items and
 * prices) and the subscription status history, which Stripe only exposes as events.
 *
 * Streams (raw table `raw.<source>__<stream>`):
 * | stream              | primary key | cursor            | disposition | notes |
 * |---------------------|-------------|-------------------|-------------|-------|
 * | customers           | id          | created (epoch s) | merge       | first run reads all; Stripe has no `updated` filter, so later edits to a customer are not re-read |
 * | charges             | id          | created (epoch s) | merge       | `expand[]=data.refunds`; refunds after the lookback are seen via `amount_refunded` only on a backfill |
 * | subscriptions       | id          | none: full read   | merge       | status changes any time, so every run reads them all (`status=all`) |
 * | subscription_events | id          | created (epoch s) | merge       | `customer.subscription.*` events: created / updated (plan change, with `previous_attributes`) / deleted |
 *
 * Stripe keeps events for 30 days: a first run reaches back at most that far for history; older
 * status changes are known only from `subscriptions` (created, canceled_at).
 */
import type { ReadContext, SourceDef, StreamDef } from '../source.ts';
import { defineSource } from '../source.ts';
import type { PaginatorSpec } from '../http/types.ts';
import type { Connector } from '../registry.ts';
import { stripeHttp } from './client.ts';
import { stripeFakeRoutes } from './fake.ts';
import { stripeChargeSchema, stripeConfigSchema, stripeCustomerSchema, stripeEventSchema, stripeSubscriptionSchema, type StripeConfig } from './schema.ts';

/** Records per page: Stripe's maximum. */
export const STRIPE_PAGE_SIZE = 100;

const paging: PaginatorSpec = { kind: 'startingAfter', hasMorePath: ['has_more'], param: 'starting_after', idField: 'id' };

/**
 * Converts a range bound to epoch seconds: the engine passes the initial value as ISO text and a
 * saved numeric cursor (minus the lookback) as a number in text.
 */
export function toEpochSeconds(value: string): number {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Math.floor(Number(value));
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`cannot read "${value}" as a time`);
  return Math.floor(ms / 1000);
}

/** Builds the Stripe `SourceDef` of a validated config. */
export function buildStripeSource(config: StripeConfig, name: string): SourceDef {
  const cursor = { field: 'created', initial: new Date(`${config.startDate}T00:00:00Z`).toISOString(), lookbackDays: config.lookbackDays };
  const created = (ctx: ReadContext) => ({ 'created[gte]': toEpochSeconds(ctx.since), 'created[lte]': toEpochSeconds(ctx.until) });
  const streams: StreamDef[] = [
    {
      name: 'customers',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: stripeCustomerSchema,
      // A dimension: the first run reads every customer, later runs those created since.
      cursor: { ...cursor, initial: new Date(0).toISOString() },
      read: { kind: 'http', request: (ctx) => ({ path: '/v1/customers', query: { ...created(ctx), limit: STRIPE_PAGE_SIZE } }), paginator: paging, recordPath: ['data'] },
    },
    {
      name: 'charges',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: stripeChargeSchema,
      cursor,
      read: { kind: 'http', request: (ctx) => ({ path: '/v1/charges', query: { ...created(ctx), limit: STRIPE_PAGE_SIZE, 'expand[]': 'data.refunds' } }), paginator: paging, recordPath: ['data'] },
    },
    {
      name: 'subscriptions',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: stripeSubscriptionSchema,
      read: { kind: 'http', request: () => ({ path: '/v1/subscriptions', query: { status: 'all', limit: STRIPE_PAGE_SIZE } }), paginator: paging, recordPath: ['data'] },
    },
    {
      name: 'subscription_events',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: stripeEventSchema,
      cursor,
      read: { kind: 'http', request: (ctx) => ({ path: '/v1/events', query: { type: 'customer.subscription.*', ...created(ctx), limit: STRIPE_PAGE_SIZE } }), paginator: paging, recordPath: ['data'] },
    },
  ];
  return defineSource({ name, streams, http: stripeHttp(config, name) });
}

/** The `stripe` connector for the registry. */
export const stripeConnector: Connector<StripeConfig> = {
  type: 'stripe',
  description: 'Stripe: customers, charges with refunds, subscriptions with prices, subscription status history (events)',
  configSchema: stripeConfigSchema,
  build: (config, ctx) => buildStripeSource(config, ctx.name),
  sample: {
    fake: (world) => stripeFakeRoutes(world),
    config: ({ baseUrl }, world) => ({
      type: 'stripe',
      secretKey: { $env: 'PULSE_SAMPLE_TOKEN' },
      startDate: world.meta.start,
      // The sample account is read in live mode, which Stripe allows 100 requests a second.
      requestsPerSecond: 100,
      ...(baseUrl ? { baseUrl } : {}),
    }),
  },
};
