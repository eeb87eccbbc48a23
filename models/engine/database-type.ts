/**
 * Compile-time row types derived from model contracts, so `Kysely<Database<typeof models>>`
 * checks table and column names without code generation.
 *
 * BIGINT / HUGEINT map to `number`: the Kysely dialect converts them to numbers when they fit in a
 * double's 53-bit integer range and leaves larger ones as `bigint` (counts and sums in marts fit).
 * DECIMAL maps to `number` because DuckDB's JS conversion returns a double: do money arithmetic in SQL.
 */
import type { ColumnContract, ModelDef } from './define.ts';

type NumberTypes =
  | 'TINYINT' | 'SMALLINT' | 'INTEGER' | 'INT' | 'INT4' | 'INT2' | 'INT1' | 'SHORT' | 'SIGNED'
  | 'BIGINT' | 'INT8' | 'LONG' | 'HUGEINT' | 'INT128'
  | 'UTINYINT' | 'USMALLINT' | 'UINTEGER' | 'UBIGINT' | 'UHUGEINT'
  | 'DOUBLE' | 'FLOAT8' | 'FLOAT' | 'FLOAT4' | 'REAL'
  | 'DECIMAL' | `DECIMAL(${string})` | 'NUMERIC' | `NUMERIC(${string})`;
type StringTypes = 'VARCHAR' | `VARCHAR(${string})` | 'TEXT' | 'STRING' | 'CHAR' | 'BPCHAR' | 'UUID' | 'ENUM';
type BooleanTypes = 'BOOLEAN' | 'BOOL' | 'LOGICAL';
type TimeTypes =
  | 'DATE' | 'TIMESTAMP' | 'DATETIME' | 'TIMESTAMPTZ' | 'TIMESTAMP WITH TIME ZONE'
  | 'TIMESTAMP_S' | 'TIMESTAMP_MS' | 'TIMESTAMP_NS';

/** Maps a DuckDB type name (any case) to the TypeScript type its values arrive as. */
export type DuckDBTsType<T extends string> =
  Uppercase<T> extends `${infer Inner}[]` ? DuckDBTsType<Inner>[]
  : Uppercase<T> extends StringTypes ? string
  : Uppercase<T> extends NumberTypes ? number
  : Uppercase<T> extends BooleanTypes ? boolean
  : Uppercase<T> extends TimeTypes ? Date | string
  : Uppercase<T> extends 'BLOB' | 'BYTEA' ? Uint8Array
  : unknown; // JSON, STRUCT, MAP, INTERVAL …: the caller narrows

/** The TypeScript type of one contracted column, `| null` when declared nullable. */
export type ColumnTsType<C extends ColumnContract> = C['nullable'] extends true ? DuckDBTsType<C['type']> | null : DuckDBTsType<C['type']>;

/** The row type of one model: every contracted column with its TypeScript type. */
export type RowOf<M extends ModelDef> = { -readonly [K in keyof M['columns'] & string]: ColumnTsType<M['columns'][K]> };

/**
 * The Kysely database interface of a list of models, keyed `layer.name`.
 *
 * @example
 * const models = [fctOrders, dimCustomers] as const;
 * const db = new Kysely<Database<typeof models>>({ dialect: new DuckDBDialect({ instance }) });
 * await db.selectFrom('marts.fct_orders').select(['order_id']).execute();
 */
export type Database<Models extends readonly ModelDef[]> = {
  [M in Models[number] as `${M['layer']}.${M['name']}`]: RowOf<M>;
};
