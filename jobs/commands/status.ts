/**
 * `pulse status`: per configured job its last and next run; per source with an SLA its
 * freshness; per source and stream the last run, rows loaded, records in quarantine, duration
 * and saved cursor; the latest runs; open schema drift.
 */
import type { Warehouse } from '../../core/warehouse.ts';
import type { CommandContext } from '../context.ts';
import type { JobConfig } from '../job-config.ts';
import { jobStatus, type JobStatus, type SourceFreshness } from '../job-status.ts';
import { count, duration } from '../progress.ts';
import { isoTime, withPulseDb, type PulseDb } from '../warehouse-db.ts';

/** One stream's line in the status report. */
export interface StreamStatus {
  source: string;
  stream: string;
  lastRunId: string | null;
  lastStatus: string | null;
  lastStartedAt: string | null;
  lastDurationMs: number | null;
  rowsLoaded: number | null;
  rowsQuarantinedLastRun: number | null;
  quarantinedOpen: number;
  cursor: string | null;
  stateUpdatedAt: string | null;
  error: string | null;
}

/** The whole status report. */
export interface StatusReport {
  warehouse: string;
  streams: StreamStatus[];
  runs: { runId: string; job: string; command: string; status: string; startedAt: string; finishedAt: string | null; error: string | null }[];
  drift: { source: string; stream: string; field: string; change: string; firstSeenAt: string }[];
  /** Configured jobs: last and next run. */
  jobs: JobStatus[];
  /** Sources with a freshness SLA in some job: age of their data and state. */
  freshness: SourceFreshness[];
}

/** Reads the status report from the warehouse (jobs and freshness for the given job config). */
export async function readStatus(wh: Warehouse, config: { jobs: Record<string, JobConfig> } = { jobs: {} }, now: Date = new Date()): Promise<StatusReport> {
  return withPulseDb(wh, async (db) => {
    const streams = await readStreams(db);
    const runs = await readRecentRuns(db);
    const drift = await readDrift(db);
    const jobs = await jobStatus(config, db, now);
    return { warehouse: wh.path, streams, runs, drift, jobs: jobs.jobs, freshness: jobs.freshness };
  });
}

/** Per source and stream (any that ran or has saved state): its last run, open quarantine and cursor. */
async function readStreams(db: PulseDb): Promise<StreamStatus[]> {
  const rows = await db
    .with('ranked_runs', (qb) =>
      qb.selectFrom('meta.stream_runs').selectAll().select((eb) => eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy(['source', 'stream']).orderBy('started_at', 'desc')).as('recency')),
    )
    .with('last_run', (qb) => qb.selectFrom('ranked_runs').selectAll().where('recency', '=', 1))
    .with('open_quarantine', (qb) =>
      qb.selectFrom('meta.quarantine').select((eb) => ['source', 'stream', eb.fn.countAll<number>().as('n')]).where('replayed_at', 'is', null).groupBy(['source', 'stream']),
    )
    .with('names', (qb) => qb.selectFrom('meta.stream_runs').select(['source', 'stream']).union(qb.selectFrom('meta.stream_state').select(['source', 'stream'])))
    .selectFrom('names as n')
    .leftJoin('last_run as r', (join) => join.onRef('r.source', '=', 'n.source').onRef('r.stream', '=', 'n.stream'))
    .leftJoin('meta.stream_state as s', (join) => join.onRef('s.source', '=', 'n.source').onRef('s.stream', '=', 'n.stream'))
    .leftJoin('open_quarantine as q', (join) => join.onRef('q.source', '=', 'n.source').onRef('q.stream', '=', 'n.stream'))
    .select((eb) => [
      'n.source',
      'n.stream',
      'r.run_id',
      'r.status',
      'r.started_at',
      // NULL while the run is unfinished, and for names with saved state but no run.
      eb(eb.fn<number>('epoch_ms', ['r.finished_at']), '-', eb.fn<number>('epoch_ms', ['r.started_at'])).$castTo<number | null>().as('duration_ms'),
      'r.rows_loaded',
      'r.rows_quarantined',
      eb.fn.coalesce('q.n', eb.lit(0)).as('quarantined_open'),
      's.cursor',
      's.updated_at',
      'r.error',
    ])
    .orderBy('n.source')
    .orderBy('n.stream')
    .execute();
  return rows.map((r) => ({
    source: r.source,
    stream: r.stream,
    lastRunId: r.run_id,
    lastStatus: r.status,
    lastStartedAt: isoTime(r.started_at),
    lastDurationMs: r.duration_ms,
    rowsLoaded: r.rows_loaded,
    rowsQuarantinedLastRun: r.rows_quarantined,
    quarantinedOpen: Number(r.quarantined_open),
    cursor: r.cursor,
    stateUpdatedAt: isoTime(r.updated_at),
    error: r.error,
  }));
}

/** The ten latest runs of any command or job. */
async function readRecentRuns(db: PulseDb): Promise<StatusReport['runs']> {
  const rows = await db.selectFrom('meta.runs').select(['run_id', 'job', 'command', 'status', 'started_at', 'finished_at', 'error']).orderBy('started_at', 'desc').limit(10).execute();
  return rows.map((r) => ({ runId: r.run_id, job: r.job, command: r.command, status: r.status, startedAt: isoTime(r.started_at)!, finishedAt: isoTime(r.finished_at), error: r.error }));
}

/** The fifty latest schema changes the APIs made. */
async function readDrift(db: PulseDb): Promise<StatusReport['drift']> {
  const rows = await db.selectFrom('meta.schema_drift').select(['source', 'stream', 'field', 'change', 'first_seen_at']).orderBy('first_seen_at', 'desc').limit(50).execute();
  return rows.map((r) => ({ source: r.source, stream: r.stream, field: r.field, change: r.change, firstSeenAt: isoTime(r.first_seen_at)! }));
}

/** Renders the status report for people. */
export function renderStatus(report: StatusReport): string {
  const lines = [`warehouse ${report.warehouse}`, ''];
  const when = (v: string | null) => v?.slice(0, 19).replace('T', ' ') ?? '-';
  if (report.jobs.length) {
    const width = Math.max(8, ...report.jobs.map((j) => j.job.length));
    lines.push(`${'job'.padEnd(width)}  ${'last run'.padEnd(19)}  ${'status'.padEnd(9)}  ${'next run (UTC)'.padEnd(19)}  schedule`);
    for (const j of report.jobs) {
      lines.push(`${j.job.padEnd(width)}  ${when(j.lastRun?.startedAt ?? null).padEnd(19)}  ${(j.lastRun?.status ?? '-').padEnd(9)}  ${when(j.nextRunAt).padEnd(19)}  ${j.schedule} (${j.timeZone})`);
      if (j.lastRun?.error && j.lastRun.status !== 'succeeded') lines.push(`${''.padEnd(width)}  ${j.lastRun.status === 'skipped' ? 'reason' : 'error'}: ${j.lastRun.error.slice(0, 200)}`);
    }
    lines.push('');
  }
  if (report.freshness.length) {
    const width = Math.max(8, ...report.freshness.map((f) => f.source.length));
    lines.push(`${'source'.padEnd(width)}  ${'freshness'.padEnd(9)}  ${'last loaded'.padEnd(19)}  ${'age'.padStart(8)}  SLA (warn / error)`);
    for (const f of report.freshness) {
      const mark = f.state === 'fresh' ? 'fresh' : f.state === 'never' ? 'never' : `STALE ${f.state}`;
      lines.push(`${f.source.padEnd(width)}  ${mark.padEnd(9)}  ${when(f.lastLoadedAt).padEnd(19)}  ${(f.ageHours == null ? '-' : `${f.ageHours.toFixed(1)} h`).padStart(8)}  ${f.warnAfterHours} h / ${f.errorAfterHours} h`);
    }
    lines.push('');
  }
  if (report.streams.length === 0) lines.push('no stream has run yet: try `pulse extract`');
  else {
    const width = Math.max(10, ...report.streams.map((s) => `${s.source}.${s.stream}`.length));
    lines.push(`${'stream'.padEnd(width)}  ${'last run'.padEnd(20)}  ${'status'.padEnd(9)}  ${'rows'.padStart(9)}  ${'quarantine'.padStart(10)}  ${'took'.padStart(8)}  cursor`);
    for (const s of report.streams) {
      lines.push(
        `${`${s.source}.${s.stream}`.padEnd(width)}  ${(s.lastStartedAt?.slice(0, 19).replace('T', ' ') ?? '-').padEnd(20)}  ${(s.lastStatus ?? '-').padEnd(9)}  ${count(s.rowsLoaded ?? 0).padStart(9)}  ${count(s.quarantinedOpen).padStart(10)}  ${(s.lastDurationMs == null ? '-' : duration(s.lastDurationMs)).padStart(8)}  ${s.cursor ?? '-'}`,
      );
      if (s.lastStatus === 'failed' && s.error) lines.push(`${''.padEnd(width)}  error: ${s.error}`);
    }
  }
  if (report.runs.length) {
    lines.push('', 'recent runs:');
    for (const r of report.runs) lines.push(`  ${r.runId}  ${r.job.padEnd(12)} ${r.status.padEnd(9)} ${r.error ? `error: ${r.error.slice(0, 200)}` : ''}`);
  }
  if (report.drift.length) {
    lines.push('', 'schema drift:');
    for (const d of report.drift) lines.push(`  ${d.source}.${d.stream}.${d.field}: ${d.change} (first seen ${d.firstSeenAt.slice(0, 19)})`);
  }
  return lines.join('\n');
}

/** Runs `pulse status`. */
export async function statusCommand(ctx: CommandContext): Promise<number> {
  const wh = await ctx.openWarehouse();
  try {
    const report = await readStatus(wh, ctx.config);
    ctx.out(ctx.flags.json ? JSON.stringify(report, null, 2) : renderStatus(report));
    return 0;
  } finally {
    wh.close();
  }
}
