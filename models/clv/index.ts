/**
 * Customer lifetime value: RFM summaries from orders, BG/NBD purchase counts and Gamma-Gamma spend
 * fitted by maximum likelihood, and discounted CLV predictions.
 *
 * @example
 * const orders = await readOrdersFile('orders.csv');
 * const summaries = summarizeOrders(orders, '2024-12-31', 'week');
 * const model = fitClv(summaries, { period: 'week' });
 * const predictions = predictClv(model, summaries, { horizon: 12, period: 'month', annualDiscountRate: 0.1 });
 */
export { type PeriodUnit, type Order, type CustomerSummary, OrderInputError, summarizeOrders, periodIndex } from './rfm.ts';
export {
  type BgNbdParams,
  type BgNbdData,
  bgnbdLogLikelihood,
  groupBgNbdData,
  makeBgNbdLogLikelihood,
  probabilityAlive,
  conditionalExpectedPurchases,
  expectedPurchases,
} from './bgnbd.ts';
export {
  type GammaGammaParams,
  type GammaGammaData,
  gammaGammaLogLikelihood,
  packGammaGammaData,
  makeGammaGammaLogLikelihood,
  populationMeanSpend,
  conditionalExpectedSpend,
} from './gammagamma.ts';
export { type MaximizeOptions, type MaximizeResult, maximizePositive } from './optimize.ts';
export {
  type ClvFitErrorCode,
  type ClvSummary,
  type FitClvOptions,
  type FitDiagnostics,
  type ClvDiagnostics,
  type ClvModel,
  type PredictClvOptions,
  type ClvPrediction,
  ClvFitError,
  fitClv,
  predictClv,
  predictNewCustomerClv,
} from './fit.ts';
export { type OrderColumns, type ReadOrdersOptions, OrdersFileError, ORDER_COLUMN_CANDIDATES, readOrdersFile } from './orders-file.ts';
export { type Hyp2f1Options, lnGamma, gammaSign, lnBeta, hyp2f1, hyp2f1Series } from './special.ts';
