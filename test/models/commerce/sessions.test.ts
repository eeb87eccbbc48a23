/**
 * int_sessions / fct_web_sessions: the 30-minute rule at its boundary, traffic source rules
 * (UTM case and missing values, gclid, fbclid, referrers, direct), GA4's engaged rule, purchase
 * deduplication and signups.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { commerceModels, insertEvents, NOW, setupCommerceWarehouse, type EventInput } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const SHOP = 'https://shop.example';

async function sessionsOf(events: EventInput[]) {
  wh = await setupCommerceWarehouse();
  await insertEvents(wh, events);
  const result = await buildModels(wh, commerceModels(), { select: ['+fct_web_sessions'], now: () => NOW });
  expect(result.models.filter((m) => m.status === 'failed')).toEqual([]);
  expect(result.tests.filter((t) => t.status !== 'pass')).toEqual([]);
  return wh.all<Record<string, unknown>>(`select s.*, k.anon from marts.fct_web_sessions s
    join (select distinct anonymous_id anon, pseudonym(anonymous_id) k from raw.web_events__events) k on k.k = s.anonymous_key
    order by k.anon, started_at`);
}

describe('sessionization', () => {
  it('keeps a gap of exactly 30 minutes in the session and starts a new one after 30:00.001', async () => {
    const rows = await sessionsOf([
      { id: 'a1', at: '2026-03-01T10:00:00Z', anon: 'A' },
      { id: 'a2', at: '2026-03-01T10:30:00Z', anon: 'A' }, // gap 30:00 → same session
      { id: 'a3', at: '2026-03-01T11:00:00.001Z', anon: 'A' }, // gap 30:00.001 → new session
      { id: 'b1', at: '2026-03-01T10:10:00Z', anon: 'B' }, // another browser: its own session
    ]);
    expect(rows.map((r) => [r['anon'], (r['started_at'] as Date).toISOString(), r['pageviews'], r['duration_seconds']])).toEqual([
      ['A', '2026-03-01T10:00:00.000Z', 2, 1800],
      ['A', '2026-03-01T11:00:00.001Z', 1, 0],
      ['B', '2026-03-01T10:10:00.000Z', 1, 0],
    ]);
    // session_id = anonymous_key.epoch seconds of the first event (floored): 2026-03-01T11:00:00.001Z → 1772362800.
    expect(rows[1]?.['session_id']).toBe(`${String(rows[1]?.['anonymous_key'])}.1772362800`);
    expect(rows[0]?.['session_date']).toEqual(rows[1]?.['session_date']);
  });

  it('chains gaps of up to 30 minutes into one session and breaks ties between simultaneous events by event id', async () => {
    const rows = await sessionsOf([
      // Two page views at the same instant: the landing page is the one with the smaller event id.
      { id: 'c2', at: '2026-03-01T10:00:00Z', anon: 'C', url: `${SHOP}/second` },
      { id: 'c1', at: '2026-03-01T10:00:00Z', anon: 'C', url: `${SHOP}/first` },
      { id: 'c3', at: '2026-03-01T10:45:00Z', anon: 'C', url: `${SHOP}/third` }, // gap 45:00 → new session
      { id: 'c4', at: '2026-03-01T11:10:00Z', anon: 'C', url: `${SHOP}/fourth` }, // gap 25:00 → same session
      { id: 'c5', at: '2026-03-01T11:35:00Z', anon: 'C', url: `${SHOP}/fifth` }, // gap 25:00 → still the same session
      { id: 'c6', at: '2026-03-01T12:06:00Z', anon: 'C', url: `${SHOP}/sixth` }, // gap 31:00 → new session
    ]);
    // durations: 10:00 → 10:00 = 0 s; 10:45 → 11:35 = 50 min = 3000 s; 12:06 alone = 0 s.
    expect(rows.map((r) => [(r['started_at'] as Date).toISOString(), r['pageviews'], r['duration_seconds'], r['landing_page']])).toEqual([
      ['2026-03-01T10:00:00.000Z', 2, 0, '/first'],
      ['2026-03-01T10:45:00.000Z', 3, 3000, '/third'],
      ['2026-03-01T12:06:00.000Z', 1, 0, '/sixth'],
    ]);
  });
});

describe('traffic source', () => {
  it('reads UTM tags (lower-cased, missing ones (not set)), then gclid, fbclid, referrer, else direct', async () => {
    const rows = await sessionsOf([
      { id: 'u1', at: '2026-03-01T10:00:00Z', anon: 'U1', url: `${SHOP}/spring?utm_source=Facebook&UTM_MEDIUM=Paid_Social&utm_campaign=Spring_Sale_2026&utm_content=Landing_A&fbclid=x` },
      { id: 'u2', at: '2026-03-01T10:00:00Z', anon: 'U2', url: `${SHOP}/?utm_source=newsletter` },
      { id: 'u3', at: '2026-03-01T10:00:00Z', anon: 'U3', url: `${SHOP}/p?gclid=abc`, referrer: 'https://www.google.com/' },
      { id: 'u4', at: '2026-03-01T10:00:00Z', anon: 'U4', url: `${SHOP}/p?fbclid=IwAR1`, referrer: 'https://l.facebook.com/' },
      { id: 'u5', at: '2026-03-01T10:00:00Z', anon: 'U5', url: `${SHOP}/`, referrer: 'https://www.google.com/search?q=x' },
      { id: 'u6', at: '2026-03-01T10:00:00Z', anon: 'U6', url: `${SHOP}/`, referrer: 'https://blog.example/review' },
      { id: 'u7', at: '2026-03-01T10:00:00Z', anon: 'U7', url: `${SHOP}/`, referrer: 'https://www.shop.example/cart' },
      { id: 'u8', at: '2026-03-01T10:00:00Z', anon: 'U8', url: `${SHOP}/about` },
      // The landing page is the first page_view, even when another event came first; its UTM tags count.
      { id: 'u9a', at: '2026-03-01T10:00:00Z', anon: 'U9', name: 'add_to_cart', url: `${SHOP}/cart?utm_source=wrong` },
      { id: 'u9b', at: '2026-03-01T10:00:05Z', anon: 'U9', url: `${SHOP}/landing?utm_source=x&utm_medium=social&utm_term=Rain+Jacket` },
    ]);
    expect(rows.map((r) => [r['anon'], r['source'], r['medium'], r['campaign'], r['content'], r['term'], r['channel_group'], r['landing_page']])).toEqual([
      ['U1', 'facebook', 'paid_social', 'spring_sale_2026', 'landing_a', '(not set)', 'Paid Social', '/spring'],
      ['U2', 'newsletter', '(not set)', '(not set)', '(not set)', '(not set)', 'Unassigned', '/'],
      ['U3', 'google', 'cpc', '(not set)', '(not set)', '(not set)', 'Paid Search', '/p'],
      ['U4', 'facebook', 'paid_social', '(not set)', '(not set)', '(not set)', 'Paid Social', '/p'],
      ['U5', 'google', 'organic', '(organic)', '(not set)', '(not set)', 'Organic Search', '/'],
      ['U6', 'blog.example', 'referral', '(referral)', '(not set)', '(not set)', 'Referral', '/'],
      ['U7', '(direct)', '(none)', '(direct)', '(not set)', '(not set)', 'Direct', '/'],
      ['U8', '(direct)', '(none)', '(direct)', '(not set)', '(not set)', 'Direct', '/about'],
      ['U9', 'x', 'social', '(not set)', '(not set)', 'rain jacket', 'Organic Social', '/landing'],
    ]);
  });
});

describe('engaged, converted, signed up', () => {
  it('applies GA4\'s engaged rule (≥ 10 s, or a key event, or ≥ 2 page views) and dedupes purchases by order id', async () => {
    const rows = await sessionsOf([
      // E1: one page view, an add_to_cart 9.999 s later → 9.999 s, no key event → not engaged.
      { id: 'e1a', at: '2026-03-01T10:00:00Z', anon: 'E1' },
      { id: 'e1b', at: '2026-03-01T10:00:09.999Z', anon: 'E1', name: 'add_to_cart' },
      // E2: the same but exactly 10 s → engaged.
      { id: 'e2a', at: '2026-03-01T10:00:00Z', anon: 'E2' },
      { id: 'e2b', at: '2026-03-01T10:00:10Z', anon: 'E2', name: 'add_to_cart' },
      // E3: two page views within 1 s → engaged.
      { id: 'e3a', at: '2026-03-01T10:00:00Z', anon: 'E3' },
      { id: 'e3b', at: '2026-03-01T10:00:01Z', anon: 'E3' },
      // E4: one page view and a newsletter signup in the same second → key event → engaged, signed up.
      { id: 'e4a', at: '2026-03-01T10:00:00Z', anon: 'E4' },
      { id: 'e4b', at: '2026-03-01T10:00:00Z', anon: 'E4', name: 'newsletter_signup' },
      // E5: a purchase whose tag fired twice (same order) and a second order: 2 orders, revenue 40 + 15.50 = 55.50.
      { id: 'e5a', at: '2026-03-01T10:00:00Z', anon: 'E5' },
      { id: 'e5b', at: '2026-03-01T10:00:02Z', anon: 'E5', name: 'purchase', order: 'o1', value: 40, currency: 'USD' },
      { id: 'e5c', at: '2026-03-01T10:00:02Z', anon: 'E5', name: 'purchase', order: 'o1', value: 40, currency: 'USD' },
      { id: 'e5d', at: '2026-03-01T10:00:03Z', anon: 'E5', name: 'purchase', order: 'o2', value: 15.5, currency: 'USD' },
    ]);
    expect(rows.map((r) => [r['anon'], r['pageviews'], r['engaged'], r['converted'], r['signed_up'], r['orders'], Number(r['revenue']), r['currency']])).toEqual([
      ['E1', 1, false, false, false, 0, 0, null],
      ['E2', 1, true, false, false, 0, 0, null],
      ['E3', 2, true, false, false, 0, 0, null],
      ['E4', 1, true, false, true, 0, 0, null],
      ['E5', 1, true, true, false, 2, 55.5, 'USD'],
    ]);
    // No personal columns in the mart.
    const columns = (await wh!.all<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'fct_web_sessions'`)).map((c) => c.column_name);
    for (const personal of ['email', 'anonymous_id', 'customer_id', 'name', 'first_name', 'last_name']) expect(columns).not.toContain(personal);
    expect(await wh!.all(`select order_ids from intermediate.int_sessions where orders = 2`)).toEqual([{ order_ids: ['o1', 'o2'] }]);
  });
});
