/**
 * The marts: the tables analysts and reports read (names are a contract; see DESIGN.md, Marts),
 * SQL in `sql/marts/`. Each area keeps its list in its own file.
 */
import { COMMERCE_MARTS_MODELS } from './commerce.ts';
import { CUSTOMERS_MARTS_MODELS } from './customers.ts';
import { FEEDBACK_MARTS_MODELS } from './feedback.ts';
import { SOCIAL_MARTS_MODELS } from './social.ts';

/** Every mart, in any order (the build orders them by lineage). */
export const MART_MODELS = [...SOCIAL_MARTS_MODELS, ...COMMERCE_MARTS_MODELS, ...CUSTOMERS_MARTS_MODELS, ...FEEDBACK_MARTS_MODELS] as const;
