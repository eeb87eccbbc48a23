import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../core/sample-world/index.ts';
import { runPulse } from '../support/cli.ts';

let dir: string;
let ordersFile: string;
let customers: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-clv-'));
  const world = generateWorld({ seed: 7, scale: 0.1 });
  const lines = ['customer_id,order_date,amount'];
  for (const o of world.commerce.orders) lines.push(`${o.customerId},${o.createdAt.slice(0, 10)},${(o.totalCents / 100).toFixed(2)}`);
  ordersFile = join(dir, 'orders.csv');
  writeFileSync(ordersFile, lines.join('\n') + '\n');
  customers = new Set(world.commerce.orders.filter((o) => o.createdAt.slice(0, 10) <= '2026-06-30').map((o) => o.customerId)).size;
});

describe('pulse clv', () => {
  it('fits an orders file as of a date and writes a prediction per customer', async () => {
    const out = join(dir, 'predictions.csv');
    const run = await runPulse(['clv', '--orders', ordersFile, '--as-of', '2026-06-30', '--period', 'week', '--horizon', '26', '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { customers: number; bgnbd: Record<string, number>; gammaGamma: Record<string, number>; diagnostics: { bgnbd: { converged: boolean; logLikelihood: number } } };
    // Only orders up to the as-of date count.
    expect(result.customers).toBe(customers);
    for (const value of [...Object.values(result.bgnbd), ...Object.values(result.gammaGamma)]) expect(value).toBeGreaterThan(0);
    expect(result.diagnostics.bgnbd.converged).toBe(true);
    expect(Number.isFinite(result.diagnostics.bgnbd.logLikelihood)).toBe(true);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('customer_id,frequency,recency,T,monetary_value,expected_purchases,p_alive,expected_value_per_purchase,predicted_clv');
    expect(rows).toHaveLength(customers + 1);
    for (const row of rows.slice(1, 50)) {
      const pAlive = Number(row.split(',')[6]);
      expect(pAlive).toBeGreaterThanOrEqual(0);
      expect(pAlive).toBeLessThanOrEqual(1);
    }
  });

  it('says clearly when the data cannot support a fit, and when a column is missing', async () => {
    const tiny = join(dir, 'tiny.csv');
    writeFileSync(tiny, 'customer_id,order_date,amount\n1,2026-01-01,10\n2,2026-01-02,20\n2,2026-02-02,25\n');
    const few = await runPulse(['clv', '--orders', tiny, '--as-of', '2026-06-30']);
    expect(few.code).toBe(1);
    expect(few.stderr).toMatch(/only 1 of 2 customers have a repeat purchase/);
    expect(few.stderr).not.toMatch(/\n\s+at /);
    const noAmount = join(dir, 'no-amount.csv');
    writeFileSync(noAmount, 'customer_id,order_date\n1,2026-01-01\n');
    const missing = await runPulse(['clv', '--orders', noAmount, '--as-of', '2026-06-30']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/amount/);
    const usage = await runPulse(['clv', '--orders', ordersFile]);
    expect(usage.code).toBe(2);
  });
});
