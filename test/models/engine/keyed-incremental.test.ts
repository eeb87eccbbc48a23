import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels, type BuildResult } from '../../../models/engine/build.ts';
import type { ModelDef } from '../../../models/engine/define.ts';
import { adHocModel, tableDifference, fctDailyRevenue, insertOrders, NOW, setupWarehouse, sqlFile, stgOrders } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const outcome = (result: BuildResult, model: string) => result.models.find((m) => m.model === model);

/**
 * Orders numbered within their customer: a customer's rows depend on all of that customer's
 * orders, so the group is the customer. Its changed SQL names the customers of orders loaded
 * since the last build, now and before (an order that moved customer changes both groups).
 */
function customerOrders(dir: string, changedSql?: string): ModelDef {
  const changed = sqlFile(
    dir,
    'fct_customer_orders.changed',
    changedSql ??
      `with loaded as (select order_id from raw.shop__orders where _loaded_at > pulse_loaded_after('raw.shop__orders'))
       select customer_id as key from staging.stg_shop__orders where order_id in (select order_id from loaded)
       union
       select customer_id from marts.fct_customer_orders where order_id in (select order_id from loaded)`,
  );
  return adHocModel(
    dir,
    'fct_customer_orders',
    `select order_id, customer_id, ordered_at, total_amount,
       cast(row_number() over (partition by customer_id order by ordered_at, order_id) as integer) as order_number,
       cast(count(*) over (partition by customer_id) as integer) as customer_orders
     from staging.stg_shop__orders
     where status <> 'cancelled' and pulse_in_increment(customer_id)`,
    {
      materialized: 'incremental',
      incremental: { by: 'customer_id', changed },
      grain: 'order',
      uniqueKey: ['order_id'],
      columns: {
        order_id: { type: 'VARCHAR', description: 'Order.' },
        customer_id: { type: 'VARCHAR', description: 'Customer.' },
        ordered_at: { type: 'TIMESTAMPTZ', description: 'Order time.' },
        total_amount: { type: 'DECIMAL(18,2)', description: 'Order total.' },
        order_number: { type: 'INTEGER', description: '1 = the customer’s first order.' },
        customer_orders: { type: 'INTEGER', description: 'Orders of the customer.' },
      },
    },
  );
}

/** Per customer totals over fct_customer_orders: a keyed model downstream of a keyed model. */
function customerTotals(dir: string): ModelDef {
  return adHocModel(dir, 'fct_customer_totals', `select customer_id, count(*) as orders, sum(total_amount) as revenue from marts.fct_customer_orders where pulse_in_increment(customer_id) group by customer_id`, {
    materialized: 'incremental',
    incremental: { by: 'customer_id', changed: sqlFile(dir, 'fct_customer_totals.changed', `select key from pulse_upstream_keys where model = 'fct_customer_orders'`) },
    grain: 'customer',
    uniqueKey: ['customer_id'],
    columns: {
      customer_id: { type: 'VARCHAR', description: 'Customer.' },
      orders: { type: 'BIGINT', description: 'Orders.' },
      revenue: { type: 'DECIMAL(38,2)', description: 'Revenue.' },
    },
  });
}

/** Keeps a copy of a model's table, rebuilds everything from scratch, and compares. */
async function expectSameAsFullRebuild(wh: Warehouse, models: readonly ModelDef[], tables: readonly string[]): Promise<void> {
  for (const t of tables) await wh.run(`create or replace table main.${t.split('.')[1]}_incremental as select * from ${t}`);
  const full = await buildModels(wh, models, { fullRefresh: true, now: () => NOW });
  expect(full.ok).toBe(true);
  for (const t of tables) expect(await tableDifference(wh, `main.${t.split('.')[1]}_incremental`, t), t).toEqual({ onlyA: 0, onlyB: 0 });
}

describe('keyed incremental models', () => {
  it('rebuild only the groups whose inputs changed, old or new, into exactly what a full rebuild makes', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    await insertOrders(wh, [['o8', 'c4', 'paid', 40, '2026-02-20T10:00:00Z']], '2026-03-07T00:00:00Z');
    const models = [stgOrders, customerOrders(setup.dir), customerTotals(setup.dir)];
    const first = await buildModels(wh, models, { now: () => NOW });
    expect(first.ok).toBe(true);
    expect(outcome(first, 'fct_customer_orders')).toMatchObject({ mode: 'full', rows: 6 });
    const [recorded] = await wh.all<{ increment: string }>(`select increment from meta.model_increments where model = 'fct_customer_orders'`);
    expect(JSON.parse(recorded!.increment)).toEqual({ sources: { 'raw.shop__orders': { loadedThrough: '2026-03-07 00:00:00+00', rows: 7 } } });

    await insertOrders(
      wh,
      [
        ['o7', 'c1', 'paid', 3, '2026-03-09T08:00:00Z'], // new order of c1
        ['o5', 'c3', 'paid', 7, '2026-03-05T09:00:00Z'], // o5 moves from c2 to c3: both groups change
        ['o2', 'c2', 'paid', 25, '2026-03-01T11:00:00Z'], // restated, older than any window
      ],
      '2026-03-10T00:00:00Z',
    );
    const second = await buildModels(wh, models, { now: () => NOW });
    expect(second.ok).toBe(true);
    // c1 (o1, o3, o7), c2 (o2), c3 (o5, o6; o4 is cancelled) are rebuilt; c4 (o8) is not.
    expect(outcome(second, 'fct_customer_orders')).toMatchObject({ status: 'succeeded', mode: 'incremental', rowsWritten: 6, rows: 7 });
    expect(outcome(second, 'fct_customer_orders')?.fullReason).toBeUndefined();
    expect(outcome(second, 'fct_customer_totals')).toMatchObject({ status: 'succeeded', mode: 'incremental', rowsWritten: 3, rows: 4 });
    const runId = second.runId;
    expect(await wh.all(`select model, list(key order by key) as keys from meta.model_changes where run_id = $1 group by model order by model`, [runId])).toEqual([
      { model: 'fct_customer_orders', keys: ['c1', 'c2', 'c3'] },
      { model: 'fct_customer_totals', keys: ['c1', 'c2', 'c3'] },
    ]);
    expect(
      await wh.all(`select order_id, customer_id, order_number, customer_orders, total_amount::double as total from marts.fct_customer_orders order by customer_id, order_number`),
    ).toEqual([
      { order_id: 'o1', customer_id: 'c1', order_number: 1, customer_orders: 3, total: 10.5 },
      { order_id: 'o3', customer_id: 'c1', order_number: 2, customer_orders: 3, total: 5.25 },
      { order_id: 'o7', customer_id: 'c1', order_number: 3, customer_orders: 3, total: 3 },
      { order_id: 'o2', customer_id: 'c2', order_number: 1, customer_orders: 1, total: 25 },
      { order_id: 'o5', customer_id: 'c3', order_number: 1, customer_orders: 2, total: 7 },
      { order_id: 'o6', customer_id: 'c3', order_number: 2, customer_orders: 2, total: 12 },
      { order_id: 'o8', customer_id: 'c4', order_number: 1, customer_orders: 1, total: 40 },
    ]);
    expect(await wh.all(`select customer_id, orders, revenue::double as revenue from marts.fct_customer_totals order by 1`)).toEqual([
      { customer_id: 'c1', orders: 3, revenue: 18.75 },
      { customer_id: 'c2', orders: 1, revenue: 25 },
      { customer_id: 'c3', orders: 2, revenue: 19 },
      { customer_id: 'c4', orders: 1, revenue: 40 },
    ]);
    await expectSameAsFullRebuild(wh, models, ['marts.fct_customer_orders', 'marts.fct_customer_totals']);
  });

  it('write, and hand downstream, only the recomputed groups whose rows changed', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    await insertOrders(wh, [['o8', 'c4', 'paid', 40, '2026-02-20T10:00:00Z']], '2026-03-07T00:00:00Z');
    const models = [stgOrders, customerOrders(setup.dir), customerTotals(setup.dir)];
    expect((await buildModels(wh, models, { now: () => NOW })).ok).toBe(true);
    const before = await wh.all<{ rowid: number; order_id: string }>(`select rowid, order_id from marts.fct_customer_orders where customer_id = 'c4'`);

    await insertOrders(
      wh,
      [
        ['o8', 'c4', 'paid', 40, '2026-02-20T10:00:00Z'], // loaded again exactly as it was: c4 is recomputed, and comes out the same
        ['o9', 'c1', 'paid', 2, '2026-03-09T09:00:00Z'], // a new order of c1
      ],
      '2026-03-10T00:00:00Z',
    );
    const second = await buildModels(wh, models, { now: () => NOW });
    expect(second.ok).toBe(true);
    // c1 has o1, o3 and now o9: three rows written; c4's row is left where it was.
    expect(outcome(second, 'fct_customer_orders')).toMatchObject({ mode: 'incremental', rowsWritten: 3, rows: 7 });
    expect(await wh.all(`select rowid, order_id from marts.fct_customer_orders where customer_id = 'c4'`)).toEqual(before);
    // Downstream hears of c1 only, so it recomputes one customer's totals, not two.
    expect(outcome(second, 'fct_customer_totals')).toMatchObject({ mode: 'incremental', rowsWritten: 1 });
    expect(await wh.all(`select model, list(key order by key) as keys from meta.model_changes where run_id = $1 group by model order by model`, [second.runId])).toEqual([
      { model: 'fct_customer_orders', keys: ['c1'] },
      { model: 'fct_customer_totals', keys: ['c1'] },
    ]);
    const [recorded] = await wh.all<{ increment: string }>(`select increment from meta.model_increments where model = 'fct_customer_orders' and run_id = $1`, [second.runId]);
    expect(JSON.parse(recorded!.increment)).toMatchObject({ keys: 1, recomputed: 2 });
    await expectSameAsFullRebuild(wh, models, ['marts.fct_customer_orders', 'marts.fct_customer_totals']);
  });

  it('check the unique tests of a merged model on the keys it wrote, which still catches a duplicate across groups, and in full once one failed', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    await insertOrders(wh, [['o8', 'c4', 'paid', 40, '2026-02-20T10:00:00Z']], '2026-03-07T00:00:00Z');
    // A faulty changed SQL that names an order's customer as it is now, not as the table holds it.
    const faulty = `select customer_id as key from staging.stg_shop__orders where order_id in (select order_id from raw.shop__orders where _loaded_at > pulse_loaded_after('raw.shop__orders'))`;
    const models = [stgOrders, customerOrders(setup.dir, faulty)];
    const unique = (result: BuildResult) => result.tests.find((t) => t.model === 'fct_customer_orders' && t.test === 'unique(order_id)');
    const first = await buildModels(wh, models, { now: () => NOW });
    expect(unique(first)).toMatchObject({ status: 'pass' });

    // o5 moves from c2 to c3: only c3 is rebuilt, so o5 is now in both groups.
    await insertOrders(wh, [['o5', 'c3', 'paid', 7, '2026-03-05T09:00:00Z']], '2026-03-10T00:00:00Z');
    const second = await buildModels(wh, models, { now: () => NOW });
    expect(outcome(second, 'fct_customer_orders')).toMatchObject({ mode: 'incremental' });
    expect(unique(second)).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ order_id: 'o5', occurrences: 2 }] });
    expect(second.ok).toBe(false);

    // The next build writes only c1, yet the test, failed last time, looks at every key again.
    await insertOrders(wh, [['o9', 'c1', 'paid', 2, '2026-03-09T09:00:00Z']], '2026-03-11T00:00:00Z');
    const third = await buildModels(wh, models, { now: () => NOW });
    expect(await wh.all(`select list(key) as keys from meta.model_changes where run_id = $1`, [third.runId])).toEqual([{ keys: ['c1'] }]);
    expect(unique(third)).toMatchObject({ status: 'fail', failingRows: 1 });
  });

  it('narrow a unique test to the written keys only while the table is the builds’ own (a row added by hand between builds is not looked at)', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    await insertOrders(wh, [['o8', 'c4', 'paid', 40, '2026-02-20T10:00:00Z']], '2026-03-07T00:00:00Z');
    const models = [stgOrders, customerOrders(setup.dir)];
    expect((await buildModels(wh, models, { now: () => NOW })).ok).toBe(true);
    // One warehouse writer is the design; this copy of c4's row is what narrowing cannot see.
    await wh.run(`insert into marts.fct_customer_orders select * from marts.fct_customer_orders where customer_id = 'c4'`);
    await insertOrders(wh, [['o9', 'c1', 'paid', 2, '2026-03-09T09:00:00Z']], '2026-03-10T00:00:00Z');
    const second = await buildModels(wh, models, { now: () => NOW });
    const unique = (result: BuildResult) => result.tests.find((t) => t.model === 'fct_customer_orders' && t.test === 'unique(order_id)');
    expect(unique(second)).toMatchObject({ status: 'pass' });
    const [copies] = await wh.all<{ n: number }>(`select count(*)::int as n from marts.fct_customer_orders where order_id = 'o8'`);
    expect(copies?.n).toBe(2);
  });

  it('rebuild in full, saying why, when raw rows were removed or replaced, or an upstream table was rebuilt in full', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const models = [stgOrders, customerOrders(setup.dir), customerTotals(setup.dir)];
    await buildModels(wh, models, { now: () => NOW });
    // A removed row leaves no _loaded_at behind: c3 would keep o6 if only stamped rows were followed.
    await wh.run(`delete from raw.shop__orders where order_id = 'o6'`);
    const second = await buildModels(wh, models, { now: () => NOW });
    expect(outcome(second, 'fct_customer_orders')).toMatchObject({ mode: 'full', fullReason: 'raw.shop__orders has fewer rows than at the last build (5 < 6)' });
    expect(outcome(second, 'fct_customer_totals')).toMatchObject({ mode: 'full', fullReason: 'upstream model fct_customer_orders was rebuilt in full since' });
    expect(await wh.all(`select count(*)::integer as n from marts.fct_customer_orders where order_id = 'o6'`)).toEqual([{ n: 0 }]);
    await expectSameAsFullRebuild(wh, models, ['marts.fct_customer_orders', 'marts.fct_customer_totals']);

    // A replace stream rewrites the table: o3 goes, o9 comes, the count stays; every row is newly stamped.
    await wh.run(`create temp table kept as select * from raw.shop__orders where order_id <> 'o3'`);
    await wh.run(`delete from raw.shop__orders`);
    await wh.run(`insert into raw.shop__orders select * replace ('2026-03-11T00:00:00Z'::timestamptz as _loaded_at) from kept`);
    await insertOrders(wh, [['o9', 'c4', 'paid', 1, '2026-03-09T10:00:00Z']], '2026-03-11T00:00:00Z');
    const third = await buildModels(wh, models, { now: () => NOW });
    expect(outcome(third, 'fct_customer_orders')).toMatchObject({ mode: 'full', fullReason: 'raw.shop__orders was replaced since the last build (no row of then is left)' });
    await expectSameAsFullRebuild(wh, models, ['marts.fct_customer_orders', 'marts.fct_customer_totals']);

    // After a full build recorded new marks, the next change merges again.
    await insertOrders(wh, [['o10', 'c2', 'paid', 2, '2026-03-09T11:00:00Z']], '2026-03-12T00:00:00Z');
    const fourth = await buildModels(wh, models, { now: () => NOW });
    expect(outcome(fourth, 'fct_customer_orders')).toMatchObject({ mode: 'incremental', rowsWritten: 3 }); // c2: o2, o5, o10
    expect(outcome(fourth, 'fct_customer_totals')).toMatchObject({ mode: 'incremental', rowsWritten: 1 });
  });

  it('give a window model’s recomputed window to keyed models downstream through pulse_rebuilt_from()', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const monthly = adHocModel(
      setup.dir,
      'fct_monthly_revenue',
      `select cast(date_trunc('month', order_date) as date) as month, sum(orders) as orders, sum(revenue) as revenue
       from marts.fct_daily_revenue where pulse_in_increment(cast(date_trunc('month', order_date) as date)) group by 1`,
      {
        materialized: 'incremental',
        incremental: {
          by: 'month',
          changed: sqlFile(
            setup.dir,
            'fct_monthly_revenue.changed',
            // Days at or after the window start were recomputed (and may have vanished): their months change.
            `select cast(date_trunc('month', order_date) as date) as key from marts.fct_daily_revenue where order_date >= pulse_rebuilt_from('fct_daily_revenue')
             union
             select month from marts.fct_monthly_revenue where month >= date_trunc('month', pulse_rebuilt_from('fct_daily_revenue'))`,
          ),
        },
        grain: 'month',
        uniqueKey: ['month'],
        columns: {
          month: { type: 'DATE', description: 'Month.' },
          orders: { type: 'HUGEINT', description: 'Orders.' },
          revenue: { type: 'DECIMAL(38,2)', description: 'Revenue.' },
        },
      },
    );
    const models = [stgOrders, fctDailyRevenue, monthly];
    await insertOrders(wh, [['o0', 'c1', 'paid', 100, '2026-02-10T10:00:00Z']], '2026-03-07T00:00:00Z');
    await buildModels(wh, models, { now: () => NOW });
    await insertOrders(wh, [['o7', 'c1', 'paid', 3, '2026-03-07T08:00:00Z']], '2026-03-08T00:00:00Z');
    const second = await buildModels(wh, models, { now: () => NOW });
    expect(outcome(second, 'fct_daily_revenue')).toMatchObject({ mode: 'incremental' });
    expect(outcome(second, 'fct_monthly_revenue')?.error).toBeUndefined();
    // Only March is rebuilt; February is untouched.
    expect(outcome(second, 'fct_monthly_revenue')).toMatchObject({ mode: 'incremental', rowsWritten: 1, rows: 2 });
    const [run] = await wh.all<{ increment: string }>(`select increment from meta.model_increments where model = 'fct_daily_revenue' and run_id = $1`, [second.runId]);
    expect(JSON.parse(run!.increment)).toEqual({ windowStart: '2026-03-04 00:00:00' });
    expect(await wh.all(`select month::varchar as month, orders::integer as orders, revenue::double as revenue from marts.fct_monthly_revenue order by 1`)).toEqual([
      { month: '2026-02-01', orders: 1, revenue: 100 },
      { month: '2026-03-01', orders: 6, revenue: 57.75 },
    ]);
    await expectSameAsFullRebuild(wh, models, ['marts.fct_monthly_revenue']);
  });

  it('refuse changed SQL that misses a raw table the model reads or reads an unrelated model, a keyed model over a meta table, and an unknown table in a macro', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const missing = customerOrders(setup.dir, `select customer_id as key from marts.fct_customer_orders where false`);
    const result = await buildModels(wh, [stgOrders, missing], { now: () => NOW });
    expect(outcome(result, 'fct_customer_orders')?.status).toBe('failed');
    expect(outcome(result, 'fct_customer_orders')?.error).toContain(
      'the changed SQL of model fct_customer_orders does not read raw.shop__orders, which the model reads: rows loaded there would never be rebuilt',
    );

    const unrelated = customerOrders(setup.dir, `select customer_id as key from raw.shop__orders union select customer_id from staging.stg_shop__customers`);
    const other = adHocModel(setup.dir, 'stg_shop__customers', `select customer_id from raw.shop__customers`, {
      layer: 'staging',
      materialized: 'view',
      uniqueKey: ['customer_id'],
      columns: { customer_id: { type: 'VARCHAR', description: 'Customer.' } },
    });
    const second = await buildModels(wh, [stgOrders, other, unrelated], { now: () => NOW });
    expect(outcome(second, 'fct_customer_orders')?.error).toContain('the changed SQL of model fct_customer_orders reads staging.stg_shop__customers, which the model does not read');

    // meta tables carry no _loaded_at: a keyed model could not follow their changes.
    const fromMeta = adHocModel(setup.dir, 'fct_runs', `select run_id as id from meta.runs where pulse_in_increment(run_id)`, {
      materialized: 'incremental',
      incremental: { by: 'id', changed: sqlFile(setup.dir, 'fct_runs.changed', `select run_id as key from meta.runs`) },
      columns: { id: { type: 'VARCHAR', description: 'Run.' } },
    });
    const metaResult = await buildModels(wh, [fromMeta], { now: () => NOW });
    expect(outcome(metaResult, 'fct_runs')?.error).toContain('model fct_runs is keyed incremental but reads meta.runs, which carries no _loaded_at');

    // A misspelt table in pulse_loaded_after() is an error, never "nothing changed".
    const typo = customerOrders(setup.dir, `select customer_id as key from raw.shop__orders where _loaded_at > pulse_loaded_after('raw.shop_orders')`);
    expect((await buildModels(wh, [stgOrders, typo], { now: () => NOW })).ok).toBe(true);
    await insertOrders(wh, [['o7', 'c1', 'paid', 3, '2026-03-09T08:00:00Z']], '2026-03-10T00:00:00Z');
    const third = await buildModels(wh, [stgOrders, typo], { now: () => NOW });
    expect(outcome(third, 'fct_customer_orders')?.error).toContain("pulse_loaded_after(raw.shop_orders): not a raw table the changed SQL of fct_customer_orders reads");
  });

  it('refuse pulse_in_increment() in a view and a nullable group column', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const view = adHocModel(setup.dir, 'v_grouped', `select 1 as id from raw.shop__orders where pulse_in_increment(order_id) limit 1`, { materialized: 'view' });
    const result = await buildModels(wh, [view]);
    expect(result.models[0]?.error).toContain('model v_grouped is a view but calls pulse_in_increment()');

    const nullable = customerOrders(setup.dir);
    const columns = { ...nullable.columns, customer_id: { type: 'VARCHAR', description: 'Customer.', nullable: true } };
    await expect(buildModels(wh, [stgOrders, { ...nullable, columns }])).rejects.toThrow('fct_customer_orders.incremental.by: "customer_id" is nullable');
  });
});
