/**
 * The run ledger: one `meta.runs` row per command or job run, written when it starts and when it
 * ends, with a redacted error and per-step details, so a failed or killed run is never silent.
 */
import { randomUUID } from 'node:crypto';
import { describeError } from './errors.ts';
import { redact, redactDeep } from './redact.ts';
import type { Warehouse } from './warehouse.ts';

/** Final states of a run; `running` rows left by a killed process are marked `abandoned` later. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'partial' | 'abandoned' | 'skipped' | 'cancelled';

/** Creates a sortable, unique run id: `20261123T133000Z-1a2b3c4d`. */
export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

/** Records the start of a run. */
export async function startRun(wh: Warehouse, run: { runId: string; job: string; command: string; scheduledFor?: Date }): Promise<void> {
  await wh.run(
    `insert into meta.runs (run_id, job, command, scheduled_for, started_at, status) values ($1, $2, $3, $4::timestamptz, now(), 'running')`,
    [run.runId, run.job, run.command, run.scheduledFor ? run.scheduledFor.toISOString() : null],
  );
}

/** Records the end of a run with its status, error (redacted, with causes) and details. */
export async function finishRun(wh: Warehouse, runId: string, status: RunStatus, details: unknown, error?: unknown): Promise<void> {
  await wh.run(`update meta.runs set finished_at = now(), status = $2, error = $3, details = $4::json where run_id = $1`, [
    runId,
    status,
    error === undefined ? null : redact(describeError(error)),
    JSON.stringify(redactDeep(details ?? null)),
  ]);
}

/** Marks runs left `running` by a process that no longer exists as `abandoned` (a crash or SIGKILL). */
export async function markAbandonedRuns(wh: Warehouse, exceptRunId?: string): Promise<number> {
  const rows = await wh.all<{ n: number }>(
    `update meta.runs set status = 'abandoned', finished_at = now(), error = coalesce(error, 'the process ended before the run finished (crash or kill); a rerun converges')
     where status = 'running' and run_id <> $1 returning 1 as n`,
    [exceptRunId ?? ''],
  );
  await wh.run(`update meta.stream_runs set status = 'abandoned', finished_at = now() where status = 'running' and run_id <> $1`, [exceptRunId ?? '']);
  return rows.length;
}
