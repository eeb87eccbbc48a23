import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersFileError, readOrdersFile } from '../../../models/clv/orders-file.ts';

describe('readOrdersFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clv-orders-'));
    writeFileSync(join(dir, 'orders.csv'), 'Customer,created_at,total\nc1,2024-01-05T10:00:00Z,12.5\nc2,2024-01-06,30\n42,2024-02-01T23:30:00-05:00,7.25\n');
    writeFileSync(join(dir, 'custom.csv'), 'buyer,when,value_eur\nc1,2024-01-05,1\n');
    writeFileSync(join(dir, 'no-amount.csv'), 'customer_id,order_date\nc1,2024-01-05\n');
    writeFileSync(join(dir, 'bad-date.csv'), 'customer_id,order_date,amount\nc1,2024-01-05,1\nc2,not a date,2\n');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`copy (
        select * from (values ('c1', date '2024-01-05', 12.50::decimal(10, 2)), ('c2', date '2024-01-06', 30.00::decimal(10, 2)))
          as t(customer_id, order_date, amount)
      ) to '${join(dir, 'orders.parquet')}' (format parquet)`);
    connection.closeSync();
    instance.closeSync();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a CSV with common column names, dates as UTC instants', async () => {
    const orders = await readOrdersFile(join(dir, 'orders.csv'));
    expect(orders).toEqual([
      { customerId: 'c1', date: new Date('2024-01-05T10:00:00Z'), amount: 12.5 },
      { customerId: 'c2', date: new Date('2024-01-06T00:00:00Z'), amount: 30 },
      { customerId: '42', date: new Date('2024-02-02T04:30:00Z'), amount: 7.25 },
    ]);
  });

  it('reads Parquet with DATE and DECIMAL columns', async () => {
    const orders = await readOrdersFile(join(dir, 'orders.parquet'));
    expect(orders).toEqual([
      { customerId: 'c1', date: new Date('2024-01-05T00:00:00Z'), amount: 12.5 },
      { customerId: 'c2', date: new Date('2024-01-06T00:00:00Z'), amount: 30 },
    ]);
  });

  it('takes explicit column names', async () => {
    const orders = await readOrdersFile(join(dir, 'custom.csv'), { columns: { customerId: 'buyer', date: 'when', amount: 'value_eur' } });
    expect(orders).toEqual([{ customerId: 'c1', date: new Date('2024-01-05T00:00:00Z'), amount: 1 }]);
  });

  it('names the file and the missing column, and what to do', async () => {
    const file = join(dir, 'no-amount.csv');
    const error = await readOrdersFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrdersFileError);
    expect((error as OrdersFileError).message).toBe(`${file} has no amount column (looked for amount, total, revenue, total_price, order_total, value; found customer_id, order_date)`);
    expect((error as OrdersFileError).hint).toBe('rename the column, or pass its name as columns.amount');
    expect((error as OrdersFileError).context).toEqual({ file, field: 'amount' });
  });

  it('names the row with an unreadable date', async () => {
    await expect(readOrdersFile(join(dir, 'bad-date.csv'))).rejects.toThrow('column order_date, data row 2 is not a date: not a date');
  });

  it('refuses a missing file or an unknown extension', async () => {
    await expect(readOrdersFile(join(dir, 'missing.csv'))).rejects.toThrow(/cannot read .*missing\.csv as csv/);
    await expect(readOrdersFile(join(dir, 'orders.xlsx'))).rejects.toThrow(/cannot tell the format/);
  });
});
