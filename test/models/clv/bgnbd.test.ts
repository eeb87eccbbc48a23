import { describe, expect, it } from 'vitest';
import {
  bgnbdLogLikelihood,
  conditionalExpectedPurchases,
  expectedPurchases,
  groupBgNbdData,
  makeBgNbdLogLikelihood,
  probabilityAlive,
} from '../../../models/clv/bgnbd.ts';
import { hyp2f1Series } from '../../../models/clv/special.ts';
import { simulateCustomers } from './simulate.ts';

describe('bgnbdLogLikelihood (eq. 6)', () => {
  const params = { r: 2, alpha: 3, a: 1, b: 2 };

  it('matches a hand computation for a repeat buyer', () => {
    // x = 2, t_x = 4, T = 6:
    //   B(a,b+x)/B(a,b) = B(1,4)/B(1,2) = (1/4)/(1/2) = 1/2
    //   Γ(r+x)α^r/(Γ(r)(α+T)^(r+x)) = Γ(4)·3²/(Γ(2)·9⁴) = 6·9/6561 → first term 27/6561 = 1/243
    //   B(a+1,b+x−1)/B(a,b) = B(2,3)/B(1,2) = (1/12)/(1/2) = 1/6
    //   Γ(4)·3²/(Γ(2)·(3+4)⁴) = 54/2401 → second term 9/2401
    //   L = 1/243 + 9/2401 = (2401 + 2187)/583443 = 4588/583443
    expect(bgnbdLogLikelihood(params, 2, 4, 6)).toBeCloseTo(Math.log(4588 / 583443), 12);
  });

  it('matches a hand computation for a customer without repeats', () => {
    // x = 0, T = 6: L = B(1,2)/B(1,2) · Γ(2)·3²/(Γ(2)·9²) = 9/81 = 1/9 (no second term)
    expect(bgnbdLogLikelihood(params, 0, 0, 6)).toBeCloseTo(Math.log(1 / 9), 13);
  });

  it('sums grouped customers with their counts', () => {
    const customers = [
      { frequency: 2, recency: 4, T: 6 },
      { frequency: 2, recency: 4, T: 6 },
      { frequency: 0, recency: 0, T: 6 },
      { frequency: 3, recency: 5.5, T: 8 },
    ];
    const data = groupBgNbdData(customers);
    expect(data.weight.length).toBe(3);
    const expected = customers.reduce((sum, c) => sum + bgnbdLogLikelihood(params, c.frequency, c.recency, c.T), 0);
    expect(makeBgNbdLogLikelihood(data)(params)).toBeCloseTo(expected, 11);
  });
});

describe('probabilityAlive', () => {
  it('matches a hand computation', () => {
    // 1/(1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x)) = 1/(1 + (1/3)(9/7)⁴) = 1/(1 + 2187/2401) = 2401/4588
    expect(probabilityAlive({ r: 2, alpha: 3, a: 1, b: 2 }, 2, 4, 6)).toBeCloseTo(2401 / 4588, 14);
  });

  it('is 1 without repeat purchases (the model only lets customers drop out after one)', () => {
    expect(probabilityAlive({ r: 2, alpha: 3, a: 1, b: 2 }, 0, 0, 6)).toBe(1);
  });
});

describe('conditionalExpectedPurchases (eq. 10)', () => {
  it('matches a hand computation where the 2F1 is elementary', () => {
    // r = 2, α = 1, a = 2, b = 1, x = 1, t_x = 2, T = 3, t = 4: z = t/(α+T+t) = 4/8 = 1/2.
    // With r = a+b−1 the 2F1 is 2F1(c, b+x; c; z) = (1−z)^−(b+x), so the bracket is
    // 1 − (1−z)^(r+x)(1−z)^−(b+x) = 1 − (1−z)^(r−b) = z = 1/2, times (a+b+x−1)/(a−1) = 3 → 3/2.
    // Denominator 1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x) = 1 + 2·(4/3)³ = 155/27.
    // E = (3/2)·(27/155) = 81/310.
    expect(conditionalExpectedPurchases({ r: 2, alpha: 1, a: 2, b: 1 }, 4, 1, 2, 3)).toBeCloseTo(81 / 310, 13);
  });

  it('gives the unconditional E[X(t)] (eq. 9) for a new customer', () => {
    // r = 1, α = 1, a = 2, b = 1: E[X(t)] = (a+b−1)/(a−1)·[1 − (α/(α+t))^r·2F1(1, 1; 2; z)], z = t/(α+t),
    // and 2F1(1,1;2;z) = −ln(1−z)/z. t = 1: z = 1/2, E = 2·[1 − (1/2)·2 ln 2] = 2(1 − ln 2).
    expect(expectedPurchases({ r: 1, alpha: 1, a: 2, b: 1 }, 1)).toBeCloseTo(2 * (1 - Math.LN2), 13);
    // t = 99: z = 0.99, E = 2·[1 − 0.01·(−ln 0.01/0.99)] = 1.9069662588689273.
    expect(expectedPurchases({ r: 1, alpha: 1, a: 2, b: 1 }, 99)).toBeCloseTo(1.9069662588689273, 11);
    expect(expectedPurchases({ r: 1, alpha: 1, a: 2, b: 1 }, 0)).toBe(0);
  });

  it('equals eq. 10 evaluated literally (untransformed 2F1), including z > 0.9', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }; // the paper's CDNOW estimates
    const { r, alpha, a, b } = params;
    for (const [x, tx, T, t] of [[0, 0, 39, 39], [2, 30.4, 38.9, 52], [7, 35, 36, 400], [1, 1, 2, 80]] as const) {
      const z = t / (alpha + T + t);
      const bracket = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1Series(r + x, b + x, a + b + x - 1, z);
      const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
      const literal = (((a + b + x - 1) / (a - 1)) * bracket) / denominator;
      expect(Math.abs(conditionalExpectedPurchases(params, t, x, tx, T) / literal - 1)).toBeLessThan(1e-10);
    }
  });

  it('is continuous through a = 1, where eq. 10 is 0/0', () => {
    const at = (a: number) => conditionalExpectedPurchases({ r: 0.5, alpha: 3, a, b: 2 }, 20, 3, 10, 15);
    const value = at(1);
    expect(Number.isFinite(value)).toBe(true);
    expect(Math.abs(value - (at(1 - 1e-3) + at(1 + 1e-3)) / 2)).toBeLessThan(1e-6);
  });

  it('stays finite for a heavy buyer over a long horizon (the untransformed 2F1 would overflow)', () => {
    // x = 400 with z = 520/(4.414+39+520) ≈ 0.92: 2F1(r+x, b+x; a+b+x−1; z) grows like (1−z)^−400.
    const value = conditionalExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 520, 400, 38.9, 39);
    expect(Number.isFinite(value)).toBe(true);
    // Alive and buying ~10 a week, with dropout probability at most ~1/(b+x) per purchase.
    expect(value).toBeGreaterThan(100);
    expect(value).toBeLessThan(520 * 400 / 39);
  });
});

describe('BG/NBD against simulation with known parameters', () => {
  // 100k customers, T = 39 weeks, a 52-week holdout. Summed over customers, the model's expectations
  // must match what happened; each check is a z-test at 4 standard errors of the simulated sum.
  const params = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
  const customers = simulateCustomers({ customers: 100_000, bgnbd: params, gammaGamma: { p: 6, q: 4, v: 15 }, age: () => 39, holdout: 52 }, 7);

  it('predicts holdout purchases (Σ E[X(52) | x, t_x, T] vs Σ actual)', () => {
    let gap = 0;
    let squares = 0;
    for (const c of customers) {
      const residual = c.holdoutPurchases - conditionalExpectedPurchases(params, 52, c.frequency, c.recency, c.T);
      gap += residual;
      squares += residual * residual;
    }
    expect(Math.abs(gap)).toBeLessThan(4 * Math.sqrt(squares));
  });

  it('predicts how many are alive at T (Σ P(alive) vs Σ actual)', () => {
    let gap = 0;
    let variance = 0;
    for (const c of customers) {
      const p = probabilityAlive(params, c.frequency, c.recency, c.T);
      gap += (c.aliveAtT ? 1 : 0) - p;
      variance += p * (1 - p);
    }
    expect(Math.abs(gap)).toBeLessThan(4 * Math.sqrt(variance));
  });
});
