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

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

/** Reads the status report from the warehouse (jobs and freshness for the given job config). */
export async function readStatus(wh: Warehouse, config: { jobs: Record<string, JobConfig> } = { jobs: {} }, now: Date = new Date()): Promise<StatusReport> {
  const streams = await wh.all<Record<string, unknown>>(`
    with last_run as (
      select * from meta.stream_runs qualify row_number() over (partition by source, stream order by started_at desc) = 1
    ), open_quarantine as (
      select source, stream, count(*) as n from meta.quarantine where replayed_at is null group by all
    ), names as (
      select source, stream from meta.stream_runs union select source, stream from meta.stream_state
    )
    select n.source, n.stream, r.run_id, r.status, r.started_at, epoch_ms(r.finished_at) - epoch_ms(r.started_at) as duration_ms,
           r.rows_loaded, r.rows_quarantined, coalesce(q.n, 0) as quarantined_open, s.cursor, s.updated_at, r.error
    from names n
    left join last_run r using (source, stream)
    left join meta.stream_state s using (source, stream)
    left join open_quarantine q using (source, stream)
    order by n.source, n.stream`);
  const runs = await wh.all<Record<string, unknown>>(`select run_id, job, command, status, started_at, finished_at, error from meta.runs order by started_at desc limit 10`);
  const drift = await wh.all<Record<string, unknown>>(`select source, stream, field, change, first_seen_at from meta.schema_drift order by first_seen_at desc limit 50`);
  const jobs = await jobStatus(config, wh, now);
  return {
    warehouse: wh.path,
    streams: streams.map((r) => ({
      source: String(r['source']),
      stream: String(r['stream']),
      lastRunId: (r['run_id'] as string | null) ?? null,
      lastStatus: (r['status'] as string | null) ?? null,
      lastStartedAt: iso(r['started_at']),
      lastDurationMs: (r['duration_ms'] as number | null) ?? null,
      rowsLoaded: (r['rows_loaded'] as number | null) ?? null,
      rowsQuarantinedLastRun: (r['rows_quarantined'] as number | null) ?? null,
      quarantinedOpen: Number(r['quarantined_open'] ?? 0),
      cursor: (r['cursor'] as string | null) ?? null,
      stateUpdatedAt: iso(r['updated_at']),
      error: (r['error'] as string | null) ?? null,
    })),
    runs: runs.map((r) => ({
      runId: String(r['run_id']),
      job: String(r['job']),
      command: String(r['command']),
      status: String(r['status']),
      startedAt: iso(r['started_at'])!,
      finishedAt: iso(r['finished_at']),
      error: (r['error'] as string | null) ?? null,
    })),
    drift: drift.map((r) => ({ source: String(r['source']), stream: String(r['stream']), field: String(r['field']), change: String(r['change']), firstSeenAt: iso(r['first_seen_at'])! })),
    jobs: jobs.jobs,
    freshness: jobs.freshness,
  };
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
