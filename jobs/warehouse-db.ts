/**
 * A typed Kysely view of the working warehouse for commands that read it (`pulse status`,
 * `pulse quarantine`): every model's table (`WarehouseDatabase`) plus the `meta` schema
 * (`MetaDatabase`), so a misspelt table or column fails the typecheck instead of the command.
 */
import { Kysely } from 'kysely';
import type { MetaDatabase } from '../core/meta-schema.ts';
import type { Warehouse } from '../core/warehouse.ts';
import { DuckDBDialect } from '../models/engine/kysely-duckdb.ts';
import type { WarehouseDatabase } from '../models/index.ts';

/** Every table of the working warehouse: the models' contracts and `meta`. */
export type PulseDatabase = WarehouseDatabase & MetaDatabase;

/** A typed database over the warehouse. */
export type PulseDb = Kysely<PulseDatabase>;

/**
 * Runs `work` with a typed database over `source`: an open warehouse (its own connections on the
 * same instance, closed afterwards; the warehouse stays open) or an already typed database (used as is).
 *
 * @example
 * const runs = await withPulseDb(wh, (db) => db.selectFrom('meta.runs').select(['run_id', 'status']).execute());
 */
export async function withPulseDb<T>(source: Warehouse | PulseDb, work: (db: PulseDb) => Promise<T>): Promise<T> {
  if (source instanceof Kysely) return work(source);
  const db = new Kysely<PulseDatabase>({ dialect: new DuckDBDialect({ instance: source.instance }) });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** A timestamp as ISO text (`null` stays `null`); DuckDB hands TIMESTAMPTZ back as a `Date`. */
export function isoTime(value: Date | string | null | undefined): string | null {
  if (value == null) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}
