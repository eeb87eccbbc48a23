/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting Your Customers the
 * Easy Way"). While alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase
 * they drop out with probability p ~ Beta(a, b). A customer is summarised by x (repeat
 * purchases), t_x (time of the last purchase since the first) and T (time since the first
 * purchase), all in one time unit.
 */
import { hyp2f1, lnGamma } from './special.ts';

/** BG/NBD parameters: r, alpha (Gamma purchase rates), a, b (Beta dropout probabilities); all > 0. */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Returns one customer's log-likelihood (eq. 6 of the paper, in log space):
 * L = B(a,b+x)/B(a,b) · Γ(r+x)α^r / (Γ(r)(α+T)^(r+x))
 *   + [x > 0] · B(a+1,b+x−1)/B(a,b) · Γ(r+x)α^r / (Γ(r)(α+t_x)^(r+x)).
 */
export function bgnbdLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const rateTerm = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
  // B(a, b+x)/B(a, b) = Γ(a+b)Γ(b+x) / (Γ(b)Γ(a+b+x)).
  const betaTerm = lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  const aliveAtT = -(r + x) * Math.log(alpha + T);
  if (x === 0) return rateTerm + betaTerm + aliveAtT;
  // B(a+1, b+x−1)/B(a, b+x) = a/(b+x−1).
  const diedAfterLast = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return rateTerm + betaTerm + logAddExp(aliveAtT, diedAfterLast);
}

/** Returns ln(e^u + e^v) without overflow. */
function logAddExp(u: number, v: number): number {
  const hi = u > v ? u : v;
  const lo = u > v ? v : u;
  if (hi === Number.NEGATIVE_INFINITY) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/**
 * Customers grouped by identical (x, t_x, T), with counts as weights, in flat typed arrays: the
 * likelihood of a group is computed once and multiplied by its weight. Times are stored once each
 * (`times`) and referenced by index, so ln(α + t) is computed once per distinct time.
 */
export interface BgNbdData {
  /** The distinct x values. */
  xs: Float64Array;
  /** The distinct times (t_x and T values). */
  times: Float64Array;
  /** Per group: index into `xs`. */
  xIndex: Int32Array;
  /** Per group: index of t_x in `times`. */
  txIndex: Int32Array;
  /** Per group: index of T in `times`. */
  TIndex: Int32Array;
  /** Per group: how many customers share it. */
  weight: Float64Array;
  /** Number of customers (sum of weights). */
  customers: number;
}

/** Returns the position of `value` in `values`, appending it if new. */
function intern(value: number, values: number[], positions: Map<number, number>): number {
  let position = positions.get(value);
  if (position === undefined) {
    position = values.length;
    values.push(value);
    positions.set(value, position);
  }
  return position;
}

/** Groups customers by identical (x, t_x, T); t_x is ignored (set to 0) when x = 0. */
export function groupBgNbdData(customers: ReadonlyArray<{ frequency: number; recency: number; T: number }>): BgNbdData {
  const groupOf = new Map<string, number>();
  const xs: number[] = [];
  const xPositions = new Map<number, number>();
  const times: number[] = [];
  const timePositions = new Map<number, number>();
  const xIndex: number[] = [];
  const txIndex: number[] = [];
  const TIndex: number[] = [];
  const weight: number[] = [];
  for (const c of customers) {
    const recency = c.frequency === 0 ? 0 : c.recency;
    const key = `${c.frequency}|${recency}|${c.T}`;
    const group = groupOf.get(key);
    if (group !== undefined) {
      weight[group] = (weight[group] ?? 0) + 1;
      continue;
    }
    groupOf.set(key, weight.length);
    xIndex.push(intern(c.frequency, xs, xPositions));
    txIndex.push(intern(recency, times, timePositions));
    TIndex.push(intern(c.T, times, timePositions));
    weight.push(1);
  }
  return {
    xs: Float64Array.from(xs),
    times: Float64Array.from(times),
    xIndex: Int32Array.from(xIndex),
    txIndex: Int32Array.from(txIndex),
    TIndex: Int32Array.from(TIndex),
    weight: Float64Array.from(weight),
    customers: customers.length,
  };
}

/**
 * Builds the total log-likelihood Σ weight·ℓ(x, t_x, T) over grouped data as a function of
 * (r, α, a, b). Gamma-function terms are computed once per distinct x and ln(α + t) once per
 * distinct time per call; the loop over groups does one exp and one log1p and allocates nothing.
 */
export function makeBgNbdLogLikelihood(data: BgNbdData): (params: BgNbdParams) => number {
  const { xs, times, xIndex, txIndex, TIndex, weight } = data;
  const nx = xs.length;
  const nt = times.length;
  const groups = weight.length;
  const base = new Float64Array(nx); // ln Γ(r+x)/Γ(r) + r ln α + ln B(a,b+x)/B(a,b)
  const death = new Float64Array(nx); // ln a − ln(b+x−1), for x > 0
  const power = new Float64Array(nx); // r + x
  const lnAlphaPlus = new Float64Array(nt); // ln(α + t)
  return (params: BgNbdParams): number => {
    const { r, alpha, a, b } = params;
    const lnGammaR = lnGamma(r);
    const lnGammaB = lnGamma(b);
    const lnGammaAB = lnGamma(a + b);
    const rLnAlpha = r * Math.log(alpha);
    const lnA = Math.log(a);
    for (let k = 0; k < nx; k++) {
      const x = xs[k] as number;
      base[k] = lnGamma(r + x) - lnGammaR + rLnAlpha + lnGammaAB + lnGamma(b + x) - lnGammaB - lnGamma(a + b + x);
      death[k] = x > 0 ? lnA - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
      power[k] = r + x;
    }
    for (let j = 0; j < nt; j++) lnAlphaPlus[j] = Math.log(alpha + (times[j] as number));
    let total = 0;
    for (let i = 0; i < groups; i++) {
      const k = xIndex[i] as number;
      const rx = power[k] as number;
      const alive = -rx * (lnAlphaPlus[TIndex[i] as number] as number);
      const d = death[k] as number;
      let ll: number;
      if (d === Number.NEGATIVE_INFINITY) {
        ll = alive;
      } else {
        const dead = d - rx * (lnAlphaPlus[txIndex[i] as number] as number);
        ll = alive > dead ? alive + Math.log1p(Math.exp(dead - alive)) : dead + Math.log1p(Math.exp(alive - dead));
      }
      total += (weight[i] as number) * ((base[k] as number) + ll);
    }
    return total;
  };
}

/**
 * Returns P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 */
export function probabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  return 1 / (1 + Math.exp(lnDeadToAliveOdds(params, x, tx, T)));
}

function lnDeadToAliveOdds(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

// Eq. 10 divides by (a − 1); within this distance of a = 1 the value is the mean of a = 1 ± h,
// which is exact to O(h²) and avoids the 0/0. (Its 2F1 also has a pole at c = a + b + x − 1 = 0,
// cancelled by the factor c: only c exactly 0 needs the same treatment, a tiny c is accurate.)
const NEAR_ONE = 1e-5;

/**
 * Returns E[X(t) | x, t_x, T], the expected number of purchases in (T, T + t] (eq. 10):
 *
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] / (1 + [x>0]·a/(b+x−1)·((α+T)/(α+t_x))^(r+x)),
 * with z = t/(α+T+t).
 *
 * The 2F1 is evaluated through Euler's transformation, (1−z)^(r+x)·2F1(r+x, b+x; c; z) =
 * (1−z)^(a−1)·2F1(a+b−1−r, a−1; c; z): the original grows like (1−z)^(a−1−r−x) and overflows for
 * heavy buyers over long horizons, the transformed one stays O(1).
 */
export function conditionalExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const { a, b } = params;
  if (Math.abs(a - 1) < NEAR_ONE) {
    const below = transformedEq10({ ...params, a: 1 - NEAR_ONE }, t, x, tx, T);
    const above = transformedEq10({ ...params, a: 1 + NEAR_ONE }, t, x, tx, T);
    return (below + above) / 2;
  }
  if (x === 0 && a + b === 1) {
    const h = Math.min(NEAR_ONE, b / 2);
    const below = transformedEq10({ ...params, b: b - h }, t, x, tx, T);
    const above = transformedEq10({ ...params, b: b + h }, t, x, tx, T);
    return (below + above) / 2;
  }
  return transformedEq10(params, t, x, tx, T);
}

function transformedEq10(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const transformed = Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  const numerator = (c / (a - 1)) * (1 - transformed);
  if (x === 0) return numerator;
  return numerator / (1 + Math.exp(lnDeadToAliveOdds(params, x, tx, T)));
}

/** Returns E[X(t)], the expected number of repeat purchases in (0, t] of a newly acquired customer (eq. 9). */
export function expectedPurchases(params: BgNbdParams, t: number): number {
  // Eq. 9 is eq. 10 with no history: x = t_x = T = 0.
  return conditionalExpectedPurchases(params, t, 0, 0, 0);
}
