/**
 * Staging models of the social area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The social area's staging models. */
export const SOCIAL_STAGING_MODELS = [] as const satisfies readonly ModelDef[];
