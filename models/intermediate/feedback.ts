/**
 * Intermediate models of the feedback area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The feedback area's intermediate models. */
export const FEEDBACK_INTERMEDIATE_MODELS = [] as const satisfies readonly ModelDef[];
