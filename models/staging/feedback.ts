/**
 * Staging models of the feedback area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** The feedback area's staging models. */
export const FEEDBACK_STAGING_MODELS = [] as const satisfies readonly ModelDef[];
