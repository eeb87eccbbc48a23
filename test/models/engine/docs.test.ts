import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { renderDocs } from '../../../models/engine/docs.ts';
import { discoverLineage } from '../../../models/engine/lineage.ts';
import { loadModels } from '../../../models/engine/registry.ts';
import { adHocModel, MODELS, setupWarehouse, sqlFile, stgOrders } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

describe('renderDocs', () => {
  it('documents every model and column and draws the lineage as Mermaid and JSON', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const lineage = await discoverLineage(wh.connection, loadModels(MODELS));
    const docs = renderDocs(MODELS, lineage);

    for (const model of MODELS) {
      expect(docs.markdown).toContain(`### ${model.layer}.${model.name}`);
      expect(docs.markdown).toContain(model.description);
      expect(docs.markdown).toContain(`- **Grain:** ${model.grain}`);
      for (const [name, column] of Object.entries(model.columns)) {
        expect(docs.markdown).toContain(`| \`${name}\` | ${column.type} | ${'nullable' in column && column.nullable ? 'yes' : 'no'} | ${column.description} |`);
      }
    }
    expect(docs.markdown).toContain('- **Unique key:** `order_date` (tested unique and not null)');
    expect(docs.markdown).toContain('- **Materialized:** incremental on `order_date` (recomputes the last 2 days each build)');
    expect(docs.markdown).toContain('- **Reads:** `staging.stg_shop__customers`, `staging.stg_shop__orders`');
    expect(docs.markdown).toContain('```mermaid\nflowchart LR');

    expect(docs.mermaid.split('\n')).toEqual([
      'flowchart LR',
      '  subgraph sources',
      '    raw_shop__customers["raw.shop__customers"]',
      '    raw_shop__orders["raw.shop__orders"]',
      '  end',
      '  subgraph staging',
      '    staging_stg_shop__customers["staging.stg_shop__customers"]',
      '    staging_stg_shop__orders["staging.stg_shop__orders"]',
      '  end',
      '  subgraph marts',
      '    marts_dim_customers["marts.dim_customers"]',
      '    marts_fct_daily_revenue["marts.fct_daily_revenue"]',
      '  end',
      '  raw_shop__orders --> staging_stg_shop__orders',
      '  raw_shop__customers --> staging_stg_shop__customers',
      '  staging_stg_shop__orders --> marts_fct_daily_revenue',
      '  staging_stg_shop__customers --> marts_dim_customers',
      '  staging_stg_shop__orders --> marts_dim_customers',
    ]);
    expect(docs.json.nodes.map((n) => [n.id, n.group])).toEqual([
      ['raw.shop__customers', 'source'],
      ['raw.shop__orders', 'source'],
      ['staging.stg_shop__customers', 'staging'],
      ['staging.stg_shop__orders', 'staging'],
      ['marts.dim_customers', 'marts'],
      ['marts.fct_daily_revenue', 'marts'],
    ]);
    expect(docs.json.edges).toHaveLength(5);
    expect(JSON.parse(JSON.stringify(docs.json))).toEqual(docs.json);
  });

  it('says what a keyed incremental model rebuilds', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const keyed = adHocModel(setup.dir, 'fct_by_customer', 'select customer_id as id from staging.stg_shop__orders where pulse_in_increment(customer_id)', {
      materialized: 'incremental',
      incremental: { by: 'id', changed: sqlFile(setup.dir, 'fct_by_customer.changed', `select customer_id as key from raw.shop__orders`) },
      columns: { id: { type: 'VARCHAR', description: 'Customer.' } },
    });
    const models = [stgOrders, keyed];
    const docs = renderDocs(models, await discoverLineage(wh.connection, loadModels(models)));
    expect(docs.markdown).toContain('- **Materialized:** incremental by `id` (recomputes the groups whose inputs changed since the last build)');
  });
});
