import { beforeAll, describe, expect, it } from 'vitest';
import { ClvFitError, type ClvModel, type ClvSummary, fitClv, predictClv, predictNewCustomerClv } from '../../../models/clv/fit.ts';
import { simulateCustomers } from './simulate.ts';

describe('fitClv parameter recovery', () => {
  // Simulated from known parameters, T = 39 weeks for everyone. With 100k customers the standard
  // errors (from the observed information) are r 0.7%, α 1.2%, a 2.9%, b 3.8%, p 2.5%, q 1.1%,
  // v 3.6%, so a 15% band is ≥ 3.9 standard errors for every parameter. (At 20k customers b's error
  // is ~8.5% and a 15% band fails for some seeds, which is why the sample is larger.)
  const truth = { bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 } };
  const customers = simulateCustomers({ customers: 100_000, ...truth, age: () => 39 }, 20240331);
  let model: ClvModel;
  beforeAll(() => {
    model = fitClv(customers, { period: 'week' });
  });
  const TOLERANCE = 0.15;

  it('recovers the BG/NBD parameters within 15%', () => {
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(model.bgnbd[key] / truth.bgnbd[key] - 1), key).toBeLessThan(TOLERANCE);
    }
  });

  it('recovers the Gamma-Gamma parameters within 15%', () => {
    for (const key of ['p', 'q', 'v'] as const) {
      expect(Math.abs(model.gammaGamma[key] / truth.gammaGamma[key] - 1), key).toBeLessThan(TOLERANCE);
    }
  });

  it('reports diagnostics', () => {
    const d = model.diagnostics;
    expect(d.customers).toBe(100_000);
    expect(d.repeatBuyers).toBe(customers.filter((c) => c.frequency > 0).length);
    expect(d.bgnbd.converged).toBe(true);
    expect(d.gammaGamma.converged).toBe(true);
    expect(d.bgnbd.logLikelihood).toBeLessThan(0);
    expect(Math.abs(d.spendFrequencyCorrelation)).toBeLessThan(0.05); // simulated independent
  });
});

describe('fitClv refusals', () => {
  const oneTimers = (n: number): ClvSummary[] => Array.from({ length: n }, () => ({ frequency: 0, recency: 0, T: 20, monetaryValue: 0 }));
  const repeaters = (n: number): ClvSummary[] => Array.from({ length: n }, (_, i) => ({ frequency: 1 + (i % 3), recency: 5 + i, T: 30, monetaryValue: 10 + i }));

  it('refuses too few repeat buyers with what to do', () => {
    const attempt = () => fitClv([...oneTimers(200), ...repeaters(5)], { period: 'week' });
    expect(attempt).toThrow(ClvFitError);
    expect(attempt).toThrow('only 5 of 205 customers have a repeat purchase; at least 10 are needed');
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as ClvFitError).code).toBe('too-few-repeat-buyers');
      expect((error as ClvFitError).hint).toMatch(/longer order history/);
    }
  });

  it('refuses data without any repeat purchase', () => {
    expect(() => fitClv(oneTimers(50), { period: 'day' })).toThrow(expect.objectContaining({ code: 'no-repeat-buyers' }));
  });

  it('refuses no customers and invalid summaries, naming the field', () => {
    expect(() => fitClv([], { period: 'day' })).toThrow(expect.objectContaining({ code: 'no-customers' }));
    const invalid = [...repeaters(20), { frequency: 2, recency: 40, T: 30, monetaryValue: 5 }];
    expect(() => fitClv(invalid, { period: 'day' })).toThrow(expect.objectContaining({ code: 'invalid-summary', message: expect.stringContaining('summaries[20].recency') }));
  });
});

describe('predictClv', () => {
  // Parameters where E[X(t) | x=1, t_x=2, T=3] = (2+x)·z/D with z = t/(α+T+t), D = 155/27
  // (see bgnbd.test.ts), and E[X(t)] for a new customer = 2t/(1+t).
  const model: ClvModel = {
    period: 'week',
    bgnbd: { r: 2, alpha: 1, a: 2, b: 1 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    diagnostics: {
      customers: 0,
      repeatBuyers: 0,
      spendFrequencyCorrelation: 0,
      bgnbd: { logLikelihood: 0, converged: true, iterations: 0, evaluations: 0, customers: 0 },
      gammaGamma: { logLikelihood: 0, converged: true, iterations: 0, evaluations: 0, customers: 0 },
    },
  };
  const customer = { customerId: 'a', frequency: 1, recency: 2, T: 3, monetaryValue: 20 };
  // E after 1 week: 3·(1/5)·27/155 = 81/775; after 2 weeks: 3·(2/6)·27/155 = 27/155.
  const e1 = 81 / 775;
  const e2 = 27 / 155;
  // E[M | x=1, m=20] = p(v + x·m)/(px + q − 1) = 6·35/9 = 70/3.
  const value = 70 / 3;

  it('sums expected purchases per period at the expected value, undiscounted', () => {
    const [p] = predictClv(model, [customer], { horizon: 2, period: 'week', annualDiscountRate: 0 });
    expect(p?.customerId).toBe('a');
    expect(p?.expectedPurchases).toBeCloseTo(e2, 13);
    expect(p?.probabilityAlive).toBeCloseTo(27 / 155, 13); // 1/D
    expect(p?.expectedValuePerPurchase).toBeCloseTo(value, 12);
    expect(p?.predictedClv).toBeCloseTo(value * e2, 12); // 70/3 · 27/155 = 630/155
  });

  it('discounts each period to its end at the annual rate', () => {
    const [p] = predictClv(model, [customer], { horizon: 2, period: 'week', annualDiscountRate: 0.1 });
    // week 1: e1 purchases discounted by 1.1^(−7/365.25); week 2: (e2 − e1) by 1.1^(−14/365.25).
    const expected = value * (e1 * 1.1 ** (-7 / 365.25) + (e2 - e1) * 1.1 ** (-14 / 365.25));
    expect(p?.predictedClv).toBeCloseTo(expected, 12);
  });

  it('converts the horizon unit to the model unit', () => {
    // One month = 30.4375 days = 4.348… weeks.
    const [p] = predictClv(model, [customer], { horizon: 1, period: 'month', annualDiscountRate: 0 });
    const t = 30.4375 / 7;
    expect(p?.expectedPurchases).toBeCloseTo(((3 * t) / (4 + t)) * (27 / 155), 12);
  });

  it('values customers without repeats, and new customers, at the population mean spend', () => {
    const [p] = predictClv(model, [{ customerId: 'z', frequency: 0, recency: 0, T: 3, monetaryValue: 0 }], { horizon: 2, period: 'week', annualDiscountRate: 0 });
    expect(p?.expectedValuePerPurchase).toBe(30); // v·p/(q−1) = 15·6/3
    const fresh = predictNewCustomerClv(model, { horizon: 2, period: 'week', annualDiscountRate: 0 });
    // E[X(2)] = 2·2/(1+2) = 4/3 purchases at 30 each = 40.
    expect(fresh.expectedPurchases).toBeCloseTo(4 / 3, 13);
    expect(fresh.predictedClv).toBeCloseTo(40, 12);
  });

  it('rejects a horizon that is not a whole number of periods', () => {
    expect(() => predictClv(model, [customer], { horizon: 1.5, period: 'week', annualDiscountRate: 0 })).toThrow(RangeError);
  });
});
