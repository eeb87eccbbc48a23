import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { extractTableRefs } from '../../../models/engine/dependencies.ts';
import { discoverLineage } from '../../../models/engine/lineage.ts';
import { loadModels } from '../../../models/engine/registry.ts';
import { parseSelector, selectModels } from '../../../models/engine/selectors.ts';
import { buildModels } from '../../../models/engine/build.ts';
import { adHocModel, MODELS, setupWarehouse } from './helpers.ts';

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

describe('dependency extraction from SQL', () => {
  it('finds base tables through joins, subqueries, EXISTS and set operations, and never CTE names', async () => {
    const { wh } = await open();
    const sql = `
      with orders as (select * from raw.shop__orders o join staging.stg_shop__customers c using (customer_id)),
           recent as (select * from orders where ordered_at > now() - interval 1 day)
      select * from recent, (select * from marts.dim_customers) d
      where exists (select 1 from raw.shop__customers x where x.customer_id = d.customer_id)
      union all
      select * from recent where customer_id in (select customer_id from meta.runs)
      union all
      select * from read_parquet('x.parquet')`;
    expect(await extractTableRefs(wh.connection, sql)).toEqual([
      { schema: 'marts', table: 'dim_customers' },
      { schema: 'meta', table: 'runs' },
      { schema: 'raw', table: 'shop__customers' },
      { schema: 'raw', table: 'shop__orders' },
      { schema: 'staging', table: 'stg_shop__customers' },
    ]);
  });

  it('scopes CTE names: a CTE hides a table only inside the query that defines it', async () => {
    const { wh } = await open();
    const sql = `select * from (with orders as (select 1) select * from orders) a, orders`;
    expect(await extractTableRefs(wh.connection, sql)).toEqual([{ schema: '', table: 'orders' }]);
    const recursive = `with recursive days as (select 1 as d union all select d + 1 from days where d < 3) select * from days`;
    expect(await extractTableRefs(wh.connection, recursive)).toEqual([]);
  });

  it("reports DuckDB's parser error for broken SQL", async () => {
    const { wh } = await open();
    await expect(extractTableRefs(wh.connection, 'selec 1')).rejects.toThrow(/syntax error at or near "selec"/);
  });
});

describe('lineage', () => {
  it('orders models after the models they read and records sources', async () => {
    const { wh } = await open();
    const lineage = await discoverLineage(wh.connection, loadModels(MODELS));
    expect(lineage.order).toEqual(['stg_shop__customers', 'stg_shop__orders', 'dim_customers', 'fct_daily_revenue']);
    expect(lineage.upstream.get('dim_customers')).toEqual(['stg_shop__customers', 'stg_shop__orders']);
    expect(lineage.sources.get('stg_shop__orders')).toEqual(['raw.shop__orders']);
    expect(lineage.edges).toContainEqual({ from: 'raw.shop__orders', to: 'staging.stg_shop__orders' });
    expect(lineage.nodes.find((n) => n.id === 'raw.shop__orders')).toMatchObject({ kind: 'source', exists: true });
  });

  it('names the models of a cycle', async () => {
    const { wh, dir } = await open();
    const models = loadModels([
      adHocModel(dir, 'a_model', 'select id from marts.c_model'),
      adHocModel(dir, 'b_model', 'select id from marts.a_model'),
      adHocModel(dir, 'c_model', 'select id from marts.b_model'),
      adHocModel(dir, 'd_model', 'select 1 as id'),
    ]);
    await expect(discoverLineage(wh.connection, models)).rejects.toThrow('models form a cycle: a_model → b_model → c_model → a_model');
  });

  it('names the model and the table for a reference to something that is neither a model nor a raw/meta table', async () => {
    const { wh, dir } = await open();
    await wh.run('create table staging.leftover as select 1 as id');
    const models = loadModels([adHocModel(dir, 'reads_leftover', 'select id from staging.leftover')]);
    await expect(discoverLineage(wh.connection, models)).rejects.toThrow('model reads_leftover reads staging.leftover, which is neither a model nor a raw/meta table');
    const unqualified = loadModels([adHocModel(dir, 'x_model', 'select 1 as id'), adHocModel(dir, 'reads_bare', 'select id from x_model')]);
    await expect(discoverLineage(wh.connection, unqualified)).rejects.toThrow('model reads_bare reads "x_model" without a schema; write marts.x_model');
  });

  it('leaves out a model whose raw source is not loaded (and what depends on it), naming the table, without failing the rest', async () => {
    const { wh, dir } = await open();
    const missing = adHocModel(dir, 'reads_missing', 'select 1 as id from raw.zendesk__tickets');
    const after = adHocModel(dir, 'after_missing', 'select id from marts.reads_missing');
    const fine = adHocModel(dir, 'reads_orders', 'select count(*)::integer as id from raw.shop__orders');
    const result = await buildModels(wh, [missing, after, fine]);
    expect(result.ok).toBe(true);
    const byName = Object.fromEntries(result.models.map((m) => [m.model, m]));
    expect(byName['reads_missing']).toMatchObject({ status: 'skipped', missingSource: true, error: 'skipped: source raw.zendesk__tickets is not loaded (run `pulse extract` for it)' });
    expect(byName['after_missing']).toMatchObject({ status: 'skipped', missingSource: true });
    expect(byName['reads_orders']).toMatchObject({ status: 'succeeded' });
  });
});

describe('selectors', () => {
  it('selects by name, with upstream, with downstream, by tag, and unions them', async () => {
    const { wh } = await open();
    const models = loadModels(MODELS);
    const lineage = await discoverLineage(wh.connection, models);
    const sel = (...s: string[]) => [...selectModels(models, lineage, s)].sort();
    expect(sel()).toEqual(['dim_customers', 'fct_daily_revenue', 'stg_shop__customers', 'stg_shop__orders']);
    expect(sel('dim_customers')).toEqual(['dim_customers']);
    expect(sel('+dim_customers')).toEqual(['dim_customers', 'stg_shop__customers', 'stg_shop__orders']);
    expect(sel('stg_shop__orders+')).toEqual(['dim_customers', 'fct_daily_revenue', 'stg_shop__orders']);
    expect(sel('stg_shop__customers+', 'fct_daily_revenue')).toEqual(['dim_customers', 'fct_daily_revenue', 'stg_shop__customers']);
    expect(sel('tag:finance')).toEqual(['fct_daily_revenue']);
    expect(sel('+tag:finance')).toEqual(['fct_daily_revenue', 'stg_shop__orders']);
    expect(sel('tag:shop+')).toEqual(['dim_customers', 'fct_daily_revenue', 'stg_shop__customers', 'stg_shop__orders']);
    expect(parseSelector('+tag:x+')).toEqual({ upstream: true, downstream: true, kind: 'tag', value: 'x' });
    expect(() => sel('nope')).toThrow('selector "nope" matches no model');
  });

  it('builds only the selection', async () => {
    const { wh } = await open();
    const result = await buildModels(wh, MODELS, { select: ['+fct_daily_revenue'] });
    expect(result.models.map((m) => m.model)).toEqual(['stg_shop__orders', 'fct_daily_revenue']);
    expect(await wh.all(`select table_name from information_schema.tables where table_name = 'dim_customers'`)).toEqual([]);
  });
});

describe('model definitions', () => {
  it('lists every problem at once', async () => {
    const { dir } = await open();
    const bad = adHocModel(dir, 'Bad-Name', 'select 1 as id', {
      uniqueKey: ['nope'],
      materialized: 'incremental',
      columns: { id: { type: 'INTEGER; drop table x', description: '' } },
      tests: [{ kind: 'not_null', column: 'missing' }],
    });
    const dup = adHocModel(dir, 'dup', 'select 1 as id');
    let message = '';
    try {
      loadModels([bad, dup, dup, { ...dup, name: 'no_file', sql: 'sql/nowhere/no_file.sql' }]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Bad-Name.name: "Bad-Name" is not a lower-case identifier');
    expect(message).toContain('Bad-Name.columns.id.type: "INTEGER; drop table x" is not a DuckDB type name');
    expect(message).toContain('Bad-Name.columns.id.description: is empty');
    expect(message).toContain('Bad-Name.uniqueKey: "nope" is not a column of the contract');
    expect(message).toContain('Bad-Name.incremental: an incremental model needs { eventTime, lookbackDays }');
    expect(message).toContain('Bad-Name.tests.not_null(missing): "missing" is not a column of the contract');
    expect(message).toContain('dup: defined 2 times');
    expect(message).toContain('no_file.sql: sql/nowhere/no_file.sql does not exist');
  });
});
