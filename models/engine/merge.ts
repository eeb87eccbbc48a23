/**
 * The write step both incremental merges share: the recomputed rows land in a temporary table,
 * the rows they replace are deleted, and they are inserted, all inside the caller's transaction.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, qualified } from '../../core/sql.ts';
import { exec, queryRows } from './connection.ts';
import type { LoadedModel } from './registry.ts';

/**
 * Replaces rows of the model's table with the rows of `select`: runs each delete (a `where`
 * condition on the table, or a `using` clause naming the increment as `increment`), inserts the
 * new rows, and returns how many it inserted.
 */
export async function replaceRows(conn: DuckDBConnection, model: LoadedModel, select: string, deletes: (increment: string) => string[]): Promise<number> {
  const target = qualified(model.layer, model.name);
  const increment = ident(`pulse_increment_${model.name}`);
  await exec(conn, `create or replace temp table ${increment} as ${select}`);
  for (const clause of deletes(increment)) await exec(conn, `delete from ${target} ${clause}`);
  await exec(conn, `insert into ${target} by name select * from ${increment}`);
  const [written] = await queryRows<{ n: number }>(conn, `select count(*) as n from ${increment}`);
  await exec(conn, `drop table ${increment}`);
  return Number(written?.n ?? 0);
}
