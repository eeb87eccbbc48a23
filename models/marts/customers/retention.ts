/**
 * Retention marts: first-order cohorts, monthly churn, and repeat purchases (upsell, cross-sell, referrals).
 */
import { defineModel } from '../../engine/index.ts';

/** Cohort retention and revenue, month by month since the first order. */
export const fctCustomerCohorts = defineModel({
  name: 'fct_customer_cohorts',
  layer: 'marts',
  sql: 'sql/marts/fct_customer_cohorts.sql',
  materialized: 'table',
  grain: 'cohort month × months since first order × currency',
  uniqueKey: ['cohort_month', 'months_since_first_order', 'currency'],
  tags: ['customers'],
  description:
    'First-order cohorts month by month up to the as-of month, per currency (revenue is never added across currencies). ' +
    'active_customers = cohort customers with a counted order in the month; retention_rate = active_customers / cohort_size; ' +
    'revenue = the cohort’s net revenue in the month; cumulative_revenue_per_customer = Σ revenue of months 0..k / cohort_size.',
  columns: {
    cohort_month: { type: 'DATE', description: 'Month of the customers’ first order.' },
    months_since_first_order: { type: 'INTEGER', description: '0 for the first-order month, 1 for the next, …' },
    currency: { type: 'VARCHAR', description: 'Currency of the cohort’s customers and revenue.' },
    cohort_size: { type: 'INTEGER', description: 'Customers in the cohort.' },
    active_customers: { type: 'INTEGER', description: 'Cohort customers who ordered in the month.' },
    retention_rate: { type: 'DOUBLE', description: 'active_customers / cohort_size.' },
    revenue: { type: 'DECIMAL(18,2)', description: 'Net revenue of the cohort’s orders in the month.' },
    cumulative_revenue_per_customer: { type: 'DECIMAL(18,2)', description: 'Σ revenue up to this month / cohort_size.' },
  },
  tests: [{ kind: 'expression', expression: 'active_customers <= cohort_size and retention_rate between 0 and 1' }],
});

/** Monthly churn: active at start, churned, reactivated, new. */
export const fctChurnMonthly = defineModel({
  name: 'fct_churn_monthly',
  layer: 'marts',
  sql: 'sql/marts/fct_churn_monthly.sql',
  materialized: 'table',
  grain: 'month',
  uniqueKey: ['month'],
  tags: ['customers'],
  description:
    'Customer churn month by month (first order month to the as-of month). A customer is active while days since their last order ≤ ' +
    'churn_window_days() (default 90) and churns the day after (last order + window + 1) unless they order again. active_at_start = ' +
    'customers active on the month’s first day; churned = customers whose churn day falls in the month (up to the as-of date); ' +
    'churn_rate = churned / active_at_start; retention_rate = 1 − churn_rate; reactivated = customers ordering in the month more than the ' +
    'window after their previous order; new_customers = first orders in the month. With a window of at least 31 days, ' +
    'next month’s active_at_start = active_at_start − churned + new_customers + reactivated.',
  columns: {
    month: { type: 'DATE', description: 'First day of the month.' },
    active_at_start: { type: 'INTEGER', description: 'Customers active at the close of the day before the month.' },
    churned: { type: 'INTEGER', description: 'Customers whose churn day falls in the month.' },
    churn_rate: { type: 'DOUBLE', description: 'churned / active_at_start (NULL without active customers).', nullable: true },
    retention_rate: { type: 'DOUBLE', description: '1 − churn_rate.', nullable: true },
    reactivated: { type: 'INTEGER', description: 'Customers who ordered again after having churned.' },
    new_customers: { type: 'INTEGER', description: 'Customers whose first order is in the month.' },
    is_partial_month: { type: 'BOOLEAN', description: 'The month ends after the as-of date.' },
  },
  tests: [{ kind: 'expression', expression: 'churned <= active_at_start' }],
});

/** Repeat purchases, upsell, cross-sell and referral orders per month. */
export const fctRepeatPurchaseMonthly = defineModel({
  name: 'fct_repeat_purchase_monthly',
  layer: 'marts',
  sql: 'sql/marts/fct_repeat_purchase_monthly.sql',
  materialized: 'table',
  grain: 'month',
  uniqueKey: ['month'],
  tags: ['customers'],
  description:
    'Repeat purchase behaviour per month over counted orders. repeat_orders = orders that are not the customer’s first; upsell_orders = ' +
    'repeat orders with a higher basket value (subtotal after discounts) than the customer’s previous order; cross_sell_orders = repeat ' +
    'orders holding a category the customer never bought before; upsell_rate and cross_sell_rate are over repeat_orders; referral_rate = ' +
    'orders using a referral code / orders; new_customer_referral_rate = referred new customers / new customers.',
  columns: {
    month: { type: 'DATE', description: 'First day of the month.' },
    orders: { type: 'INTEGER', description: 'Counted orders.' },
    repeat_orders: { type: 'INTEGER', description: 'Orders that are not a customer’s first.' },
    upsell_orders: { type: 'INTEGER', description: 'Repeat orders with a basket value above the previous order’s.' },
    cross_sell_orders: { type: 'INTEGER', description: 'Repeat orders with a category new to the customer.' },
    upsell_rate: { type: 'DOUBLE', description: 'upsell_orders / repeat_orders.', nullable: true },
    cross_sell_rate: { type: 'DOUBLE', description: 'cross_sell_orders / repeat_orders.', nullable: true },
    referral_orders: { type: 'INTEGER', description: 'Orders using a referral code.' },
    referral_rate: { type: 'DOUBLE', description: 'referral_orders / orders.', nullable: true },
    new_customers: { type: 'INTEGER', description: 'First orders in the month.' },
    referred_new_customers: { type: 'INTEGER', description: 'First orders using a referral code.' },
    new_customer_referral_rate: { type: 'DOUBLE', description: 'referred_new_customers / new_customers.', nullable: true },
  },
  tests: [{ kind: 'expression', expression: 'upsell_orders <= repeat_orders and cross_sell_orders <= repeat_orders and repeat_orders <= orders' }],
});
