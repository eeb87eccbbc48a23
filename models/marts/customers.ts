/**
 * Marts models of the customers area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { clvModel, dimCustomers, fctClvByChannel } from './customers/customers.ts';
import { fctChurnMonthly, fctCustomerCohorts, fctRepeatPurchaseMonthly } from './customers/retention.ts';
import { fctSubscriptionMrr } from './customers/subscriptions.ts';

/** The customers area's marts models. */
export const CUSTOMERS_MARTS_MODELS = [
  dimCustomers,
  clvModel,
  fctClvByChannel,
  fctCustomerCohorts,
  fctChurnMonthly,
  fctRepeatPurchaseMonthly,
  fctSubscriptionMrr,
] as const satisfies readonly ModelDef[];
