/**
 * Marts models of the feedback area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { fctServiceDaily, fctSentimentDaily, fctShareOfVoice, fctSurveyDaily } from './feedback/daily.ts';
import { fctFeedback } from './feedback/fct_feedback.ts';
import { fctThemesWeekly } from './feedback/fct_themes_weekly.ts';

/** The feedback area's marts models. */
export const FEEDBACK_MARTS_MODELS = [fctFeedback, fctSentimentDaily, fctThemesWeekly, fctServiceDaily, fctSurveyDaily, fctShareOfVoice] as const satisfies readonly ModelDef[];
