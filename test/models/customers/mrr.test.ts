import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildCustomers, insertStripeCharge, insertStripeEvents, insertStripeSubscriptions, openTestWarehouse, rows } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

describe('marts.fct_subscription_mrr', () => {
  it('classes an upgrade, a downgrade, a cancellation and a reactivation, and balances MRR each month', async () => {
    wh = await openTestWarehouse();
    await insertStripeEvents(wh, [
      // A: 10.00/month, upgraded to 25.00 on Feb 5 → expansion 15.
      { id: 'evt_a1', type: 'created', at: '2026-01-10T12:00:00Z', subscription: 'sub_a', customer: 'cus_a', unitAmount: 1000 },
      { id: 'evt_a2', type: 'updated', at: '2026-02-05T12:00:00Z', subscription: 'sub_a', customer: 'cus_a', unitAmount: 2500 },
      // B: 30.00/month, downgraded on Feb 10 to 2 seats × 10.00 = 20.00 → contraction 10.
      { id: 'evt_b1', type: 'created', at: '2026-01-15T12:00:00Z', subscription: 'sub_b', customer: 'cus_b', unitAmount: 3000 },
      { id: 'evt_b2', type: 'updated', at: '2026-02-10T12:00:00Z', subscription: 'sub_b', customer: 'cus_b', unitAmount: 1000, quantity: 2 },
      // C: 120.00/year = 10.00/month, canceled on Feb 15 (churn 10); a new subscription at 15.00 on Mar 3 (reactivation 15).
      { id: 'evt_c1', type: 'created', at: '2026-01-20T12:00:00Z', subscription: 'sub_c1', customer: 'cus_c', unitAmount: 12000, interval: 'year' },
      { id: 'evt_c2', type: 'deleted', at: '2026-02-15T12:00:00Z', subscription: 'sub_c1', customer: 'cus_c', unitAmount: 12000, interval: 'year' },
      { id: 'evt_c3', type: 'created', at: '2026-03-03T12:00:00Z', subscription: 'sub_c2', customer: 'cus_c', unitAmount: 1500 },
      // D: new at 5.00 on Mar 10.
      { id: 'evt_d1', type: 'created', at: '2026-03-10T12:00:00Z', subscription: 'sub_d', customer: 'cus_d', unitAmount: 500 },
    ]);
    await insertStripeSubscriptions(wh, [
      // A is also listed now: its events win, it is not counted twice.
      { id: 'sub_a', customer: 'cus_a', status: 'active', start: '2026-01-10T12:00:00Z', unitAmount: 2500 },
      // E has no events (older than Stripe keeps): 8.00 from Feb 1, ended Mar 20 → new 8 in Feb, churn 8 in Mar.
      { id: 'sub_e', customer: 'cus_e', status: 'canceled', start: '2026-02-01T12:00:00Z', ended: '2026-03-20T12:00:00Z', unitAmount: 800 },
    ]);
    // The latest charge makes March 31 the data's last day, so March is complete.
    await insertStripeCharge(wh, 'ch_1', 'cus_a', '2026-03-31T12:00:00Z', 2500);
    await buildCustomers(wh, ['+fct_subscription_mrr']);
    const months = await rows(
      wh,
      `select month::varchar as month, currency, mrr_start::double mrr_start, new_mrr::double new_, expansion_mrr::double expansion,
         contraction_mrr::double contraction, churned_mrr::double churned, reactivated_mrr::double reactivated, mrr_end::double mrr_end,
         subscribers_start, subscribers_end, subscribers_retained, subscriber_retention, new_subscribers, churned_subscribers, reactivated_subscribers, is_partial_month
       from marts.fct_subscription_mrr order by 1`,
    );
    expect(months).toEqual([
      // January: new A 10 + B 30 + C 120/12 = 10 → 50.
      { month: '2026-01-01', currency: 'USD', mrr_start: 0, new_: 50, expansion: 0, contraction: 0, churned: 0, reactivated: 0, mrr_end: 50,
        subscribers_start: 0, subscribers_end: 3, subscribers_retained: 0, subscriber_retention: null, new_subscribers: 3, churned_subscribers: 0, reactivated_subscribers: 0, is_partial_month: false },
      // February: 50 + new E 8 + expansion 15 − contraction 10 − churned C 10 = 53 (A 25 + B 20 + E 8).
      // Subscribers: A, B, C at start; A, B, E at end; retained A, B → 2/3.
      { month: '2026-02-01', currency: 'USD', mrr_start: 50, new_: 8, expansion: 15, contraction: 10, churned: 10, reactivated: 0, mrr_end: 53,
        subscribers_start: 3, subscribers_end: 3, subscribers_retained: 2, subscriber_retention: 2 / 3, new_subscribers: 1, churned_subscribers: 1, reactivated_subscribers: 0, is_partial_month: false },
      // March: 53 + new D 5 + reactivated C 15 − churned E 8 = 65 (A 25 + B 20 + C 15 + D 5).
      // Subscribers: A, B, E at start; A, B, C, D at end; retained A, B → 2/3.
      { month: '2026-03-01', currency: 'USD', mrr_start: 53, new_: 5, expansion: 0, contraction: 0, churned: 8, reactivated: 15, mrr_end: 65,
        subscribers_start: 3, subscribers_end: 4, subscribers_retained: 2, subscriber_retention: 2 / 3, new_subscribers: 1, churned_subscribers: 1, reactivated_subscribers: 1, is_partial_month: false },
    ]);
    for (const m of months) {
      const n = (k: string) => Number(m[k]);
      expect(n('mrr_end')).toBeCloseTo(n('mrr_start') + n('new_') + n('expansion') - n('contraction') - n('churned') + n('reactivated'), 6);
    }
    const movements = await rows(wh, `select change_id, movement, mrr_delta::double delta from intermediate.int_subscription_mrr_changes order by changed_at, change_id`);
    expect(movements.map((m) => [m['change_id'], m['movement'], m['delta']])).toEqual([
      ['evt_a1', 'new', 10], ['evt_b1', 'new', 30], ['evt_c1', 'new', 10], ['start:sub_e', 'new', 8], ['evt_a2', 'expansion', 15],
      ['evt_b2', 'contraction', -10], ['evt_c2', 'churn', -10], ['evt_c3', 'reactivation', 15], ['evt_d1', 'new', 5], ['end:sub_e', 'churn', -8],
    ]);
  });
});
