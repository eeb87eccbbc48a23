/**
 * Runs one job run on an open warehouse: claims its scheduled time (so a tick runs at most once),
 * records it in `meta.runs`, runs its steps in order with retries of transient failures, stops
 * them through an AbortSignal at the timeout or on shutdown, and records every attempt in
 * `meta.run_steps`.
 */
import { describeError, isTransient, TerminalError, TransientError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { redact } from '../core/redact.ts';
import { finishRun, markAbandonedRuns, newRunId, startRun, type RunStatus } from '../core/runs.ts';
import type { Warehouse } from '../core/warehouse.ts';
import { sleepOn, type Clock } from './clock.ts';
import { jobSteps, type JobConfig, type JobStep } from './job-config.ts';
import type { StepRunner } from './step-runner.ts';

/** Which command started a run: the scheduler, or `pulse run JOB`. */
export type JobCommand = 'schedule' | 'run';

/** What happened to one step. `skipped`: not started because an earlier step failed or the run stopped. */
export interface StepOutcome {
  step: JobStep['name'];
  status: 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'skipped';
  attempts: number;
  rows: number | null;
  durationMs: number;
  error: string | null;
  detail?: unknown;
}

/** The result of one job run. `duplicate`: the tick was already claimed, so nothing ran. */
export interface JobRunResult {
  runId: string;
  job: string;
  command: JobCommand;
  scheduledFor: Date;
  status: RunStatus | 'duplicate';
  steps: StepOutcome[];
  error: string | null;
  /** Whether the failure that ended the run may pass on a later try. */
  transient: boolean;
  timedOut: boolean;
  durationMs: number;
}

/** Options for `runJob`. */
export interface RunJobOptions {
  name: string;
  job: JobConfig;
  scheduledFor: Date;
  command: JobCommand;
  wh: Warehouse;
  steps: StepRunner;
  clock: Clock;
  log: Logger;
  runId?: string;
  /** Aborts the run from outside (scheduler shutdown after its grace period); recorded `cancelled`. */
  cancel?: AbortSignal;
  /** Called the moment the run exceeds `timeoutSeconds` (before its step has stopped). */
  onTimeout?: (info: { runId: string; error: string }) => void;
}

/** Marks runs and step attempts left `running` by a dead process as abandoned (call holding the job lock). */
export async function markAbandonedJobRuns(wh: Warehouse, exceptRunId?: string): Promise<number> {
  const count = await markAbandonedRuns(wh, exceptRunId);
  await wh.run(`update meta.run_steps set status = 'abandoned', finished_at = now() where status = 'running' and run_id <> $1`, [exceptRunId ?? '']);
  return count;
}

/**
 * Claims `(job, scheduledFor)` in `meta.job_ticks` and inserts the run's `meta.runs` row, in one
 * transaction; false when the tick was claimed before (by an earlier run, skip, or process).
 */
export async function claimTick(wh: Warehouse, run: { runId: string; job: string; command: JobCommand; scheduledFor: Date; claimedAt: Date }): Promise<boolean> {
  return wh.transaction(async () => {
    const claimed = await wh.all(
      `insert into meta.job_ticks (job, scheduled_for, run_id, command, claimed_at) values ($1, $2::timestamptz, $3, $4, $5::timestamptz)
       on conflict do nothing returning run_id`,
      [run.job, run.scheduledFor.toISOString(), run.runId, run.command, run.claimedAt.toISOString()],
    );
    if (claimed.length === 0) return false;
    await startRun(wh, { runId: run.runId, job: run.job, command: run.command, scheduledFor: run.scheduledFor });
    return true;
  });
}

/**
 * Records a tick that did not run (overlap, downtime, stop) as a `skipped` run — or `failed` when
 * it could not start — claiming its time; false if the time was already claimed.
 */
export async function recordSkippedTick(wh: Warehouse, skip: { job: string; scheduledFor: Date; reason: string; status?: 'skipped' | 'failed'; details?: Record<string, unknown>; now: Date }): Promise<boolean> {
  const runId = newRunId(skip.now);
  const claimed = await claimTick(wh, { runId, job: skip.job, command: 'schedule', scheduledFor: skip.scheduledFor, claimedAt: skip.now });
  if (claimed) await finishRun(wh, runId, skip.status ?? 'skipped', { reason: skip.reason, ...skip.details }, skip.reason);
  return claimed;
}

/** Runs one job run to its end and records it; throws only when the ledger itself cannot be written. */
export async function runJob(options: RunJobOptions): Promise<JobRunResult> {
  const { name, job, wh, clock } = options;
  const runId = options.runId ?? newRunId(clock.now());
  const log = options.log.child({ job: name, runId });
  const started = clock.now();
  const base = { runId, job: name, command: options.command, scheduledFor: options.scheduledFor };

  await markAbandonedJobRuns(wh, runId);
  if (!(await claimTick(wh, { ...base, claimedAt: started }))) {
    log.info('tick already ran or was recorded; not running it again', { scheduledFor: options.scheduledFor.toISOString() });
    return { ...base, status: 'duplicate', steps: [], error: null, transient: false, timedOut: false, durationMs: 0 };
  }

  const controller = new AbortController();
  let timedOut = false;
  const timeoutMs = job.timeoutSeconds * 1000;
  const timer = clock.setTimer(
    timeoutMs,
    () => {
      timedOut = true;
      const error = `run exceeded its timeout of ${job.timeoutSeconds} s`;
      log.error(`${error}; cancelling it`);
      controller.abort(new TerminalError(error));
      options.onTimeout?.({ runId, error });
    },
    `timeout:${name}`,
  );
  const onCancel = () => controller.abort(options.cancel?.reason ?? new Error('cancelled'));
  if (options.cancel?.aborted) onCancel();
  else options.cancel?.addEventListener('abort', onCancel, { once: true });

  log.info('job run started', { command: options.command, scheduledFor: options.scheduledFor.toISOString(), steps: jobSteps(job).map((s) => s.name).join(',') });
  const outcomes: StepOutcome[] = [];
  let failure: unknown;
  try {
    for (const step of jobSteps(job)) {
      if (failure !== undefined || controller.signal.aborted) {
        outcomes.push({ step: step.name, status: 'skipped', attempts: 0, rows: null, durationMs: 0, error: null });
        continue;
      }
      const { outcome, error } = await runStepWithRetries(step, { ...options, runId, log, signal: controller.signal, isTimedOut: () => timedOut });
      outcomes.push(outcome);
      if (outcome.status === 'failed' || outcome.status === 'cancelled') failure = error ?? new Error(`step ${step.name} ${outcome.status}`);
    }
  } finally {
    timer.cancel();
    options.cancel?.removeEventListener('abort', onCancel);
  }

  const cancelled = !timedOut && controller.signal.aborted && outcomes.some((o) => o.status === 'cancelled' || o.status === 'skipped');
  const status: RunStatus = cancelled ? 'cancelled' : timedOut || failure !== undefined ? 'failed' : outcomes.some((o) => o.status === 'partial') ? 'partial' : 'succeeded';
  let error: unknown;
  if (timedOut) error = new TerminalError(`run exceeded its timeout of ${job.timeoutSeconds} s`, failure === undefined ? {} : { cause: failure });
  else if (cancelled) error = new TerminalError('run cancelled: the scheduler was stopped', failure === undefined ? {} : { cause: failure });
  else if (failure !== undefined) error = failure;
  else if (status === 'partial') error = outcomes.filter((o) => o.status === 'partial').map((o) => `${o.step} partly failed`).join('; ');
  const durationMs = clock.now().getTime() - started.getTime();
  const details = { command: options.command, scheduledFor: options.scheduledFor.toISOString(), durationMs, timedOut, steps: outcomes };
  await finishRun(wh, runId, status, details, error);
  const message = error === undefined ? null : redact(describeError(error));
  (status === 'succeeded' ? log.info : log.warn)('job run finished', { status, durationMs, ...(message ? { error: message } : {}) });
  return { ...base, status, steps: outcomes, error: message, transient: !timedOut && !cancelled && isTransient(failure), timedOut, durationMs };
}

interface StepRunOptions extends RunJobOptions {
  runId: string;
  signal: AbortSignal;
  isTimedOut: () => boolean;
}

/** Runs one step, retrying transient failures with exponential backoff; never throws for a step failure. */
async function runStepWithRetries(step: JobStep, options: StepRunOptions): Promise<{ outcome: StepOutcome; error?: unknown }> {
  const { wh, clock, job, signal } = options;
  const stepStarted = clock.now();
  const elapsed = () => clock.now().getTime() - stepStarted.getTime();
  for (let attempt = 1; ; attempt++) {
    const attemptStarted = clock.now();
    await wh.run(`insert into meta.run_steps (run_id, step, attempt, started_at, status) values ($1, $2, $3, $4::timestamptz, 'running')`, [
      options.runId,
      step.name,
      attempt,
      attemptStarted.toISOString(),
    ]);
    const log = options.log.child({ step: step.name, attempt });
    try {
      const result = await options.steps.runStep(step, { signal, runId: options.runId, job: options.name, scheduledFor: options.scheduledFor, attempt, log, wh });
      const status = result.status ?? 'succeeded';
      await finishStep(wh, options.runId, step.name, attempt, clock.now(), status, result.rows ?? null, null);
      return { outcome: { step: step.name, status, attempts: attempt, rows: result.rows ?? null, durationMs: elapsed(), error: null, ...(result.detail === undefined ? {} : { detail: result.detail }) } };
    } catch (error) {
      const stopped = signal.aborted;
      const status = stopped && !options.isTimedOut() ? 'cancelled' : 'failed';
      const message = redact(describeError(error));
      await finishStep(wh, options.runId, step.name, attempt, clock.now(), status, null, message);
      const outcome: StepOutcome = { step: step.name, status, attempts: attempt, rows: null, durationMs: elapsed(), error: message };
      if (stopped || !isTransient(error) || attempt > job.retries.count) {
        if (!stopped) log.warn(`step ${step.name} failed${isTransient(error) ? ` after ${attempt} attempts` : ' (not retried: the failure is not transient)'}`, { error: message });
        return { outcome, error };
      }
      const retryAfterMs = error instanceof TransientError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
      const waitMs = Math.max(job.retries.backoffSeconds * 1000 * 2 ** (attempt - 1), retryAfterMs);
      log.warn(`step ${step.name} failed with a transient error; retrying`, { error: message, retryInSeconds: waitMs / 1000, retriesLeft: job.retries.count - attempt + 1 });
      try {
        await sleepOn(clock, waitMs, signal, `backoff:${options.name}:${step.name}`);
      } catch {
        return { outcome: { ...outcome, status: options.isTimedOut() ? 'failed' : 'cancelled' }, error };
      }
    }
  }
}

async function finishStep(wh: Warehouse, runId: string, step: string, attempt: number, at: Date, status: string, rows: number | null, error: string | null): Promise<void> {
  await wh.run(`update meta.run_steps set finished_at = $4::timestamptz, status = $5, rows = $6, error = $7 where run_id = $1 and step = $2 and attempt = $3`, [
    runId,
    step,
    attempt,
    at.toISOString(),
    status,
    rows,
    error,
  ]);
}
