/**
 * Staging models of the customers area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The customers area's staging models. */
export const CUSTOMERS_STAGING_MODELS = [] as const satisfies readonly ModelDef[];
