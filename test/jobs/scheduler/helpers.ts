/**
 * Test helpers for the scheduler: a hand-driven clock, scripted steps, a recording alerter, and a
 * warehouse in a temp folder opened per run like the real scheduler does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import type { Alerter, AlertEvent, WebhookTarget } from '../../../jobs/alerts.ts';
import type { Clock, Timer } from '../../../jobs/clock.ts';
import { jobSchema, type JobConfig, type JobStep } from '../../../jobs/job-config.ts';
import type { StepContext, StepResult, StepRunner } from '../../../jobs/step-runner.ts';

/** A pending fake timer. */
export interface FakeTimer {
  id: number;
  due: number;
  label: string;
  fn: () => void;
}

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: FakeTimer[] = [];
  private waiters: { match: (t: FakeTimer) => boolean; resolve: (t: FakeTimer) => void }[] = [];

  constructor(start: string | Date) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimer(delayMs: number, fn: () => void, label = 'timer'): Timer {
    const timer: FakeTimer = { id: ++this.seq, due: this.t + Math.max(0, delayMs), label, fn };
    this.timers.push(timer);
    for (const w of [...this.waiters]) {
      if (w.match(timer)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(timer);
      }
    }
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== timer)) };
  }

  /** Pending timers, soonest first. */
  pending(prefix = ''): FakeTimer[] {
    return this.timers.filter((t) => t.label.startsWith(prefix)).sort((a, b) => a.due - b.due || a.id - b.id);
  }

  /** Resolves once a timer whose label starts with `prefix` is pending (already, or when it is set). */
  waitForTimer(prefix: string): Promise<FakeTimer> {
    const match = (t: FakeTimer) => t.label.startsWith(prefix);
    const existing = this.pending(prefix)[0];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Moves time to `to`, firing due timers in order (each at its due time). */
  advanceTo(to: string | Date | number): void {
    const target = typeof to === 'number' ? to : new Date(to).getTime();
    for (;;) {
      const next = this.pending().find((t) => t.due <= target);
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.due);
      next.fn();
    }
    this.t = Math.max(this.t, target);
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.advanceTo(this.t + ms);
  }

  /** Moves time to the next timer with `prefix` and fires it (and anything due before it). */
  fireNext(prefix: string): FakeTimer {
    const next = this.pending(prefix)[0];
    if (!next) throw new Error(`no pending timer "${prefix}"`);
    this.advanceTo(next.due);
    return next;
  }
}

/** A job from partial config, with the schema's defaults. */
export function job(input: Record<string, unknown>): JobConfig {
  return jobSchema.parse({ schedule: '0 * * * *', steps: { extract: 'all' }, ...input });
}

/** A temp warehouse path and an opener that opens it per call, as the scheduler does. */
export function tempWarehouse(prefix = 'pulse-sched-'): { dir: string; path: string; open: () => Promise<Warehouse>; opens: () => number } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'warehouse.duckdb');
  let opens = 0;
  return {
    dir,
    path,
    open: () => {
      opens++;
      return openWarehouse(path, { lockTimeoutMs: 5_000 });
    },
    opens: () => opens,
  };
}

/** Runs `work` on a freshly opened warehouse and closes it. */
export async function withWarehouse<T>(open: () => Promise<Warehouse>, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await open();
  try {
    return await work(wh);
  } finally {
    wh.close();
  }
}

/** The job runs in the ledger, oldest scheduled first. */
export async function ledger(open: () => Promise<Warehouse>, jobName?: string): Promise<{ run_id: string; job: string; command: string; scheduled_for: string | null; status: string; error: string | null; details: unknown }[]> {
  return withWarehouse(open, async (wh) => {
    const rows = await wh.all<Record<string, unknown>>(
      `select run_id, job, command, scheduled_for, status, error, details::varchar as details from meta.runs
       where command in ('schedule', 'run') ${jobName ? 'and job = $1' : ''} order by scheduled_for, started_at`,
      jobName ? [jobName] : [],
    );
    return rows.map((r) => ({
      run_id: String(r['run_id']),
      job: String(r['job']),
      command: String(r['command']),
      scheduled_for: r['scheduled_for'] instanceof Date ? r['scheduled_for'].toISOString() : null,
      status: String(r['status']),
      error: (r['error'] as string | null) ?? null,
      details: r['details'] == null ? null : JSON.parse(String(r['details'])),
    }));
  });
}

/** A step runner driven by a function; records every call. */
export function scriptedSteps(run: (step: JobStep, ctx: StepContext, call: number) => Promise<StepResult>): StepRunner & { calls: { step: string; attempt: number; scheduledFor: string; runId: string }[] } {
  const calls: { step: string; attempt: number; scheduledFor: string; runId: string }[] = [];
  return {
    calls,
    runStep(step, ctx) {
      calls.push({ step: step.name, attempt: ctx.attempt, scheduledFor: ctx.scheduledFor.toISOString(), runId: ctx.runId });
      return run(step, ctx, calls.length);
    },
  };
}

/** A step that waits until released, or rejects when its signal aborts (unless `ignoreAbort`). */
export function blockingStep(options: { ignoreAbort?: boolean } = {}): { runner: StepRunner & { calls: unknown[] }; release: () => void; started: Promise<StepContext> } {
  let release!: () => void;
  let started!: (ctx: StepContext) => void;
  const startedPromise = new Promise<StepContext>((r) => (started = r));
  const runner = scriptedSteps(
    (_step, ctx) =>
      new Promise<StepResult>((resolve, reject) => {
        started(ctx);
        release = () => resolve({ rows: 1 });
        if (!options.ignoreAbort) ctx.signal.addEventListener('abort', () => reject(new Error(`aborted: ${(ctx.signal.reason as Error)?.message}`)), { once: true });
      }),
  );
  return { runner, release: () => release(), started: startedPromise };
}

/** An alerter that records events instead of sending them. */
export function recordingAlerter(): Alerter & { events: AlertEvent[] } {
  const events: AlertEvent[] = [];
  return {
    events,
    async send(event: AlertEvent, _targets: WebhookTarget[]) {
      events.push(event);
    },
  };
}

/** A logger that keeps its lines. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', write: (l) => lines.push(l) }), { lines });
}
