/**
 * Intermediate models of the feedback area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { intFeedbackTexts } from './feedback/int_feedback_texts.ts';

/** The feedback area's intermediate models. */
export const FEEDBACK_INTERMEDIATE_MODELS = [intFeedbackTexts] as const satisfies readonly ModelDef[];
