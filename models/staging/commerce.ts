/**
 * Staging models of the commerce area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { stgGa4Sessions, stgGa4Transactions } from './commerce/ga4.ts';
import { stgMetaAdsAdInsights, stgMetaAdsAds, stgMetaAdsAdsets, stgMetaAdsCampaigns } from './commerce/meta-ads.ts';
import { stgAbTestVariants, stgFxRates, stgInfluencers } from './commerce/seeds.ts';
import { stgWebEventsEvents } from './commerce/web-events.ts';

/** The commerce area's staging models. */
export const COMMERCE_STAGING_MODELS = [
  stgWebEventsEvents,
  stgGa4Sessions,
  stgGa4Transactions,
  stgMetaAdsAdInsights,
  stgMetaAdsCampaigns,
  stgMetaAdsAdsets,
  stgMetaAdsAds,
  stgFxRates,
  stgAbTestVariants,
  stgInfluencers,
] as const satisfies readonly ModelDef[];
