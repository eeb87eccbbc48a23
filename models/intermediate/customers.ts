/**
 * Intermediate models of the customers area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The customers area's intermediate models. */
export const CUSTOMERS_INTERMEDIATE_MODELS = [] as const satisfies readonly ModelDef[];
