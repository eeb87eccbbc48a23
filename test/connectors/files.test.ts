import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { buildSource } from '../../connectors/registry.ts';
import { runExtract } from '../../jobs/steps.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-files-'));
  const root = join(dir, 'exports');
  mkdirSync(root);
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  return { dir, root, wh };
}

const ordersSource = (root: string, format = 'csv', glob = '*.csv') => ({
  type: 'files',
  root,
  streams: { orders: { glob, format, primaryKey: 'order_id', fields: { order_id: { type: 'string', required: true }, amount: 'number', placed_at: 'timestamp', status: { type: 'string', enum: ['paid', 'refunded'] } } } },
});

describe('file sources', () => {
  it('loads every good CSV row and quarantines each bad one with its line and reason', async () => {
    const { root, wh } = await setup();
    writeFileSync(
      join(root, 'orders.csv'),
      Buffer.concat([
        Buffer.from('\ufefforder_id,amount,placed_at,status\n'), // a BOM, as spreadsheet exports write it
        Buffer.from('o1,10.50,2026-01-01T10:00:00Z,paid\n'),
        Buffer.from('o2,ten,2026-01-02T10:00:00Z,paid\n'), // wrong type
        Buffer.from('o3,7.25\n'), // ragged: too few columns
        Buffer.from('o4,1,2026-01-04T10:00:00Z,paid,extra\n'), // ragged: too many
        Buffer.from('o5,3,2026-01-05T10:00:00Z,bad '),
        Buffer.from([0xff]),
        Buffer.from(' utf8\n'), // invalid UTF-8
        Buffer.from('o6,4,2026-01-06T10:00:00Z,lost\n'), // not an allowed value
        Buffer.from('o7,"1,234.5",2026-01-07T10:00:00Z,refunded\n'), // wrong type inside quotes
        Buffer.from('o8,99,2026-01-08T10:00:00Z,paid\n'),
      ]),
    );
    writeFileSync(join(root, 'empty.csv'), '');
    const source = buildSource('shopfiles', ordersSource(root), root);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.status, JSON.stringify(result.streams)).toBe('succeeded');
    expect(result.streams[0]).toMatchObject({ rowsLoaded: 2, rowsQuarantined: 6 });
    const rows = await wh.all<{ order_id: string; amount: number }>(`select order_id, amount from raw.shopfiles__orders order by 1`);
    expect(rows).toEqual([
      { order_id: 'o1', amount: 10.5 },
      { order_id: 'o8', amount: 99 },
    ]);
    const reasons = (await wh.all<{ reason: string }>(`select reason from meta.quarantine order by reason`)).map((r) => r.reason);
    expect(reasons).toEqual([
      'amount: expected DOUBLE, got 1,234.5 (line 8)',
      'amount: expected DOUBLE, got ten (line 3)',
      expect.stringMatching(/^line: invalid UTF-8 — the file is not UTF-8 encoded; re-export it as UTF-8 \(.*orders\.csv line 6\)$/),
      expect.stringMatching(/^line: too many columns — Expected Number of Columns: 4 Found: 5 \(.*orders\.csv line 5\)$/),
      expect.stringMatching(/^placed_at: missing columns — Expected Number of Columns: 4 Found: 2 \(.*orders\.csv line 4\)$/),
      'status: expected one of paid, refunded, got lost (line 7)',
    ]);
  });

  it('loads each file once, and again when its content changes', async () => {
    const { root, wh } = await setup();
    writeFileSync(join(root, 'a.csv'), 'order_id,amount,placed_at,status\no1,1,2026-01-01T00:00:00Z,paid\n');
    const source = buildSource('shopfiles', ordersSource(root), root);
    expect((await runExtract(wh, [source], { log: silentLogger })).streams[0]?.rowsLoaded).toBe(1);
    expect((await runExtract(wh, [source], { log: silentLogger })).streams[0]?.rowsLoaded).toBe(0);
    writeFileSync(join(root, 'a.csv'), 'order_id,amount,placed_at,status\no1,2,2026-01-01T00:00:00Z,refunded\n');
    expect((await runExtract(wh, [source], { log: silentLogger })).streams[0]?.rowsLoaded).toBe(1);
    expect(await wh.all(`select order_id, amount, status from raw.shopfiles__orders`)).toEqual([{ order_id: 'o1', amount: 2, status: 'refunded' }]);
  });

  it('reads NDJSON and Parquet files with the same checks', async () => {
    const { root, wh } = await setup();
    writeFileSync(join(root, 'a.ndjson'), '{"order_id":"n1","amount":5,"placed_at":"2026-02-01T00:00:00Z","status":"paid"}\n{"order_id":"n2","amount":"x"}\n');
    await wh.run(`copy (select 'p1' as order_id, 7.5::double as amount, timestamptz '2026-03-01 00:00:00+00' as placed_at, 'paid' as status) to '${join(root, 'a.parquet')}' (format parquet)`);
    const ndjson = buildSource('nd', ordersSource(root, 'ndjson', '*.ndjson'), root);
    const parquet = buildSource('pq', ordersSource(root, 'parquet', '*.parquet'), root);
    const result = await runExtract(wh, [ndjson, parquet], { log: silentLogger });
    expect(result.streams.map((s) => [s.source, s.rowsLoaded, s.rowsQuarantined])).toEqual([
      ['nd', 1, 1],
      ['pq', 1, 0],
    ]);
  });

  it('refuses a glob or a link that leads outside the configured folder', async () => {
    const { dir, root, wh } = await setup();
    writeFileSync(join(dir, 'secret.csv'), 'order_id\nx\n');
    const escaping = buildSource('esc', ordersSource(root, 'csv', '../*.csv'), root);
    const first = await runExtract(wh, [escaping], { log: silentLogger });
    expect(first.streams[0]?.error).toContain('must be relative to');
    symlinkSync(join(dir, 'secret.csv'), join(root, 'link.csv'));
    const linked = buildSource('lnk', ordersSource(root), root);
    const second = await runExtract(wh, [linked], { log: silentLogger });
    expect(second.streams[0]?.error).toContain('resolves outside the configured folder');
  });

  it('quarantines survey scores outside their scale with the reason', async () => {
    const { root, wh } = await setup();
    writeFileSync(
      join(root, 'responses-1.csv'),
      'response_id,survey,score,responded_at,customer_id,comment\nr1,nps,10,2026-01-01T00:00:00Z,1,great\nr2,nps,11,2026-01-01T00:00:00Z,2,\nr3,csat,0,2026-01-01T00:00:00Z,3,\nr4,ces,7,2026-01-01T00:00:00Z,4,easy\nr5,ces,8,2026-01-01T00:00:00Z,5,\nr6,xyz,3,2026-01-01T00:00:00Z,6,\n',
    );
    const source = buildSource('surveys', { type: 'surveys', root }, root);
    const result = await runExtract(wh, [source], { log: silentLogger });
    expect(result.streams[0]).toMatchObject({ rowsLoaded: 2, rowsQuarantined: 4 });
    const reasons = (await wh.all<{ reason: string }>(`select reason from meta.quarantine order by reason`)).map((r) => r.reason);
    expect(reasons).toEqual([
      'score: CES scores are 1–7 (line 6)',
      'score: CSAT scores are 1–5 (line 4)',
      'score: NPS scores are 0–10 (line 3)',
      'survey: expected one of nps, csat, ces, got xyz (line 7)',
    ]);
  });
});
