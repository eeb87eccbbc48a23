/**
 * The staging models: one per source table, renamed and typed, no joins (SQL in `sql/staging/`).
 * Add a model as `models/staging/stg_<source>__<entity>.ts` exporting its `defineModel(...)`, then
 * list it here; keep the `as const` so `WarehouseDatabase` keeps its column types.
 */
import type { ModelDef } from '../engine/index.ts';

/** Every staging model, in any order (the build orders them by lineage). */
export const STAGING_MODELS = [] as const satisfies readonly ModelDef[];
