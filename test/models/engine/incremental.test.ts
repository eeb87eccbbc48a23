import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/build.ts';
import type { ModelDef } from '../../../models/engine/define.ts';
import { adHocModel, tableDifference, fctDailyRevenue, insertOrders, MODELS, NOW, setupWarehouse } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

/** Raw orders as an incremental model with a 2-day window on ordered_at, plus one more column (`select` names it last). */
function windowedOrders(dir: string, name: string, select: string, contract: { type: string; description: string }): ModelDef {
  const column = /(\w+)$/.exec(select)![1]!;
  return adHocModel(dir, name, `select order_id as id, ordered_at, ${select} from raw.shop__orders where ordered_at >= pulse_window_start()`, {
    materialized: 'incremental',
    incremental: { eventTime: 'ordered_at', lookbackDays: 2 },
    columns: {
      id: { type: 'VARCHAR', description: 'Order id.' },
      ordered_at: { type: 'TIMESTAMPTZ', description: 'Order time.' },
      [column]: contract,
    },
  });
}

describe('incremental models', () => {
  it('merge new and restated rows inside the lookback into exactly the table a full rebuild makes', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const select = ['+fct_daily_revenue'];
    const first = await buildModels(wh, MODELS, { select, now: () => NOW });
    expect(first.models.find((m) => m.model === 'fct_daily_revenue')).toMatchObject({ mode: 'full', rows: 4 });

    // Latest day is 2026-03-06, lookback 2 days → the window starts 2026-03-04.
    await insertOrders(
      wh,
      [
        ['o5', 'c2', 'paid', 70, '2026-03-05T09:00:00Z'], // restated inside the window
        ['o6', 'c3', 'cancelled', 12, '2026-03-06T09:00:00Z'], // cancelled: its day disappears
        ['o7', 'c1', 'paid', 3, '2026-03-07T08:00:00Z'], // new day
        ['o8', 'c2', 'paid', 4, '2026-03-07T09:00:00Z'],
      ],
      '2026-03-08T00:00:00Z',
    );
    const second = await buildModels(wh, MODELS, { select, now: () => NOW });
    // Only the window (2026-03-05 and 2026-03-07 now exist in it) was recomputed.
    expect(second.models.find((m) => m.model === 'fct_daily_revenue')).toMatchObject({ status: 'succeeded', mode: 'incremental', rowsWritten: 2, rows: 4 });
    await wh.run('create table main.incremental_result as select * from marts.fct_daily_revenue');

    const full = await buildModels(wh, MODELS, { select, fullRefresh: true, now: () => NOW });
    expect(full.models.find((m) => m.model === 'fct_daily_revenue')).toMatchObject({ mode: 'full', rows: 4 });
    expect(await tableDifference(wh, 'main.incremental_result', 'marts.fct_daily_revenue')).toEqual({ onlyA: 0, onlyB: 0 });
    expect(await wh.all(`select order_date::varchar d, orders, revenue::double revenue from marts.fct_daily_revenue order by 1`)).toEqual([
      { d: '2026-03-01', orders: 2, revenue: 30.5 },
      { d: '2026-03-02', orders: 1, revenue: 5.25 },
      { d: '2026-03-05', orders: 1, revenue: 70 },
      { d: '2026-03-07', orders: 2, revenue: 7 },
    ]);
  });

  it('leave rows before the window untouched (the incremental contract: older data is final)', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    await buildModels(wh, [...MODELS], { select: ['+fct_daily_revenue'] });
    // A restatement older than the lookback is, by design, not picked up until a full refresh.
    await insertOrders(wh, [['o1', 'c1', 'paid', 1000, '2026-03-01T10:00:00Z']], '2026-03-08T00:00:00Z');
    const result = await buildModels(wh, [...MODELS], { select: ['+fct_daily_revenue'] });
    expect(result.models.find((m) => m.model === fctDailyRevenue.name)).toMatchObject({ mode: 'incremental', rowsWritten: 2 });
    expect(await wh.all(`select revenue::double r from marts.fct_daily_revenue where order_date = '2026-03-01'`)).toEqual([{ r: 30.5 }]);
    await buildModels(wh, [...MODELS], { select: ['+fct_daily_revenue'], fullRefresh: true });
    expect(await wh.all(`select revenue::double r from marts.fct_daily_revenue where order_date = '2026-03-01'`)).toEqual([{ r: 1020 }]);
  });

  it('replace a row that moved into the window from before it (same key), leaving rows before the window where they were', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const model = windowedOrders(setup.dir, 'fct_order_times', 'total', { type: 'DOUBLE', description: 'Order total.' });
    await buildModels(wh, [model], { now: () => NOW });
    const before = await wh.all<{ rowid: number; id: string }>(`select rowid, id from marts.fct_order_times where ordered_at < '2026-03-04' and id <> 'o1' order by id`);
    // o1 (2026-03-01, long before the window) is restated as placed on 2026-03-06, inside it.
    await insertOrders(wh, [['o1', 'c1', 'paid', 10.5, '2026-03-06T12:00:00Z']], '2026-03-08T00:00:00Z');
    const second = await buildModels(wh, [model], { now: () => NOW });
    expect(second.models[0]).toMatchObject({ mode: 'incremental' });
    expect(await wh.all(`select id, ordered_at::varchar as at from marts.fct_order_times where id = 'o1'`)).toEqual([{ id: 'o1', at: '2026-03-06 12:00:00+00' }]);
    expect(await wh.all(`select rowid, id from marts.fct_order_times where ordered_at < '2026-03-04' and id <> 'o1' order by id`)).toEqual(before);
    await wh.run('create table main.incremental_result as select * from marts.fct_order_times');
    await buildModels(wh, [model], { fullRefresh: true, now: () => NOW });
    expect(await tableDifference(wh, 'main.incremental_result', 'marts.fct_order_times')).toEqual({ onlyA: 0, onlyB: 0 });
  });

  it('give the SQL its window start through pulse_window_start(): the lookback start when incremental, -infinity in a full build', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    // The model filters its input with the macro and records the window it was built for.
    const model = windowedOrders(setup.dir, 'fct_windowed_orders', 'pulse_window_start()::varchar as window_start', {
      type: 'VARCHAR',
      description: 'The window start the row was built with.',
    });
    await buildModels(wh, [model]);
    const firstRows = await wh.all<{ id: string; window_start: string }>(`select id, window_start from marts.fct_windowed_orders order by id`);
    expect(firstRows.length).toBeGreaterThan(0);
    expect(new Set(firstRows.map((r) => r.window_start))).toEqual(new Set(['-infinity']));

    // A table built after it on the same connection sees the whole history again, not its window.
    const after = adHocModel(setup.dir, 'fct_after_window', `select count(*)::integer as id, pulse_window_start()::varchar as window_start from marts.fct_windowed_orders`, {
      columns: { id: { type: 'INTEGER', description: 'Rows read.' }, window_start: { type: 'VARCHAR', description: 'The window start it was built with.' } },
    });
    await insertOrders(wh, [['o9', 'c1', 'paid', 9, '2026-03-09T12:00:00Z']], '2026-03-10T00:00:00Z');
    const second = await buildModels(wh, [model, after], { concurrency: 1 });
    expect(second.models.find((m) => m.model === 'fct_windowed_orders')).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    expect(await wh.all(`select window_start from marts.fct_after_window`)).toEqual([{ window_start: '-infinity' }]);
    // The table's latest order before this build was 2026-03-06T09:00Z (helpers' ORDERS): the window starts 2 days earlier.
    const rows = await wh.all<{ id: string; t: string; window_start: string }>(
      `select id, strftime(ordered_at at time zone 'UTC', '%Y-%m-%dT%H:%M') t, window_start from marts.fct_windowed_orders order by ordered_at, id`,
    );
    const inWindow = rows.filter((r) => r.t >= '2026-03-04T09:00');
    expect(inWindow.map((r) => r.id)).toContain('o9');
    expect(new Set(inWindow.map((r) => r.window_start))).toEqual(new Set(['2026-03-04 09:00:00+00']));
    // Rows before the window are the first build's, untouched.
    expect(rows.filter((r) => r.t < '2026-03-04T09:00').every((r) => r.window_start === '-infinity')).toBe(true);
  });

  it('refuse pulse_window_start() in a view, which other connections could not read', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const model = adHocModel(setup.dir, 'v_windowed', `select 1 as id from raw.shop__orders where ordered_at >= pulse_window_start() limit 1`, { materialized: 'view' });
    const result = await buildModels(wh, [model]);
    expect(result.models[0]?.status).toBe('failed');
    expect(result.models[0]?.error).toContain('model v_windowed is a view but calls pulse_window_start()');
  });
});
