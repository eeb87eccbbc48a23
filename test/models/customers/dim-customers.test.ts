import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildCustomers, insertShopifyOrders, openTestWarehouse, rows, type OrderSpec } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

// As-of date = the latest order day in the data = 2026-06-30 (customer 4's order).
const ORDERS: OrderSpec[] = [
  // Customer 1: two counted orders, one refund of 20, one cancelled order (excluded).
  { id: 101, customer: 1, at: '2026-01-10T12:00:00Z', total: 100, refunds: [20], landing: '/?utm_source=newsletter&utm_medium=email&utm_campaign=jan%20launch' },
  { id: 102, customer: 1, at: '2026-03-01T12:00:00Z', total: 50 },
  { id: 103, customer: 1, at: '2026-04-01T12:00:00Z', total: 999, cancelled: true },
  // Customer 2: one order exactly 90 days before the as-of date (still active), from Google search.
  { id: 201, customer: 2, at: '2026-04-01T12:00:00Z', total: 40, referrer: 'https://www.google.com/' },
  // Customer 3: one order 91 days before the as-of date (churned), direct.
  { id: 301, customer: 3, at: '2026-03-31T12:00:00Z', total: 30 },
  // Customer 4: referred, from paid Instagram, on the as-of date.
  { id: 401, customer: 4, at: '2026-06-30T12:00:00Z', total: 60, codes: ['FRIEND-ABC123'], landing: '/products/x?utm_source=Instagram&utm_medium=paid_social&utm_campaign=summer' },
  // A guest order (no customer): not a customer.
  { id: 501, customer: null, at: '2026-05-05T12:00:00Z', total: 10 },
];

describe('marts.dim_customers', () => {
  it('computes revenue net of refunds, AOV, tenure, frequency, churn status at the window boundary and acquisition', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, ORDERS);
    await buildCustomers(wh, ['+dim_customers', 'fct_clv_by_channel']);
    const customers = await rows(
      wh,
      `select customer_key, currency, orders, revenue::double revenue, aov::double aov, tenure_days, purchase_frequency,
         first_order_date::varchar first_day, last_order_date::varchar last_day, cohort_month::varchar cohort, days_since_last_order, churn_status,
         acquisition_channel, acquisition_source, acquisition_medium, acquisition_campaign, acquired_via_social, referred, historic_clv::double historic_clv,
         as_of_date::varchar as_of, clv_status, predicted_clv, p_alive
       from marts.dim_customers order by first_order_date`,
    );
    const key = async (id: number) => (await rows(wh!, `select pseudonym('${id}') k`))[0]!['k'];
    expect(customers.map((c) => c['customer_key'])).toEqual([await key(1), await key(3), await key(2), await key(4)]);
    const [c1, c3, c2, c4] = customers;

    // Customer 1: revenue = (100 − 20) + 50 = 130 (the cancelled 999 excluded); orders = 2; AOV = 130 / 2 = 65.
    // tenure = 2026-06-30 − 2026-01-10 = 21 + 28 + 31 + 30 + 31 + 30 = 171 days;
    // frequency = 2 / (171 / 30.4375) = 0.35599…/month; days since last = 2026-06-30 − 2026-03-01 = 121 > 90 → churned.
    expect(c1).toMatchObject({
      currency: 'USD', orders: 2, revenue: 130, aov: 65, historic_clv: 130, tenure_days: 171, first_day: '2026-01-10', last_day: '2026-03-01',
      cohort: '2026-01-01', days_since_last_order: 121, churn_status: 'churned', as_of: '2026-06-30',
      acquisition_channel: 'Email', acquisition_source: 'newsletter', acquisition_medium: 'email', acquisition_campaign: 'jan launch',
      acquired_via_social: false, referred: false,
    });
    expect(c1!['purchase_frequency']).toBeCloseTo((2 * 30.4375) / 171, 10);

    // Customer 2: exactly 90 days since the last order (2026-04-01 → 2026-06-30 = 29 + 31 + 30) → still active;
    // frequency = 1 / (90 / 30.4375) = 0.33819…; referrer www.google.com → www.google.com/referral → Organic Search (channel_group drops www.).
    expect(c2).toMatchObject({ orders: 1, revenue: 40, aov: 40, tenure_days: 90, days_since_last_order: 90, churn_status: 'active', acquisition_channel: 'Organic Search', acquisition_source: 'www.google.com', acquisition_medium: 'referral' });
    expect(c2!['purchase_frequency']).toBeCloseTo(30.4375 / 90, 10);

    // Customer 3: 91 days (2026-03-31 → 2026-06-30) → churned; no UTM, no referrer → (direct)/(none) → Direct.
    expect(c3).toMatchObject({ days_since_last_order: 91, churn_status: 'churned', acquisition_channel: 'Direct', acquisition_source: '(direct)', acquisition_medium: '(none)' });

    // Customer 4: ordered on the as-of date: tenure 0 → frequency = 1 / (30.4375 / 30.4375) = 1 (a first month counts whole).
    expect(c4).toMatchObject({ tenure_days: 0, purchase_frequency: 1, days_since_last_order: 0, churn_status: 'active', acquisition_channel: 'Paid Social', acquisition_source: 'Instagram', acquired_via_social: true, referred: true });

    // Four customers, one repeat buyer: too little data for a CLV fit → predictions NULL, reason in clv_model.
    for (const c of customers) expect(c).toMatchObject({ clv_status: 'insufficient_data', predicted_clv: null, p_alive: null });

    // CLV by acquisition channel × cohort month: one customer each here, so averages are their historic CLV.
    const byChannel = await rows(wh, `select acquisition_channel, cohort_month::varchar as cohort, currency, customers, social_customers,
      total_historic_clv::double total, avg_historic_clv::double avg, predicted_customers, avg_predicted_clv from marts.fct_clv_by_channel order by cohort`);
    expect(byChannel).toEqual([
      { acquisition_channel: 'Email', cohort: '2026-01-01', currency: 'USD', customers: 1, social_customers: 0, total: 130, avg: 130, predicted_customers: 0, avg_predicted_clv: null },
      { acquisition_channel: 'Direct', cohort: '2026-03-01', currency: 'USD', customers: 1, social_customers: 0, total: 30, avg: 30, predicted_customers: 0, avg_predicted_clv: null },
      { acquisition_channel: 'Organic Search', cohort: '2026-04-01', currency: 'USD', customers: 1, social_customers: 0, total: 40, avg: 40, predicted_customers: 0, avg_predicted_clv: null },
      { acquisition_channel: 'Paid Social', cohort: '2026-06-01', currency: 'USD', customers: 1, social_customers: 1, total: 60, avg: 60, predicted_customers: 0, avg_predicted_clv: null },
    ]);
  });

  it('records an insufficient-data CLV fit in marts.clv_model with NULL parameters', async () => {
    wh = await openTestWarehouse();
    await insertShopifyOrders(wh, ORDERS);
    await buildCustomers(wh, ['+clv_model']);
    const [model] = await rows(wh, `select currency, status, error_code, message, customers, repeat_buyers, r, alpha, p, q, bgnbd_converged, as_of_date::varchar as_of from marts.clv_model`);
    // Weekly summaries: customer 1 bought in two different weeks → 1 repeat buyer out of 4 customers (< 10 needed).
    expect(model).toMatchObject({ currency: 'USD', status: 'insufficient_data', error_code: 'too-few-repeat-buyers', customers: 4, repeat_buyers: 1, r: null, alpha: null, p: null, q: null, bgnbd_converged: null, as_of: '2026-06-30' });
    expect(model!['message']).toContain('only 1 of 4 customers have a repeat purchase');
  });
});
