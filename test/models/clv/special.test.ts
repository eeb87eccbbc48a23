import { describe, expect, it } from 'vitest';
import { gammaSign, hyp2f1, hyp2f1Series, lnBeta, lnGamma } from '../../../models/clv/special.ts';

describe('lnGamma', () => {
  it('matches known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14); // Γ(1) = 1
    expect(lnGamma(2)).toBeCloseTo(0, 14); // Γ(2) = 1! = 1
    expect(lnGamma(0.5)).toBeCloseTo(0.5723649429247001, 13); // Γ(1/2) = √π → ln √π
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12); // Γ(10) = 9! = 362880
    expect(lnGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 13); // Γ(1/4) = 3.6256099082…
    expect(lnGamma(100) / 359.1342053695754 - 1).toBeLessThan(1e-14); // ln 99!
    expect(lnGamma(1e-8)).toBeCloseTo(18.420680738180209, 8); // ≈ −ln(1e-8) − γ·1e-8
  });

  it('reflects to negative non-integers and has poles at 0, −1, …', () => {
    // Γ(−1/2) = −2√π, so ln|Γ(−1/2)| = ln(2√π) = 1.2655121234846454 and the sign is −1.
    expect(lnGamma(-0.5)).toBeCloseTo(1.2655121234846454, 13);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1); // Γ(−3/2) = 4√π/3 > 0
    expect(lnGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(lnGamma(-3)).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives lnBeta', () => {
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14); // B(2,3) = 1!·2!/4! = 2/24
  });
});

describe('hyp2f1', () => {
  it('matches 2F1(1,1;2;z) = −ln(1−z)/z, with the plain series even near 1 (c − a − b = 0 is an integer)', () => {
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(1.3862943611198906, 13); // −ln 0.5 / 0.5 = 2 ln 2
    expect(hyp2f1(1, 1, 2, 0.95)).toBeCloseTo(3.1534023932147273, 12); // −ln 0.05 / 0.95
    expect(hyp2f1(1, 1, 2, 0.99)).toBeCloseTo(4.6516870565536275, 11); // −ln 0.01 / 0.99
  });

  it('uses the 1 − z connection formula near 1 and matches closed forms there', () => {
    // 2F1(1/2, 1/2; 3/2; s²) = arcsin(s)/s; s² = 0.99: arcsin(√0.99)/√0.99 = 1.478037662374775.
    expect(hyp2f1(0.5, 0.5, 1.5, 0.99)).toBeCloseTo(1.478037662374775, 12);
    // 2F1(a, b; b; z) = (1−z)^(−a): 0.05^(−1/2) = √20 = 4.47213595499958 (a pole in 1/Γ(c−b)).
    expect(hyp2f1(0.5, 1, 1, 0.95)).toBeCloseTo(4.47213595499958, 11);
  });

  it('agrees with the series where both apply', () => {
    // The parameters BG/NBD's conditional expectation uses for CDNOW-like fits (a+b−1−r, a−1; a+b+x−1).
    for (const [a, b, c] of [[2.976, -0.207, 3.219], [2.976, -0.207, 13.219], [0.3, 1.7, 2.45]] as const) {
      for (const z of [0.91, 0.95, 0.98]) {
        const series = hyp2f1Series(a, b, c, z);
        expect(Math.abs(hyp2f1(a, b, c, z) / series - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('handles z = 1 (Gauss), z < 0 (Pfaff), and terminating series', () => {
    expect(hyp2f1(1, 1, 3, 1)).toBeCloseTo(2, 13); // Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
    expect(hyp2f1(1, 1, 2, -1)).toBeCloseTo(Math.LN2, 14); // −ln(1 − (−1))/(−1) = ln 2
    // 2F1(−2, 3; 4; 1/2) = 1 − (2·3/4)(1/2) + ((−2)(−1)·3·4/(4·5·2!))(1/4) = 1 − 0.75 + 0.15 = 0.4
    expect(hyp2f1(-2, 3, 4, 0.5)).toBeCloseTo(0.4, 14);
  });

  it('rejects a pole in c and z beyond the branch point', () => {
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(RangeError);
  });
});
