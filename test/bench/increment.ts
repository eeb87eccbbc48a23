/**
 * The ~1% of new data the incremental stage adds. The build stage holds the last-loaded 1% of each
 * raw table out (moved to a `bench_increment` schema) before its full build; the incremental stage
 * puts those rows back with a fresh `_loaded_at` and rebuilds. The new rows are real extracted
 * records, so their keys, nested ids and references are as consistent as the rest of the data;
 * copies of old rows with suffixed keys were not (nested message and line ids repeated, and the
 * unique tests of the staging models failed).
 */
import { ident } from '../../core/sql.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { tablesIn } from '../reliability/support.ts';

/** The share of each raw table held out as the increment. */
const INCREMENT_SHARE = 0.01;
/** Where the held-out rows wait in the built warehouse. */
const HOLDOUT_SCHEMA = 'bench_increment';

/** What was held out or put back. */
export interface IncrementFigures {
  rows: number;
  tables: number;
}

/** Moves the last-loaded 1% (at least one row) of every non-empty raw table into the hold-out schema, in one transaction. */
export async function holdOutIncrement(wh: Warehouse): Promise<IncrementFigures> {
  let rows = 0;
  let tables = 0;
  await wh.transaction(async () => {
    await wh.run(`create schema if not exists ${HOLDOUT_SCHEMA}`);
    for (const table of await tablesIn(wh, 'raw')) {
      const source = `raw.${ident(table)}`;
      const [counted] = await wh.all<{ n: number | bigint }>(`select count(*) as n from ${source}`);
      const total = Number(counted?.n ?? 0);
      if (total === 0) continue;
      const n = Math.ceil(total * INCREMENT_SHARE);
      const last = `select rowid from ${source} order by rowid desc limit ${n}`;
      await wh.run(`create table ${HOLDOUT_SCHEMA}.${ident(table)} as select * from ${source} where rowid in (${last})`);
      await wh.run(`delete from ${source} where rowid in (${last})`);
      rows += n;
      tables++;
    }
  });
  return { rows, tables };
}

/** Puts the held-out rows back into their raw tables as a new load (fresh `_loaded_at` and run id) and drops the hold-out schema. */
export async function restoreIncrement(wh: Warehouse): Promise<IncrementFigures> {
  let rows = 0;
  let tables = 0;
  await wh.transaction(async () => {
    for (const table of await tablesIn(wh, HOLDOUT_SCHEMA)) {
      const [inserted] = await wh.all<{ Count: number | bigint }>(
        `insert into raw.${ident(table)} by name select * replace (now() as _loaded_at, 'bench-increment' as _run_id) from ${HOLDOUT_SCHEMA}.${ident(table)}`,
      );
      rows += Number(inserted?.Count ?? 0);
      tables++;
    }
    await wh.run(`drop schema if exists ${HOLDOUT_SCHEMA} cascade`);
  });
  if (tables === 0) throw new Error(`the built warehouse holds no ${HOLDOUT_SCHEMA} rows: run the build stage of this benchmark first`);
  return { rows, tables };
}
