/**
 * Staging models of the commerce area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The commerce area's staging models. */
export const COMMERCE_STAGING_MODELS = [] as const satisfies readonly ModelDef[];
