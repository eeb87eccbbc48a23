/**
 * Marts models of the customers area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The customers area's marts models. */
export const CUSTOMERS_MARTS_MODELS = [] as const satisfies readonly ModelDef[];
