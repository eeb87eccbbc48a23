/**
 * Intermediate models of the commerce area. List each model here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';
import { intAdSpendDaily, intSessions, intTouchpoints } from './commerce/sessions.ts';

/** The commerce area's intermediate models. */
export const COMMERCE_INTERMEDIATE_MODELS = [intSessions, intTouchpoints, intAdSpendDaily] as const satisfies readonly ModelDef[];
