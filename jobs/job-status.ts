/**
 * The state of configured jobs and of source freshness, read from the run ledger: for each job
 * its last run and next tick; for each source with an SLA, how old its data is and whether that
 * is fresh, `warn` or `error`. Used by `pulse status` and by the scheduler's stale alerts.
 */
import type { Warehouse } from '../core/warehouse.ts';
import type { JobConfig } from './job-config.ts';
import { nextTick, scheduleOf } from './ticks.ts';
import { isoTime, withPulseDb, type PulseDb } from './warehouse-db.ts';

/** One job's line in `pulse status`. */
export interface JobStatus {
  job: string;
  description: string | null;
  schedule: string;
  timeZone: string;
  lastRun: { runId: string; command: string; status: string; scheduledFor: string | null; startedAt: string; finishedAt: string | null; error: string | null } | null;
  lastSucceededAt: string | null;
  nextRunAt: string | null;
}

/** Where a source stands against its freshness SLA; `never` when it has not loaded successfully yet. */
export type FreshnessState = 'fresh' | 'warn' | 'error' | 'never';

/** One source's freshness. */
export interface SourceFreshness {
  source: string;
  /** The jobs declaring an SLA for it; the strictest thresholds apply. */
  jobs: string[];
  warnAfterHours: number;
  errorAfterHours: number;
  /** When its stalest stream last loaded successfully. */
  lastLoadedAt: string | null;
  ageHours: number | null;
  state: FreshnessState;
}

/** Classifies an age against an SLA. */
export function freshnessState(ageHours: number | null, sla: { warnAfterHours: number; errorAfterHours: number }): FreshnessState {
  if (ageHours === null) return 'never';
  if (ageHours >= sla.errorAfterHours) return 'error';
  if (ageHours >= sla.warnAfterHours) return 'warn';
  return 'fresh';
}

/**
 * Reads when each source last loaded: per stream the last successful load, and per source the
 * oldest of those (a source is as fresh as its stalest stream; a stream that never loaded makes it null).
 */
export async function lastLoads(wh: Warehouse | PulseDb, sources: string[]): Promise<Map<string, Date | null>> {
  const out = new Map<string, Date | null>(sources.map((s) => [s, null]));
  if (sources.length === 0) return out;
  const rows = await withPulseDb(wh, (db) =>
    db
      .with('per_stream', (qb) =>
        qb
          .selectFrom('meta.stream_runs')
          .select((eb) => ['source', 'stream', eb.fn.max('finished_at').filterWhere('status', '=', 'succeeded').as('last_ok')])
          .where('source', 'in', sources)
          .groupBy(['source', 'stream']),
      )
      .selectFrom('per_stream')
      .select((eb) => ['source', eb.fn.min('last_ok').as('last_loaded'), eb.fn.countAll<number>().filterWhere('last_ok', 'is', null).as('never')])
      .groupBy('source')
      .execute(),
  );
  for (const r of rows) out.set(r.source, Number(r.never) > 0 || r.last_loaded == null ? null : new Date(r.last_loaded));
  return out;
}

/** Freshness of every source some job has an SLA for, strictest thresholds first. */
export async function readFreshness(jobs: Record<string, JobConfig>, wh: Warehouse | PulseDb, now: Date): Promise<SourceFreshness[]> {
  const slas = new Map<string, { jobs: string[]; warnAfterHours: number; errorAfterHours: number }>();
  for (const [name, job] of Object.entries(jobs)) {
    for (const [source, sla] of Object.entries(job.freshness)) {
      const seen = slas.get(source);
      if (!seen) slas.set(source, { jobs: [name], ...sla });
      else slas.set(source, { jobs: [...seen.jobs, name], warnAfterHours: Math.min(seen.warnAfterHours, sla.warnAfterHours), errorAfterHours: Math.min(seen.errorAfterHours, sla.errorAfterHours) });
    }
  }
  const loads = await lastLoads(wh, [...slas.keys()]);
  return [...slas.entries()]
    .map(([source, sla]) => {
      const last = loads.get(source) ?? null;
      const ageHours = last ? Math.max(0, (now.getTime() - last.getTime()) / 3_600_000) : null;
      return { source, jobs: sla.jobs, warnAfterHours: sla.warnAfterHours, errorAfterHours: sla.errorAfterHours, lastLoadedAt: isoTime(last), ageHours, state: freshnessState(ageHours, sla) };
    })
    .sort((a, b) => a.source.localeCompare(b.source));
}

/** Reads the last and next runs of every configured job and the freshness of every source with an SLA. */
export async function jobStatus(config: { jobs: Record<string, JobConfig> }, wh: Warehouse | PulseDb, now: Date): Promise<{ jobs: JobStatus[]; freshness: SourceFreshness[] }> {
  const names = Object.keys(config.jobs);
  return withPulseDb(wh, async (db) => {
    const scheduled = db.selectFrom('meta.runs').where('command', 'in', ['schedule', 'run']);
    const last = await db
      .selectFrom(
        scheduled
          .select(['job', 'run_id', 'command', 'status', 'scheduled_for', 'started_at', 'finished_at', 'error'])
          .select((eb) => eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('job').orderBy('started_at', 'desc').orderBy('run_id', 'desc')).as('recency'))
          .as('ranked'),
      )
      .selectAll()
      .where('recency', '=', 1)
      .execute();
    const succeeded = await scheduled.select((eb) => ['job', eb.fn.max('finished_at').as('at')]).where('status', '=', 'succeeded').groupBy('job').execute();
    const lastByJob = new Map(last.map((r) => [r.job, r]));
    const okByJob = new Map(succeeded.map((r) => [r.job, r.at]));
    const jobs = names.sort().map((name): JobStatus => {
      const job = config.jobs[name]!;
      const r = lastByJob.get(name);
      const next = nextTick(scheduleOf(job), now);
      return {
        job: name,
        description: job.description ?? null,
        schedule: job.schedule,
        timeZone: job.timeZone,
        lastRun: r
          ? { runId: r.run_id, command: r.command, status: r.status, scheduledFor: isoTime(r.scheduled_for), startedAt: isoTime(r.started_at)!, finishedAt: isoTime(r.finished_at), error: r.error }
          : null,
        lastSucceededAt: isoTime(okByJob.get(name)),
        nextRunAt: next ? next.toISOString() : null,
      };
    });
    return { jobs, freshness: await readFreshness(config.jobs, db, now) };
  });
}
