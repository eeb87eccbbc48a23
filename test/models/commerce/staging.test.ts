/**
 * Commerce staging: web event union/dedupe, URL and UTM parsing, pseudonymous keys, GA4
 * positional mapping, Meta purchases and UTM tags, FX seed.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { GA4_LATEST_LOAD_FILTER, SESSION_DIMENSIONS, SESSION_METRICS, TRANSACTION_DIMENSIONS, TRANSACTION_METRICS, ga4SelectList } from '../../../connectors/ga4/index.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { commerceModels, insertEvents, NOW, setupCommerceWarehouse } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

async function build() {
  wh = await setupCommerceWarehouse();
  return wh;
}

describe('stg_web_events__events', () => {
  it('unions NDJSON and CSV exports, keeps one row per event_id, parses URL parts and UTM tags', async () => {
    const w = await build();
    await insertEvents(w, [
      // Parameter names in any case; values URL-decoded ('+' and %20 are spaces), kept as sent; an empty value is NULL.
      { id: 'e1', at: '2026-03-01T10:00:00Z', anon: 'browser-1', customer: '7001', url: 'https://Shop.example/collections/spring?UTM_Source=Facebook&utm_medium=Paid_Social&utm_campaign=Spring+Sale%202026&utm_content=&gclid=G1#top', referrer: 'https://www.facebook.com/x' },
      { id: 'e2', at: '2026-03-01T10:01:00Z', anon: 'browser-1', url: 'https://shop.example', name: 'PAGE_VIEW' },
      { id: 'e3', at: '2026-03-01T10:02:00Z', anon: 'browser-1', url: 'https://shop.example/p?fbclid=F1&utm_term=rain%20jacket', name: 'purchase', order: '9001', value: 12.5, currency: 'usd' },
    ]);
    // e2 arrives again in the CSV export (dropped: NDJSON wins); e4 only in the CSV.
    await insertEvents(w, [
      { id: 'e2', at: '2026-03-01T10:01:00Z', anon: 'browser-1', url: 'https://shop.example/csv-copy' },
      { id: 'e4', at: '2026-03-01T10:03:00Z', anon: 'browser-2', url: null },
    ], 'web_events__events_csv');
    const result = await buildModels(w, commerceModels(), { select: ['stg_web_events__events'], now: () => NOW });
    expect(result.ok).toBe(true);
    const rows = await w.all<Record<string, unknown>>(`select * exclude (event_at, event_date) from staging.stg_web_events__events order by event_id`);
    const [key1] = await w.all<{ k: string; c: string }>(`select pseudonym('browser-1') k, pseudonym('7001') c`);
    expect(rows).toEqual([
      {
        event_id: 'e1', event_name: 'page_view', anonymous_key: key1!.k, customer_key: key1!.c,
        page_url: 'https://Shop.example/collections/spring?UTM_Source=Facebook&utm_medium=Paid_Social&utm_campaign=Spring+Sale%202026&utm_content=&gclid=G1#top',
        url_host: 'shop.example', url_path: '/collections/spring',
        utm_source: 'Facebook', utm_medium: 'Paid_Social', utm_campaign: 'Spring Sale 2026', utm_content: null, utm_term: null, gclid: 'G1', fbclid: null,
        referrer: 'https://www.facebook.com/x', referrer_host: 'www.facebook.com', order_id: null, event_value: null, currency: null, export_format: 'ndjson',
      },
      {
        event_id: 'e2', event_name: 'page_view', anonymous_key: key1!.k, customer_key: null, page_url: 'https://shop.example', url_host: 'shop.example', url_path: '/',
        utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, gclid: null, fbclid: null,
        referrer: null, referrer_host: null, order_id: null, event_value: null, currency: null, export_format: 'ndjson',
      },
      {
        event_id: 'e3', event_name: 'purchase', anonymous_key: key1!.k, customer_key: null, page_url: 'https://shop.example/p?fbclid=F1&utm_term=rain%20jacket', url_host: 'shop.example', url_path: '/p',
        utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: 'rain jacket', gclid: null, fbclid: 'F1',
        referrer: null, referrer_host: null, order_id: '9001', event_value: 12.5, currency: 'USD', export_format: 'ndjson',
      },
      {
        event_id: 'e4', event_name: 'page_view', anonymous_key: (await w.all<{ k: string }>(`select pseudonym('browser-2') k`))[0]!.k, customer_key: null, page_url: null, url_host: null, url_path: '/',
        utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, gclid: null, fbclid: null,
        referrer: null, referrer_host: null, order_id: null, event_value: null, currency: null, export_format: 'csv',
      },
    ]);
    // Pseudonymisation: raw ids never reach staging.
    expect(String(key1!.k)).toMatch(/^p_[0-9a-f]{16}$/);
    expect(JSON.stringify(rows)).not.toContain('browser-1');
    expect(JSON.stringify(rows)).not.toContain('7001');
  });
});

describe('stg_ga4__sessions / stg_ga4__transactions', () => {
  it('map dimensionValues and metricValues by the connector\'s exported order, keeping the last load of each day', () => {
    for (const [file, dims, metrics] of [
      ['sql/staging/stg_ga4__sessions.sql', SESSION_DIMENSIONS, SESSION_METRICS],
      ['sql/staging/stg_ga4__transactions.sql', TRANSACTION_DIMENSIONS, TRANSACTION_METRICS],
    ] as const) {
      const sql = readFileSync(file, 'utf8');
      for (const line of ga4SelectList(dims, metrics)) expect(sql).toContain(line);
      expect(sql).toContain(GA4_LATEST_LOAD_FILTER);
    }
  });

  it('flatten rows into typed columns', async () => {
    const w = await build();
    const dims = (values: string[]) => JSON.stringify(values.map((value) => ({ value })));
    await w.run(`insert into raw.ga4__sessions values
      ($1::json, $2::json, date '2026-03-01', '2026-03-02T00:00:00Z', 'r2'),
      ($3::json, $2::json, date '2026-03-01', '2026-03-01T00:00:00Z', 'r1')`, [
      dims(['20260301', 'facebook', 'paid_social', 'spring_sale_2026', 'landing_a', '(not set)', '/collections/spring']),
      dims(['12', '7', '3', '245.50']),
      dims(['20260301', '(not set)', '(not set)', '(not set)', '(not set)', '(not set)', '/']),
    ]);
    await w.run(`insert into raw.ga4__transactions values ($1::json, $2::json, date '2026-03-01', '2026-03-02T00:00:00Z', 'r2')`, [
      dims(['9001', '20260301', 'google', 'cpc', '(not set)']),
      dims(['80.00', '2']),
    ]);
    expect((await buildModels(w, commerceModels(), { select: ['stg_ga4__sessions', 'stg_ga4__transactions'], now: () => NOW })).ok).toBe(true);
    // The r1 row is from an earlier load of 2026-03-01 that GA4 no longer returns: dropped.
    expect(await w.all(`select session_date::varchar d, session_source, session_medium, session_campaign_name, session_manual_ad_content, session_manual_term, landing_page,
      sessions, engaged_sessions, key_events, purchase_revenue::double rev from staging.stg_ga4__sessions`)).toEqual([
      { d: '2026-03-01', session_source: 'facebook', session_medium: 'paid_social', session_campaign_name: 'spring_sale_2026', session_manual_ad_content: 'landing_a', session_manual_term: '(not set)', landing_page: '/collections/spring', sessions: 12, engaged_sessions: 7, key_events: 3, rev: 245.5 },
    ]);
    expect(await w.all(`select transaction_id, transaction_date::varchar d, session_source, session_medium, purchase_revenue::double rev, transactions from staging.stg_ga4__transactions`)).toEqual([
      { transaction_id: '9001', d: '2026-03-01', session_source: 'google', session_medium: 'cpc', rev: 80, transactions: 2 },
    ]);
  });
});

describe('stg_meta_ads__*', () => {
  it('pivot purchases out of actions and read UTM tags from url_tags or the creative link', async () => {
    const w = await build();
    await w.run(`insert into raw.meta_ads__ad_insights (account_id, account_currency, campaign_id, campaign_name, adset_id, adset_name, ad_id, ad_name, date_start, date_stop, publisher_platform, spend, impressions, reach, clicks, inline_link_clicks, actions, action_values)
      values ('1', 'usd', 'c1', 'Spring Sale 2026', 's1', 'Set', 'a1', 'Ad', '2026-03-01', '2026-03-01', 'Facebook', 12.34, 1000, 800, 25, 20,
        '[{"action_type":"link_click","value":"20"},{"action_type":"purchase","value":"2"},{"action_type":"offsite_conversion.fb_pixel_purchase","value":"2"}]',
        '[{"action_type":"purchase","value":"150.25"},{"action_type":"offsite_conversion.fb_pixel_purchase","value":"150.25"}]'),
        ('1', 'USD', 'c1', 'Spring Sale 2026', 's1', 'Set', 'a1', 'Ad', '2026-03-02', '2026-03-02', 'instagram', 1.00, 10, null, null, null, null, null)`);
    await w.run(`insert into raw.meta_ads__ads (id, name, adset_id, campaign_id, status, effective_status, created_time, updated_time, creative) values
      ('a1', 'Spring - carousel', 's1', 'c1', 'ACTIVE', 'ACTIVE', '2026-02-01', '2026-02-01',
        '{"id":"cr1","url_tags":"utm_source={{site_source_name}}&utm_medium=paid_social&utm_campaign=Spring_Sale_2026&utm_content={{ad.name}}","object_story_spec":{"link_data":{"link":"https://shop.example/spring?utm_term=jackets"}}}'),
      ('a2', 'Plain', 's1', 'c1', 'PAUSED', null, '2026-02-01', '2026-02-01', '{"id":"cr2","object_story_spec":{"link_data":{"link":"https://shop.example/?utm_source=facebook&utm_campaign=Spring_Sale_2026"}}}')`);
    expect((await buildModels(w, commerceModels(), { select: ['stg_meta_ads__ad_insights', 'stg_meta_ads__ads'], now: () => NOW })).ok).toBe(true);
    expect(await w.all(`select date_day::varchar d, publisher_platform, currency, spend::double spend, impressions, reach, clicks, link_clicks, purchases, purchase_value::double pv from staging.stg_meta_ads__ad_insights order by d`)).toEqual([
      // purchases = the `purchase` entry only (2), not + the pixel entry (which would make 4).
      { d: '2026-03-01', publisher_platform: 'facebook', currency: 'USD', spend: 12.34, impressions: 1000, reach: 800, clicks: 25, link_clicks: 20, purchases: 2, pv: 150.25 },
      { d: '2026-03-02', publisher_platform: 'instagram', currency: 'USD', spend: 1, impressions: 10, reach: null, clicks: 0, link_clicks: 0, purchases: 0, pv: 0 },
    ]);
    expect(await w.all(`select ad_id, utm_source, utm_medium, utm_campaign, utm_content, utm_term, utm_source_is_dynamic, link_url from staging.stg_meta_ads__ads order by ad_id`)).toEqual([
      // {{site_source_name}} varies per placement → NULL and flagged; {{ad.name}} is resolved; utm_term comes from the link.
      { ad_id: 'a1', utm_source: null, utm_medium: 'paid_social', utm_campaign: 'Spring_Sale_2026', utm_content: 'Spring - carousel', utm_term: 'jackets', utm_source_is_dynamic: true, link_url: 'https://shop.example/spring?utm_term=jackets' },
      { ad_id: 'a2', utm_source: 'facebook', utm_medium: null, utm_campaign: 'Spring_Sale_2026', utm_content: null, utm_term: null, utm_source_is_dynamic: false, link_url: 'https://shop.example/?utm_source=facebook&utm_campaign=Spring_Sale_2026' },
    ]);
  });
});

describe('stg_fx_rates', () => {
  it('holds each seeded rate and its inverse', async () => {
    const w = await build();
    expect((await buildModels(w, commerceModels(), { select: ['stg_fx_rates'], now: () => NOW })).ok).toBe(true);
    const rows = await w.all<{ base_currency: string; rate: number }>(`select base_currency, rate from staging.stg_fx_rates where rate_month = date '2025-10-01' order by 1`);
    // EUR→USD 1.1630 in October 2025; USD→EUR = 1 / 1.1630 = 0.859845…
    expect(rows[0]).toEqual({ base_currency: 'EUR', rate: 1.163 });
    expect(rows[1]?.base_currency).toBe('USD');
    expect(rows[1]?.rate).toBeCloseTo(1 / 1.163, 12);
  });
});
