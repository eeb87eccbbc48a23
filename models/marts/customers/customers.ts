/**
 * Customer marts: the customer dimension with historic and predicted value, the CLV fits, and CLV
 * by acquisition channel and cohort.
 */
import { defineModel } from '../../engine/index.ts';
import { CLV_SETTINGS, clvModelRows } from '../../intermediate/customers/clv.ts';

/** One row per customer: order history, acquisition, churn status, historic and predicted CLV. */
export const dimCustomers = defineModel({
  name: 'dim_customers',
  layer: 'marts',
  sql: 'sql/marts/dim_customers.sql',
  materialized: 'table',
  grain: 'customer',
  uniqueKey: ['customer_key'],
  tags: ['customers'],
  description:
    'One row per customer (pseudonymous key) with at least one counted order (not cancelled; in the currency of their first order). ' +
    'revenue = Σ net revenue (total − refunds) in `currency`; aov = revenue / orders; tenure_days = as_of_date − first order day; ' +
    'purchase_frequency = orders per month of tenure = orders ÷ (max(tenure_days, 30.4375) ÷ 30.4375); historic_clv = revenue to date. ' +
    'churn_status = churned when days_since_last_order > churn_window_days() (default 90; 90 days is still active), as of as_of_date, the ' +
    'latest order day in the data. Acquisition = the first order’s landing (UTM, else gclid/referrer/direct) through channel_group(); ' +
    'acquired_via_social = Paid or Organic Social; referred = the first order used a referral code. Predicted columns: BG/NBD + Gamma-Gamma ' +
    'fitted per currency (weekly periods, 52-week horizon, 10%/year discount); NULL when the fit had insufficient data (see clv_model).',
  columns: {
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key: pseudonym(Shopify customer id).' },
    currency: { type: 'VARCHAR', description: 'Currency of the customer’s orders and of every money column.' },
    first_order_at: { type: 'TIMESTAMPTZ', description: 'First counted order (UTC).' },
    last_order_at: { type: 'TIMESTAMPTZ', description: 'Latest counted order (UTC).' },
    first_order_date: { type: 'DATE', description: 'Day of the first order (reporting time zone).' },
    last_order_date: { type: 'DATE', description: 'Day of the latest order (reporting time zone).' },
    cohort_month: { type: 'DATE', description: 'First day of the month of the first order.' },
    orders: { type: 'INTEGER', description: 'Orders, cancelled excluded.' },
    revenue: { type: 'DECIMAL(18,2)', description: 'Net revenue to date (total − refunds).' },
    aov: { type: 'DECIMAL(18,2)', description: 'Average order value = revenue / orders.' },
    tenure_days: { type: 'INTEGER', description: 'as_of_date − first_order_date.' },
    purchase_frequency: { type: 'DOUBLE', description: 'Orders per month of tenure: orders / (max(tenure_days, 30.4375) / 30.4375).' },
    acquisition_channel: { type: 'VARCHAR', description: 'GA4 default channel group of the first order’s landing.' },
    acquisition_source: { type: 'VARCHAR', description: 'Effective source of the first order’s landing.', nullable: true },
    acquisition_medium: { type: 'VARCHAR', description: 'Effective medium of the first order’s landing.', nullable: true },
    acquisition_campaign: { type: 'VARCHAR', description: 'utm_campaign of the first order’s landing.', nullable: true },
    acquired_via_social: { type: 'BOOLEAN', description: 'acquisition_channel is Paid Social or Organic Social.' },
    referred: { type: 'BOOLEAN', description: 'The first order used a referral code.' },
    historic_clv: { type: 'DECIMAL(18,2)', description: 'Historic CLV = revenue to date.' },
    days_since_last_order: { type: 'INTEGER', description: 'as_of_date − last_order_date.' },
    churn_status: { type: 'VARCHAR', description: "'churned' when days_since_last_order > churn_window_days() (default 90), else 'active'." },
    as_of_date: { type: 'DATE', description: 'The date statuses and predictions are computed as of: the latest order day in the data.' },
    expected_purchases_52w: { type: 'DOUBLE', description: 'BG/NBD expected purchases in the 52 weeks after as_of_date.', nullable: true },
    p_alive: { type: 'DOUBLE', description: 'BG/NBD probability the customer is still active (0–1).', nullable: true },
    expected_value_per_purchase: { type: 'DECIMAL(18,2)', description: 'Gamma-Gamma expected value per purchase.', nullable: true },
    predicted_clv: { type: 'DECIMAL(18,2)', description: 'Predicted CLV: expected purchases × expected value over 52 weeks, discounted at 10% a year.', nullable: true },
    clv_status: { type: 'VARCHAR', description: "'fitted', or 'insufficient_data' when the currency’s fit failed (predictions NULL)." },
  },
  tests: [
    { kind: 'accepted_values', column: 'churn_status', values: ['active', 'churned'] },
    { kind: 'accepted_values', column: 'clv_status', values: ['fitted', 'insufficient_data'] },
    { kind: 'expression', expression: 'orders >= 1 and tenure_days >= 0 and days_since_last_order >= 0' },
    { kind: 'expression', expression: 'p_alive is null or (p_alive >= 0 and p_alive <= 1)' },
    { kind: 'expression', expression: 'predicted_clv is null or predicted_clv >= 0' },
    { kind: 'expression', expression: 'historic_clv = revenue' },
  ],
});

/** One row per CLV fit (currency): parameters, likelihoods, convergence, or why there is no fit. */
export const clvModel = defineModel({
  name: 'clv_model',
  layer: 'marts',
  sql: 'sql/marts/clv_model.sql',
  materialized: 'table',
  grain: 'CLV fit (one per currency)',
  uniqueKey: ['currency'],
  tags: ['customers', 'clv'],
  description:
    'The CLV fits behind dim_customers’ predictions, one per currency, rebuilt with every build: BG/NBD (r, alpha, a, b) and Gamma-Gamma ' +
    '(p, q, v) maximum-likelihood parameters in weekly units, log-likelihoods, convergence and iterations. status = insufficient_data ' +
    '(parameters NULL, error_code and message say why, e.g. fewer than 10 repeat buyers) when the data cannot support a fit. ' +
    `Settings: period ${CLV_SETTINGS.period}, horizon ${CLV_SETTINGS.horizonPeriods} periods, annual discount rate ${CLV_SETTINGS.annualDiscountRate}.`,
  columns: {
    currency: { type: 'VARCHAR', description: 'Currency of the customers fitted.' },
    fitted_at: { type: 'TIMESTAMPTZ', description: 'When the fit ran.' },
    as_of_date: { type: 'DATE', description: 'As-of date of the summaries.' },
    period: { type: 'VARCHAR', description: 'Time unit of the parameters (week).' },
    horizon_periods: { type: 'INTEGER', description: 'Prediction horizon in periods (52).' },
    annual_discount_rate: { type: 'DOUBLE', description: 'Annual discount rate of predicted CLV (0.10).' },
    status: { type: 'VARCHAR', description: "'fitted' or 'insufficient_data'." },
    error_code: { type: 'VARCHAR', description: 'Why there is no fit: a ClvFitError code (no-repeat-buyers, too-few-repeat-buyers, no-finite-mean-spend, …) or non-finite-prediction.', nullable: true },
    message: { type: 'VARCHAR', description: 'What happened, in words.' },
    customers: { type: 'INTEGER', description: 'Customers summarised.' },
    repeat_buyers: { type: 'INTEGER', description: 'Customers with at least one repeat purchase.' },
    r: { type: 'DOUBLE', description: 'BG/NBD r (purchase-rate shape).', nullable: true },
    alpha: { type: 'DOUBLE', description: 'BG/NBD alpha (purchase-rate scale, weeks).', nullable: true },
    a: { type: 'DOUBLE', description: 'BG/NBD a (dropout beta).', nullable: true },
    b: { type: 'DOUBLE', description: 'BG/NBD b (dropout beta).', nullable: true },
    p: { type: 'DOUBLE', description: 'Gamma-Gamma p.', nullable: true },
    q: { type: 'DOUBLE', description: 'Gamma-Gamma q.', nullable: true },
    v: { type: 'DOUBLE', description: 'Gamma-Gamma v.', nullable: true },
    bgnbd_log_likelihood: { type: 'DOUBLE', description: 'BG/NBD total log-likelihood at the fit.', nullable: true },
    bgnbd_converged: { type: 'BOOLEAN', description: 'The BG/NBD optimiser converged.', nullable: true },
    bgnbd_iterations: { type: 'INTEGER', description: 'BG/NBD optimiser iterations.', nullable: true },
    gamma_gamma_log_likelihood: { type: 'DOUBLE', description: 'Gamma-Gamma total log-likelihood at the fit.', nullable: true },
    gamma_gamma_converged: { type: 'BOOLEAN', description: 'The Gamma-Gamma optimiser converged.', nullable: true },
    gamma_gamma_iterations: { type: 'INTEGER', description: 'Gamma-Gamma optimiser iterations.', nullable: true },
    gamma_gamma_customers: { type: 'INTEGER', description: 'Repeat buyers with positive spend Gamma-Gamma was fitted on.', nullable: true },
    spend_frequency_correlation: { type: 'DOUBLE', description: 'Correlation of frequency and repeat spend (Gamma-Gamma assumes ~0).', nullable: true },
    new_customer_predicted_clv: { type: 'DOUBLE', description: 'Predicted CLV of a customer acquired at the as-of date (compare with CAC).', nullable: true },
  },
  tests: [{ kind: 'accepted_values', column: 'status', values: ['fitted', 'insufficient_data'] }],
  compute: { version: `3:${JSON.stringify(CLV_SETTINGS)}`, run: (rows, context) => clvModelRows(rows, context.now) },
});

/** Customer value by acquisition channel × cohort month × currency. */
export const fctClvByChannel = defineModel({
  name: 'fct_clv_by_channel',
  layer: 'marts',
  sql: 'sql/marts/fct_clv_by_channel.sql',
  materialized: 'table',
  grain: 'acquisition channel × cohort month × currency',
  uniqueKey: ['acquisition_channel', 'cohort_month', 'currency'],
  tags: ['customers', 'clv'],
  description:
    'Customers and their value by acquisition channel and first-order month, per currency (never averaged across currencies): ' +
    'avg_historic_clv = mean revenue to date; avg_predicted_clv = mean predicted CLV over the customers with a prediction (NULL when none).',
  columns: {
    acquisition_channel: { type: 'VARCHAR', description: 'GA4 default channel group of the first order.' },
    cohort_month: { type: 'DATE', description: 'Month of the first order.' },
    currency: { type: 'VARCHAR', description: 'Currency of the money columns.' },
    customers: { type: 'INTEGER', description: 'Customers acquired.' },
    social_customers: { type: 'INTEGER', description: 'Of them, acquired via social.' },
    total_historic_clv: { type: 'DECIMAL(18,2)', description: 'Σ historic CLV.' },
    avg_historic_clv: { type: 'DECIMAL(18,2)', description: 'Mean historic CLV per customer.' },
    predicted_customers: { type: 'INTEGER', description: 'Customers with a CLV prediction.' },
    avg_predicted_clv: { type: 'DECIMAL(18,2)', description: 'Mean predicted CLV over predicted_customers.', nullable: true },
    avg_p_alive: { type: 'DOUBLE', description: 'Mean P(alive) over predicted_customers.', nullable: true },
  },
  tests: [{ kind: 'expression', expression: 'customers >= 1 and predicted_customers <= customers' }],
});
