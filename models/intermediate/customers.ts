/**
 * Intermediate models of the customers area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { intClvPredictions, intClvSummaries } from './customers/clv.ts';
import { intCustomerOrders, intCustomersAsOf } from './customers/orders.ts';
import { intSubscriptionMrrChanges } from './customers/subscriptions.ts';

/** The customers area's intermediate models. */
export const CUSTOMERS_INTERMEDIATE_MODELS = [intCustomersAsOf, intCustomerOrders, intClvSummaries, intClvPredictions, intSubscriptionMrrChanges] as const satisfies readonly ModelDef[];
