/**
 * The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"). A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, v) across
 * customers, independent of how often they buy. A customer is summarised by x (number of
 * transactions averaged; here the repeat purchases) and m_x (their mean value).
 */
import { lnGamma } from './special.ts';

/** Gamma-Gamma parameters: p (shape of transaction values), q and v (shape and scale of ν); all > 0. */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/**
 * Returns the log-density of one customer's mean value m_x given x transactions (eq. 3 of the note):
 * f(m_x) = Γ(px+q)/(Γ(px)Γ(q)) · v^q · m_x^(px−1) · x^(px) / (v + x·m_x)^(px+q), for x > 0, m_x > 0.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, v } = params;
  const px = p * x;
  return (
    lnGamma(px + q) - lnGamma(px) - lnGamma(q) + q * Math.log(v) + (px - 1) * Math.log(mx) + px * Math.log(x) -
    (px + q) * Math.log(v + x * mx)
  );
}

/** Repeat buyers' spend summaries in flat typed arrays, with logarithms that do not depend on the parameters precomputed. */
export interface GammaGammaData {
  /** The distinct x values. */
  xs: Float64Array;
  /** Per customer: index into `xs`. */
  xIndex: Int32Array;
  /** Per customer: x·m_x (total repeat spend). */
  total: Float64Array;
  /** Per customer: ln m_x. */
  lnMean: Float64Array;
  customers: number;
}

/** Packs customers with x > 0 and m_x > 0 for `makeGammaGammaLogLikelihood`. */
export function packGammaGammaData(customers: ReadonlyArray<{ frequency: number; monetaryValue: number }>): GammaGammaData {
  const xPosition = new Map<number, number>();
  const xs: number[] = [];
  const xIndex: number[] = [];
  const total: number[] = [];
  const lnMean: number[] = [];
  for (const c of customers) {
    if (!(c.frequency > 0 && c.monetaryValue > 0)) continue;
    let xi = xPosition.get(c.frequency);
    if (xi === undefined) {
      xi = xs.length;
      xs.push(c.frequency);
      xPosition.set(c.frequency, xi);
    }
    xIndex.push(xi);
    total.push(c.frequency * c.monetaryValue);
    lnMean.push(Math.log(c.monetaryValue));
  }
  return {
    xs: Float64Array.from(xs),
    xIndex: Int32Array.from(xIndex),
    total: Float64Array.from(total),
    lnMean: Float64Array.from(lnMean),
    customers: xIndex.length,
  };
}

/**
 * Builds the total Gamma-Gamma log-likelihood over packed data as a function of (p, q, v); terms
 * in x alone are computed once per distinct x per call, the loop over customers does one log.
 */
export function makeGammaGammaLogLikelihood(data: GammaGammaData): (params: GammaGammaParams) => number {
  const nx = data.xs.length;
  const base = new Float64Array(nx); // ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x
  const shape = new Float64Array(nx); // px
  const { xs, xIndex, total, lnMean } = data;
  const n = xIndex.length;
  return (params: GammaGammaParams): number => {
    const { p, q, v } = params;
    const constant = q * Math.log(v) - lnGamma(q);
    for (let k = 0; k < nx; k++) {
      const x = xs[k] as number;
      const px = p * x;
      shape[k] = px;
      base[k] = lnGamma(px + q) - lnGamma(px) + px * Math.log(x) + constant;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const k = xIndex[i] as number;
      const px = shape[k] as number;
      sum += (base[k] as number) + (px - 1) * (lnMean[i] as number) - (px + q) * Math.log(v + (total[i] as number));
    }
    return sum;
  };
}

/**
 * Returns the population mean spend per transaction, E[Z] = v·p/(q − 1); +Infinity when q ≤ 1
 * (the fitted spend distribution then has no finite mean).
 */
export function populationMeanSpend(params: GammaGammaParams): number {
  const { p, q, v } = params;
  return q > 1 ? (v * p) / (q - 1) : Number.POSITIVE_INFINITY;
}

/**
 * Returns E[M | x, m_x], the expected spend per future transaction (eq. 5 of the note): a
 * weighted mean of the population mean and the customer's own mean,
 * ((q−1)/(px+q−1)) · v·p/(q−1) + (px/(px+q−1)) · m_x = p(v + x·m_x)/(px + q − 1).
 * With x = 0 (or no positive spend observed) it is the population mean.
 */
export function conditionalExpectedSpend(params: GammaGammaParams, x: number, mx: number): number {
  if (!(x > 0 && mx > 0)) return populationMeanSpend(params);
  const { p, q, v } = params;
  return (p * (v + x * mx)) / (p * x + q - 1);
}
