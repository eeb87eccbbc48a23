import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/build.ts';
import { fctDailyRevenue, insertOrders, MODELS, NOW, setupWarehouse } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

/** Counts rows in one table that the other lacks, both ways, with duplicates counted (EXCEPT ALL). */
async function difference(wh: Warehouse, a: string, b: string): Promise<{ onlyA: number; onlyB: number }> {
  const [row] = await wh.all<{ only_a: number; only_b: number }>(
    `select (select count(*) from (select * from ${a} except all select * from ${b})) as only_a,
            (select count(*) from (select * from ${b} except all select * from ${a})) as only_b`,
  );
  return { onlyA: row?.only_a ?? -1, onlyB: row?.only_b ?? -1 };
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
    expect(await difference(wh, 'main.incremental_result', 'marts.fct_daily_revenue')).toEqual({ onlyA: 0, onlyB: 0 });
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
});
