/**
 * Marts models of the feedback area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The feedback area's marts models. */
export const FEEDBACK_MARTS_MODELS = [] as const satisfies readonly ModelDef[];
