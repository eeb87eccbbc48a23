import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/log.ts';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels, criticalPathMs } from '../../../models/engine/build.ts';
import { ContractError } from '../../../models/engine/contracts.ts';
import type { ModelDef } from '../../../models/engine/define.ts';
import { adHocModel, insertOrders, MODELS, NOW, setupWarehouse } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

async function open() {
  const setup = await setupWarehouse();
  wh = setup.wh;
  return setup;
}

const statuses = (result: { models: readonly { model: string; status: string }[] }) => Object.fromEntries(result.models.map((m) => [m.model, m.status]));

describe('buildModels', () => {
  it('builds every model in dependency order, checks contracts, runs tests and records the ledger', async () => {
    const { wh } = await open();
    const result = await buildModels(wh, MODELS, { now: () => NOW, runId: 'run-1', concurrency: 3 });
    expect(result.ok).toBe(true);
    expect(result.models.map((m) => [m.model, m.status, m.mode])).toEqual([
      ['stg_shop__customers', 'succeeded', 'view'],
      ['stg_shop__orders', 'succeeded', 'view'],
      ['dim_customers', 'succeeded', 'full'],
      ['fct_daily_revenue', 'succeeded', 'full'],
    ]);
    expect(await wh.all(`select order_date::varchar d, orders, revenue::double revenue from marts.fct_daily_revenue order by 1`)).toEqual([
      { d: '2026-03-01', orders: 2, revenue: 30.5 },
      { d: '2026-03-02', orders: 1, revenue: 5.25 },
      { d: '2026-03-05', orders: 1, revenue: 7 },
      { d: '2026-03-06', orders: 1, revenue: 12 },
    ]);
    expect(await wh.all(`select customer_id, orders, revenue::double revenue from marts.dim_customers order by 1`)).toEqual([
      { customer_id: 'c1', orders: 2, revenue: 15.75 },
      { customer_id: 'c2', orders: 2, revenue: 27 },
      { customer_id: 'c3', orders: 1, revenue: 12 },
    ]);
    const ledger = await wh.all(`select model, status, mode, rows, length(sql_hash) h, error from meta.model_runs where run_id = 'run-1' order by model`);
    expect(ledger).toEqual([
      { model: 'dim_customers', status: 'succeeded', mode: 'full', rows: 3, h: 64, error: null },
      { model: 'fct_daily_revenue', status: 'succeeded', mode: 'full', rows: 4, h: 64, error: null },
      { model: 'stg_shop__customers', status: 'succeeded', mode: 'view', rows: null, h: 64, error: null },
      { model: 'stg_shop__orders', status: 'succeeded', mode: 'view', rows: null, h: 64, error: null },
    ]);
    // Key tests are implied by the unique key; declared tests follow.
    expect(result.tests.filter((t) => t.model === 'dim_customers').map((t) => [t.test, t.status])).toEqual([
      ['unique(customer_id)', 'pass'],
      ['not_null(customer_id)', 'pass'],
      ['relationships(customer_id → stg_shop__customers.customer_id)', 'pass'],
    ]);
  });

  it('fails a model whose output breaks its contract, with one diff line per column', async () => {
    const { wh, dir } = await open();
    const model = adHocModel(dir, 'fct_campaign_performance', `select 1 as id, 2.5::decimal(18,2) as roas, 'x' as surprise, null::varchar as channel`, {
      columns: {
        id: { type: 'INTEGER', description: 'Row id.' },
        roas: { type: 'DOUBLE', description: 'Return on ad spend.' },
        channel: { type: 'VARCHAR', description: 'Channel group.' },
        spend: { type: 'DECIMAL(18,2)', description: 'Spend.' },
      },
    });
    const result = await buildModels(wh, [model]);
    expect(result.ok).toBe(false);
    expect(result.models[0]?.status).toBe('failed');
    expect(result.models[0]?.error).toContain(
      [
        'model fct_campaign_performance breaks its column contract:',
        '  fct_campaign_performance.roas: expected DOUBLE, got DECIMAL(18,2)',
        '  fct_campaign_performance.spend: expected DECIMAL(18,2), got no such column',
        '  fct_campaign_performance.surprise: expected no such column (not in the contract), got VARCHAR',
        '  fct_campaign_performance.channel: expected NOT NULL, got 1 NULL row',
      ].join('\n'),
    );
    // The transaction rolled back: no half-right table is left for readers.
    expect(await wh.all(`select 1 from information_schema.tables where table_name = 'fct_campaign_performance'`)).toEqual([]);
    const [row] = await wh.all<{ status: string; error: string }>(`select status, error from meta.model_runs where model = 'fct_campaign_performance'`);
    expect(row?.status).toBe('failed');
    expect(row?.error).toContain('fct_campaign_performance.roas: expected DOUBLE, got DECIMAL(18,2)');
    expect(new ContractError('m', ['m.a: expected X, got Y']).diff).toEqual(['m.a: expected X, got Y']);
  });

  it('accepts type aliases that DuckDB spells differently (TIMESTAMPTZ, INT, STRING)', async () => {
    const { wh, dir } = await open();
    const model = adHocModel(dir, 'aliases', `select 1 as id, now() as at, 'x' as s`, {
      columns: {
        id: { type: 'INT', description: 'Row id.' },
        at: { type: 'timestamptz', description: 'When.' },
        s: { type: 'STRING', description: 'Text.' },
      },
    });
    expect(statuses(await buildModels(wh, [model]))).toEqual({ aliases: 'succeeded' });
  });

  it('skips the downstream of a failed model, naming the failed upstream, and keeps building the rest', async () => {
    const { wh, dir } = await open();
    const broken = adHocModel(dir, 'broken', 'select 1 / 0 as id, cast(\'x\' as integer) as n', { layer: 'staging', columns: { id: { type: 'INTEGER', description: 'Id.' }, n: { type: 'INTEGER', description: 'N.' } } });
    const child = adHocModel(dir, 'child', 'select id from staging.broken');
    const grandchild = adHocModel(dir, 'grandchild', 'select id from marts.child');
    const independent = adHocModel(dir, 'independent', 'select 1 as id');
    const result = await buildModels(wh, [broken, child, grandchild, independent]);
    expect(statuses(result)).toEqual({ broken: 'failed', child: 'skipped', grandchild: 'skipped', independent: 'succeeded' });
    expect(result.models.find((m) => m.model === 'grandchild')).toMatchObject({ blockedBy: 'broken', error: 'skipped: upstream model broken failed' });
    expect(result.models.find((m) => m.model === 'broken')?.error).toMatch(/Could not convert string 'x' to INT32/);
    expect(await wh.all(`select model, status from meta.model_runs order by model`)).toEqual([
      { model: 'broken', status: 'failed' },
      { model: 'child', status: 'skipped' },
      { model: 'grandchild', status: 'skipped' },
      { model: 'independent', status: 'succeeded' },
    ]);
  });

  it('skips models whose SQL and inputs did not change, and rebuilds what a change reaches', async () => {
    const { wh, dir } = await open();
    const first = await buildModels(wh, MODELS, { now: () => NOW });
    expect(Object.values(statuses(first))).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);

    const second = await buildModels(wh, MODELS, { now: () => NOW });
    expect(statuses(second)).toEqual({ stg_shop__customers: 'unchanged', stg_shop__orders: 'unchanged', dim_customers: 'unchanged', fct_daily_revenue: 'unchanged' });
    // Tests still run on unchanged models: the data they check may be judged by a moving clock.
    expect(second.tests.length).toBe(first.tests.length);

    // New raw customers reach the customer view and dim_customers, not the revenue mart.
    await wh.run(`insert into raw.shop__customers values ('c4', 'di@example.com', '2026-03-08T00:00:00Z', '2026-03-08T00:00:00Z', 'r1')`);
    expect(statuses(await buildModels(wh, MODELS, { now: () => NOW }))).toEqual({
      stg_shop__customers: 'succeeded',
      stg_shop__orders: 'unchanged',
      dim_customers: 'succeeded',
      fct_daily_revenue: 'unchanged',
    });

    // Changing a model's SQL rebuilds it (and what reads it).
    const sqlPath = `${dir}/tweak.sql`;
    writeFileSync(sqlPath, 'select 1 as id');
    const tweak: ModelDef = { ...adHocModel(dir, 'tweak', 'select 1 as id'), sql: sqlPath };
    const reader = adHocModel(dir, 'reads_tweak', 'select id from marts.tweak');
    expect(statuses(await buildModels(wh, [tweak, reader]))).toEqual({ tweak: 'succeeded', reads_tweak: 'succeeded' });
    expect(statuses(await buildModels(wh, [tweak, reader]))).toEqual({ tweak: 'unchanged', reads_tweak: 'unchanged' });
    writeFileSync(sqlPath, 'select 2 as id');
    expect(statuses(await buildModels(wh, [tweak, reader]))).toEqual({ tweak: 'succeeded', reads_tweak: 'succeeded' });
    expect(await wh.all('select id from marts.reads_tweak')).toEqual([{ id: 2 }]);

    // fullRefresh rebuilds regardless; a dropped table is rebuilt even when nothing changed.
    expect(Object.values(statuses(await buildModels(wh, [tweak, reader], { fullRefresh: true })))).toEqual(['succeeded', 'succeeded']);
    await wh.run('drop table marts.reads_tweak');
    expect(statuses(await buildModels(wh, [tweak, reader]))).toEqual({ tweak: 'unchanged', reads_tweak: 'succeeded' });
  });

  it('rebuilds every model in full when the macros it may call change (a setting such as the attribution lookback)', async () => {
    const { wh } = await open();
    const macros = (days: number) => [`create or replace macro attribution_lookback_days() as ${days}`];
    await buildModels(wh, MODELS, { now: () => NOW, macros: macros(30) });
    expect(Object.values(statuses(await buildModels(wh, MODELS, { now: () => NOW, macros: macros(30) })))).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    const changed = await buildModels(wh, MODELS, { now: () => NOW, macros: macros(14) });
    // The incremental mart too is rebuilt in full, not merged: its old rows were computed with the old setting.
    expect(changed.models.map((m) => [m.model, m.status, m.mode])).toEqual(
      expect.arrayContaining([
        ['fct_daily_revenue', 'succeeded', 'full'],
        ['dim_customers', 'succeeded', 'full'],
      ]),
    );
  });

  it('rebuilds after a failure even when nothing changed since the last good build', async () => {
    const { wh, dir } = await open();
    const good = adHocModel(dir, 'flaky', 'select 1 as id');
    await buildModels(wh, [good]);
    const bad = adHocModel(dir, 'flaky', 'select null::integer as id');
    expect(statuses(await buildModels(wh, [bad]))).toEqual({ flaky: 'failed' });
    expect(statuses(await buildModels(wh, [adHocModel(dir, 'flaky', 'select 1 as id')]))).toEqual({ flaky: 'unchanged' });
    expect(await wh.all('select id from marts.flaky')).toEqual([{ id: 1 }]);
  });

  it('builds independent models in parallel on separate connections without write conflicts', async () => {
    const { wh, dir } = await open();
    const leaves = Array.from({ length: 8 }, (_, i) =>
      adHocModel(dir, `leaf_${i}`, `select range::integer as id from range(${1000 * (i + 1)})`, { materialized: i % 2 === 0 ? 'table' : 'view' }),
    );
    const union = adHocModel(dir, 'all_leaves', leaves.map((l) => `select id from marts.${l.name}`).join(' union all '), { uniqueKey: ['id'] });
    const events: string[] = [];
    const log = { ...silentLogger, info: (msg: string, fields?: Record<string, unknown>) => void events.push(`${msg} ${String(fields?.['model'])}`) };
    const first = await buildModels(wh, [...leaves, { ...union, materialized: 'view' }], { concurrency: 8, log });
    expect(first.models.filter((m) => m.status !== 'succeeded')).toEqual([]);
    expect(events.at(-1)).toBe('model built all_leaves');
    // The union repeats ids 0–6999 by construction, which its implied unique test reports.
    expect(first.tests.find((t) => t.model === 'all_leaves' && t.test === 'unique(id)')).toMatchObject({ status: 'fail', failingRows: 7000 });
    const second = await buildModels(wh, [...leaves, { ...union, materialized: 'view' }], { concurrency: 8 });
    expect(new Set(second.models.map((m) => m.status))).toEqual(new Set(['unchanged']));
    expect(await wh.all(`select count(*)::integer n from meta.model_runs`)).toEqual([{ n: 18 }]);
  });

  it('gives a free slot to the ready model with the longest path of build time after it', async () => {
    const { wh, dir } = await open();
    // Quick leaves come first in the build order; the head of a three-model chain comes last.
    const quick = ['a_quick', 'b_quick', 'c_quick'].map((name) => adHocModel(dir, name, 'select 1 as id'));
    const head = adHocModel(dir, 'z_head', 'select 1 as id');
    const middle = adHocModel(dir, 'z_middle', 'select id from marts.z_head');
    const tail = adHocModel(dir, 'z_tail', 'select id from marts.z_middle');
    const models = [...quick, head, middle, tail];
    const first = await buildModels(wh, models, { concurrency: 1, runId: 'r1' });
    const started = async (runId: string) =>
      (await wh.all<{ model: string }>(`select model from meta.model_runs where run_id = '${runId}' order by seq`)).map((r) => r.model);
    // Never built: every model counts a typical build time, so the chain's head (three of them) goes
    // first. A slot a model frees goes to a model already queued, before its downstream joins the queue.
    expect(await started('r1')).toEqual(['z_head', 'a_quick', 'z_middle', 'b_quick', 'c_quick', 'z_tail']);
    // With the ledger's times, a leaf that took longer than the whole chain goes first.
    expect(criticalPathMs(first.lineage, new Set(models.map((m) => m.name)), new Map([['b_quick', 5000], ['z_head', 10], ['z_middle', 10], ['z_tail', 10]]))).toEqual(
      new Map([['z_tail', 10], ['z_middle', 20], ['z_head', 30], ['c_quick', 100], ['b_quick', 5000], ['a_quick', 100]]),
    );
  });

  it('switches a model between view and table', async () => {
    const { wh, dir } = await open();
    await buildModels(wh, [adHocModel(dir, 'shape', 'select 1 as id', { materialized: 'view' })]);
    await buildModels(wh, [adHocModel(dir, 'shape', 'select 1 as id', { materialized: 'table' })]);
    expect(await wh.all(`select table_type from information_schema.tables where table_name = 'shape'`)).toEqual([{ table_type: 'BASE TABLE' }]);
    await buildModels(wh, [adHocModel(dir, 'shape', 'select 1 as id', { materialized: 'view' })]);
    expect(await wh.all(`select table_type from information_schema.tables where table_name = 'shape'`)).toEqual([{ table_type: 'VIEW' }]);
  });

  it('keeps readers on the committed table while a rebuild is in flight', async () => {
    const { wh } = await open();
    await buildModels(wh, MODELS, { select: ['+dim_customers'] });
    const reader = await wh.connect();
    const before = (await reader.runAndReadAll('select count(*)::integer n from marts.dim_customers')).getRowObjectsJS();
    await insertOrders(wh, [['o9', 'c9', 'paid', 1, '2026-03-09T00:00:00Z']], '2026-03-09T00:00:00Z');
    await wh.run(`insert into raw.shop__customers values ('c9', 'e@example.com', '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z', 'r2')`);
    await reader.run('begin transaction');
    const snapshot = (await reader.runAndReadAll('select count(*)::integer n from marts.dim_customers')).getRowObjectsJS();
    await buildModels(wh, MODELS, { select: ['+dim_customers'] });
    // The reader's transaction started before the rebuild committed, so it still sees the old table.
    expect((await reader.runAndReadAll('select count(*)::integer n from marts.dim_customers')).getRowObjectsJS()).toEqual(snapshot);
    await reader.run('commit');
    expect((await reader.runAndReadAll('select count(*)::integer n from marts.dim_customers')).getRowObjectsJS()).toEqual([{ n: 4 }]);
    expect(before).toEqual([{ n: 3 }]);
    reader.closeSync();
  });
  it('builds under its memory limit and gives the warehouse its own limit back afterwards', async () => {
    const { wh, dir } = await open();
    await wh.run(`set memory_limit = '3GiB'`);
    // The model records the limit its own build ran under.
    const model = adHocModel(dir, 'build_settings', `select 1 as id, current_setting('memory_limit') as memory_limit`, {
      columns: { id: { type: 'INTEGER', description: 'Row id.' }, memory_limit: { type: 'VARCHAR', description: 'DuckDB memory limit during the build.' } },
    });
    expect((await buildModels(wh, [model], { memoryLimit: '256MiB' })).ok).toBe(true);
    expect(await wh.all(`select memory_limit from marts.build_settings`)).toEqual([{ memory_limit: '256.0 MiB' }]);
    expect(await wh.all(`select current_setting('memory_limit') as memory_limit`)).toEqual([{ memory_limit: '3.0 GiB' }]);
  });
});
