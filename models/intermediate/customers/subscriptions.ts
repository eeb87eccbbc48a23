/**
 * The subscription MRR changes behind `marts.fct_subscription_mrr`.
 */
import { defineModel } from '../../engine/index.ts';

/** Every change of a subscription's MRR and its customer-level movement class. */
export const intSubscriptionMrrChanges = defineModel({
  name: 'int_subscription_mrr_changes',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_subscription_mrr_changes.sql',
  materialized: 'table',
  grain: 'subscription change',
  uniqueKey: ['change_id'],
  tags: ['stripe', 'customers'],
  description:
    'Every change of a Stripe subscription’s MRR: its events (created/updated/deleted), or, for a subscription with no events, a start and an end ' +
    'taken from the subscription. MRR is summed per customer and currency and each change classed at customer level: new (0 → > 0 the first ' +
    'time), reactivation (0 → > 0 again), expansion, contraction (still > 0), churn (→ 0); NULL when it does not move the customer’s MRR.',
  columns: {
    change_id: { type: 'VARCHAR', description: 'Stripe event id, or start:/end: + subscription id for snapshot changes.' },
    subscription_id: { type: 'VARCHAR', description: 'Stripe subscription id.' },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(Stripe customer id).' },
    currency: { type: 'VARCHAR', description: 'Subscription currency.' },
    changed_at: { type: 'TIMESTAMPTZ', description: 'When it changed (UTC).' },
    change_date: { type: 'DATE', description: 'Day of the change (reporting time zone).' },
    change_month: { type: 'DATE', description: 'First day of the month of the change.' },
    subscription_mrr_after: { type: 'DECIMAL(18,2)', description: 'The subscription’s MRR after the change.' },
    mrr_delta: { type: 'DECIMAL(18,2)', description: 'Change of the subscription’s (and so the customer’s) MRR.' },
    customer_mrr_before: { type: 'DECIMAL(18,2)', description: 'The customer’s MRR in this currency before the change.' },
    customer_mrr_after: { type: 'DECIMAL(18,2)', description: 'The customer’s MRR in this currency after the change.' },
    movement: { type: 'VARCHAR', description: "'new', 'reactivation', 'expansion', 'contraction', 'churn', or NULL when MRR did not move.", nullable: true },
  },
  tests: [
    { kind: 'accepted_values', column: 'movement', values: ['new', 'reactivation', 'expansion', 'contraction', 'churn'] },
    { kind: 'expression', expression: 'customer_mrr_after >= 0' },
  ],
});
