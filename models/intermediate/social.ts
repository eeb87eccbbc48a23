/**
 * Intermediate models of the social area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { intBrandDaily, intSocialAccountDaily, intSocialPosts, intSocialTexts } from './social/models.ts';

/** The social area's intermediate models. */
export const SOCIAL_INTERMEDIATE_MODELS = [intSocialAccountDaily, intSocialPosts, intSocialTexts, intBrandDaily] as const satisfies readonly ModelDef[];
