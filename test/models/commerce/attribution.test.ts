/**
 * int_touchpoints / fct_conversions: which sessions link to an order (customer, stitched browser,
 * purchase session; the lookback boundary), each model's credits, the last-click landing URL and
 * the fallback for orders no session links to, and credits summing to 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { commerceModels, insertEvents, insertOrders, NOW, setupCommerceWarehouse } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const SHOP = 'https://shop.example';

describe('fct_conversions', () => {
  it('credits first touch, last non-direct, linear and last click, and falls back to the landing URL', async () => {
    wh = await setupCommerceWarehouse();
    await insertEvents(wh, [
      // Browser X (anonymous until it logs in as customer 501 on 03-10).
      // S0: 30 days + 65 min before order 9001 → outside the lookback.
      { id: 's0', at: '2026-02-18T09:00:00Z', anon: 'X', url: `${SHOP}/?utm_source=newsletter&utm_medium=email&utm_campaign=old` },
      // Sb: exactly 30 days before order 9001 (2026-03-20T10:05Z) → inside (≥ created_at − 30 days).
      { id: 'sb', at: '2026-02-18T10:05:00Z', anon: 'X', url: `${SHOP}/`, referrer: 'https://www.bing.com/' },
      { id: 's1', at: '2026-03-01T10:00:00Z', anon: 'X', url: `${SHOP}/spring?utm_source=facebook&utm_medium=paid_social&utm_campaign=Spring_Sale_2026&utm_content=landing_a` },
      { id: 's2', at: '2026-03-10T10:00:00Z', anon: 'X', customer: '501', url: `${SHOP}/?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2026` },
      // Browser Y, logged in as 501: direct visit with the purchase of order 9001.
      { id: 's3', at: '2026-03-20T10:00:00Z', anon: 'Y', customer: '501', url: `${SHOP}/` },
      { id: 's3p', at: '2026-03-20T10:05:00Z', anon: 'Y', customer: '501', name: 'purchase', order: '9001', value: 120, currency: 'USD', url: `${SHOP}/thank-you` },
      // Browser W: one direct session with the purchase of order 9005 (all touchpoints Direct).
      { id: 'w1', at: '2026-03-22T08:00:00Z', anon: 'W', url: `${SHOP}/` },
      { id: 'w2', at: '2026-03-22T08:01:00Z', anon: 'W', name: 'purchase', order: '9005', value: 30, currency: 'USD', url: `${SHOP}/thank-you` },
    ]);
    await insertOrders(wh, [
      // Net revenue = 120 − 20 refunded = 100.
      { id: 9001, at: '2026-03-20T10:05:00Z', customer: 501, total: 120, refund: 20, landingSite: '/products/x?gclid=abc', referringSite: 'https://www.google.com/' },
      // No web events for 9002 (visitor refused analytics): every model credits its landing URL.
      { id: 9002, at: '2026-03-21T09:00:00Z', customer: null, total: 50, landingSite: '/?utm_source=Newsletter&utm_medium=email&utm_campaign=Spring_Sale_2026' },
      { id: 9003, at: '2026-03-21T10:00:00Z', customer: 503, total: 70, cancelled: true },
      // Customer 501's second order, no purchase event: its sessions within 30 days are s1 (24 d), s2, s3; sb (35 d) is out.
      { id: 9004, at: '2026-03-25T10:00:00Z', customer: 501, total: 60 },
      { id: 9005, at: '2026-03-22T08:01:00Z', customer: 505, total: 30 },
    ]);
    const result = await buildModels(wh, commerceModels(), { select: ['+fct_conversions'], now: () => NOW });
    expect(result.models.filter((m) => m.status === 'failed')).toEqual([]);
    expect(result.tests.filter((t) => t.status !== 'pass')).toEqual([]);

    const rows = await wh.all<Record<string, unknown>>(`
      select order_id, attribution_model, touchpoint_type, source, medium, campaign_key, channel_group, round(credit, 6) credit,
        attributed_revenue::double rev, is_new_customer as is_new, touchpoints_in_window as n
      from marts.fct_conversions order by order_id, attribution_model, touchpoint_at, source`);
    const of = (order: string, model: string) => rows.filter((r) => r['order_id'] === order && r['attribution_model'] === model).map((r) => [r['source'], r['medium'], r['credit'], r['rev']]);

    // Order 9001: touchpoints sb (bing organic), s1 (facebook paid social), s2 (email), s3 (direct) → n = 4.
    expect(of('9001', 'first_touch')).toEqual([['bing', 'organic', 1, 100]]);
    expect(of('9001', 'last_non_direct')).toEqual([['newsletter', 'email', 1, 100]]);
    // linear: 1/4 each, 0.25 × 100 = 25 each.
    expect(of('9001', 'linear')).toEqual([
      ['bing', 'organic', 0.25, 25],
      ['facebook', 'paid_social', 0.25, 25],
      ['newsletter', 'email', 0.25, 25],
      ['(direct)', '(none)', 0.25, 25],
    ]);
    // last_click: the order's own landing URL (gclid → google / cpc).
    expect(of('9001', 'last_click')).toEqual([['google', 'cpc', 1, 100]]);
    expect(rows.find((r) => r['order_id'] === '9001')).toMatchObject({ is_new: true, n: 4 });

    // Order 9002: no sessions → the landing URL in every model, campaign matched lower-cased.
    for (const model of ['first_touch', 'last_non_direct', 'linear', 'last_click']) {
      expect(rows.filter((r) => r['order_id'] === '9002' && r['attribution_model'] === model)).toEqual([
        { order_id: '9002', attribution_model: model, touchpoint_type: 'order_landing_site', source: 'newsletter', medium: 'email', campaign_key: 'spring_sale_2026', channel_group: 'Email', credit: 1, rev: 50, is_new: false, n: 0 },
      ]);
    }
    // Order 9003 is cancelled: not credited.
    expect(rows.some((r) => r['order_id'] === '9003')).toBe(false);

    // Order 9004 (net 60): s1, s2, s3 → linear 1/3 each = 20.0000; first touch s1; not a new customer.
    expect(of('9004', 'first_touch')).toEqual([['facebook', 'paid_social', 1, 60]]);
    expect(of('9004', 'linear')).toEqual([
      ['facebook', 'paid_social', 0.333333, 20],
      ['newsletter', 'email', 0.333333, 20],
      ['(direct)', '(none)', 0.333333, 20],
    ]);
    expect(rows.find((r) => r['order_id'] === '9004')).toMatchObject({ is_new: false, n: 3 });

    // Order 9005: only a Direct session → last non-direct falls back to it.
    expect(of('9005', 'last_non_direct')).toEqual([['(direct)', '(none)', 1, 30]]);

    // Each order's credits sum to 1 under each model (4 orders × 4 models).
    const sums = await wh.all<{ total: number }>(`select sum(credit) total from marts.fct_conversions group by order_id, attribution_model`);
    expect(sums).toHaveLength(16);
    for (const s of sums) expect(s.total).toBeCloseTo(1, 12);

    // The touchpoints behind it: link types and the lookback boundary.
    expect(await wh.all(`select order_id, link_type, touchpoint_number, touchpoints, round(days_before_order, 4) as days from intermediate.int_touchpoints order by order_id, touchpoint_number`)).toEqual([
      { order_id: '9001', link_type: 'visitor', touchpoint_number: 1, touchpoints: 4, days: 30 },
      { order_id: '9001', link_type: 'visitor', touchpoint_number: 2, touchpoints: 4, days: 19.0035 },
      { order_id: '9001', link_type: 'customer', touchpoint_number: 3, touchpoints: 4, days: 10.0035 },
      { order_id: '9001', link_type: 'purchase', touchpoint_number: 4, touchpoints: 4, days: 0.0035 },
      { order_id: '9004', link_type: 'visitor', touchpoint_number: 1, touchpoints: 3, days: 24 },
      { order_id: '9004', link_type: 'customer', touchpoint_number: 2, touchpoints: 3, days: 15 },
      { order_id: '9004', link_type: 'customer', touchpoint_number: 3, touchpoints: 3, days: 5 },
      { order_id: '9005', link_type: 'purchase', touchpoint_number: 1, touchpoints: 1, days: 0.0007 },
    ]);
  });
});
