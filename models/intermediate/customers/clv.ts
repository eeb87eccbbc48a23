/**
 * The CLV fit behind `intermediate.int_clv_predictions` and `marts.clv_model`: customers' counted
 * orders are summarised in SQL (`int_clv_summaries`: RFM in weeks), BG/NBD + Gamma-Gamma are fitted
 * by maximum likelihood on each currency's customers, and each customer gets a discounted prediction.
 */
import { defineModel } from '../../engine/index.ts';
import { ClvFitError, fitClv, predictClv, predictNewCustomerClv, type ClvModel, type ClvPrediction, type CustomerSummary, type PeriodUnit } from '../../clv/index.ts';

/**
 * How customer lifetime value is fitted and predicted: RFM counted in Monday-start weeks (a customer's
 * orders in one week are one purchase), a 52-week horizon, each week's value discounted at 10% a year,
 * and at least 10 repeat buyers per currency to fit at all. `dim_customers.expected_purchases_52w`
 * is named after the horizon: change both together.
 */
export const CLV_SETTINGS = {
  period: 'week',
  horizonPeriods: 52,
  annualDiscountRate: 0.1,
  minRepeatBuyers: 10,
} as const satisfies { period: PeriodUnit; horizonPeriods: number; annualDiscountRate: number; minRepeatBuyers: number };

/** One input row: a customer's summary (from `sql/intermediate/int_clv_summaries.sql`). */
interface SummaryRow {
  currency: string;
  asOfDate: string;
  summary: CustomerSummary;
}

/** The fit of one currency: its model and predictions, or why there are none. */
export interface CurrencyFit {
  currency: string;
  asOfDate: string;
  /** The currency's customers, sorted by key. */
  summaries: CustomerSummary[];
  /** NULL when the data could not support a fit (see `errorCode`). */
  model: ClvModel | null;
  /** One per summary, in the same order; NULL without a model. */
  predictions: ClvPrediction[] | null;
  /** The CLV of a customer acquired at the as-of date; NULL without a model. */
  newCustomer: Omit<ClvPrediction, 'customerId'> | null;
  /** A `ClvFitError` code, or `non-finite-prediction` when the fitted model predicts NaN/∞. */
  errorCode: string | null;
  errorMessage: string | null;
}

function readRows(rows: readonly Record<string, unknown>[]): SummaryRow[] {
  return rows.map((r) => ({
    currency: String(r['currency']),
    asOfDate: String(r['as_of_date']),
    summary: {
      customerId: String(r['customer_key']),
      frequency: Number(r['frequency']),
      recency: Number(r['recency_weeks']),
      T: Number(r['t_weeks']),
      monetaryValue: Number(r['monetary_value']),
      totalAmount: Number(r['total_amount']),
    },
  }));
}

const predictOptions = { horizon: CLV_SETTINGS.horizonPeriods, period: CLV_SETTINGS.period, annualDiscountRate: CLV_SETTINGS.annualDiscountRate };

const finite = (p: Omit<ClvPrediction, 'customerId'>) =>
  Number.isFinite(p.expectedPurchases) && Number.isFinite(p.probabilityAlive) && Number.isFinite(p.expectedValuePerPurchase) && Number.isFinite(p.predictedClv);

/** Fits and predicts one currency's customers; a `ClvFitError` or a non-finite prediction leaves no model. */
function fitCurrency(currency: string, asOfDate: string, summaries: CustomerSummary[]): CurrencyFit {
  const none = (errorCode: string, errorMessage: string): CurrencyFit => ({ currency, asOfDate, summaries, model: null, predictions: null, newCustomer: null, errorCode, errorMessage });
  let model: ClvModel;
  try {
    model = fitClv(summaries, { period: CLV_SETTINGS.period, minRepeatBuyers: CLV_SETTINGS.minRepeatBuyers });
  } catch (error) {
    if (error instanceof ClvFitError) return none(error.code, error.message);
    throw error;
  }
  const predictions = predictClv(model, summaries, predictOptions);
  const newCustomer = predictNewCustomerClv(model, predictOptions);
  // Degenerate fits (e.g. a and b of the dropout Beta running off to millions when every customer
  // drops out alike) can make the hypergeometric series fail; NaN must not reach the marts.
  const bad = predictions.filter((p) => !finite(p)).length + (finite(newCustomer) ? 0 : 1);
  if (bad > 0) {
    const { r, alpha, a, b } = model.bgnbd;
    return none('non-finite-prediction', `the fitted model (r=${r.toPrecision(4)}, alpha=${alpha.toPrecision(4)}, a=${a.toPrecision(4)}, b=${b.toPrecision(4)}) gives non-finite predictions for ${bad} of ${predictions.length + 1} customers; predictions are left out`);
  }
  return { currency, asOfDate, summaries, model, predictions, newCustomer, errorCode: null, errorMessage: null };
}

/**
 * Fits one CLV model per currency (amounts of two currencies are never mixed in one spend model)
 * on rows of `int_clv_summaries`. A `ClvFitError` (too few repeat buyers, no finite mean spend, …)
 * or non-finite predictions leave that currency without a model and say why; any other error is a
 * bug and is thrown.
 */
export function fitClvByCurrency(rows: readonly Record<string, unknown>[]): CurrencyFit[] {
  const summaries = readRows(rows);
  const key = summariesFingerprint(summaries);
  if (lastFit?.key === key) return lastFit.fits;
  const fits = fitSummaries(summaries);
  lastFit = { key, fits };
  return fits;
}

/**
 * The last fit and the fingerprint of its input. int_clv_predictions and clv_model read the same
 * summaries in one build (compute models run one at a time, so the first has finished): the
 * second reuses the first's fit (at scale 10 the fit takes about 2 s; clv_model reusing it, 0.6 s)
 * and both report the very same parameters, whichever order DuckDB returned the rows in.
 */
let lastFit: { key: string; fits: CurrencyFit[] } | undefined;

/**
 * An order-independent fingerprint of a set of summaries: their count and two sums of 32-bit
 * hashes of each row's fields (two FNV-style hashes with different seeds), so two different sets
 * share one only with odds of about 2^-64.
 */
function summariesFingerprint(rows: readonly SummaryRow[]): string {
  let low = 0;
  let high = 0;
  for (const { currency, asOfDate, summary: s } of rows) {
    const text = `${s.customerId}\u0001${currency}\u0001${asOfDate}\u0001${s.frequency}\u0001${s.recency}\u0001${s.T}\u0001${s.monetaryValue}\u0001${s.totalAmount}`;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x811c9dc5) + 0x9e3779b9;
    }
    low = (low + (h1 >>> 0)) % 0x100000000;
    high = (high + (h2 >>> 0)) % 0x100000000;
  }
  return `${rows.length}:${low}:${high}`;
}

/** Groups summaries by currency and fits each; customers are sorted by key, so the fit's sums run in one order every build. */
function fitSummaries(rows: readonly SummaryRow[]): CurrencyFit[] {
  const byCurrency = new Map<string, { asOfDate: string; summaries: CustomerSummary[] }>();
  for (const row of rows) {
    const group = byCurrency.get(row.currency);
    if (group) group.summaries.push(row.summary);
    else byCurrency.set(row.currency, { asOfDate: row.asOfDate, summaries: [row.summary] });
  }
  return [...byCurrency.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([currency, { asOfDate, summaries }]) => {
      summaries.sort((x, y) => (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
      return fitCurrency(currency, asOfDate, summaries);
    });
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Computes `int_clv_predictions`: one row per customer, predictions NULL where the currency has no model. */
export function clvPredictionRows(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return fitClvByCurrency(rows).flatMap((fit) =>
    fit.summaries.map((s, i) => {
      const p = fit.predictions?.[i];
      return {
        customer_key: s.customerId,
        currency: fit.currency,
        as_of_date: fit.asOfDate,
        frequency: s.frequency,
        recency_weeks: s.recency,
        t_weeks: s.T,
        monetary_value: s.monetaryValue,
        expected_purchases_52w: p ? p.expectedPurchases : null,
        p_alive: p ? Math.min(1, Math.max(0, p.probabilityAlive)) : null,
        expected_value_per_purchase: p ? round(p.expectedValuePerPurchase, 2) : null,
        predicted_clv: p ? round(Math.max(0, p.predictedClv), 2) : null,
        clv_status: fit.model ? 'fitted' : 'insufficient_data',
      };
    }),
  );
}

/** Computes `clv_model`: one row per currency's fit, with parameters and diagnostics or the reason there is none. */
export function clvModelRows(rows: readonly Record<string, unknown>[], fittedAt: Date): Record<string, unknown>[] {
  return fitClvByCurrency(rows).map((fit) => {
    const m = fit.model;
    const d = m?.diagnostics;
    return {
      currency: fit.currency,
      fitted_at: fittedAt.toISOString(),
      as_of_date: fit.asOfDate,
      period: CLV_SETTINGS.period,
      horizon_periods: CLV_SETTINGS.horizonPeriods,
      annual_discount_rate: CLV_SETTINGS.annualDiscountRate,
      status: m ? 'fitted' : 'insufficient_data',
      error_code: fit.errorCode,
      message: fit.errorMessage ?? `fitted on ${d!.customers} customers, ${d!.repeatBuyers} repeat buyers`,
      customers: fit.summaries.length,
      repeat_buyers: fit.summaries.filter((s) => s.frequency > 0).length,
      r: m?.bgnbd.r ?? null,
      alpha: m?.bgnbd.alpha ?? null,
      a: m?.bgnbd.a ?? null,
      b: m?.bgnbd.b ?? null,
      p: m?.gammaGamma.p ?? null,
      q: m?.gammaGamma.q ?? null,
      v: m?.gammaGamma.v ?? null,
      bgnbd_log_likelihood: d?.bgnbd.logLikelihood ?? null,
      bgnbd_converged: d?.bgnbd.converged ?? null,
      bgnbd_iterations: d?.bgnbd.iterations ?? null,
      gamma_gamma_log_likelihood: d?.gammaGamma.logLikelihood ?? null,
      gamma_gamma_converged: d?.gammaGamma.converged ?? null,
      gamma_gamma_iterations: d?.gammaGamma.iterations ?? null,
      gamma_gamma_customers: d?.gammaGamma.customers ?? null,
      spend_frequency_correlation: d?.spendFrequencyCorrelation ?? null,
      new_customer_predicted_clv: fit.newCustomer ? round(fit.newCustomer.predictedClv, 2) : null,
    };
  });
}

/** What the CLV fit needs of each customer's orders, summarised in SQL (one row per customer). */
export const intClvSummaries = defineModel({
  name: 'int_clv_summaries',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_clv_summaries.sql',
  materialized: 'table',
  grain: 'customer',
  uniqueKey: ['customer_key'],
  tags: ['customers', 'clv'],
  description:
    'Recency, frequency and monetary value of each customer’s counted orders (net of refunds) as of int_customers_as_of, in Monday-start ' +
    'weeks: orders in one week are one purchase and the first purchase is not a repeat (the lifetimes library’s summary, as ' +
    'models/clv/rfm.ts computes it). The input of the CLV fit (int_clv_predictions, clv_model).',
  columns: {
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key.' },
    currency: { type: 'VARCHAR', description: 'Currency of the customer’s orders.' },
    as_of_date: { type: 'DATE', description: 'As-of date of the summary.' },
    frequency: { type: 'INTEGER', description: 'Repeat purchases: weeks with an order, minus the first.' },
    recency_weeks: { type: 'DOUBLE', description: 'Weeks from the first to the last purchase.' },
    t_weeks: { type: 'DOUBLE', description: 'Weeks from the first purchase to the as-of date (T).' },
    monetary_value: { type: 'DOUBLE', description: 'Mean value of the repeat purchases (0 without repeats).' },
    total_amount: { type: 'DOUBLE', description: 'Net revenue of every counted order up to the as-of date, the first included.' },
  },
  tests: [
    { kind: 'expression', expression: 'frequency >= 0 and recency_weeks >= 0 and t_weeks >= recency_weeks' },
    { kind: 'expression', name: 'no repeat value without repeats', expression: 'frequency > 0 or monetary_value = 0' },
  ],
});

/** Per-customer CLV predictions (compute model; the fit is global, so it is rebuilt whole each time). */
export const intClvPredictions = defineModel({
  name: 'int_clv_predictions',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_clv_predictions.sql',
  materialized: 'table',
  grain: 'customer',
  uniqueKey: ['customer_key'],
  tags: ['customers', 'clv'],
  description:
    'CLV predictions per customer: BG/NBD (purchases) and Gamma-Gamma (value per purchase) fitted by maximum likelihood per currency on the ' +
    'customers’ summaries in int_clv_summaries (counted orders net of refunds, as of int_customers_as_of), with weekly periods (orders in one week count once; the first purchase is not ' +
    'a repeat), a 52-week horizon and a 10% annual discount (CLV_SETTINGS). Predictions are NULL when the currency’s fit had insufficient ' +
    'data (clv_status = insufficient_data; the reason is in marts.clv_model).',
  columns: {
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key.' },
    currency: { type: 'VARCHAR', description: 'Currency of the customer’s orders (one model per currency).' },
    as_of_date: { type: 'DATE', description: 'As-of date of the summaries.' },
    frequency: { type: 'INTEGER', description: 'Repeat purchases: weeks with an order, minus the first.' },
    recency_weeks: { type: 'DOUBLE', description: 'Weeks from the first to the last purchase.' },
    t_weeks: { type: 'DOUBLE', description: 'Weeks from the first purchase to the as-of date (T).' },
    monetary_value: { type: 'DOUBLE', description: 'Mean value of the repeat purchases (0 without repeats).' },
    expected_purchases_52w: { type: 'DOUBLE', description: 'BG/NBD expected purchases in the next 52 weeks.', nullable: true },
    p_alive: { type: 'DOUBLE', description: 'BG/NBD probability the customer is still active.', nullable: true },
    expected_value_per_purchase: { type: 'DOUBLE', description: 'Gamma-Gamma expected value per purchase.', nullable: true },
    predicted_clv: { type: 'DOUBLE', description: 'Discounted predicted value over the next 52 weeks.', nullable: true },
    clv_status: { type: 'VARCHAR', description: "'fitted' or 'insufficient_data'." },
  },
  tests: [
    { kind: 'accepted_values', column: 'clv_status', values: ['fitted', 'insufficient_data'] },
    { kind: 'expression', expression: 'p_alive is null or (p_alive >= 0 and p_alive <= 1)' },
    { kind: 'expression', expression: 'predicted_clv is null or predicted_clv >= 0' },
  ],
  compute: { version: `3:${JSON.stringify(CLV_SETTINGS)}`, run: (rows) => clvPredictionRows(rows) },
});
