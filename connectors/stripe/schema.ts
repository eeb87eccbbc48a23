/**
 * Stripe API shapes: the source config, and zod schemas of customers, charges, subscriptions and
 * subscription events exactly as `GET /v1/...` lists return them (amounts in minor units, times as
 * epoch seconds, lists and expandable objects kept as JSON for staging).
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

/** The `stripe` source config. */
export const stripeConfigSchema = z
  .object({
    type: z.literal('stripe'),
    secretKey: secret.describe('a secret or restricted key with read access (sk_live_… / rk_live_…): env("STRIPE_SECRET_KEY")'),
    apiVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}(\.\w+)?$/, 'a version such as 2024-06-20').default('2024-06-20').describe('Stripe-Version header pinning the response shapes this connector declares'),
    startDate: z.iso.date().describe('first day to extract on the first run (YYYY-MM-DD), compared with each object\'s `created`'),
    lookbackDays: z.number().nonnegative().default(7).describe('days re-read behind the saved cursor on every run (charges refunded after they were created)'),
    baseUrl: z.url().optional().describe('API root override, default https://api.stripe.com (tests and proxies)'),
    requestsPerSecond: z.number().positive().default(25).describe('request budget: Stripe allows 100/s in live mode and 25/s in test mode'),
  })
  .strict();

/** A validated `stripe` source config. */
export type StripeConfig = z.output<typeof stripeConfigSchema>;

const epoch = () => z.number().int();
const metadata = () => z.record(z.string(), z.string());

/** One customer of `GET /v1/customers`. */
export const stripeCustomerSchema = z.object({
  id: z.string(),
  object: z.literal('customer'),
  created: epoch(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  currency: z.string().nullable(),
  balance: z.number().int(),
  delinquent: z.boolean().nullable(),
  livemode: z.boolean(),
  metadata: metadata(),
  address: z.object({ country: z.string().nullable() }).loose().nullable(),
  default_source: z.string().nullable(),
  invoice_prefix: z.string().nullable(),
  phone: z.string().nullable(),
  preferred_locales: z.array(z.string()),
  tax_exempt: z.enum(['none', 'exempt', 'reverse']).nullable(),
});

/** One charge of `GET /v1/charges?expand[]=data.refunds`. */
export const stripeChargeSchema = z.object({
  id: z.string(),
  object: z.literal('charge'),
  created: epoch(),
  amount: z.number().int().min(0),
  amount_captured: z.number().int().min(0),
  amount_refunded: z.number().int().min(0),
  currency: z.string(),
  customer: z.string().nullable(),
  description: z.string().nullable(),
  invoice: z.string().nullable(),
  payment_intent: z.string().nullable(),
  balance_transaction: z.string().nullable(),
  status: z.enum(['succeeded', 'pending', 'failed']),
  paid: z.boolean(),
  captured: z.boolean(),
  refunded: z.boolean(),
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  livemode: z.boolean(),
  metadata: metadata(),
  outcome: z.object({ type: z.string() }).loose().nullable(),
  refunds: z.object({ object: z.literal('list'), data: z.array(z.object({ id: z.string(), amount: z.number().int(), created: epoch() }).loose()), has_more: z.boolean() }).loose(),
});

/** One subscription of `GET /v1/subscriptions?status=all` (items with their prices are included). */
export const stripeSubscriptionSchema = z.object({
  id: z.string(),
  object: z.literal('subscription'),
  application: z.string().nullable(),
  customer: z.string(),
  default_payment_method: z.string().nullable(),
  status: z.enum(['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused']),
  created: epoch(),
  start_date: epoch(),
  billing_cycle_anchor: epoch(),
  current_period_start: epoch(),
  current_period_end: epoch(),
  cancel_at: epoch().nullable(),
  cancel_at_period_end: z.boolean(),
  canceled_at: epoch().nullable(),
  ended_at: epoch().nullable(),
  collection_method: z.enum(['charge_automatically', 'send_invoice']),
  currency: z.string(),
  latest_invoice: z.string().nullable(),
  livemode: z.boolean(),
  metadata: metadata(),
  items: z.object({ object: z.literal('list'), data: z.array(z.object({ id: z.string(), price: z.object({ id: z.string(), unit_amount: z.number().int().nullable() }).loose(), quantity: z.number().int() }).loose()) }).loose(),
  plan: z.object({ id: z.string(), amount: z.number().int().nullable(), interval: z.string() }).loose().nullable(),
  quantity: z.number().int().nullable(),
});

/** One event of `GET /v1/events?type=customer.subscription.*`: the subscription as it was, and what changed. */
export const stripeEventSchema = z.object({
  id: z.string(),
  object: z.literal('event'),
  api_version: z.string().nullable(),
  created: epoch(),
  type: z.string(),
  data: z.object({ object: z.object({ id: z.string() }).loose(), previous_attributes: z.record(z.string(), z.unknown()).optional() }),
  livemode: z.boolean(),
  pending_webhooks: z.number().int(),
  request: z.object({ id: z.string().nullable(), idempotency_key: z.string().nullable() }).nullable(),
});
