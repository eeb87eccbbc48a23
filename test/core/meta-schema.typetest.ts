/**
 * Compile-time checks of `MetaDatabase` and of the database `pulse status` reads through (run by
 * `npm run typecheck`, never executed): each `@ts-expect-error` line must fail to compile, so a
 * misspelt `meta` table or column is caught before the command runs.
 */
import type { Kysely } from 'kysely';
import type { MetaDatabase } from '../../core/meta-schema.ts';
import type { PulseDatabase } from '../../jobs/warehouse-db.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => undefined;

assertType<
  Equal<
    keyof MetaDatabase,
    | 'meta.schema_migrations'
    | 'meta.runs'
    | 'meta.stream_runs'
    | 'meta.stream_state'
    | 'meta.quarantine'
    | 'meta.schema_drift'
    | 'meta.loaded_files'
    | 'meta.model_runs'
    | 'meta.model_increments'
    | 'meta.model_changes'
    | 'meta.compute_inputs'
    | 'meta.test_results'
    | 'meta.run_steps'
    | 'meta.job_ticks'
    | 'meta.backfill_windows'
  >
>(true);
assertType<Equal<MetaDatabase['meta.stream_state'], { source: string; stream: string; cursor: string | null; updated_at: Date | string; run_id: string }>>(true);

/** Never called: the body only has to compile (or fail to, where marked). */
export async function typedMetaQueries(db: Kysely<PulseDatabase>): Promise<void> {
  const runs = await db.selectFrom('meta.stream_runs').select(['source', 'rows_loaded', 'finished_at']).where('status', '=', 'failed').execute();
  // A column with a default (`rows_loaded`) reads as its plain type; `finished_at` may be NULL.
  const first: { source: string; rows_loaded: number; finished_at: Date | string | null } | undefined = runs[0];
  void first;
  // The same database reaches the models' tables.
  await db.selectFrom('marts.fct_post_engagement').selectAll().execute();

  // @ts-expect-error a misspelt meta column does not compile
  await db.selectFrom('meta.stream_runs').select(['source', 'rows_laoded']).execute();
  // @ts-expect-error a misspelt meta column in a filter does not compile
  await db.selectFrom('meta.quarantine').selectAll().where('replayed', 'is', null).execute();
  // @ts-expect-error a misspelt meta table does not compile
  await db.selectFrom('meta.stream_run').selectAll().execute();
  // @ts-expect-error finished_at is nullable, so it is not a plain timestamp
  const finished: Date | string = (await db.selectFrom('meta.runs').select('finished_at').executeTakeFirstOrThrow()).finished_at;
  void finished;
  // An insert may leave out a column with a default (the quarantine id) but not a NOT NULL one without.
  await db.insertInto('meta.quarantine').values({ source: 's', stream: 't', run_id: 'r', quarantined_at: new Date(), reason: 'why', record: '{}' }).execute();
  // @ts-expect-error reason is NOT NULL without a default
  await db.insertInto('meta.quarantine').values({ source: 's', stream: 't', run_id: 'r', quarantined_at: new Date(), record: '{}' }).execute();
}
