/**
 * The write steps of incremental merges, inside the caller's transaction: a window model replaces
 * its window (`replaceRows`); a keyed model compares its recomputed groups with the stored ones
 * and rewrites only those that differ (`replaceChangedGroups`).
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

/** The column holding a row's hash in the temporary tables of a replacement. */
const HASH = ident('pulse_row_hash');

/** What `replaceChangedGroups` is to replace. */
export interface GroupReplacement {
  /** The recomputed rows (a SELECT). */
  readonly select: string;
  /** The columns naming a group of rows replaced together (a keyed model's `by`). */
  readonly groupBy: readonly string[];
  /** Selects, from the model's table, the given projection of the stored rows of the recomputed groups. */
  readonly stored: (projection: string) => string;
  /** Runs before the temporary tables are dropped, with the table of changed groups (one column per `groupBy` column). */
  readonly onChanged?: (changedTable: string) => Promise<void>;
}

/** What `replaceChangedGroups` wrote. */
export interface ReplacedGroups {
  /** Groups whose rows differ from the stored ones, which were rewritten. */
  readonly groups: number;
  /** Rows inserted for them. */
  readonly rows: number;
}

/**
 * Replaces the groups of the model's table whose recomputed rows differ from the stored ones, as
 * a multiset of whole rows (by a 64-bit hash of each): a group that comes out the same is left
 * alone, and one whose rows are gone is deleted. Why: an increment recomputes far more than
 * changes (every order of a returning customer, to be safe), and
 * rewriting identical rows costs twice: DuckDB's next checkpoint rewrites every row group the
 * deletes and inserts touched (≈1 s for a tenth of a million-row table), and keyed models
 * downstream, told which groups changed (`onChanged`), recompute those groups again.
 */
export async function replaceChangedGroups(conn: DuckDBConnection, model: LoadedModel, replacement: GroupReplacement): Promise<ReplacedGroups> {
  const target = qualified(model.layer, model.name);
  const increment = ident(`pulse_increment_${model.name}`);
  const stored = ident(`pulse_stored_${model.name}`);
  const changed = ident(`pulse_changed_${model.name}`);
  const group = replacement.groupBy.map(ident);
  const sameGroup = (table: string, other: string) => group.map((g) => `${table}.${g} is not distinct from ${other}.${g}`).join(' and ');
  // Rows are compared by a hash of their contract columns, in one order on both sides: comparing
  // the rows themselves took 0.6 s for a week of web events, hashing them a tenth of that.
  const rowHash = `hash(${Object.keys(model.columns).map(ident).join(', ')}) as ${HASH}`;
  const keyed = [...group, HASH].join(', ');
  await exec(conn, `create or replace temp table ${increment} as select *, ${rowHash} from (${replacement.select}) as recomputed`);
  await exec(conn, `create or replace temp table ${stored} as ${replacement.stored(`${group.join(', ')}, ${rowHash}`)}`);
  await exec(
    conn,
    `create or replace temp table ${changed} as select distinct ${group.join(', ')} from (
       (select ${keyed} from ${increment} except all select ${keyed} from ${stored})
       union all
       (select ${keyed} from ${stored} except all select ${keyed} from ${increment})
     ) as differing`,
  );
  await exec(conn, `delete from ${target} using ${changed} where ${sameGroup(target, changed)}`);
  const [inserted] = await queryRows<{ Count: number }>(
    conn,
    `insert into ${target} by name select * exclude (${HASH}) from ${increment} where exists (select 1 from ${changed} where ${sameGroup(changed, increment)})`,
  );
  const [counted] = await queryRows<{ n: number }>(conn, `select count(*) as n from ${changed}`);
  await replacement.onChanged?.(changed);
  for (const table of [increment, stored, changed]) await exec(conn, `drop table ${table}`);
  return { groups: Number(counted?.n ?? 0), rows: Number(inserted?.Count ?? 0) };
}
