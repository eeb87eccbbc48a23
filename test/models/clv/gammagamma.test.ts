import { describe, expect, it } from 'vitest';
import {
  conditionalExpectedSpend,
  gammaGammaLogLikelihood,
  makeGammaGammaLogLikelihood,
  packGammaGammaData,
  populationMeanSpend,
} from '../../../models/clv/gammagamma.ts';

describe('gammaGammaLogLikelihood', () => {
  it('matches hand computations of f(m_x) = Γ(px+q)/(Γ(px)Γ(q)) · v^q m^(px−1) x^(px) / (v + x·m)^(px+q)', () => {
    // p = 1, q = 2, v = 3, x = 1, m = 2: Γ(3)/(Γ(1)Γ(2)) = 2; 3² = 9; 2⁰ = 1; 1¹ = 1; (3+2)³ = 125 → 18/125 = 0.144
    expect(gammaGammaLogLikelihood({ p: 1, q: 2, v: 3 }, 1, 2)).toBeCloseTo(Math.log(0.144), 13);
    // p = 0.5, q = 3, v = 2, x = 2, m = 4: px = 1; Γ(4)/(Γ(1)Γ(3)) = 3; 2³ = 8; 4⁰ = 1; 2¹ = 2; (2+8)⁴ = 10⁴ → 48/10⁴
    expect(gammaGammaLogLikelihood({ p: 0.5, q: 3, v: 2 }, 2, 4)).toBeCloseTo(Math.log(0.0048), 13);
  });

  it('sums over repeat buyers with positive spend only', () => {
    const customers = [
      { frequency: 1, monetaryValue: 2 },
      { frequency: 0, monetaryValue: 0 },
      { frequency: 3, monetaryValue: 17.5 },
      { frequency: 2, monetaryValue: 0 },
    ];
    const data = packGammaGammaData(customers);
    expect(data.customers).toBe(2);
    const params = { p: 6, q: 4, v: 15 };
    const expected = gammaGammaLogLikelihood(params, 1, 2) + gammaGammaLogLikelihood(params, 3, 17.5);
    expect(makeGammaGammaLogLikelihood(data)(params)).toBeCloseTo(expected, 12);
  });
});

describe('conditionalExpectedSpend', () => {
  const params = { p: 6, q: 4, v: 15 };

  it('weights the population mean and the customer mean', () => {
    // population mean v·p/(q−1) = 15·6/3 = 30
    expect(populationMeanSpend(params)).toBe(30);
    // x = 2, m = 20: ((q−1)/(px+q−1))·30 + (px/(px+q−1))·20 = (3/15)·30 + (12/15)·20 = 6 + 16 = 22
    expect(conditionalExpectedSpend(params, 2, 20)).toBeCloseTo(22, 13);
  });

  it('is the population mean without repeat spend', () => {
    expect(conditionalExpectedSpend(params, 0, 0)).toBe(30);
    expect(conditionalExpectedSpend(params, 2, 0)).toBe(30);
  });

  it('has no finite population mean when q ≤ 1', () => {
    expect(populationMeanSpend({ p: 6, q: 1, v: 15 })).toBe(Number.POSITIVE_INFINITY);
  });
});
