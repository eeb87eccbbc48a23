/**
 * fct_campaign_performance, fct_ab_tests and fct_influencer_performance on hand-made inputs: every
 * formula (CTR, CPC, conversion rate, ROAS, ROI, CAC, Wilson interval, lift, z-test p-value,
 * influencer ROI) against arithmetic written out here, and currency handling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { abTestRows, erfc, normalCdf, twoProportionZTest, wilsonInterval } from '../../../models/marts/commerce/ab-stats.ts';
import { commerceModels, insertEvents, insertOrders, NOW, setupCommerceWarehouse } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const SHOP = 'https://shop.example';

async function build(select: string) {
  const result = await buildModels(wh!, commerceModels(), { select: [select], now: () => NOW });
  expect(result.models.filter((m) => m.status === 'failed')).toEqual([]);
  expect(result.tests.filter((t) => t.status !== 'pass')).toEqual([]);
}

describe('fct_campaign_performance', () => {
  it('computes CTR, CPC, conversion rate, ROAS, ROI and CAC per model, converting currencies or flagging', async () => {
    wh = await setupCommerceWarehouse();
    // Meta: "Spring Sale 2026" (ads tag utm_campaign=Spring_Sale_2026) spends 30 + 10 = 40 USD on 03-01,
    // impressions 1500 + 500 = 2000, clicks 30 + 10 = 40. "Winter Clearance 2026" has only dynamic
    // tags, so its key falls back to its name: winter_clearance_2026; it spends 10 USD on 03-02.
    await wh.run(`insert into raw.meta_ads__ad_insights (account_id, account_currency, campaign_id, campaign_name, adset_id, adset_name, ad_id, ad_name, date_start, date_stop, publisher_platform, spend, impressions, reach, clicks, inline_link_clicks, actions, action_values) values
      ('1', 'USD', 'c1', 'Spring Sale 2026', 's1', 'S', 'a1', 'A', '2026-03-01', '2026-03-01', 'facebook', 30.00, 1500, 1000, 30, 25, '[{"action_type":"purchase","value":"1"}]', '[{"action_type":"purchase","value":"80.00"}]'),
      ('1', 'USD', 'c1', 'Spring Sale 2026', 's1', 'S', 'a1', 'A', '2026-03-01', '2026-03-01', 'instagram', 10.00, 500, 400, 10, 8, null, null),
      ('1', 'USD', 'c2', 'Winter Clearance 2026', 's2', 'W', 'a2', 'B', '2026-03-02', '2026-03-02', 'facebook', 10.00, 1000, 900, 5, 5, null, null)`);
    await wh.run(`insert into raw.meta_ads__ads (id, name, adset_id, campaign_id, status, created_time, updated_time, creative) values
      ('a1', 'A', 's1', 'c1', 'ACTIVE', '2026-02-01', '2026-02-01', '{"id":"cr1","url_tags":"utm_source={{site_source_name}}&utm_medium=paid_social&utm_campaign=Spring_Sale_2026"}'),
      ('a2', 'B', 's2', 'c2', 'ACTIVE', '2026-02-01', '2026-02-01', '{"id":"cr2","url_tags":"utm_campaign={{campaign.name}}"}')`);
    const spring = (casing: string) => `${SHOP}/spring?utm_source=facebook&utm_medium=paid_social&utm_campaign=${casing}`;
    await insertEvents(wh, [
      // Four Spring Sale sessions on 03-01 (either spelling): two convert (USD 80, EUR 50), one signs up.
      { id: 'p1', at: '2026-03-01T09:00:00Z', anon: 'P1', url: spring('spring_sale_2026') },
      { id: 'p1b', at: '2026-03-01T09:05:00Z', anon: 'P1', name: 'purchase', order: '9101', value: 80, currency: 'USD' },
      { id: 'p2', at: '2026-03-01T10:00:00Z', anon: 'P2', url: spring('Spring_Sale_2026') },
      { id: 'p2b', at: '2026-03-01T10:05:00Z', anon: 'P2', name: 'purchase', order: '9102', value: 50, currency: 'EUR' },
      { id: 'p3', at: '2026-03-01T11:00:00Z', anon: 'P3', url: spring('spring_sale_2026') },
      { id: 'p3b', at: '2026-03-01T11:00:30Z', anon: 'P3', name: 'newsletter_signup' },
      { id: 'p4', at: '2026-03-01T12:00:00Z', anon: 'P4', url: spring('SPRING_SALE_2026') },
      // One Winter Clearance session on 03-02 converting a GBP order (no GBP rate in stg_fx_rates).
      { id: 'w1', at: '2026-03-02T09:00:00Z', anon: 'W1', url: `${SHOP}/?utm_source=google&utm_medium=cpc&utm_campaign=winter_clearance_2026` },
      { id: 'w1b', at: '2026-03-02T09:05:00Z', anon: 'W1', name: 'purchase', order: '9103', value: 30, currency: 'GBP' },
    ]);
    await insertOrders(wh, [
      // Shopify saw the same landing URLs, so last_click agrees with the session models here.
      { id: 9101, at: '2026-03-01T09:05:00Z', customer: 601, total: 80, landingSite: '/spring?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_sale_2026' },
      { id: 9102, at: '2026-03-01T10:05:00Z', customer: 602, total: 50, currency: 'EUR', landingSite: '/spring?utm_source=facebook&utm_medium=paid_social&utm_campaign=Spring_Sale_2026' },
      { id: 9103, at: '2026-03-02T09:05:00Z', customer: 603, total: 30, currency: 'GBP', landingSite: '/?utm_source=google&utm_medium=cpc&utm_campaign=winter_clearance_2026' },
    ]);
    await build('+fct_campaign_performance');

    const rows = await wh.all<Record<string, unknown>>(`select campaign_key, date_day::varchar d, attribution_model m, campaign_name, currency, spend::double spend, impressions, clicks, ctr, cpc,
      sessions, conversions, conversion_rate, signups, attributed_orders, attributed_revenue::double rev, new_customers, roas, roi, cac, platform_purchases, has_unconverted_amounts, is_provisional
      from marts.fct_campaign_performance order by campaign_key, d, m`);
    // 2 campaign-days × 4 models.
    expect(rows).toHaveLength(8);
    // Each order has a single touchpoint (its own session), so every model gives the same credit.
    for (const row of rows.filter((r) => r['campaign_key'] === 'spring_sale_2026')) {
      expect(row).toMatchObject({
        d: '2026-03-01', campaign_name: 'Spring Sale 2026', currency: 'USD', spend: 40, impressions: 2000, clicks: 40,
        ctr: 0.02, // 40 / 2000
        cpc: 1, // 40 / 40
        sessions: 4, conversions: 2,
        conversion_rate: 0.5, // 2 / 4
        signups: 1, attributed_orders: 2,
        // 80 USD + 50 EUR × 1.1630 (EUR→USD of 2025-10, carried forward to 2026-03) = 80 + 58.15 = 138.15
        rev: 138.15,
        new_customers: 2,
        cac: 20, // 40 / 2
        platform_purchases: 1, has_unconverted_amounts: false, is_provisional: true,
      });
      expect(row['roas']).toBeCloseTo(3.45375, 12); // 138.15 / 40
      expect(row['roi']).toBeCloseTo(2.45375, 12); // (138.15 − 40) / 40
    }
    for (const row of rows.filter((r) => r['campaign_key'] === 'winter_clearance_2026')) {
      // The GBP order cannot be converted to USD: left out, flagged, return ratios NULL; delivery ratios still computed.
      expect(row).toMatchObject({
        d: '2026-03-02', campaign_name: 'Winter Clearance 2026', currency: 'USD', spend: 10, impressions: 1000, clicks: 5,
        ctr: 0.005, // 5 / 1000
        cpc: 2, // 10 / 5
        sessions: 1, conversions: 1, conversion_rate: 1, rev: 0, attributed_orders: 1,
        roas: null, roi: null, cac: null, has_unconverted_amounts: true,
      });
    }
  });
});

describe('A/B test statistics', () => {
  it('matches hand-computed Wilson intervals, z-test and p-value', () => {
    // Control A: 20 / 200 = 0.10; variant B: 34 / 200 = 0.17; z = 1.959964, z² = 3.841459.
    // Wilson A: denominator = 1 + 3.841459/200 = 1.0192073; center = (0.10 + 3.841459/400) / 1.0192073 = 0.1075381;
    //   half = 1.959964 × √(0.1 × 0.9 / 200 + 3.841459 / 160000) / 1.0192073 = 1.959964 × √0.00047401 / 1.0192073 = 0.0418677
    //   → [0.0656704, 0.1494058].
    const a = wilsonInterval(20, 200)!;
    expect(a.low).toBeCloseTo(0.0656704, 6);
    expect(a.high).toBeCloseTo(0.1494058, 6);
    // Wilson B: center = (0.17 + 0.0096037) / 1.0192073 = 0.1762190; half = 1.959964 × √(0.17 × 0.83 / 200 + 0.0000240) / 1.0192073 = 0.0519399
    //   → [0.1242791, 0.2281588].
    const b = wilsonInterval(34, 200)!;
    expect(b.low).toBeCloseTo(0.1242791, 6);
    expect(b.high).toBeCloseTo(0.2281588, 6);
    // Pooled p̂ = 54 / 400 = 0.135; se = √(0.135 × 0.865 × (1/200 + 1/200)) = √0.00116775 = 0.0341724;
    // z = (0.17 − 0.10) / 0.0341724 = 2.048439; two-sided p = 2 × (1 − Φ(2.048439)) = 0.040517.
    const t = twoProportionZTest(34, 200, 20, 200)!;
    expect(t.z).toBeCloseTo(2.048439, 5);
    expect(t.pValue).toBeCloseTo(0.040517, 5);
    // Φ(1.959964) = 0.975; erfc(0) = 1.
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(twoProportionZTest(0, 10, 0, 10)).toBeNull();
    // enough_sample needs ≥ 100 sessions and ≥ 10 conversions in every variant.
    const [row] = abTestRows([{ test_id: 't', test_name: 'T', variant: 'B', utm_content: 'b', is_control: false, sessions: 99, conversions: 20, control_sessions: 200, control_conversions: 20, min_variant_sessions: 99, min_variant_conversions: 20 }]);
    expect(row).toMatchObject({ enough_sample: false, is_significant: false });
  });

  it('builds fct_ab_tests from the sessions of each landing variant', async () => {
    wh = await setupCommerceWarehouse();
    // Spring Sale test: landing_a (control) 200 sessions, 20 converting; landing_b 200 sessions, 34 converting.
    // Half the A links spell the campaign Spring_Sale_2026 (matched case-insensitively); an A session of another campaign does not count.
    await wh.run(`insert into raw.web_events__events (event_id, event_timestamp, anonymous_id, event_name, page_url, order_id, value, currency)
      select 'v' || v || '-' || i, timestamptz '2026-03-20 10:00:00+00' + to_seconds(i), 'anon-' || v || '-' || i, 'page_view',
        'https://shop.example/spring?utm_source=facebook&utm_medium=paid_social&utm_campaign=' || (case when i % 2 = 0 then 'spring_sale_2026' else 'Spring_Sale_2026' end) || '&utm_content=landing_' || v,
        null, null, null
      from (values ('a'), ('b')) as t(v), range(200) as r(i)`);
    await wh.run(`insert into raw.web_events__events (event_id, event_timestamp, anonymous_id, event_name, page_url, order_id, value, currency)
      select 'v' || v || '-' || i || '-buy', timestamptz '2026-03-20 10:05:00+00' + to_seconds(i), 'anon-' || v || '-' || i, 'purchase', 'https://shop.example/thanks', v || i, 10, 'USD'
      from (values ('a'), ('b')) as t(v), range(200) as r(i)
      where i < case v when 'a' then 20 else 34 end`);
    await insertEvents(wh, [{ id: 'other', at: '2026-03-20T10:00:00Z', anon: 'other', url: 'https://shop.example/?utm_campaign=winter_2026&utm_content=landing_a' }]);
    await build('+fct_ab_tests');
    const rows = await wh.all<Record<string, unknown>>(`select * from marts.fct_ab_tests order by variant`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ test_id: 'ab_spring_sale_landing', variant: 'A', is_control: true, sessions: 200, conversions: 20, conversion_rate: 0.1, lift: null, p_value: null, enough_sample: true });
    expect(rows[1]).toMatchObject({ variant: 'B', is_control: false, sessions: 200, conversions: 34, conversion_rate: 0.17, control_conversion_rate: 0.1, enough_sample: true, is_significant: true });
    expect(rows[0]?.['ci_low']).toBeCloseTo(0.0656704, 6);
    expect(rows[1]?.['ci_high']).toBeCloseTo(0.2281588, 6);
    // lift = (0.17 − 0.10) / 0.10 = 0.7; p = 0.040517 (above).
    expect(rows[1]?.['lift']).toBeCloseTo(0.7, 12);
    expect(rows[1]?.['p_value']).toBeCloseTo(0.040517, 5);
  });
});

describe('fct_influencer_performance', () => {
  it('counts sessions, conversions and revenue from the influencer\'s links, books the fee, and computes ROI', async () => {
    wh = await setupCommerceWarehouse();
    const ava = (campaign: string) => `${SHOP}/gifts?utm_source=instagram&utm_medium=influencer&utm_campaign=${campaign}&utm_content=Alpine.Ava`;
    await insertEvents(wh, [
      // 2025-12-08: three sessions via alpine.ava's links, one converting 200 USD.
      { id: 'i1', at: '2025-12-08T10:00:00Z', anon: 'I1', url: ava('Holiday_Gift_Guide_2025') },
      { id: 'i1b', at: '2025-12-08T10:05:00Z', anon: 'I1', name: 'purchase', order: '9201', value: 200, currency: 'USD' },
      { id: 'i2', at: '2025-12-08T11:00:00Z', anon: 'I2', url: ava('holiday_gift_guide_2025') },
      { id: 'i3', at: '2025-12-08T12:00:00Z', anon: 'I3', url: ava('holiday_gift_guide_2025') },
      // 2025-12-09: one session converting 100 EUR → 100 × 1.1630 = 116.30 USD.
      { id: 'i4', at: '2025-12-09T10:00:00Z', anon: 'I4', url: ava('holiday_gift_guide_2025') },
      { id: 'i4b', at: '2025-12-09T10:05:00Z', anon: 'I4', name: 'purchase', order: '9202', value: 100, currency: 'EUR' },
      // Same utm_content in another campaign: not this engagement.
      { id: 'i5', at: '2025-12-09T10:00:00Z', anon: 'I5', url: ava('black_friday_2025') },
    ]);
    await build('+fct_influencer_performance');
    const rows = await wh.all<Record<string, unknown>>(`select influencer_id, date_day::varchar d, handle, followers, reach, engagements, sessions, conversions, orders, revenue::double revenue,
      cost::double as cost, currency, roi, cumulative_revenue::double cum_rev, cumulative_cost::double cum_cost, cumulative_roi from marts.fct_influencer_performance order by d`);
    // Only alpine.ava has sessions; the seed has no post dates, so the others (no visits) have no rows.
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ influencer_id: 'inf_alpine_ava', d: '2025-12-08', handle: 'alpine.ava', followers: 240000, reach: null, engagements: null, sessions: 3, conversions: 1, orders: 1, revenue: 200, cost: 325, currency: 'USD', cum_rev: 200, cum_cost: 325 });
    // roi day 1 = (200 − 325) / 325 = −0.384615…
    expect(rows[0]?.['roi']).toBeCloseTo(-125 / 325, 12);
    expect(rows[0]?.['cumulative_roi']).toBeCloseTo(-125 / 325, 12);
    // Day 2: no fee booked → roi NULL; cumulative = (200 + 116.30 − 325) / 325 = −8.70 / 325 = −0.0267692…
    expect(rows[1]).toMatchObject({ d: '2025-12-09', sessions: 1, conversions: 1, revenue: 116.3, cost: 0, roi: null, cum_rev: 316.3, cum_cost: 325 });
    expect(rows[1]?.['cumulative_roi']).toBeCloseTo(-8.7 / 325, 12);
  });
});
