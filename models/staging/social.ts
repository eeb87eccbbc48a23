/**
 * Staging models of the social area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { FACEBOOK_STAGING_MODELS } from './social/facebook.ts';
import { INSTAGRAM_STAGING_MODELS } from './social/instagram.ts';
import { LINKEDIN_STAGING_MODELS } from './social/linkedin.ts';
import { X_STAGING_MODELS } from './social/x.ts';
import { YOUTUBE_STAGING_MODELS } from './social/youtube.ts';

/** The social area's staging models. */
export const SOCIAL_STAGING_MODELS = [
  ...FACEBOOK_STAGING_MODELS,
  ...INSTAGRAM_STAGING_MODELS,
  ...X_STAGING_MODELS,
  ...LINKEDIN_STAGING_MODELS,
  ...YOUTUBE_STAGING_MODELS,
] as const satisfies readonly ModelDef[];
