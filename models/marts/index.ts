/**
 * The marts: the tables analysts and reports read (names are a contract; see DESIGN.md, Marts),
 * SQL in `sql/marts/`. Add a model as `models/marts/<fct_|dim_>name.ts` exporting its
 * `defineModel(...)`, then list it here; keep the `as const` so `WarehouseDatabase` keeps its
 * column types.
 */
import type { ModelDef } from '../engine/index.ts';

/** Every mart, in any order (the build orders them by lineage). */
export const MART_MODELS = [] as const satisfies readonly ModelDef[];
