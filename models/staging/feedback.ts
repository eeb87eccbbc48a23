/**
 * Staging models of the feedback area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { SURVEYS_STAGING_MODELS } from './feedback/surveys.ts';
import { ZENDESK_STAGING_MODELS } from './feedback/zendesk.ts';

/** The feedback area's staging models. */
export const FEEDBACK_STAGING_MODELS = [...ZENDESK_STAGING_MODELS, ...SURVEYS_STAGING_MODELS] as const satisfies readonly ModelDef[];
