/**
 * `pulse run JOB`: runs one configured job once, now, with the scheduler's lock, steps, retries,
 * timeout, alerts and ledger (`command = 'run'`, `scheduled_for` = now). Exit code 0 when it
 * succeeded, 1 when it failed or partly failed, 75 when the failure was transient or the
 * warehouse is held by a scheduler.
 */
import { ConfigError } from '../../core/errors.ts';
import type { CommandContext } from '../context.ts';
import type { JobRunResult } from '../job-runner.ts';
import { acquireWarehouseLock } from '../lock.ts';
import { count, duration } from '../progress.ts';
import { createJobScheduler, onStopSignals, type JobCommandDeps, type JobCommandOptions } from './schedule.ts';

/** Runs `pulse run JOB`; returns the exit code. */
export async function runCommand(ctx: CommandContext, jobName: string | undefined, options: JobCommandOptions, deps: JobCommandDeps = {}): Promise<number> {
  const names = Object.keys(ctx.config.jobs);
  const known = names.length ? `configured jobs: ${names.join(', ')}` : 'no jobs are configured';
  if (!jobName) throw new ConfigError('pulse run needs the name of a job', { hint: known });
  if (!ctx.config.jobs[jobName]) throw new ConfigError(`unknown job "${jobName}"`, { hint: known });
  const scheduler = createJobScheduler(ctx, options, deps);
  const lock = acquireWarehouseLock(ctx.config.warehouse.path, { command: `run ${jobName}`, log: ctx.log });
  const removeListeners = onStopSignals(deps.signals ?? process, (signal, n) => {
    ctx.log.warn(`${signal} received: ${n === 1 ? `cancelling the run after a ${options.graceSeconds} s grace period` : 'cancelling the run now'}`);
    void scheduler.stop(n === 1 ? {} : { immediate: true });
  });
  try {
    const result = await scheduler.runNow(jobName);
    ctx.out(ctx.flags.json ? JSON.stringify(result, null, 2) : renderRun(result));
    if (result.status === 'succeeded' || result.status === 'duplicate') return 0;
    return result.transient ? 75 : 1;
  } finally {
    removeListeners();
    lock.release();
  }
}

/** Renders a job run for people. */
export function renderRun(result: JobRunResult): string {
  const lines = [`job ${result.job}, run ${result.runId}: ${result.status} in ${duration(result.durationMs)}`];
  const width = Math.max(8, ...result.steps.map((s) => s.step.length));
  if (result.steps.length) lines.push(`${'step'.padEnd(width)}  ${'status'.padEnd(9)}  ${'attempts'.padStart(8)}  ${'rows'.padStart(10)}  ${'took'.padStart(8)}`);
  for (const s of result.steps) {
    lines.push(`${s.step.padEnd(width)}  ${s.status.padEnd(9)}  ${String(s.attempts).padStart(8)}  ${(s.rows == null ? '-' : count(s.rows)).padStart(10)}  ${duration(s.durationMs).padStart(8)}`);
    if (s.error) lines.push(`${''.padEnd(width)}  error: ${s.error}`);
  }
  if (result.error && !result.steps.some((s) => s.error)) lines.push(`error: ${result.error}`);
  return lines.join('\n');
}
