/**
 * Marts models of the social area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { fctAccountDaily, fctPostEngagement } from './social/models.ts';

/** The social area's marts models. */
export const SOCIAL_MARTS_MODELS = [fctPostEngagement, fctAccountDaily] as const satisfies readonly ModelDef[];
