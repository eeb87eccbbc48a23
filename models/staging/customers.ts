/**
 * Staging models of the customers area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { stgShopifyCustomers, stgShopifyOrderLines, stgShopifyOrders } from './customers/shopify.ts';
import { stgStripeCharges, stgStripeCustomers, stgStripeSubscriptionEvents, stgStripeSubscriptions } from './customers/stripe.ts';

/** The customers area's staging models. */
export const CUSTOMERS_STAGING_MODELS = [
  stgShopifyOrders,
  stgShopifyOrderLines,
  stgShopifyCustomers,
  stgStripeCustomers,
  stgStripeCharges,
  stgStripeSubscriptions,
  stgStripeSubscriptionEvents,
] as const satisfies readonly ModelDef[];
