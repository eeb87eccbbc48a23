/**
 * Model definitions: what a model is (name, layer, SQL file, materialization, grain, unique key,
 * column contract, data tests) as plain data, typed so the contract's literal types survive into
 * the `Database` type (see `database-type.ts`).
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The schema a model is built into; also its place in the lineage (staging → intermediate → marts). */
export type Layer = 'staging' | 'intermediate' | 'marts';

/** Every layer, in lineage order. */
export const LAYERS: readonly Layer[] = ['staging', 'intermediate', 'marts'];

/** How a model is stored: a view, a table rebuilt each time, or a table merged by unique key. */
export type Materialization = 'view' | 'table' | 'incremental';

/** One column of a model's contract: its DuckDB type, what it means, and whether it may be NULL. */
export interface ColumnContract {
  /** A DuckDB type name as DuckDB spells it (`VARCHAR`, `BIGINT`, `DECIMAL(18,2)`, `TIMESTAMPTZ`). */
  readonly type: string;
  readonly description: string;
  /** Columns are NOT NULL unless declared `nullable: true`; the build checks it. */
  readonly nullable?: boolean;
}

/** A model's columns by name. */
export type ColumnContracts = { readonly [column: string]: ColumnContract };

/** `error` tests gate the publish; `warn` tests are recorded and logged only. */
export type Severity = 'warn' | 'error';

interface TestBase {
  /** Defaults to a name derived from the test (`unique(order_id)`); must be unique per model. */
  readonly name?: string;
  /** Defaults to `error`. */
  readonly severity?: Severity;
}

/** No two rows share the values of `columns`. */
export interface UniqueTest<C extends string = string> extends TestBase {
  readonly kind: 'unique';
  readonly columns: readonly C[];
}

/** `column` is never NULL. */
export interface NotNullTest<C extends string = string> extends TestBase {
  readonly kind: 'not_null';
  readonly column: C;
}

/** `column` only holds one of `values` (NULL passes; add `not_null` to forbid it). */
export interface AcceptedValuesTest<C extends string = string> extends TestBase {
  readonly kind: 'accepted_values';
  readonly column: C;
  readonly values: readonly (string | number | boolean)[];
}

/** Every non-NULL `column` value exists in `to`.`field`; `to` is a model name or `schema.table`. */
export interface RelationshipsTest<C extends string = string> extends TestBase {
  readonly kind: 'relationships';
  readonly column: C;
  readonly to: string;
  readonly field: string;
}

/** A row-level SQL boolean (`engagements >= 0`); rows where it is false fail. Trusted code, not config. */
export interface ExpressionTest extends TestBase {
  readonly kind: 'expression';
  readonly expression: string;
}

/**
 * The latest `column` of `table` (default: the model itself; usually a source such as
 * `raw.shopify__orders` with `_loaded_at`) is at most `maxAgeHours` old at the build's clock.
 */
export interface FreshnessTest<C extends string = string> extends TestBase {
  readonly kind: 'freshness';
  readonly column: C | (string & {});
  readonly maxAgeHours: number;
  readonly table?: string;
}

/** A data test run after the build; results go to `meta.test_results`. */
export type DataTest<C extends string = string> =
  | UniqueTest<C>
  | NotNullTest<C>
  | AcceptedValuesTest<C>
  | RelationshipsTest<C>
  | ExpressionTest
  | FreshnessTest<C>;

/**
 * An incremental model that recomputes a time window: rows whose `eventTime` is within
 * `lookbackDays` of the table's latest are rebuilt each time; older rows are final.
 */
export interface WindowIncremental<C extends string = string> {
  /** The output column that orders rows in time (a DATE or TIMESTAMP). */
  readonly eventTime: C;
  /** Rows whose `eventTime` is within this many days of the table's latest are recomputed. */
  readonly lookbackDays: number;
}

/**
 * An incremental model that recomputes the groups of rows whose inputs changed, however old:
 * every row sharing a value of `by` (an order, a customer) is rebuilt together. The `changed` SQL
 * file says which values to rebuild, reading what changed since the model's last build through
 * the engine's macros (see `keyed-increment.ts`):
 * - `pulse_loaded_after('raw.table')`: the latest `_loaded_at` of that raw table at the last build
 *   (rows above it were loaded or restated since);
 * - `pulse_rebuilt_from('model')`: the earliest window start an upstream window model recomputed
 *   since (`infinity` when it did not change);
 * - `pulse_upstream_keys`: a table (`model`, `key`) of the groups upstream keyed models changed since
 *   (recomputed groups that came out the same are not listed).
 * It may read the model's own table, which still holds the previous build (a row whose group
 * changed must have its old group rebuilt too). The model's SQL narrows its inputs with
 * `pulse_in_increment(<expression of the group>)`, true for every row in a full build.
 */
export interface KeyedIncremental<C extends string = string> {
  /** The output column (NOT NULL) whose value names a group of rows recomputed together. */
  readonly by: C;
  /** Path of the SQL file selecting the values of `by` to rebuild as one column `key`, relative to the repository root. */
  readonly changed: string;
}

/** How an incremental model finds new or restated rows: a time window, or the groups whose inputs changed. */
export type IncrementalConfig<C extends string = string> = WindowIncremental<C> | KeyedIncremental<C>;

/** True for a keyed (group) incremental configuration. */
export function isKeyed<C extends string>(config: IncrementalConfig<C>): config is KeyedIncremental<C> {
  return 'by' in config;
}

/** What a compute step is given besides the rows. */
export interface ComputeContext {
  /** The build's clock. */
  readonly now: Date;
}

/**
 * A model whose rows are computed in TypeScript (sentiment scoring, CLV fitting) from the rows
 * its SQL file selects. The SQL still declares the inputs, so lineage and an analyst's reading
 * stay plain SQL; `run` turns input rows into output rows matching the column contract.
 */
export interface ComputeSpec {
  /** Bump when the code changes, so the model rebuilds (it is part of the model's hash). */
  readonly version: string;
  /**
   * Turns input rows into output rows. For an incremental model only new input rows and those
   * that changed since they were computed are passed (fingerprints in `meta.compute_inputs`);
   * output rows whose input row is gone are removed.
   */
  readonly run: (rows: Record<string, unknown>[], context: ComputeContext) => Promise<Record<string, unknown>[]> | Record<string, unknown>[];
  /**
   * Set when each output row depends on its own input row only (scoring, not fitting): `run` is
   * then called on batches of at most this many rows as the input streams in, so memory stays
   * bounded however large the input grows. Without it `run` gets every input row at once.
   */
  readonly batchRows?: number;
}

/** A model as its author declares it. Build it with `defineModel` to keep literal types. */
export interface ModelDef<N extends string = string, L extends Layer = Layer, C extends ColumnContracts = ColumnContracts> {
  readonly name: N;
  readonly layer: L;
  /** Path of the SQL file, relative to the repository root (or absolute). */
  readonly sql: string;
  readonly materialized: Materialization;
  /** What one row is, in words (`campaign × day`). */
  readonly grain: string;
  /** Columns that identify a row; always tested `unique` + `not_null`, and the merge key of incremental models. */
  readonly uniqueKey: readonly string[];
  readonly columns: C;
  readonly tests?: readonly DataTest[];
  readonly tags?: readonly string[];
  readonly incremental?: IncrementalConfig;
  /** Computes the rows in TypeScript from the SQL's rows (see `ComputeSpec`). */
  readonly compute?: ComputeSpec;
  readonly description: string;
}

/**
 * The column names a definition mentions, checked against its contract at the `defineModel` call.
 * (Kept out of `ModelDef` itself: `keyof C` there would make `ModelDef<…, C>` invariant in C, and a
 * concrete model would no longer fit in a `ModelDef[]`.)
 */
export interface ColumnNameChecks<C extends ColumnContracts> {
  readonly uniqueKey: readonly (keyof C & string)[];
  readonly tests?: readonly DataTest<keyof C & string>[];
  readonly incremental?: IncrementalConfig<keyof C & string>;
}

/**
 * Declares a model; the `const` type parameters keep names, layers and column types literal so
 * `Database<[typeof model]>` knows them, and a unique key, test or event time naming a column
 * outside the contract does not compile.
 *
 * @example
 * export const fctOrders = defineModel({
 *   name: 'fct_orders', layer: 'marts', sql: 'sql/marts/fct_orders.sql', materialized: 'table',
 *   grain: 'order', uniqueKey: ['order_id'], description: 'One row per order.',
 *   columns: { order_id: { type: 'VARCHAR', description: 'Shopify order id' } },
 * });
 */
export function defineModel<const N extends string, const L extends Layer, const C extends ColumnContracts>(def: ModelDef<N, L, C> & ColumnNameChecks<C>): ModelDef<N, L, C> {
  return def;
}

// The engine lives at models/engine/, so the repository root is two folders up, wherever it is checked out.
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Resolves a model's `sql` path against the repository root. */
export function resolveSqlPath(sql: string): string {
  return isAbsolute(sql) ? sql : resolve(REPO_ROOT, sql);
}
