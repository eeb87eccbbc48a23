/**
 * The intermediate models: joins and reshaping shared by several marts (sessions rebuilt from
 * events, the union of every text, attribution touchpoints). Each area keeps its list in its own file.
 */
import { COMMERCE_INTERMEDIATE_MODELS } from './commerce.ts';
import { CUSTOMERS_INTERMEDIATE_MODELS } from './customers.ts';
import { FEEDBACK_INTERMEDIATE_MODELS } from './feedback.ts';
import { SOCIAL_INTERMEDIATE_MODELS } from './social.ts';

/** Every intermediate model, in any order (the build orders them by lineage). */
export const INTERMEDIATE_MODELS = [...SOCIAL_INTERMEDIATE_MODELS, ...COMMERCE_INTERMEDIATE_MODELS, ...CUSTOMERS_INTERMEDIATE_MODELS, ...FEEDBACK_INTERMEDIATE_MODELS] as const;
