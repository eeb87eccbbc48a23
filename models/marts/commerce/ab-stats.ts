/**
 * Statistics of A/B tests on conversion rates: the Wilson score interval, the pooled
 * two-proportion z-test, and the rows of `fct_ab_tests` computed from per-variant counts.
 */

/** The 97.5th percentile of the standard normal distribution (two-sided 95%). */
export const Z_95 = 1.959963984540054;

/** Minimum sessions and conversions every variant of a test needs before its result is read. */
export const MIN_SESSIONS_PER_VARIANT = 100;
export const MIN_CONVERSIONS_PER_VARIANT = 10;

/**
 * Returns erfc(x), the complementary error function (Numerical Recipes' Chebyshev fit,
 * fractional error below 1.2e-7 everywhere, so tail p-values keep their precision).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Returns Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Returns the Wilson score interval of a proportion x / n:
 * (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n); null when n = 0.
 */
export function wilsonInterval(x: number, n: number, z = Z_95): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Runs the pooled two-proportion z-test of x1/n1 against x2/n2:
 * p̂ = (x1+x2)/(n1+n2), z = (x1/n1 − x2/n2) / √(p̂(1−p̂)(1/n1 + 1/n2)), two-sided p = erfc(|z|/√2).
 * Returns null when either group is empty or the pooled rate is 0 or 1 (no variance).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** Turns the per-variant counts selected by fct_ab_tests.sql into the mart's rows. */
export function abTestRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const sessions = num(row['sessions']);
    const conversions = num(row['conversions']);
    const isControl = Boolean(row['is_control']);
    const hasControl = row['control_sessions'] !== null && row['control_sessions'] !== undefined;
    const controlSessions = num(row['control_sessions']);
    const controlConversions = num(row['control_conversions']);
    const rate = sessions > 0 ? conversions / sessions : null;
    const controlRate = hasControl && controlSessions > 0 ? controlConversions / controlSessions : null;
    const interval = wilsonInterval(conversions, sessions);
    const test = !isControl && hasControl ? twoProportionZTest(conversions, sessions, controlConversions, controlSessions) : null;
    const enoughSample = num(row['min_variant_sessions']) >= MIN_SESSIONS_PER_VARIANT && num(row['min_variant_conversions']) >= MIN_CONVERSIONS_PER_VARIANT;
    return {
      test_id: row['test_id'],
      test_name: row['test_name'],
      variant: row['variant'],
      utm_content: row['utm_content'],
      is_control: isControl,
      sessions,
      conversions,
      conversion_rate: rate,
      ci_low: interval?.low ?? null,
      ci_high: interval?.high ?? null,
      control_conversion_rate: controlRate,
      lift: !isControl && rate !== null && controlRate !== null && controlRate > 0 ? (rate - controlRate) / controlRate : null,
      z_score: test?.z ?? null,
      p_value: test?.pValue ?? null,
      enough_sample: enoughSample,
      is_significant: test ? enoughSample && test.pValue < 0.05 : null,
      first_session_date: row['first_session_date'] ?? null,
      last_session_date: row['last_session_date'] ?? null,
    };
  });
}
