/**
 * Marts models of the commerce area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The commerce area's marts models. */
export const COMMERCE_MARTS_MODELS = [] as const satisfies readonly ModelDef[];
