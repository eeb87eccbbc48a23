/**
 * The staging models: one per source table, renamed and typed, no joins (SQL in `sql/staging/`).
 * Each area keeps its list in its own file.
 */
import { COMMERCE_STAGING_MODELS } from './commerce.ts';
import { CUSTOMERS_STAGING_MODELS } from './customers.ts';
import { FEEDBACK_STAGING_MODELS } from './feedback.ts';
import { SOCIAL_STAGING_MODELS } from './social.ts';

/** Every staging model, in any order (the build orders them by lineage). */
export const STAGING_MODELS = [...SOCIAL_STAGING_MODELS, ...COMMERCE_STAGING_MODELS, ...CUSTOMERS_STAGING_MODELS, ...FEEDBACK_STAGING_MODELS] as const;
