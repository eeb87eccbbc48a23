/**
 * The scheduler behind `pulse schedule` (and, for one run, `pulse run`): arms a timer per job for
 * its next tick, runs due ticks one at a time through a single queue, opening the warehouse only
 * for the length of each run, and records everything in the run ledger.
 *
 * - A tick that finds its job still running (or queued) is not stacked: it is recorded `skipped`.
 * - Ticks of different jobs queue behind each other: the warehouse has one writer.
 * - Ticks missed while no scheduler ran (or while the machine slept) follow the job's missed-run
 *   policy; those not run are recorded `skipped` with the reason.
 * - `stop()` starts no new run, lets the running one finish for a grace period, then aborts it
 *   (recorded `cancelled`).
 */
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { redact } from '../core/redact.ts';
import { newRunId } from '../core/runs.ts';
import type { Warehouse } from '../core/warehouse.ts';
import type { Alerter, AlertEvent, WebhookTarget } from './alerts.ts';
import type { Clock, Timer } from './clock.ts';
import type { JobConfig } from './job-config.ts';
import { markAbandonedJobRuns, recordSkippedTick, runJob, type JobCommand, type JobRunResult } from './job-runner.ts';
import { readFreshness, type FreshnessState } from './job-status.ts';
import { planMissedRuns, type CatchUpPlan } from './missed-runs.ts';
import type { StepRunner } from './step-runner.ts';
import { nextTick, scheduleOf, type Schedule } from './ticks.ts';

/** What the scheduler needs; every effect is injected. */
export interface SchedulerOptions {
  jobs: Record<string, JobConfig>;
  steps: StepRunner;
  /** Opens the warehouse for one run (waiting a bounded time if another process has it open). */
  openWarehouse: () => Promise<Warehouse>;
  clock: Clock;
  log: Logger;
  alerter: Alerter;
  /** Resolved webhooks per job name (jobs without an entry do not alert). */
  webhooks?: Record<string, WebhookTarget[]>;
  /** How long `stop()` lets a running run finish before aborting it (default 30 s). */
  graceMs?: number;
  /** How long `stop()` then waits for the aborted run to wind down before giving up on it (default 10 s). */
  hardStopMs?: number;
}

/** A running scheduler. */
export interface Scheduler {
  /** Catches up missed ticks per policy, then arms every job's timer. */
  start(): Promise<void>;
  /** Runs `job` once now, through the same queue and ledger (`pulse run`). */
  runNow(job: string): Promise<JobRunResult>;
  /** Stops scheduling; lets the running run finish within the grace period, else aborts it. `immediate` skips the grace. */
  stop(options?: { immediate?: boolean }): Promise<void>;
  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void>;
  /** The next tick armed for `job`, if any. */
  nextRunAt(job: string): Date | null;
}

interface JobState {
  name: string;
  job: JobConfig;
  schedule: Schedule;
  timer: Timer | undefined;
  nextAt: Date | null;
  /** Runs of this job queued or running. */
  pending: number;
  currentRunId: string | undefined;
  /** Freshness state last alerted per source, so a stale source alerts once per change, not every run. */
  staleAlerted: Map<string, FreshnessState>;
}

type Work =
  | { kind: 'run'; job: string; tick: Date; command: JobCommand; settle?: (result: JobRunResult | Error) => void }
  | { kind: 'skip'; job: string; tick: Date; reason: string; status?: 'skipped' | 'failed'; details?: Record<string, unknown> };
type SkipWork = Extract<Work, { kind: 'skip' }>;

// Records that could not be written (warehouse unavailable) wait for the next successful open, up to this many.
const MAX_UNRECORDED = 1_000;

/** Creates a scheduler over the configured jobs. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, log } = options;
  const graceMs = options.graceMs ?? 30_000;
  const hardStopMs = options.hardStopMs ?? 10_000;
  const states = new Map<string, JobState>(
    Object.entries(options.jobs).map(([name, job]) => [name, { name, job, schedule: scheduleOf(job), timer: undefined, nextAt: null, pending: 0, currentRunId: undefined, staleAlerted: new Map() }]),
  );
  const queue: Work[] = [];
  let active: { controller: AbortController; done: Promise<void> } | undefined;
  let pumping: Promise<void> | undefined;
  let stopping = false;
  const alertsInFlight = new Set<Promise<void>>();
  let unrecorded: SkipWork[] = [];

  function stateOf(name: string): JobState {
    const state = states.get(name);
    if (!state) throw new Error(`unknown job "${name}"`);
    return state;
  }

  function alert(state: JobState, event: Omit<AlertEvent, 'job' | 'at'>): void {
    if (!state.job.alerts.on.includes(event.event)) return;
    const targets = options.webhooks?.[state.name] ?? [];
    const sending = options.alerter.send({ ...event, job: state.name, at: clock.now() }, targets).catch(() => undefined);
    alertsInFlight.add(sending);
    void sending.finally(() => alertsInFlight.delete(sending));
  }

  // ---- timers -------------------------------------------------------------------------------

  function arm(state: JobState, after: Date): void {
    state.timer?.cancel();
    const next = nextTick(state.schedule, after);
    state.nextAt = next;
    if (!next || stopping) return;
    state.timer = clock.setTimer(next.getTime() - clock.now().getTime(), () => onTick(state, next), `tick:${state.name}`);
  }

  function onTick(state: JobState, tick: Date): void {
    if (stopping) return;
    const now = clock.now();
    if (now.getTime() < tick.getTime()) {
      // A timer may fire a little early against the wall clock; wait for the tick itself.
      state.timer = clock.setTimer(tick.getTime() - now.getTime(), () => onTick(state, tick), `tick:${state.name}`);
      return;
    }
    const following = nextTick(state.schedule, tick);
    if (following && following.getTime() <= now.getTime()) {
      // The timer fired after later ticks had already passed (machine asleep, event loop blocked).
      catchUp(state, planMissedRuns(state.schedule, state.job.missed, new Date(tick.getTime() - 1), now), 'the scheduler was not running on time (machine asleep or busy)');
    } else {
      dispatchTick(state, tick);
    }
    arm(state, now);
    pump();
  }

  /** Queues a tick unless the job is still busy, in which case the tick is recorded as skipped. */
  function dispatchTick(state: JobState, tick: Date): void {
    if (state.pending > 0) {
      const reason = state.currentRunId ? `the previous run ${state.currentRunId} was still running` : 'an earlier run of this job was still queued';
      log.warn('tick skipped: job still running', { job: state.name, scheduledFor: tick.toISOString(), reason });
      queue.push({ kind: 'skip', job: state.name, tick, reason });
      return;
    }
    enqueueRun(state, tick, 'schedule');
  }

  function enqueueRun(state: JobState, tick: Date, command: JobCommand, settle?: (r: JobRunResult | Error) => void): void {
    state.pending++;
    queue.push({ kind: 'run', job: state.name, tick, command, ...(settle ? { settle } : {}) });
  }

  function catchUp(state: JobState, plan: CatchUpPlan, why: string): void {
    if (state.pending > 0) {
      // Still busy: catching up must not stack runs either, so the ticks it would run are skipped too.
      for (const tick of plan.run) dispatchTick(state, tick);
      plan = { ...plan, run: [] };
    }
    if (plan.skippedCount > 0 && plan.newestSkipped) {
      const reason = `${why}: ${plan.countComplete ? '' : 'at least '}${plan.skippedCount} missed tick(s) not run (missed-run policy ${state.job.missed.policy}${state.job.missed.policy === 'all' ? `, maxCatchUp ${state.job.missed.maxCatchUp}` : ''})`;
      log.warn('missed ticks skipped', { job: state.name, count: plan.skippedCount, first: plan.skipped[0]?.toISOString(), last: plan.newestSkipped.toISOString(), policy: state.job.missed.policy });
      queue.push({ kind: 'skip', job: state.name, tick: plan.newestSkipped, reason, details: { missedCount: plan.skippedCount, countComplete: plan.countComplete, skippedTicks: plan.skipped.map((t) => t.toISOString()) } });
    }
    if (plan.run.length) log.info('catching up missed ticks', { job: state.name, ticks: plan.run.map((t) => t.toISOString()).join(',') });
    for (const tick of plan.run) enqueueRun(state, tick, 'schedule');
  }

  // ---- the queue ------------------------------------------------------------------------------

  function pump(): void {
    if (pumping) return;
    // Cleared in a later microtask than the assignment, so work queued meanwhile is picked up here.
    pumping = drain()
      .catch((error: unknown) => log.error('scheduler queue failed unexpectedly', { error: redact(describeError(error)) }))
      .finally(() => {
        pumping = undefined;
        if (queue.length) pump();
      });
  }

  async function drain(): Promise<void> {
    while (queue.length) {
      const work = queue.shift()!;
      if (work.kind === 'skip') await writeSkips([work, ...takeLeadingSkips()]);
      else if (stopping) dropRun(work);
      else await execute(work);
    }
  }

  function takeLeadingSkips(): Extract<Work, { kind: 'skip' }>[] {
    const skips: Extract<Work, { kind: 'skip' }>[] = [];
    while (queue[0]?.kind === 'skip') skips.push(queue.shift() as Extract<Work, { kind: 'skip' }>);
    return skips;
  }

  function dropRun(work: Extract<Work, { kind: 'run' }>): void {
    const state = stateOf(work.job);
    state.pending--;
    log.warn('queued run not started: the scheduler is stopping', { job: work.job, scheduledFor: work.tick.toISOString() });
    // Recorded, so the gap shows in the ledger; `pulse run` reports it to its caller instead.
    if (work.command === 'schedule') queue.push({ kind: 'skip', job: work.job, tick: work.tick, reason: 'the scheduler was stopped before this run started' });
    work.settle?.(new Error('the scheduler stopped before the run started'));
  }

  async function writeSkips(skips: SkipWork[]): Promise<void> {
    let wh: Warehouse | undefined;
    try {
      wh = await options.openWarehouse();
      await recordSkips(wh, skips);
    } catch (error) {
      log.error('could not record skipped ticks in the run ledger; will retry at the next run', { jobs: [...new Set(skips.map((s) => s.job))].join(','), error: redact(describeError(error)) });
      if (!wh) unrecorded = [...unrecorded, ...skips].slice(-MAX_UNRECORDED);
    } finally {
      wh?.close();
    }
  }

  /** Writes skip records, after any left over from a time the warehouse could not be opened. */
  async function recordSkips(wh: Warehouse, skips: SkipWork[]): Promise<void> {
    const all = [...unrecorded, ...skips];
    unrecorded = [];
    for (const skip of all) {
      await recordSkippedTick(wh, { job: skip.job, scheduledFor: skip.tick, reason: skip.reason, now: clock.now(), ...(skip.status ? { status: skip.status } : {}), ...(skip.details ? { details: skip.details } : {}) });
    }
  }

  async function execute(work: Extract<Work, { kind: 'run' }>): Promise<void> {
    const state = stateOf(work.job);
    const controller = new AbortController();
    let finished!: () => void;
    active = { controller, done: new Promise<void>((resolve) => (finished = resolve)) };
    let wh: Warehouse | undefined;
    const runId = newRunId(clock.now());
    state.currentRunId = runId;
    try {
      wh = await options.openWarehouse();
      if (unrecorded.length) await recordSkips(wh, []);
      const result = await runJob({
        runId,
        name: state.name,
        job: state.job,
        scheduledFor: work.tick,
        command: work.command,
        wh,
        steps: options.steps,
        clock,
        log,
        cancel: controller.signal,
        onTimeout: ({ runId, error }) => alert(state, { event: 'timeout', runId, status: 'running', error }),
      });
      if ((result.status === 'failed' && !result.timedOut) || result.status === 'partial') alert(state, { event: 'failed', runId: result.runId, status: result.status, error: result.error });
      if (result.status !== 'duplicate') await checkFreshness(state, wh);
      work.settle?.(result);
    } catch (error) {
      // The ledger could not be written (warehouse locked by another process, disk full): say so loudly.
      const message = redact(describeError(error));
      log.error('job run could not run or be recorded', { job: state.name, scheduledFor: work.tick.toISOString(), error: message });
      alert(state, { event: 'failed', runId: null, status: 'failed', error: message });
      // Never opened: nothing is in the ledger yet, so keep a record for the next time it opens.
      if (!wh && work.command === 'schedule') unrecorded = [...unrecorded, { kind: 'skip' as const, job: state.name, tick: work.tick, status: 'failed' as const, reason: `not run: ${message}` }].slice(-MAX_UNRECORDED);
      work.settle?.(error instanceof Error ? error : new Error(message));
    } finally {
      wh?.close();
      state.pending--;
      state.currentRunId = undefined;
      active = undefined;
      finished();
    }
  }

  /** Alerts on sources of this job that became stale (once per change of state). */
  async function checkFreshness(state: JobState, wh: Warehouse): Promise<void> {
    if (Object.keys(state.job.freshness).length === 0) return;
    try {
      for (const f of await readFreshness({ [state.name]: state.job }, wh, clock.now())) {
        const before = state.staleAlerted.get(f.source);
        state.staleAlerted.set(f.source, f.state);
        if ((f.state === 'warn' || f.state === 'error') && f.state !== before) {
          const error = `no successful load for ${f.ageHours!.toFixed(1)} h (warn after ${f.warnAfterHours} h, error after ${f.errorAfterHours} h)`;
          alert(state, { event: 'stale', runId: null, status: f.state, error, source: f.source, ageHours: f.ageHours });
        }
      }
    } catch (error) {
      log.warn('could not check freshness', { job: state.name, error: redact(describeError(error)) });
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async function start(): Promise<void> {
    const now = clock.now();
    const wh = await options.openWarehouse();
    try {
      // This process holds the warehouse's job lock, so anything still `running` was cut off.
      const abandoned = await markAbandonedJobRuns(wh);
      if (abandoned) log.warn('runs cut off by an earlier crash or kill were marked abandoned', { count: abandoned });
      const anchors = await wh.all<{ job: string; last: Date }>(`select job, max(scheduled_for) as last from meta.job_ticks where command = 'schedule' group by job`);
      const lastByJob = new Map(anchors.map((a) => [a.job, a.last]));
      for (const state of states.values()) {
        const last = lastByJob.get(state.name);
        // A job never scheduled before starts with its next tick, not with a backlog.
        if (last) catchUp(state, planMissedRuns(state.schedule, state.job.missed, last, now), 'the scheduler was not running');
        await checkFreshness(state, wh);
      }
    } finally {
      wh.close();
    }
    for (const state of states.values()) {
      arm(state, now);
      log.info('job scheduled', { job: state.name, schedule: state.job.schedule, timeZone: state.job.timeZone, nextRunAt: state.nextAt?.toISOString() ?? 'never' });
    }
    pump();
  }

  function runNow(name: string): Promise<JobRunResult> {
    const state = stateOf(name);
    return new Promise((resolve, reject) => {
      enqueueRun(state, clock.now(), 'run', (r) => (r instanceof Error ? reject(r) : resolve(r)));
      pump();
    });
  }

  function waitOn(promise: Promise<unknown>, ms: number, label: string): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = clock.setTimer(ms, () => resolve(false), label);
      void promise.then(() => {
        timer.cancel();
        resolve(true);
      });
    });
  }

  async function stop(stopOptions: { immediate?: boolean } = {}): Promise<void> {
    const first = !stopping;
    stopping = true;
    for (const state of states.values()) state.timer?.cancel();
    const running = active;
    if (running && stopOptions.immediate) running.controller.abort(new Error('the scheduler was stopped'));
    if (!first) return;
    if (running) {
      log.info(`stopping: waiting up to ${graceMs / 1000} s for the running job to finish`);
      if (!(await waitOn(running.done, graceMs, 'grace'))) {
        log.warn('grace period over: cancelling the running job');
        running.controller.abort(new Error('the scheduler was stopped'));
        if (!(await waitOn(running.done, hardStopMs, 'hard-stop'))) {
          log.error('the running step did not stop; exiting anyway (the run will be marked abandoned at the next start)');
          return;
        }
      }
    }
    pump(); // records queued skips; drops queued runs
    if (pumping) await pumping;
    if (alertsInFlight.size) await waitOn(Promise.all(alertsInFlight), hardStopMs, 'alerts');
  }

  async function whenIdle(): Promise<void> {
    while (pumping || queue.length || alertsInFlight.size) {
      if (!pumping && queue.length) pump();
      await Promise.all([pumping, ...alertsInFlight]);
    }
  }

  return { start, runNow, stop, whenIdle, nextRunAt: (name) => stateOf(name).nextAt };
}
