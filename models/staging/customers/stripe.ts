/**
 * Staging models of Stripe for the customers area: customers, charges, subscriptions and
 * subscription events, renamed and typed; amounts in major units; people only as pseudonymous keys
 * (`pseudonym(<Stripe customer id>)`).
 */
import { defineModel } from '../../engine/index.ts';

/** Stripe customers as pseudonymous keys, linked to the shop customer when metadata allows. */
export const stgStripeCustomers = defineModel({
  name: 'stg_stripe__customers',
  layer: 'staging',
  sql: 'sql/staging/stg_stripe__customers.sql',
  materialized: 'view',
  grain: 'Stripe customer',
  uniqueKey: ['customer_key'],
  tags: ['stripe', 'customers'],
  description: 'Stripe customers as customer_key = pseudonym(Stripe customer id); email, name, phone and address stay in raw.',
  columns: {
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous key: pseudonym(Stripe customer id).' },
    stripe_customer_id: { type: 'VARCHAR', description: 'Stripe customer id (cus_…).' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the customer was created (UTC).' },
    currency: { type: 'VARCHAR', description: 'Default currency, upper-case.', nullable: true },
    is_delinquent: { type: 'BOOLEAN', description: 'Stripe marks the customer delinquent.', nullable: true },
    country_code: { type: 'VARCHAR', description: 'Billing country.', nullable: true },
    shop_customer_key: { type: 'VARCHAR', description: 'pseudonym(metadata.shop_customer_id): the Shopify customer’s key, when set.', nullable: true },
  },
});

/** Stripe charges with amounts in major units. */
export const stgStripeCharges = defineModel({
  name: 'stg_stripe__charges',
  layer: 'staging',
  sql: 'sql/staging/stg_stripe__charges.sql',
  materialized: 'view',
  grain: 'Stripe charge',
  uniqueKey: ['charge_id'],
  tags: ['stripe', 'customers'],
  description: 'Stripe charges, one row per charge, amounts in major units (minor units ÷ 100, zero-decimal currencies as they are).',
  columns: {
    charge_id: { type: 'VARCHAR', description: 'Stripe charge id.' },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(Stripe customer id).', nullable: true },
    stripe_customer_id: { type: 'VARCHAR', description: 'Stripe customer id.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the charge was created (UTC).' },
    charge_date: { type: 'DATE', description: 'Day of the charge in the reporting time zone.' },
    currency: { type: 'VARCHAR', description: 'ISO 4217 currency, upper-case.' },
    amount: { type: 'DECIMAL(18,2)', description: 'Amount charged.' },
    amount_refunded: { type: 'DECIMAL(18,2)', description: 'Amount refunded so far.' },
    net_amount: { type: 'DECIMAL(18,2)', description: 'amount_captured − amount_refunded.' },
    status: { type: 'VARCHAR', description: "'succeeded', 'pending' or 'failed'." },
    is_paid: { type: 'BOOLEAN', description: 'The charge succeeded or was authorised.' },
    subscription_id: { type: 'VARCHAR', description: 'Subscription the charge paid for (metadata.subscription).', nullable: true },
    invoice_id: { type: 'VARCHAR', description: 'Stripe invoice id.', nullable: true },
  },
});

/** Stripe subscriptions, current state, with the plan's monthly amount. */
export const stgStripeSubscriptions = defineModel({
  name: 'stg_stripe__subscriptions',
  layer: 'staging',
  sql: 'sql/staging/stg_stripe__subscriptions.sql',
  materialized: 'view',
  grain: 'Stripe subscription',
  uniqueKey: ['subscription_id'],
  tags: ['stripe', 'customers'],
  description:
    'Stripe subscriptions as they are now. monthly_amount = Σ items unit price × quantity normalised to a month ' +
    '(yearly ÷ 12, weekly × 52 ÷ 12, daily × 365 ÷ 12, ÷ interval_count), in major units, whatever the status.',
  columns: {
    subscription_id: { type: 'VARCHAR', description: 'Stripe subscription id.' },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(Stripe customer id).' },
    stripe_customer_id: { type: 'VARCHAR', description: 'Stripe customer id.' },
    status: { type: 'VARCHAR', description: "Stripe status ('active', 'past_due', 'canceled', 'trialing', …)." },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the subscription was created (UTC).' },
    started_at: { type: 'TIMESTAMPTZ', description: 'Start date (UTC).' },
    canceled_at: { type: 'TIMESTAMPTZ', description: 'When it was canceled.', nullable: true },
    ended_at: { type: 'TIMESTAMPTZ', description: 'When it ended.', nullable: true },
    current_period_start: { type: 'TIMESTAMPTZ', description: 'Start of the current billing period.' },
    current_period_end: { type: 'TIMESTAMPTZ', description: 'End of the current billing period.' },
    currency: { type: 'VARCHAR', description: 'ISO 4217 currency, upper-case.' },
    monthly_amount: { type: 'DECIMAL(18,2)', description: 'The plan’s amount per month (see the model description).' },
  },
});

/** `customer.subscription.*` events with the subscription's MRR after each. */
export const stgStripeSubscriptionEvents = defineModel({
  name: 'stg_stripe__subscription_events',
  layer: 'staging',
  sql: 'sql/staging/stg_stripe__subscription_events.sql',
  // A table, incremental per event: its readers and its checks read stored rows instead of
  // running the view again, and a build recomputes only the events loaded since the last.
  materialized: 'incremental',
  incremental: { by: 'event_id', changed: 'sql/staging/stg_stripe__subscription_events.changed.sql' },
  grain: 'Stripe subscription event',
  uniqueKey: ['event_id'],
  tags: ['stripe', 'customers'],
  description:
    'customer.subscription.created/updated/deleted events, with the subscription as it was after each. mrr_after = its monthly amount ' +
    'while active or past_due, 0 once deleted or in any other status.',
  columns: {
    event_id: { type: 'VARCHAR', description: 'Stripe event id.' },
    event_type: { type: 'VARCHAR', description: 'Event type (customer.subscription.created|updated|deleted|…).' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the event happened (UTC).' },
    event_date: { type: 'DATE', description: 'Day of the event in the reporting time zone.' },
    subscription_id: { type: 'VARCHAR', description: 'Subscription the event is about.', nullable: true },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(Stripe customer id).', nullable: true },
    stripe_customer_id: { type: 'VARCHAR', description: 'Stripe customer id.', nullable: true },
    status: { type: 'VARCHAR', description: 'Subscription status after the event.', nullable: true },
    currency: { type: 'VARCHAR', description: 'ISO 4217 currency, upper-case.', nullable: true },
    monthly_amount: { type: 'DECIMAL(18,2)', description: 'The plan’s amount per month after the event.' },
    mrr_after: { type: 'DECIMAL(18,2)', description: 'MRR of the subscription after the event (0 unless active or past_due).' },
  },
  tests: [{ kind: 'expression', expression: 'mrr_after >= 0' }],
});

