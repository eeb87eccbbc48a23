/**
 * Special functions the CLV models need: log-gamma, log-beta and the Gauss hypergeometric
 * function 2F1. Pure TypeScript, double precision, computed in log space wherever a ratio of
 * gamma functions could overflow.
 */

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): ~15 significant digits for x > 0.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const HALF_LN_TWO_PI = 0.9189385332046727;

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * Returns ln|Γ(x)| (Lanczos approximation): for x > 0 this is ln Γ(x); for negative non-integers it
 * uses the reflection formula; at the poles (0, −1, −2, …) it returns +Infinity.
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (isNonPositiveInteger(x)) return Number.POSITIVE_INFINITY;
  if (x < 0) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  // Γ(x) = Γ(x+1)/x keeps the Lanczos sum on x ≥ 0.5, where it is most accurate.
  if (x < 0.5) return lnGamma(x + 1) - Math.log(x);
  const y = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += (LANCZOS_COEFFICIENTS[i] ?? 0) / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LN_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Returns the sign of Γ(x): +1 for x > 0, alternating between the poles for x < 0, NaN at a pole. */
export function gammaSign(x: number): number {
  if (Number.isNaN(x) || isNonPositiveInteger(x)) return Number.NaN;
  if (x > 0) return 1;
  // Between −k and −k+1 (k = 1, 2, …) Γ has sign (−1)^k.
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** Returns ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0. */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * Returns Γ(n1)·Γ(n2)/(Γ(d1)·Γ(d2)) computed in log space with signs; a pole in the denominator
 * gives 0 (1/Γ is entire). Numerators must not be poles.
 */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number {
  if (isNonPositiveInteger(d1) || isNonPositiveInteger(d2)) return 0;
  const sign = gammaSign(n1) * gammaSign(n2) * gammaSign(d1) * gammaSign(d2);
  return sign * Math.exp(lnGamma(n1) + lnGamma(n2) - lnGamma(d1) - lnGamma(d2));
}

/** Options for `hyp2f1`. */
export interface Hyp2f1Options {
  /** Relative accuracy the series is summed to (default 1e-15). */
  tolerance?: number;
  /** Most series terms before giving up with a RangeError (default 1,000,000). */
  maxTerms?: number;
}

const DEFAULT_TOLERANCE = 1e-15;
const DEFAULT_MAX_TERMS = 1_000_000;
// Above this z the series converges slowly, so the 1 − z connection formula is used instead.
const CONNECTION_THRESHOLD = 0.9;
// When c − a − b is this close to an integer the connection formula cancels catastrophically.
const NEAR_INTEGER = 1e-3;

/**
 * Sums the Gauss series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ until the remaining tail is provably below
 * `tolerance`·|sum|, for |z| < 1 (or a terminating series for any z).
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number, options: Hyp2f1Options = {}): number {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
  const absZ = Math.abs(z);
  // Before n passes the parameters the term ratio can still rise (or a term can be tiny because
  // a + n is near zero), so the tail bound below is only trusted from here on.
  const trustFrom = 2 * Math.max(Math.abs(a), Math.abs(b), Math.abs(c), 1);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (term === 0) return sum; // terminating series (a or b a non-positive integer)
    // For large n the term ratio tends to z monotonically, so the tail after this term is at most
    // |term|·ρ/(1−ρ) with ρ the larger of the current ratio and |z|.
    const nextRatio = Math.abs(((a + n + 1) * (b + n + 1) * z) / ((c + n + 1) * (n + 2)));
    const rho = Math.max(nextRatio, absZ);
    if (n >= trustFrom && rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= tolerance * Math.abs(sum)) return sum;
    if (!Number.isFinite(sum)) return sum;
  }
  throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}): series did not converge in ${maxTerms} terms`);
}

/**
 * Returns the Gauss hypergeometric function 2F1(a, b; c; z) for real z ≤ 1.
 *
 * - 0 ≤ z ≤ 0.9: the power series, summed with a tail bound.
 * - 0.9 < z < 1: the 1 − z connection formula (Abramowitz & Stegun 15.3.6), whose two series in
 *   1 − z converge fast; when c − a − b is within 1e-3 of an integer (where that formula cancels)
 *   the plain series is summed instead.
 * - z = 1: Gauss's sum Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c − a − b > 0, else +Infinity.
 * - z < 0: Pfaff's transformation (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)) maps z into [0, 1).
 *
 * @example hyp2f1(1, 1, 2, 0.5) // 2·ln 2 = 1.3862943611198906, since 2F1(1,1;2;z) = −ln(1−z)/z
 */
export function hyp2f1(a: number, b: number, c: number, z: number, options: Hyp2f1Options = {}): number {
  if ([a, b, c, z].some(Number.isNaN)) return Number.NaN;
  if (isNonPositiveInteger(c)) throw new RangeError(`hyp2f1: c = ${c} is a non-positive integer (the function has a pole)`);
  if (z > 1) throw new RangeError(`hyp2f1: z = ${z} > 1 lies on the branch cut`);
  if (z === 0 || a === 0 || b === 0) return 1;
  const terminating = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  if (terminating && z >= -1) return hyp2f1Series(a, b, c, z, options);
  if (z < 0) {
    const w = z / (z - 1);
    return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w, options);
  }
  const s = c - a - b;
  if (z === 1) return s > 0 ? gammaRatio(c, s, c - a, c - b) : Number.POSITIVE_INFINITY;
  const nearInteger = Math.abs(s - Math.round(s)) < NEAR_INTEGER;
  if (z <= CONNECTION_THRESHOLD || nearInteger) return hyp2f1Series(a, b, c, z, options);
  const w = 1 - z;
  const first = gammaRatio(c, s, c - a, c - b);
  const second = gammaRatio(c, -s, a, b);
  const firstSeries = first === 0 ? 0 : first * hyp2f1Series(a, b, 1 - s, w, options);
  const secondSeries = second === 0 ? 0 : second * Math.pow(w, s) * hyp2f1Series(c - a, c - b, s + 1, w, options);
  return firstSeries + secondSeries;
}
