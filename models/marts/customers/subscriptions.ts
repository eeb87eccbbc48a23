/**
 * Subscription marts: monthly recurring revenue and its movements.
 */
import { defineModel } from '../../engine/index.ts';

/** MRR per month and currency with new, expansion, contraction, churned and reactivated MRR. */
export const fctSubscriptionMrr = defineModel({
  name: 'fct_subscription_mrr',
  layer: 'marts',
  sql: 'sql/marts/fct_subscription_mrr.sql',
  materialized: 'table',
  grain: 'month × currency',
  uniqueKey: ['month', 'currency'],
  tags: ['stripe', 'customers'],
  description:
    'Stripe monthly recurring revenue per month and currency (one row per currency: amounts are never converted or mixed). MRR = Σ active ' +
    'or past-due subscriptions’ unit price × quantity normalised to a month (yearly ÷ 12). Movements are classed per customer and currency ' +
    '(int_subscription_mrr_changes): new, expansion, contraction, churned, reactivated, and ' +
    'mrr_end = mrr_start + new_mrr + expansion_mrr − contraction_mrr − churned_mrr + reactivated_mrr. subscribers_* count customers with MRR > 0; ' +
    'subscriber_retention = customers subscribed at both the start and the end of the month / subscribers_start. Months run to the data’s ' +
    'latest subscription change or charge day.',
  columns: {
    month: { type: 'DATE', description: 'First day of the month (reporting time zone).' },
    currency: { type: 'VARCHAR', description: 'Currency of the amounts.' },
    mrr_start: { type: 'DECIMAL(18,2)', description: 'MRR before the month’s first day.' },
    new_mrr: { type: 'DECIMAL(18,2)', description: 'MRR from customers subscribing for the first time.' },
    expansion_mrr: { type: 'DECIMAL(18,2)', description: 'MRR added by upgrades (customer MRR up, from > 0).' },
    contraction_mrr: { type: 'DECIMAL(18,2)', description: 'MRR lost to downgrades (customer MRR down, still > 0), positive.' },
    churned_mrr: { type: 'DECIMAL(18,2)', description: 'MRR lost to customers going to 0, positive.' },
    reactivated_mrr: { type: 'DECIMAL(18,2)', description: 'MRR from customers subscribing again after having churned.' },
    mrr_end: { type: 'DECIMAL(18,2)', description: 'MRR after the month’s last day (or the latest day of the data).' },
    subscribers_start: { type: 'INTEGER', description: 'Customers with MRR > 0 at the start.' },
    new_subscribers: { type: 'INTEGER', description: 'Customers with a new movement in the month.' },
    churned_subscribers: { type: 'INTEGER', description: 'Customers with a churn movement in the month.' },
    reactivated_subscribers: { type: 'INTEGER', description: 'Customers with a reactivation in the month.' },
    subscribers_end: { type: 'INTEGER', description: 'Customers with MRR > 0 at the end.' },
    subscribers_retained: { type: 'INTEGER', description: 'Customers with MRR > 0 at both the start and the end.' },
    subscriber_retention: { type: 'DOUBLE', description: 'subscribers_retained / subscribers_start (NULL without subscribers at start).', nullable: true },
    is_partial_month: { type: 'BOOLEAN', description: 'The month ends after the latest day of the data.' },
  },
  tests: [
    {
      kind: 'expression',
      name: 'mrr_identity',
      expression: 'mrr_end = mrr_start + new_mrr + expansion_mrr - contraction_mrr - churned_mrr + reactivated_mrr',
    },
    { kind: 'expression', expression: 'mrr_start >= 0 and mrr_end >= 0' },
  ],
});
