import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildCustomers, insertShopifyOrders, openTestWarehouse, rows } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

describe('marts.fct_customer_cohorts', () => {
  it('computes cohort sizes, retention and cumulative revenue per customer by months since the first order', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, [
      // January cohort: X and Y. February cohort: Z. As-of date = 2026-04-20 (X's last order).
      { id: 1, customer: 1, at: '2026-01-05T12:00:00Z', total: 100 },
      { id: 2, customer: 1, at: '2026-02-10T12:00:00Z', total: 50, refunds: [10] },
      { id: 3, customer: 1, at: '2026-04-20T12:00:00Z', total: 60 },
      { id: 4, customer: 2, at: '2026-01-20T12:00:00Z', total: 50 },
      { id: 5, customer: 3, at: '2026-02-15T12:00:00Z', total: 30 },
      { id: 6, customer: 3, at: '2026-02-25T12:00:00Z', total: 20 },
      { id: 7, customer: 3, at: '2026-03-02T12:00:00Z', total: 25, cancelled: true },
    ]);
    await buildCustomers(wh, ['+fct_customer_cohorts']);
    const cohorts = await rows(
      wh,
      `select cohort_month::varchar cohort, months_since_first_order k, currency, cohort_size, active_customers, retention_rate,
         revenue::double revenue, cumulative_revenue_per_customer::double cumulative
       from marts.fct_customer_cohorts order by 1, 2`,
    );
    expect(cohorts).toEqual([
      // Jan, month 0: X and Y active → 2/2 = 1; revenue 100 + 50 = 150; cumulative 150 / 2 = 75.
      { cohort: '2026-01-01', k: 0, currency: 'USD', cohort_size: 2, active_customers: 2, retention_rate: 1, revenue: 150, cumulative: 75 },
      // Feb: X only → 1/2; revenue 50 − 10 refunded = 40; cumulative (150 + 40) / 2 = 95.
      { cohort: '2026-01-01', k: 1, currency: 'USD', cohort_size: 2, active_customers: 1, retention_rate: 0.5, revenue: 40, cumulative: 95 },
      // Mar: nobody; cumulative stays 95.
      { cohort: '2026-01-01', k: 2, currency: 'USD', cohort_size: 2, active_customers: 0, retention_rate: 0, revenue: 0, cumulative: 95 },
      // Apr: X → 1/2; revenue 60; cumulative (190 + 60) / 2 = 125.
      { cohort: '2026-01-01', k: 3, currency: 'USD', cohort_size: 2, active_customers: 1, retention_rate: 0.5, revenue: 60, cumulative: 125 },
      // Feb cohort (Z): month 0 revenue 30 + 20 = 50; March's cancelled order does not count.
      { cohort: '2026-02-01', k: 0, currency: 'USD', cohort_size: 1, active_customers: 1, retention_rate: 1, revenue: 50, cumulative: 50 },
      { cohort: '2026-02-01', k: 1, currency: 'USD', cohort_size: 1, active_customers: 0, retention_rate: 0, revenue: 0, cumulative: 50 },
      { cohort: '2026-02-01', k: 2, currency: 'USD', cohort_size: 1, active_customers: 0, retention_rate: 0, revenue: 0, cumulative: 50 },
    ]);
  });
});

describe('marts.fct_churn_monthly', () => {
  it('counts active at start, churned, reactivated and new customers per month with a 90-day window', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, [
      // P: churns on 2026-01-01 + 91 = 2026-04-02, reactivates on 2026-05-15 (134 days after 2026-01-01).
      { id: 1, customer: 1, at: '2026-01-01T12:00:00Z', total: 10 },
      { id: 2, customer: 1, at: '2026-05-15T12:00:00Z', total: 10 },
      // Q: churns on 2026-01-31 + 91 = 2026-05-02.
      { id: 3, customer: 2, at: '2026-01-31T12:00:00Z', total: 10 },
      // R: orders 2026-03-02 and 2026-05-31, exactly 90 days apart: never churned, no reactivation.
      { id: 4, customer: 3, at: '2026-03-02T12:00:00Z', total: 10 },
      { id: 5, customer: 3, at: '2026-05-31T12:00:00Z', total: 10 },
    ]);
    await buildCustomers(wh, ['+fct_churn_monthly']);
    const months = await rows(wh, `select month::varchar as month, active_at_start, churned, churn_rate, retention_rate, reactivated, new_customers, is_partial_month from marts.fct_churn_monthly order by 1`);
    expect(months).toEqual([
      // January: nobody before; P and Q are new.
      { month: '2026-01-01', active_at_start: 0, churned: 0, churn_rate: null, retention_rate: null, reactivated: 0, new_customers: 2, is_partial_month: false },
      // February (day before = Jan 31): P 30 days, Q 0 days → 2 active; nobody churns.
      { month: '2026-02-01', active_at_start: 2, churned: 0, churn_rate: 0, retention_rate: 1, reactivated: 0, new_customers: 0, is_partial_month: false },
      // March (Feb 28): P 58, Q 28 → 2; R new.
      { month: '2026-03-01', active_at_start: 2, churned: 0, churn_rate: 0, retention_rate: 1, reactivated: 0, new_customers: 1, is_partial_month: false },
      // April (Mar 31): P 89, Q 59, R 29 → 3; P churns on Apr 2 → churn rate 1/3, retention 2/3.
      { month: '2026-04-01', active_at_start: 3, churned: 1, churn_rate: 1 / 3, retention_rate: 1 - 1 / 3, reactivated: 0, new_customers: 0, is_partial_month: false },
      // May (Apr 30): P 119 (churned), Q 89, R 59 → 2; Q churns on May 2 → 1/2; P reactivates on May 15.
      // The as-of date is May 31, so May is complete.
      { month: '2026-05-01', active_at_start: 2, churned: 1, churn_rate: 0.5, retention_rate: 0.5, reactivated: 1, new_customers: 0, is_partial_month: false },
    ]);
    // Each month's active customers = last month's − churned + new + reactivated (the window exceeds a month).
    for (let i = 1; i < months.length; i++) {
      const [prev, cur] = [months[i - 1]!, months[i]!];
      expect(cur['active_at_start']).toBe(Number(prev['active_at_start']) - Number(prev['churned']) + Number(prev['new_customers']) + Number(prev['reactivated']));
    }
  });
});

describe('marts.fct_repeat_purchase_monthly', () => {
  it('counts upsell, cross-sell and referral orders and their rates', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, [
      // U: JAC 50 → JAC 80 (upsell, same category) → FOO + JAC 30 (cross-sell: FOO is new, basket lower).
      { id: 1, customer: 1, at: '2026-01-05T12:00:00Z', total: 55, subtotal: 50, lines: [{ sku: 'NW-JAC-001', price: 50 }] },
      { id: 2, customer: 1, at: '2026-02-05T12:00:00Z', total: 85, subtotal: 80, lines: [{ sku: 'NW-JAC-002', price: 80 }] },
      { id: 3, customer: 1, at: '2026-02-20T12:00:00Z', total: 35, subtotal: 30, lines: [{ sku: 'NW-FOO-003', price: 10 }, { sku: 'NW-JAC-001', price: 20 }] },
      // V: referred first order (APP 40), then ACC 40: same basket (no upsell), new category (cross-sell).
      { id: 4, customer: 2, at: '2026-01-10T12:00:00Z', total: 45, subtotal: 40, codes: ['FRIEND-XYZ'], lines: [{ sku: 'NW-APP-010', price: 40 }] },
      { id: 5, customer: 2, at: '2026-02-12T12:00:00Z', total: 45, subtotal: 40, lines: [{ sku: 'NW-ACC-020', price: 40 }] },
      // W: first order with a discount code that is not a referral code.
      { id: 6, customer: 3, at: '2026-02-01T12:00:00Z', total: 25, subtotal: 20, codes: ['SUMMER10'], lines: [{ sku: 'NW-APP-011', price: 20 }] },
    ]);
    await buildCustomers(wh, ['+fct_repeat_purchase_monthly']);
    const months = await rows(wh, `select month::varchar as month, * exclude (month) from marts.fct_repeat_purchase_monthly order by 1`);
    expect(months).toEqual([
      // January: two first orders, one with a referral code → referral rate 1/2; no repeat orders → rates NULL.
      { month: '2026-01-01', orders: 2, repeat_orders: 0, upsell_orders: 0, cross_sell_orders: 0, upsell_rate: null, cross_sell_rate: null, referral_orders: 1, referral_rate: 0.5, new_customers: 2, referred_new_customers: 1, new_customer_referral_rate: 0.5 },
      // February: 4 orders, 3 repeats (U2, U3, V2); upsell U2 (80 > 50) → 1/3; cross-sell U3 (FOO) and V2 (ACC) → 2/3; W is new, not referred.
      { month: '2026-02-01', orders: 4, repeat_orders: 3, upsell_orders: 1, cross_sell_orders: 2, upsell_rate: 1 / 3, cross_sell_rate: 2 / 3, referral_orders: 0, referral_rate: 0, new_customers: 1, referred_new_customers: 0, new_customer_referral_rate: 0 },
    ]);
  });
});
