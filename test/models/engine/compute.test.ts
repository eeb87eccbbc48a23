import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/build.ts';
import { defineModel } from '../../../models/engine/define.ts';
import { NOW, setupWarehouse, sqlFile } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

describe('compute models', () => {
  it('compute rows in TypeScript from the SQL rows, and an incremental one computes each input once', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const seen: string[] = [];
    const model = defineModel({
      name: 'int_order_labels',
      layer: 'intermediate',
      sql: sqlFile(setup.dir, 'int_order_labels', 'select order_id, total from raw.shop__orders'),
      materialized: 'incremental',
      grain: 'order',
      uniqueKey: ['order_id'],
      description: 'A label per order, computed in TypeScript.',
      columns: {
        order_id: { type: 'VARCHAR', description: 'order id' },
        label: { type: 'VARCHAR', description: 'big when the total is at least 20' },
        doubled: { type: 'DOUBLE', description: 'total × 2' },
      },
      compute: {
        version: '1',
        run: (rows) =>
          rows.map((r) => {
            seen.push(String(r['order_id']));
            return { order_id: r['order_id'], label: Number(r['total']) >= 20 ? 'big' : 'small', doubled: Number(r['total']) * 2 };
          }),
      },
    });
    const first = await buildModels(wh, [model], { now: () => NOW });
    expect(first.models[0]).toMatchObject({ status: 'succeeded', rows: 6 });
    expect(await wh.all(`select order_id, label, doubled from intermediate.int_order_labels where order_id in ('o1', 'o4') order by 1`)).toEqual([
      { order_id: 'o1', label: 'small', doubled: 21 },
      { order_id: 'o4', label: 'big', doubled: 198 },
    ]);
    seen.length = 0;
    await wh.run(`insert into raw.shop__orders values ('o9', 'c1', 'paid', 30, '2026-03-09T00:00:00Z', '2026-03-09T01:00:00Z', 'r2')`);
    const second = await buildModels(wh, [model], { now: () => NOW });
    expect(second.models[0]).toMatchObject({ status: 'succeeded', rows: 7, rowsWritten: 1 });
    expect(seen).toEqual(['o9']);
  });
  it('hand a batched compute its input in batches of at most batchRows rows, and keep every output row', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const batches: number[] = [];
    const model = defineModel({
      name: 'int_order_totals',
      layer: 'intermediate',
      sql: sqlFile(setup.dir, 'int_order_totals', 'select order_id, total from raw.shop__orders'),
      materialized: 'table',
      grain: 'order',
      uniqueKey: ['order_id'],
      description: 'Each order total ×10, computed in batches.',
      columns: {
        order_id: { type: 'VARCHAR', description: 'order id' },
        total_x10: { type: 'DOUBLE', description: 'total × 10' },
      },
      compute: {
        version: '1',
        batchRows: 4,
        run: (rows) => {
          batches.push(rows.length);
          return rows.map((r) => ({ order_id: r['order_id'], total_x10: Number(r['total']) * 10 }));
        },
      },
    });
    const result = await buildModels(wh, [model], { now: () => NOW });
    expect(result.models[0]).toMatchObject({ status: 'succeeded', rows: 6, rowsWritten: 6 });
    // 6 orders in batches of at most 4: 4 + 2.
    expect(batches).toEqual([4, 2]);
    // o1 10.5 × 10 = 105; o6 12 × 10 = 120
    expect(await wh.all(`select order_id, total_x10 from intermediate.int_order_totals where order_id in ('o1', 'o6') order by 1`)).toEqual([
      { order_id: 'o1', total_x10: 105 },
      { order_id: 'o6', total_x10: 120 },
    ]);
  });
  it('run compute models one at a time, while SQL models still build beside them', async () => {
    const setup = await setupWarehouse();
    wh = setup.wh;
    const events: string[] = [];
    const computeModel = (name: string) =>
      defineModel({
        name,
        layer: 'intermediate',
        sql: sqlFile(setup.dir, name, 'select order_id from raw.shop__orders'),
        materialized: 'table',
        grain: 'order',
        uniqueKey: ['order_id'],
        description: 'Orders passed through a slow asynchronous compute step.',
        columns: { order_id: { type: 'VARCHAR', description: 'order id' } },
        compute: {
          version: '1',
          run: async (rows) => {
            events.push(`${name} start`);
            await new Promise((resolve) => setTimeout(resolve, 150));
            events.push(`${name} end`);
            return rows.map((r) => ({ order_id: r['order_id'] }));
          },
        },
      });
    const sqlModel = defineModel({
      name: 'int_order_count',
      layer: 'intermediate',
      sql: sqlFile(setup.dir, 'int_order_count', 'select count(*) as orders from raw.shop__orders'),
      materialized: 'table',
      grain: 'warehouse',
      uniqueKey: ['orders'],
      description: 'How many orders there are.',
      columns: { orders: { type: 'BIGINT', description: 'orders' } },
    });
    const result = await buildModels(wh, [computeModel('int_compute_a'), computeModel('int_compute_b'), sqlModel], { now: () => NOW, concurrency: 4 });
    expect(result.models.map((m) => m.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // Never "a start, b start": the second compute starts only after the first has ended.
    expect(events).toEqual(events[0] === 'int_compute_a start' ? ['int_compute_a start', 'int_compute_a end', 'int_compute_b start', 'int_compute_b end'] : ['int_compute_b start', 'int_compute_b end', 'int_compute_a start', 'int_compute_a end']);
  });
});
