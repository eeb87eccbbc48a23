/**
 * Marts models of the social area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The social area's marts models. */
export const SOCIAL_MARTS_MODELS = [] as const satisfies readonly ModelDef[];
