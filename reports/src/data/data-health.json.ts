/**
 * Data health from the published file's `meta` views: freshness per source against the jobs'
 * SLAs (from the config, via the loader context), the latest runs, records quarantined at
 * load (from the extract runs' details), the latest build of each model and data test results.
 */
import { sql } from 'kysely';
import { isMain, runLoader, type Loader } from '../../lib/analytics.ts';
import { freshnessState } from '../../../jobs/job-status.ts';

const load: Loader = async ({ db, section, freshness: slas }) => {
  const published = await db.selectFrom('meta.published').select(sql<string>`strftime(published_at, '%Y-%m-%dT%H:%M:%SZ')`.as('at')).executeTakeFirst();
  return {
    freshness: await section(['meta.stream_state', 'meta.published'], async () => {
      // Ages are measured at publish time: the page is a snapshot, not a live monitor.
      const rows = await db
        .selectFrom('meta.stream_state')
        .select(['source', sql<number>`cast(count(*) as double)`.as('streams'), sql<string>`strftime(min(updated_at), '%Y-%m-%dT%H:%M:%SZ')`.as('oldest_load'), sql<number>`cast(date_diff('second', min(updated_at), (select published_at from meta.published)) / 3600.0 as double)`.as('age_hours')])
        .groupBy('source')
        .orderBy('source')
        .execute();
      return rows.map((r) => {
        const sla = slas[r.source];
        return { ...r, warn_after_hours: sla?.warnAfterHours ?? null, error_after_hours: sla?.errorAfterHours ?? null, state: sla ? freshnessState(r.age_hours, sla) : 'no SLA' };
      });
    }),
    runs: await section(['meta.runs'], () =>
      db
        .selectFrom('meta.runs')
        .select(['run_id', 'job', 'command', 'status', sql<string>`strftime(started_at, '%Y-%m-%dT%H:%M:%SZ')`.as('started_at'), sql<number | null>`cast(date_diff('millisecond', started_at, finished_at) / 1000.0 as double)`.as('seconds'), 'error'])
        .orderBy('started_at', 'desc')
        .limit(20)
        .execute(),
    ),
    quarantine: await section(['meta.runs'], async () =>
      (
        await sql<{ stream: string; quarantined: number; loaded: number }>`
          select s->>'source' || '.' || (s->>'stream') as stream, cast(sum((s->>'rowsQuarantined')::bigint) as double) as quarantined, cast(sum((s->>'rowsLoaded')::bigint) as double) as loaded
          from (select unnest(from_json(details->'streams', '["json"]')) as s from meta.runs where command = 'extract' and details is not null and json_type(details->'streams') = 'ARRAY')
          group by 1 order by quarantined desc, stream`.execute(db)
      ).rows,
    ),
    models: await section(['meta.model_runs'], () =>
      db.selectFrom('meta.model_runs').select(['model', 'status', 'mode', 'rows', 'duration_ms', 'error']).orderBy('model').execute(),
    ),
    tests: await section(['meta.test_results'], () =>
      db.selectFrom('meta.test_results').select(['model', 'test', 'kind', 'severity', 'status', 'failing_rows', 'error']).orderBy('model').orderBy('test').execute(),
    ),
    publishedAt: published?.at ?? null,
  };
};

export default load;

if (isMain(import.meta.url)) await runLoader(load);
