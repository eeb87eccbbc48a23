/**
 * Marts models of the commerce area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { fctAbTests, fctCampaignPerformance, fctConversions, fctInfluencerPerformance, fctWebSessions } from './commerce/marts.ts';

/** The commerce area's marts models. */
export const COMMERCE_MARTS_MODELS = [fctWebSessions, fctConversions, fctCampaignPerformance, fctAbTests, fctInfluencerPerformance] as const satisfies readonly ModelDef[];
