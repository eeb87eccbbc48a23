/**
 * `pulse clv --orders FILE --as-of DATE [--period day|week|month] [--horizon N] [--discount R] [--out FILE]`:
 * fits BG/NBD + Gamma-Gamma by maximum likelihood on an orders file (CSV or Parquet with customer
 * id, order date, amount), using only orders up to the as-of date; prints the parameters and fit
 * diagnostics (JSON with --json) and writes per-customer predictions (CSV) with --out. Needs no
 * config or warehouse.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import { fitClv, predictClv, readOrdersFile, summarizeOrders, type PeriodUnit } from '../../models/clv/index.ts';

/** Options of the clv command. */
export interface ClvCommandOptions {
  orders: string | undefined;
  asOf: string | undefined;
  period: string;
  horizon: string;
  discount: string;
  out: string | undefined;
  json: boolean;
}

/** Runs `pulse clv`; returns the exit code. Errors (bad file, too few repeat buyers) are thrown typed. */
export async function clvCommand(options: ClvCommandOptions, write: (text: string) => void): Promise<number> {
  if (!options.orders) throw new ConfigError('--orders FILE is required (CSV or Parquet with customer id, order date and amount)');
  if (!options.asOf || !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) throw new ConfigError(`--as-of must be a date like 2026-10-31, not "${options.asOf ?? ''}"`);
  const period = options.period as PeriodUnit;
  if (!['day', 'week', 'month'].includes(period)) throw new ConfigError(`--period must be day, week or month, not "${options.period}"`);
  const horizon = Number(options.horizon);
  if (!Number.isInteger(horizon) || horizon < 1) throw new ConfigError(`--horizon must be a whole number of periods ≥ 1, not "${options.horizon}"`);
  const discount = Number(options.discount);
  if (!(discount >= 0 && discount < 1)) throw new ConfigError(`--discount must be an annual rate between 0 and 1, not "${options.discount}"`);

  const orders = await readOrdersFile(resolve(options.orders));
  const summaries = summarizeOrders(orders, options.asOf, period);
  const model = fitClv(summaries, { period });
  const predictions = predictClv(model, summaries, { horizon, period, annualDiscountRate: discount });
  const result = {
    asOf: options.asOf,
    period,
    horizon,
    annualDiscountRate: discount,
    ordersRead: orders.length,
    customers: summaries.length,
    bgnbd: model.bgnbd,
    gammaGamma: model.gammaGamma,
    diagnostics: model.diagnostics,
    predictionsFile: options.out ? resolve(options.out) : null,
  };
  if (options.out) {
    const file = resolve(options.out);
    const lines = ['customer_id,frequency,recency,T,monetary_value,expected_purchases,p_alive,expected_value_per_purchase,predicted_clv'];
    predictions.forEach((p, i) => {
      const s = summaries[i]!;
      const id = String(p.customerId ?? s.customerId);
      lines.push([/[",\n]/.test(id) ? `"${id.replaceAll('"', '""')}"` : id, s.frequency, s.recency, s.T, s.monetaryValue, p.expectedPurchases, p.probabilityAlive, p.expectedValuePerPurchase, p.predictedClv].join(','));
    });
    writeFileSync(`${file}.tmp`, lines.join('\n') + '\n');
    renameSync(`${file}.tmp`, file);
  }
  if (options.json) write(JSON.stringify(result, null, 2));
  else {
    const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));
    const d = model.diagnostics;
    write(
      [
        `CLV fit as of ${options.asOf} in ${period}s: ${summaries.length} customers, ${d.repeatBuyers} repeat buyers (${orders.length} orders read)`,
        `BG/NBD      r=${f(model.bgnbd.r)} alpha=${f(model.bgnbd.alpha)} a=${f(model.bgnbd.a)} b=${f(model.bgnbd.b)}   log-likelihood ${d.bgnbd.logLikelihood.toFixed(2)} (${d.bgnbd.converged ? 'converged' : 'NOT converged'}, ${d.bgnbd.iterations} iterations)`,
        `Gamma-Gamma p=${f(model.gammaGamma.p)} q=${f(model.gammaGamma.q)} v=${f(model.gammaGamma.v)}   log-likelihood ${d.gammaGamma.logLikelihood.toFixed(2)} (${d.gammaGamma.converged ? 'converged' : 'NOT converged'}, ${d.gammaGamma.iterations} iterations)`,
        options.out ? `predictions for ${horizon} ${period}s (discount ${discount}/year) written to ${resolve(options.out)}` : 'add --out FILE for per-customer predictions',
      ].join('\n'),
    );
  }
  return 0;
}
