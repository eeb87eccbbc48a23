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

/** What `replaceChangedGroups` did: groups recomputed, and the groups and rows it wrote. */
export interface GroupReplacement {
  /** Groups the increment recomputed (the candidates). */
  readonly groups: number;
  /** Groups whose rows differ from the table's, and the rows written for them. */
  readonly written: { readonly groups: number; readonly rows: number };
}

/**
 * Replaces the groups (values of `by`) of the model's table whose recomputed rows differ from
 * the stored ones. `select` yields the recomputed rows of every group listed in `candidates` (a
 * table with a `key` column); a group whose rows come out the same, as a multiset of whole rows,
 * is left alone. Why: a keyed build recomputes more groups than change (every order of a customer
 * who came back, to be safe), and rewriting identical rows costs twice: DuckDB's next checkpoint
 * rewrites every row group the deletes touched (≈1 s for a tenth of a million-row table), and
 * models downstream, told which groups changed (`onChanged`, inside the same transaction),
 * recompute those groups again.
 */
export async function replaceChangedGroups(
  conn: DuckDBConnection,
  model: LoadedModel,
  by: string,
  select: string,
  candidates: string,
  onChanged: (changedTable: string) => Promise<void>,
): Promise<GroupReplacement> {
  const target = qualified(model.layer, model.name);
  const group = ident(by);
  const increment = ident(`pulse_increment_${model.name}`);
  const stored = ident(`pulse_stored_${model.name}`);
  const changed = ident(`pulse_changed_${model.name}`);
  // Both sides list the contract's columns in one order, so the set difference compares like with like.
  const columns = Object.keys(model.columns).map(ident).join(', ');
  await exec(conn, `create or replace temp table ${increment} as ${select}`);
  await exec(conn, `create or replace temp table ${stored} as select ${columns} from ${target} where ${group} in (select key from ${candidates})`);
  await exec(
    conn,
    `create or replace temp table ${changed} as select distinct ${group} as key from (
       (select ${columns} from ${increment} except all select ${columns} from ${stored})
       union all
       (select ${columns} from ${stored} except all select ${columns} from ${increment})
     ) as differing`,
  );
  await exec(conn, `delete from ${target} where ${group} in (select key from ${changed})`);
  const [inserted] = await queryRows<{ Count: number }>(conn, `insert into ${target} by name select * from ${increment} where ${group} in (select key from ${changed})`);
  const [counts] = await queryRows<{ candidates: number; changed: number }>(
    conn,
    `select (select count(*) from ${candidates}) as candidates, (select count(*) from ${changed}) as changed`,
  );
  await onChanged(changed);
  for (const table of [increment, stored, changed]) await exec(conn, `drop table ${table}`);
  return { groups: Number(counts?.candidates ?? 0), written: { groups: Number(counts?.changed ?? 0), rows: Number(inserted?.Count ?? 0) } };
}
