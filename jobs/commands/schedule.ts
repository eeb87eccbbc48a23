/**
 * `pulse schedule`: runs the configured jobs on their schedules until SIGTERM or SIGINT. It holds
 * `<warehouse>.lock` while it runs, so a second scheduler (or `pulse run`) on the same warehouse
 * is refused with exit code 75 naming the holder's pid. On the first signal it starts no new run,
 * lets the running one finish for `--grace` seconds (default 30), then cancels it and exits 0; a
 * second signal cancels at once.
 */
import { ConfigError } from '../../core/errors.ts';
import { createAlerter, resolveWebhooks, type Alerter, type WebhookTarget } from '../alerts.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { CommandContext } from '../context.ts';
import { checkJobSources } from '../job-config.ts';
import { acquireWarehouseLock } from '../lock.ts';
import { createScheduler, type Scheduler } from '../scheduler.ts';
import { createStepRunner, type StepHandlers, type StepRunner } from '../step-runner.ts';

/** Something that emits SIGTERM/SIGINT (the process, or a test's emitter). */
export interface SignalSource {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** Effects `schedule` and `run` take from outside, replaceable in tests. */
export interface JobCommandDeps {
  clock?: Clock;
  signals?: SignalSource;
  /** A whole step runner, or just some step handlers over the real one. */
  steps?: StepRunner;
  handlers?: Partial<StepHandlers>;
  alerter?: Alerter;
  /** Called once the scheduler exists (tests use it to wait for idle). */
  onScheduler?: (scheduler: Scheduler) => void;
}

/** Options of `pulse schedule` and `pulse run`. */
export interface JobCommandOptions {
  /** Seconds a running job may finish after SIGTERM/SIGINT before it is cancelled. */
  graceSeconds: number;
}

/** Validates the jobs, resolves their webhooks and builds a scheduler over the command context. */
export function createJobScheduler(ctx: CommandContext, options: JobCommandOptions, deps: JobCommandDeps): Scheduler {
  const jobs = ctx.config.jobs;
  checkJobSources(jobs, Object.keys(ctx.config.sources));
  // Resolving now makes a missing secret a config error at start, not a lost alert at 3 a.m.
  const webhooks: Record<string, WebhookTarget[]> = Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, resolveWebhooks(name, job)]));
  const steps = deps.steps ?? createStepRunner({ sources: (names) => ctx.sources(names), batchRows: ctx.config.extract.batchRows, analyticsPath: ctx.config.warehouse.analyticsPath, settings: ctx.config.models, ...(deps.handlers ? { handlers: deps.handlers } : {}) });
  const scheduler = createScheduler({
    jobs,
    steps,
    openWarehouse: () => ctx.openWarehouse(),
    clock: deps.clock ?? systemClock,
    log: ctx.log,
    alerter: deps.alerter ?? createAlerter({ log: ctx.log }),
    webhooks,
    graceMs: options.graceSeconds * 1000,
  });
  deps.onScheduler?.(scheduler);
  return scheduler;
}

/** Calls `onSignal(count)` for each SIGTERM/SIGINT until the returned function removes the listeners. */
export function onStopSignals(signals: SignalSource, onSignal: (signal: string, count: number) => void): () => void {
  let count = 0;
  const term = () => onSignal('SIGTERM', ++count);
  const int = () => onSignal('SIGINT', ++count);
  signals.on('SIGTERM', term);
  signals.on('SIGINT', int);
  return () => {
    signals.off('SIGTERM', term);
    signals.off('SIGINT', int);
  };
}

/** Runs `pulse schedule` until a stop signal; returns the exit code. */
export async function scheduleCommand(ctx: CommandContext, options: JobCommandOptions, deps: JobCommandDeps = {}): Promise<number> {
  const names = Object.keys(ctx.config.jobs);
  if (names.length === 0) throw new ConfigError('no jobs are configured, so there is nothing to schedule', { hint: "add jobs to the config, e.g. jobs: { hourly: { schedule: '0 * * * *', steps: { extract: 'all' } } }" });
  const scheduler = createJobScheduler(ctx, options, deps);
  const lock = acquireWarehouseLock(ctx.config.warehouse.path, { command: 'schedule', log: ctx.log });
  let stopped!: () => void;
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  const removeListeners = onStopSignals(deps.signals ?? process, (signal, count) => {
    if (count === 1) {
      ctx.log.info(`${signal} received: stopping the scheduler (send it again to cancel the running job now)`);
      void scheduler.stop().then(stopped);
    } else {
      ctx.log.warn(`${signal} received again: cancelling the running job now`);
      void scheduler.stop({ immediate: true });
    }
  });
  try {
    ctx.log.info('scheduler started', { warehouse: ctx.config.warehouse.path, lock: lock.path, jobs: names.join(',') });
    await scheduler.start();
    await stoppedPromise;
    ctx.log.info('scheduler stopped');
    if (ctx.flags.json) ctx.out(JSON.stringify({ status: 'stopped' }));
    return 0;
  } catch (error) {
    await scheduler.stop({ immediate: true });
    throw error;
  } finally {
    removeListeners();
    lock.release();
  }
}
