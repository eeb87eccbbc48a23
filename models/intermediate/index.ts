/**
 * The intermediate models: joins and reshaping shared by several marts (sessions rebuilt from
 * events, the union of every text, attribution touchpoints). Add a model as
 * `models/intermediate/<area>.ts` and list it here; keep the `as const`.
 */
import type { ModelDef } from '../engine/index.ts';

/** Every intermediate model, in any order (the build orders them by lineage). */
export const INTERMEDIATE_MODELS = [] as const satisfies readonly ModelDef[];
