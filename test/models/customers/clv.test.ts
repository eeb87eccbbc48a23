import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { fitClv, predictClv, summarizeOrders } from '../../../models/clv/index.ts';
import { CLV_SETTINGS, fitClvByCurrency } from '../../../models/intermediate/customers/clv.ts';
import { beta, createRandom } from '../clv/simulate.ts';
import { buildCustomers, insertShopifyOrders, openTestWarehouse, rows, type OrderSpec } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const DAY = 86_400_000;
const START = Date.parse('2025-07-01T12:00:00Z');
const END = Date.parse('2026-06-30T12:00:00Z');

/** Simulates buy-till-you-die customers: first order in the first half year, then orders every ~25 days until a Beta(2, 6) dropout after each. */
function simulateOrders(customers: number, seed: number): OrderSpec[] {
  const random = createRandom(seed);
  const orders: OrderSpec[] = [];
  let id = 1;
  for (let c = 1; c <= customers; c++) {
    let at = START + Math.floor(random() * 180) * DAY;
    const meanValue = 30 + 90 * random();
    const dropout = beta(random, 2, 6);
    for (;;) {
      const total = Math.round(meanValue * (0.6 + 0.8 * random()) * 100) / 100;
      orders.push({ id: id++, customer: c, at: new Date(at).toISOString(), total });
      if (random() < dropout) break;
      at += Math.max(1, Math.round(-Math.log(1 - random()) * 25)) * DAY;
      if (at > END) break;
    }
  }
  // The as-of date is the latest order day: pin it to END.
  orders.push({ id: id++, customer: 1, at: new Date(END).toISOString(), total: 50 });
  return orders;
}

describe('CLV compute models', () => {
  it('fits BG/NBD + Gamma-Gamma per currency, predicts every customer, and records each fit', async () => {
    wh = await openTestWarehouse();
    const usd = simulateOrders(150, 7);
    // Three EUR customers, one repeat buyer: too few to fit EUR, which must not block USD.
    const eur: OrderSpec[] = [
      { id: 90_001, customer: 9001, at: '2026-01-05T12:00:00Z', total: 80, currency: 'EUR' },
      { id: 90_002, customer: 9001, at: '2026-03-05T12:00:00Z', total: 60, currency: 'EUR' },
      { id: 90_003, customer: 9002, at: '2026-02-05T12:00:00Z', total: 40, currency: 'EUR' },
      { id: 90_004, customer: 9003, at: '2026-04-05T12:00:00Z', total: 40, currency: 'EUR' },
      // The Friday before that Sunday: the same Monday-start week, so one purchase of 65.
      { id: 90_005, customer: 9003, at: '2026-04-03T12:00:00Z', total: 25, currency: 'EUR' },
    ];
    await insertShopifyOrders(wh, [...usd, ...eur]);
    await buildCustomers(wh, ['+dim_customers', '+clv_model', '+fct_clv_by_channel']);

    // The fit's input, by hand (as-of 2026-06-30, in the week of Monday 2026-06-29):
    // 9001 buys in the weeks of Mon 2026-01-05 and Mon 2026-03-02: 1 repeat, 8 weeks apart, first
    //   purchase 175 days = 25 weeks before the as-of week, repeat value 60, total 140;
    // 9002 buys once in the week of Mon 2026-02-02 (147 days = 21 weeks before);
    // 9003 buys twice in the week of Mon 2026-03-30 (91 days = 13 weeks before): one purchase of 65.
    const eurSummaries = await rows(wh, `select frequency, recency_weeks, t_weeks, monetary_value, total_amount from intermediate.int_clv_summaries
      where currency = 'EUR' order by total_amount desc`);
    expect(eurSummaries).toEqual([
      { frequency: 1, recency_weeks: 8, t_weeks: 25, monetary_value: 60, total_amount: 140 },
      { frequency: 0, recency_weeks: 0, t_weeks: 13, monetary_value: 0, total_amount: 65 },
      { frequency: 0, recency_weeks: 0, t_weeks: 21, monetary_value: 0, total_amount: 40 },
    ]);

    const models = await rows(wh, `select currency, status, error_code, customers, repeat_buyers, r, alpha, a, b, p, q, v, bgnbd_converged, gamma_gamma_converged,
      bgnbd_log_likelihood, period, horizon_periods, annual_discount_rate, new_customer_predicted_clv from marts.clv_model order by currency`);
    expect(models.map((m) => [m['currency'], m['status'], m['error_code']])).toEqual([
      ['EUR', 'insufficient_data', 'too-few-repeat-buyers'],
      ['USD', 'fitted', null],
    ]);
    const fit = models[1]!;
    expect(fit).toMatchObject({ customers: 150, bgnbd_converged: true, gamma_gamma_converged: true, period: 'week', horizon_periods: 52, annual_discount_rate: 0.1 });
    for (const k of ['r', 'alpha', 'a', 'b', 'p', 'q', 'v', 'new_customer_predicted_clv']) expect(Number(fit[k]), k).toBeGreaterThan(0);
    expect(Number(fit['bgnbd_log_likelihood'])).toBeLessThan(0);

    const customers = await rows(wh, `select customer_key, currency, clv_status, p_alive, expected_purchases_52w, expected_value_per_purchase::double ev, predicted_clv::double clv from marts.dim_customers`);
    expect(customers).toHaveLength(153);
    for (const c of customers.filter((x) => x['currency'] === 'USD')) {
      expect(c['clv_status']).toBe('fitted');
      expect(c['clv']).not.toBeNull();
      expect(Number(c['p_alive'])).toBeGreaterThanOrEqual(0);
      expect(Number(c['p_alive'])).toBeLessThanOrEqual(1);
      expect(Number(c['expected_purchases_52w'])).toBeGreaterThanOrEqual(0);
      expect(Number(c['ev'])).toBeGreaterThan(0);
      expect(Number(c['clv'])).toBeGreaterThanOrEqual(0);
    }
    for (const c of customers.filter((x) => x['currency'] === 'EUR')) expect(c).toMatchObject({ clv_status: 'insufficient_data', p_alive: null, clv: null, ev: null });

    // The mart's numbers are the library's: summarise and refit the USD orders directly. The SQL
    // summaries are the library's, customer by customer; then compare customer 1's prediction.
    const summaries = summarizeOrders(usd.map((o) => ({ customerId: String(o.customer), date: o.at.slice(0, 10), amount: o.total })), '2026-06-30', CLV_SETTINGS.period);
    const sqlSummaries = await rows(wh, `select k.id, s.frequency, s.recency_weeks, s.t_weeks, s.monetary_value, s.total_amount
      from intermediate.int_clv_summaries s join (select id, pseudonym(id) as customer_key from unnest([${summaries.map((x) => `'${x.customerId}'`).join(', ')}]) t(id)) k using (customer_key)`);
    expect(sqlSummaries).toHaveLength(150);
    const byId = new Map(sqlSummaries.map((x) => [String(x['id']), x]));
    for (const expected of summaries) {
      const got = byId.get(expected.customerId)!;
      expect([got['frequency'], got['recency_weeks'], got['t_weeks']], expected.customerId).toEqual([expected.frequency, expected.recency, expected.T]);
      expect(Number(got['monetary_value'])).toBeCloseTo(expected.monetaryValue, 9);
      expect(Number(got['total_amount'])).toBeCloseTo(expected.totalAmount, 9);
    }
    const model = fitClv(summaries, { period: CLV_SETTINGS.period, minRepeatBuyers: CLV_SETTINGS.minRepeatBuyers });
    // (Orders reach the fit in another order, so sums differ in the last bits: compare to 5 digits.)
    expect(fit['r']).toBeCloseTo(model.bgnbd.r, 5);
    const options = { horizon: CLV_SETTINGS.horizonPeriods, period: CLV_SETTINGS.period, annualDiscountRate: CLV_SETTINGS.annualDiscountRate };
    const expected = predictClv(model, summaries.filter((s) => s.customerId === '1'), options)[0]!;
    const [{ k }] = (await rows(wh, `select pseudonym('1') k`)) as [{ k: string }];
    const one = customers.find((c) => c['customer_key'] === k)!;
    expect(Number(one['p_alive'])).toBeCloseTo(expected.probabilityAlive, 5);
    expect(Number(one['expected_purchases_52w'])).toBeCloseTo(expected.expectedPurchases, 5);
    expect(Number(one['clv'])).toBeCloseTo(expected.predictedClv, 1);

    // CLV by channel (all Direct here): USD averages over the USD customers only; EUR has no prediction.
    const byChannel = await rows(wh, `select currency, sum(customers)::int customers, sum(predicted_customers)::int predicted, bool_and(avg_predicted_clv is null) no_prediction
      from marts.fct_clv_by_channel group by currency order by currency`);
    expect(byChannel).toEqual([
      { currency: 'EUR', customers: 3, predicted: 0, no_prediction: true },
      { currency: 'USD', customers: 150, predicted: 150, no_prediction: false },
    ]);
  });
});

describe('CLV fit reuse', () => {
  /** int_clv_summaries rows of simulated orders. */
  const inputRows = (orders: OrderSpec[]) =>
    summarizeOrders(orders.map((o) => ({ customerId: `c${o.customer}`, date: o.at.slice(0, 10), amount: o.total })), '2026-06-30', CLV_SETTINGS.period).map((s) => ({
      customer_key: s.customerId,
      currency: 'USD',
      as_of_date: '2026-06-30',
      frequency: s.frequency,
      recency_weeks: s.recency,
      t_weeks: s.T,
      monetary_value: s.monetaryValue,
      total_amount: s.totalAmount,
    }));

  it('fits the same summaries once, in whatever order they arrive, and refits when any differs', () => {
    const rowsOf = inputRows(simulateOrders(120, 11));
    const first = fitClvByCurrency(rowsOf);
    expect(first[0]!.model).not.toBeNull();
    // int_clv_predictions and clv_model read the same summaries: the second gets the first's fit.
    expect(fitClvByCurrency([...rowsOf].reverse())).toBe(first);
    const changed = rowsOf.map((r, i) => (i === 5 ? { ...r, monetary_value: r.monetary_value + 0.01 } : r));
    const refit = fitClvByCurrency(changed);
    expect(refit).not.toBe(first);
    expect(refit[0]!.summaries.length).toBe(first[0]!.summaries.length);
    expect(fitClvByCurrency(rowsOf.slice(1))).not.toBe(refit);
  });
});
