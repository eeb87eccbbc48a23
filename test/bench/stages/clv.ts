/**
 * CLV stage: fits BG/NBD + Gamma-Gamma (`fitClv`) to 100,000 × scale customers simulated from known
 * parameters (the simulator of the CLV tests), with ages spread over a year of weekly periods as a
 * shop's customer base has, and predicts their CLV (`predictClv`).
 */
import { fitClv, predictClv } from '../../../models/clv/index.ts';
import { simulateCustomers } from '../../models/clv/simulate.ts';
import { report, stageArgs, timed } from '../harness.ts';

const args = stageArgs();
const customers = Math.max(1000, Math.round(100_000 * args.scale));
const truth = { bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 } };
const summaries = simulateCustomers({ customers, ...truth, age: (_i, random) => 1 + Math.floor(random() * 52), resolution: 1 / 7 }, 20240331);
const { value: model, ms } = await timed(() => fitClv(summaries, { period: 'week' }));
const { ms: predictMs } = await timed(() => predictClv(model, summaries, { horizon: 12, period: 'month', annualDiscountRate: 0.1 }));
report(args, {
  customers,
  fitMs: Math.round(ms),
  predictMs: Math.round(predictMs),
  converged: model.diagnostics.bgnbd.converged && model.diagnostics.gammaGamma.converged,
  recoveredR: Math.round((model.bgnbd.r / truth.bgnbd.r) * 1000) / 1000,
});
