/**
 * On the sample world: an incremental build of the product's incremental models yields exactly
 * the table a full rebuild yields (fct_feedback scores new and edited texts; web events, sessions
 * and their mart merge their lookback window; the keyed models rebuild the orders, customers and
 * posts that new and restated orders and comments, and recomputed sessions, reach).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { buildSource } from '../../connectors/registry.ts';
import { PRODUCT_MODELS } from '../../models/index.ts';
import type { ModelDef } from '../../models/engine/index.ts';
import { startSampleWorld } from '../../jobs/sample.ts';
import { buildStep, runExtract } from '../../jobs/steps.ts';

const STITCHING_EVENT = 'stitching-test-event';

/**
 * Adds one recent web event that logs a customer in on a browser that never carried a customer:
 * the browser's older sessions then become touchpoints of the customer's older orders (identity
 * stitching). Held back as a late event, it makes an incremental build rebuild orders far outside
 * any window, which only the person-level part of int_touchpoints' changed SQL finds.
 */
async function addStitchingEvent(wh: Warehouse): Promise<void> {
  const [order] = await wh.all<{ customer_id: string; created_at: string }>(
    `select customer ->> '$.id' as customer_id, created_at::varchar as created_at from raw.shopify__orders
     where cancelled_at is null and customer is not null and created_at < (select max(created_at) - interval 60 days from raw.shopify__orders)
     order by created_at desc limit 1`,
  );
  expect(order, 'an order older than 60 days').toBeDefined();
  // A browser that never carried a customer, with an event in the week before that order.
  const [browser] = await wh.all<{ anonymous_id: string }>(
    `select anonymous_id from raw.web_events__events
     group by anonymous_id
     having count(customer_id) = 0 and bool_or(event_timestamp between $1::timestamptz - interval 7 days and $1::timestamptz - interval 1 hour)
     order by anonymous_id limit 1`,
    [order!.created_at],
  );
  expect(browser, 'a browser without a customer before that order').toBeDefined();
  await wh.run(
    `insert into raw.web_events__events by name
     select $1 as event_id, (select max(event_timestamp) - interval 1 day from raw.web_events__events) as event_timestamp, $2 as anonymous_id,
            'stitching-test-session' as session_id, $3 as customer_id, 'page_view' as event_name, 'https://shop.example.com/account' as page_url,
            null as referrer, null as order_id, null as value, null as currency, now() as _loaded_at, 'stitching-test' as _run_id`,
    [STITCHING_EVENT, browser!.anonymous_id, order!.customer_id],
  );
}

describe('incremental models on the sample world', () => {
  it('an incremental build after late texts and web events equals a full rebuild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-incremental-'));
    const sample = await startSampleWorld({ dir, scale: 0.02 });
    const models: readonly ModelDef[] = PRODUCT_MODELS;
    const incremental = models.filter((m) => m.materialized === 'incremental').map((m) => m.name);
    const keyed = ['stg_shopify__orders', 'stg_shopify__order_lines', 'int_customer_orders', 'int_touchpoints', 'fct_conversions', 'stg_facebook__post_comments', 'stg_instagram__media_comments', 'stg_youtube__comments',
      'stg_x__replies', 'stg_x__mentions', 'stg_ga4__sessions', 'stg_ga4__transactions', 'stg_stripe__subscription_events', 'stg_zendesk__ticket_comments'];
    expect(incremental).toEqual(expect.arrayContaining(['fct_feedback', 'stg_web_events__events', 'int_sessions', 'fct_web_sessions', ...keyed]));
    const full = join(dir, 'warehouse.duckdb');
    const partial = join(dir, 'partial.duckdb');
    let wh = await openWarehouse(full);
    try {
      const sources = Object.entries(sample.config.sources).map(([name, raw]) => buildSource(name, raw, dir));
      const extract = await runExtract(wh, sources, { log: silentLogger });
      expect(extract.status).toBe('succeeded');
      await addStitchingEvent(wh);
    } finally {
      wh.close();
      await sample.close();
    }
    copyFileSync(full, partial);
    wh = await openWarehouse(full);
    try {
      expect((await buildStep(wh, { log: silentLogger })).status).toBe('succeeded');
      // The stitching event links the browser's older sessions to the customer's older orders.
      const [stitched] = await wh.all<{ n: number }>(
        `select count(*)::int as n from intermediate.int_touchpoints
         where link_type = 'visitor' and order_created_at < (select max(started_at) - interval 30 days from intermediate.int_sessions)
           and anonymous_key = (select anonymous_key from staging.stg_web_events__events where event_id = '${STITCHING_EVENT}')`,
      );
      expect(stitched?.n).toBeGreaterThan(0);
    } finally {
      wh.close();
    }

    // The same raw data, but the newest survey answers and ticket comments, and some web events of
    // the last five days (inside the web models' 7-day lookback), arrive only after a first build:
    // the second build is incremental and must end where the full build ended.
    wh = await openWarehouse(partial);
    try {
      await wh.run(`create table main.late_answers as select * from raw.surveys__responses where responded_at >= (select quantile_disc(responded_at, 0.8) from raw.surveys__responses)`);
      await wh.run(`create table main.late_comments as select * from raw.zendesk__ticket_comments where created_at >= (select quantile_disc(created_at, 0.8) from raw.zendesk__ticket_comments)`);
      await wh.run(`delete from raw.surveys__responses where response_id in (select response_id from main.late_answers)`);
      await wh.run(`delete from raw.zendesk__ticket_comments where id in (select id from main.late_comments)`);
      // A third of the last five days' events (by event id, in both exports), so late events fall
      // between ones already loaded and land in sessions that already exist.
      const [latest] = await wh.all<{ since: string }>(`select (max(event_timestamp) - interval 5 days)::varchar as since from raw.web_events__events`);
      const lateEvents = `(event_timestamp >= '${latest!.since}'::timestamptz and hash(event_id) % 3 = 0) or event_id = '${STITCHING_EVENT}'`;
      for (const table of ['web_events__events', 'web_events__events_csv']) {
        await wh.run(`create table main.late_${table} as select * from raw.${table} where ${lateEvents}`);
        await wh.run(`delete from raw.${table} where ${lateEvents}`);
      }
      // The newest 1% of the orders arrives late (most orders of the last days are loaded before: late web events must reach them); fifteen old orders are restated after the
      // first build: five get cancelled, five refunded, five move to another customer (the first
      // build sees them as they were before).
      await wh.run(`create table main.late_orders as select * from raw.shopify__orders where created_at >= (select quantile_disc(created_at, 0.99) from raw.shopify__orders)`);
      await wh.run(`delete from raw.shopify__orders where id in (select id from main.late_orders)`);
      await wh.run(`create table main.restated_cancelled as select * from raw.shopify__orders where cancelled_at is not null order by id limit 5`);
      await wh.run(`create table main.restated_refunded as select * from raw.shopify__orders where cancelled_at is null and coalesce(refunds::varchar, '[]') <> '[]' order by id limit 5`);
      await wh.run(
        `create table main.restated_moved as select * from raw.shopify__orders where cancelled_at is null and coalesce(refunds::varchar, '[]') = '[]' and customer is not null order by id limit 5`,
      );
      await wh.run(`update raw.shopify__orders set cancelled_at = null, cancel_reason = null where id in (select id from main.restated_cancelled)`);
      await wh.run(`update raw.shopify__orders set refunds = '[]' where id in (select id from main.restated_refunded)`);
      await wh.run(
        `update raw.shopify__orders set customer = (select customer from raw.shopify__orders where customer is not null order by id desc limit 1) where id in (select id from main.restated_moved)`,
      );
      // The newest tenth of the social comments arrives late (on new and old posts alike), and five
      // old comments of each platform are restated after the first build (the first build sees them
      // edited, hidden or liked differently).
      for (const [table, time] of [['facebook__post_comments', 'created_time'], ['instagram__media_comments', 'timestamp'], ['youtube__comment_threads', `cast(snippet ->> '$.topLevelComment.snippet.publishedAt' as timestamptz)`]] as const) {
        await wh.run(`create table main.late_${table} as select * from raw.${table} where ${time} >= (select quantile_disc(${time}, 0.9) from raw.${table})`);
        await wh.run(`delete from raw.${table} where id in (select id from main.late_${table})`);
        await wh.run(`create table main.restated_${table} as select * from raw.${table} order by id limit 5`);
      }
      await wh.run(`update raw.facebook__post_comments set message = message || ' (edited)', is_hidden = true where id in (select id from main.restated_facebook__post_comments)`);
      await wh.run(`update raw.instagram__media_comments set text = text || ' (edited)', like_count = coalesce(like_count, 0) + 3 where id in (select id from main.restated_instagram__media_comments)`);
      await wh.run(
        `update raw.youtube__comment_threads set snippet = json_merge_patch(snippet, '{"topLevelComment": {"snippet": {"likeCount": 99}}}') where id in (select id from main.restated_youtube__comment_threads)`,
      );
      // A tenth of the tweets, subscription events and GA4 report days arrives late too.
      const lateElsewhere = { x__replies: 'hash(id) % 10 = 0', x__mentions: 'hash(id) % 10 = 0', stripe__subscription_events: 'hash(id) % 10 = 0',
        ga4__sessions: 'report_date >= (select quantile_disc(report_date, 0.9) from raw.ga4__sessions)',
        ga4__transactions: 'report_date >= (select quantile_disc(report_date, 0.9) from raw.ga4__transactions)' };
      for (const [table, late] of Object.entries(lateElsewhere)) {
        await wh.run(`create table main.late_${table} as select * from raw.${table} where ${late}`);
        await wh.run(`delete from raw.${table} where ${late}`);
      }
      expect((await buildStep(wh, { log: silentLogger })).status).toBe('succeeded');
      for (const table of Object.keys(lateElsewhere)) await wh.run(`insert into raw.${table} select * replace (now() as _loaded_at) from main.late_${table}`);
      for (const table of ['facebook__post_comments', 'instagram__media_comments', 'youtube__comment_threads']) {
        await wh.run(`delete from raw.${table} where id in (select id from main.restated_${table})`);
        await wh.run(`insert into raw.${table} select * replace (now() as _loaded_at) from main.restated_${table}`);
        await wh.run(`insert into raw.${table} select * replace (now() as _loaded_at) from main.late_${table}`);
      }
      // Loaded again the way the loader loads: replacing the stored row, stamped now.
      for (const table of ['restated_cancelled', 'restated_refunded', 'restated_moved', 'late_orders']) {
        await wh.run(`delete from raw.shopify__orders where id in (select id from main.${table})`);
        await wh.run(`insert into raw.shopify__orders select * replace (now() as _loaded_at) from main.${table}`);
      }
      // Late rows are stamped when they load, as the loader stamps them.
      await wh.run(`insert into raw.surveys__responses select * replace (now() as _loaded_at) from main.late_answers`);
      await wh.run(`insert into raw.zendesk__ticket_comments select * replace (now() as _loaded_at) from main.late_comments`);
      for (const table of ['web_events__events', 'web_events__events_csv']) await wh.run(`insert into raw.${table} select * replace (now() as _loaded_at) from main.late_${table}`);
      const second = await buildStep(wh, { log: silentLogger });
      for (const name of ['fct_feedback', 'stg_web_events__events', 'int_sessions', 'fct_web_sessions', ...keyed]) {
        const result = second.build.models.find((m) => m.model === name);
        expect(result, name).toMatchObject({ status: 'succeeded', mode: 'incremental' });
        expect(result?.rowsWritten, name).toBeGreaterThan(0);
      }
      await wh.run(`attach '${full}' as fullbuild (read_only)`);
      for (const name of incremental) {
        const model = models.find((m) => m.name === name)!;
        const table = `${model.layer}.${name}`;
        const [diff] = await wh.all<{ only_incremental: number; only_full: number }>(
          `select (select count(*) from (select * from ${table} except all select * from fullbuild.${table}))::int as only_incremental,
                  (select count(*) from (select * from fullbuild.${table} except all select * from ${table}))::int as only_full`,
        );
        expect(diff, `${table} differs from the full rebuild`).toEqual({ only_incremental: 0, only_full: 0 });
      }
    } finally {
      wh.close();
    }
  }, 300_000);
});
