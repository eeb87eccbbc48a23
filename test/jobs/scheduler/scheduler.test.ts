import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { TerminalError, TransientError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/log.ts';
import type { CommandContext } from '../../../jobs/context.ts';
import { renderStatus, readStatus } from '../../../jobs/commands/status.ts';
import { scheduleCommand } from '../../../jobs/commands/schedule.ts';
import { jobStatus } from '../../../jobs/job-status.ts';
import { lockPathFor } from '../../../jobs/lock.ts';
import { createScheduler, type Scheduler } from '../../../jobs/scheduler.ts';
import type { StepRunner } from '../../../jobs/step-runner.ts';
import type { JobConfig } from '../../../jobs/job-config.ts';
import { blockingStep, FakeClock, job, ledger, memoryLogger, recordingAlerter, scriptedSteps, tempWarehouse, withWarehouse } from './helpers.ts';

function scheduler(options: { jobs: Record<string, JobConfig>; steps: StepRunner; clock: FakeClock; open: () => Promise<import('../../../core/warehouse.ts').Warehouse>; alerter?: ReturnType<typeof recordingAlerter>; graceMs?: number }): Scheduler {
  const { open, alerter, ...rest } = options;
  return createScheduler({ log: silentLogger, alerter: alerter ?? recordingAlerter(), webhooks: {}, openWarehouse: open, ...rest });
}

const ok = scriptedSteps(async () => ({ rows: 10 }));

describe('overlap', () => {
  it('skips a tick that finds the job still running, records it with the reason, and never stacks runs', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const blocking = blockingStep();
    const s = scheduler({ jobs: { sync: job({ schedule: '*/10 * * * * *' }) }, steps: blocking.runner, clock, open: wh.open });
    await s.start();
    clock.fireNext('tick:sync'); // 00:00:10 starts and blocks
    await blocking.started;
    clock.fireNext('tick:sync'); // 00:00:20 finds it running
    clock.fireNext('tick:sync'); // 00:00:30 too
    blocking.release();
    await s.whenIdle();
    await s.stop();
    const rows = await ledger(wh.open, 'sync');
    expect(rows.map((r) => [r.scheduled_for, r.status])).toEqual([
      ['2026-06-01T00:00:10.000Z', 'succeeded'],
      ['2026-06-01T00:00:20.000Z', 'skipped'],
      ['2026-06-01T00:00:30.000Z', 'skipped'],
    ]);
    expect(rows[1]!.error).toBe(`the previous run ${rows[0]!.run_id} was still running`);
    expect(blocking.runner.calls).toHaveLength(1);
  });

  it('runs ticks of different jobs one after another (one writer), opening the warehouse only per run', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    let running = 0;
    let maxRunning = 0;
    const steps = scriptedSteps(async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      return { rows: 1 };
    });
    const s = scheduler({ jobs: { a: job({ schedule: '* * * * *' }), b: job({ schedule: '* * * * *' }) }, steps, clock, open: wh.open });
    await s.start();
    const opensAfterStart = wh.opens();
    clock.advanceTo('2026-06-01T00:01:00Z');
    await s.whenIdle();
    await s.stop();
    expect(maxRunning).toBe(1);
    expect(steps.calls.map((c) => c.scheduledFor)).toEqual(['2026-06-01T00:01:00.000Z', '2026-06-01T00:01:00.000Z']);
    expect(wh.opens() - opensAfterStart).toBe(2);
    // Closed between runs: another process can open it now.
    await withWarehouse(wh.open, async (w) => expect((await w.all('select count(*) as n from meta.runs'))[0]).toEqual({ n: 2 }));
  });
});

describe('missed runs across a downtime', () => {
  async function downtime(policy: 'skip' | 'latest' | 'all') {
    const wh = tempWarehouse();
    const hourly = { hourly: job({ schedule: '0 * * * *', missed: { policy, maxCatchUp: 3 } }) };
    const before = new FakeClock('2026-06-01T00:30:00Z');
    const first = scheduler({ jobs: hourly, steps: ok, clock: before, open: wh.open });
    await first.start();
    before.fireNext('tick:hourly'); // 01:00 runs
    await first.whenIdle();
    await first.stop();
    // Down from 01:00 to 05:30: ticks 02:00, 03:00, 04:00 and 05:00 were missed.
    const after = new FakeClock('2026-06-01T05:30:00Z');
    const second = scheduler({ jobs: hourly, steps: ok, clock: after, open: wh.open });
    await second.start();
    await second.whenIdle();
    expect(second.nextRunAt('hourly')!.toISOString()).toBe('2026-06-01T06:00:00.000Z');
    await second.stop();
    // A third start right after must find nothing left to do.
    const third = scheduler({ jobs: hourly, steps: ok, clock: new FakeClock('2026-06-01T05:40:00Z'), open: wh.open });
    await third.start();
    await third.whenIdle();
    await third.stop();
    return ledger(wh.open, 'hourly');
  }

  it('skip: runs none of them and records one skipped row saying how many', async () => {
    const rows = await downtime('skip');
    expect(rows.map((r) => [r.scheduled_for?.slice(11, 16), r.status])).toEqual([
      ['01:00', 'succeeded'],
      ['05:00', 'skipped'],
    ]);
    expect(rows[1]!.error).toBe('the scheduler was not running: 4 missed tick(s) not run (missed-run policy skip)');
    expect(rows[1]!.details).toMatchObject({ missedCount: 4, skippedTicks: ['2026-06-01T02:00:00.000Z', '2026-06-01T03:00:00.000Z', '2026-06-01T04:00:00.000Z', '2026-06-01T05:00:00.000Z'] });
  });

  it('latest: runs the newest missed tick once', async () => {
    const rows = await downtime('latest');
    expect(rows.map((r) => [r.scheduled_for?.slice(11, 16), r.status])).toEqual([
      ['01:00', 'succeeded'],
      ['04:00', 'skipped'],
      ['05:00', 'succeeded'],
    ]);
    expect(rows[1]!.error).toMatch(/3 missed tick\(s\) not run \(missed-run policy latest\)/);
  });

  it('all: runs each missed tick in order, capped at maxCatchUp (the newest)', async () => {
    const rows = await downtime('all');
    expect(rows.map((r) => [r.scheduled_for?.slice(11, 16), r.status])).toEqual([
      ['01:00', 'succeeded'],
      ['02:00', 'skipped'],
      ['03:00', 'succeeded'],
      ['04:00', 'succeeded'],
      ['05:00', 'succeeded'],
    ]);
    expect(rows[1]!.error).toMatch(/1 missed tick\(s\) not run \(missed-run policy all, maxCatchUp 3\)/);
  });

  it('a job that was never scheduled before starts at its next tick, without a backlog', async () => {
    const wh = tempWarehouse();
    const s = scheduler({ jobs: { fresh: job({ schedule: '0 * * * *', missed: { policy: 'all', maxCatchUp: 5 } }) }, steps: ok, clock: new FakeClock('2026-06-01T05:30:00Z'), open: wh.open });
    await s.start();
    await s.whenIdle();
    await s.stop();
    expect(await ledger(wh.open)).toEqual([]);
  });

  it('the same tick never runs twice, even when asked to', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:30:00Z');
    const s = scheduler({ jobs: { hourly: job({ schedule: '0 * * * *' }) }, steps: ok, clock, open: wh.open });
    await s.start();
    const tick = clock.pending('tick:hourly')[0]!;
    clock.fireNext('tick:hourly');
    await s.whenIdle();
    tick.fn(); // the same timer again, as a buggy timer or a restart race would
    await s.whenIdle();
    await s.stop();
    expect((await ledger(wh.open)).map((r) => r.status)).toEqual(['succeeded']);
  });
});

describe('warehouse unavailable', () => {
  it('alerts a run that cannot open the warehouse and records it as failed at the next open', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:30Z');
    const alerter = recordingAlerter();
    let locked = false;
    const open = async () => {
      if (locked) throw new TransientError('warehouse file is locked by another process (pid 4242); waited 30 s');
      return wh.open();
    };
    const s = scheduler({ jobs: { j: job({ schedule: '* * * * *' }) }, steps: ok, clock, open, alerter });
    await s.start();
    locked = true;
    clock.fireNext('tick:j'); // 00:01
    await s.whenIdle();
    locked = false;
    clock.fireNext('tick:j'); // 00:02
    await s.whenIdle();
    await s.stop();
    expect((await ledger(wh.open, 'j')).map((r) => [r.scheduled_for?.slice(11, 19), r.status, r.error])).toEqual([
      ['00:01:00', 'failed', 'not run: warehouse file is locked by another process (pid 4242); waited 30 s'],
      ['00:02:00', 'succeeded', null],
    ]);
    expect(alerter.events.map((e) => [e.event, e.runId, e.error])).toEqual([['failed', null, 'warehouse file is locked by another process (pid 4242); waited 30 s']]);
  });
});

describe('daylight saving time (Europe/Berlin, daily at 02:30)', () => {
  const berlin = { nightly: job({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' }) };

  it('spring: the missing 02:30 runs once, at 03:30 CEST', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-03-28T12:00:00Z');
    const s = scheduler({ jobs: berlin, steps: ok, clock, open: wh.open });
    await s.start();
    expect(s.nextRunAt('nightly')!.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    clock.advanceTo('2026-03-29T12:00:00Z');
    await s.whenIdle();
    expect(s.nextRunAt('nightly')!.toISOString()).toBe('2026-03-30T00:30:00.000Z');
    await s.stop();
    expect((await ledger(wh.open)).map((r) => r.scheduled_for)).toEqual(['2026-03-29T01:30:00.000Z']);
  });

  it('autumn: 02:30 runs once at its first occurrence, also when the scheduler restarts inside the repeated hour', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-10-24T12:00:00Z');
    const s = scheduler({ jobs: berlin, steps: ok, clock, open: wh.open });
    await s.start();
    clock.advanceTo('2026-10-25T01:00:00Z'); // 02:30 CEST ran; it is now 02:00 CET, the repeated hour
    await s.whenIdle();
    await s.stop();
    // Restarted at 02:20 CET, where croner's own answer is the 02:30 that already ran.
    const restarted = new FakeClock('2026-10-25T01:20:00Z');
    const again = scheduler({ jobs: berlin, steps: ok, clock: restarted, open: wh.open });
    await again.start();
    expect(again.nextRunAt('nightly')!.toISOString()).toBe('2026-10-26T01:30:00.000Z');
    restarted.advanceTo('2026-10-26T12:00:00Z');
    await again.whenIdle();
    await again.stop();
    expect((await ledger(wh.open)).map((r) => [r.scheduled_for, r.status])).toEqual([
      ['2026-10-25T00:30:00.000Z', 'succeeded'],
      ['2026-10-26T01:30:00.000Z', 'succeeded'],
    ]);
  });
});

describe('retries', () => {
  it('retries a transient failure with backoff until it passes, recording every attempt', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const steps = scriptedSteps(async (_step, _ctx, call) => {
      if (call <= 2) throw new TransientError('HTTP 503 from https://api.example.com/items', { context: { source: 'api' } });
      return { rows: 42 };
    });
    const s = scheduler({ jobs: { j: job({ retries: { count: 2, backoffSeconds: 10 } }) }, steps, clock, open: wh.open });
    const result = s.runNow('j');
    expect((await clock.waitForTimer('backoff:')).due - clock.now().getTime()).toBe(10_000);
    clock.fireNext('backoff:');
    expect((await clock.waitForTimer('backoff:')).due - clock.now().getTime()).toBe(20_000); // doubled
    clock.fireNext('backoff:');
    const run = await result;
    expect(run).toMatchObject({ status: 'succeeded', command: 'run' });
    expect(run.steps[0]).toMatchObject({ step: 'extract', status: 'succeeded', attempts: 3, rows: 42 });
    const attempts = await withWarehouse(wh.open, (w) => w.all(`select attempt, status, rows, error from meta.run_steps where run_id = $1 order by attempt`, [run.runId]));
    expect(attempts).toEqual([
      { attempt: 1, status: 'failed', rows: null, error: 'source=api: HTTP 503 from https://api.example.com/items' },
      { attempt: 2, status: 'failed', rows: null, error: 'source=api: HTTP 503 from https://api.example.com/items' },
      { attempt: 3, status: 'succeeded', rows: 42, error: null },
    ]);
  });

  it('does not retry a terminal failure; the run fails with the cause chain and alerts', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const alerter = recordingAlerter();
    const steps = scriptedSteps(async () => {
      throw new TerminalError('HTTP 401 from https://api.example.com/items', { cause: new Error('token expired'), hint: 'check the credentials' });
    });
    const s = scheduler({ jobs: { j: job({ steps: { extract: 'all', build: ['+fct_x'] }, retries: { count: 3, backoffSeconds: 10 } }) }, steps, clock, open: wh.open, alerter });
    const run = await s.runNow('j');
    expect(steps.calls).toHaveLength(1);
    expect(run.status).toBe('failed');
    expect(run.steps.map((x) => [x.step, x.status, x.attempts])).toEqual([
      ['extract', 'failed', 1],
      ['build', 'skipped', 0],
    ]);
    const [row] = await ledger(wh.open, 'j');
    expect(row!.error).toBe('HTTP 401 from https://api.example.com/items — check the credentials ← caused by: token expired');
    await s.whenIdle();
    expect(alerter.events.map((e) => [e.event, e.status, e.runId])).toEqual([['failed', 'failed', run.runId]]);
  });

  it('gives up after the configured retries and reports the failure as transient', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const steps = scriptedSteps(async () => {
      throw new TransientError('connection reset');
    });
    const s = scheduler({ jobs: { j: job({ retries: { count: 1, backoffSeconds: 1 } }) }, steps, clock, open: wh.open });
    const result = s.runNow('j');
    await clock.waitForTimer('backoff:');
    clock.fireNext('backoff:');
    const run = await result;
    expect(steps.calls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(run).toMatchObject({ status: 'failed', transient: true, error: 'connection reset' });
  });
});

describe('timeout', () => {
  it('aborts the running step at the timeout, records the run failed, skips later steps and alerts once', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const alerter = recordingAlerter();
    const blocking = blockingStep();
    const s = scheduler({ jobs: { slow: job({ timeoutSeconds: 60, steps: { extract: 'all', report: true } }) }, steps: blocking.runner, clock, open: wh.open, alerter });
    const result = s.runNow('slow');
    const ctx = await blocking.started;
    clock.advance(59_000);
    expect(ctx.signal.aborted).toBe(false);
    clock.advance(1_000);
    expect(ctx.signal.aborted).toBe(true);
    const run = await result;
    await s.whenIdle();
    expect(run).toMatchObject({ status: 'failed', timedOut: true });
    expect(run.steps.map((x) => [x.step, x.status])).toEqual([
      ['extract', 'failed'],
      ['report', 'skipped'],
    ]);
    const [row] = await ledger(wh.open, 'slow');
    expect(row!.status).toBe('failed');
    expect(row!.error).toMatch(/^run exceeded its timeout of 60 s ← caused by: aborted: run exceeded its timeout of 60 s/);
    expect(alerter.events.map((e) => [e.event, e.job, e.runId])).toEqual([['timeout', 'slow', run.runId]]);
  });
});

describe('graceful shutdown (pulse schedule, SIGTERM from an injected emitter)', () => {
  function context(whPath: string, dir: string, jobs: Record<string, unknown>): CommandContext {
    const config = parseConfig({ warehouse: { path: whPath }, jobs }, dir, undefined);
    return {
      flags: { json: false, logLevel: 'info', logFormat: 'text' },
      config,
      log: silentLogger,
      out: () => {},
      tty: false,
      openWarehouse: () => tempOpen(whPath),
      sources: async () => [],
      sample: false,
      close: async () => {},
    };
  }
  const tempOpen = (path: string) => import('../../../core/warehouse.ts').then((m) => m.openWarehouse(path));

  it('stops scheduling, cancels the running step after the grace period, records it cancelled, exits 0 and frees the lock', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const signals = new EventEmitter();
    const blocking = blockingStep();
    const log = memoryLogger();
    const ctx = { ...context(wh.path, wh.dir, { j: { schedule: '*/10 * * * * *', steps: { extract: 'all' } } }), log };
    const exit = scheduleCommand(ctx, { graceSeconds: 5 }, { clock, signals, steps: blocking.runner, alerter: recordingAlerter() });
    await clock.waitForTimer('tick:j');
    expect(existsSync(lockPathFor(wh.path))).toBe(true);
    clock.fireNext('tick:j');
    const stepCtx = await blocking.started;
    signals.emit('SIGTERM');
    expect(clock.pending('tick:')).toEqual([]); // nothing new gets scheduled
    await clock.waitForTimer('grace');
    clock.advance(4_999);
    expect(stepCtx.signal.aborted).toBe(false); // still within the grace period
    clock.advance(1);
    expect(await exit).toBe(0);
    expect(stepCtx.signal.aborted).toBe(true);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(existsSync(lockPathFor(wh.path))).toBe(false);
    const [row] = await ledger(wh.open, 'j');
    expect(row).toMatchObject({ status: 'cancelled', error: 'run cancelled: the scheduler was stopped ← caused by: aborted: the scheduler was stopped' });
    expect(log.lines.join('\n')).toMatch(/SIGTERM received: stopping the scheduler/);
  });

  it('lets a run that finishes within the grace period succeed', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const signals = new EventEmitter();
    const blocking = blockingStep();
    const exit = scheduleCommand(context(wh.path, wh.dir, { j: { schedule: '*/10 * * * * *', steps: { extract: 'all' } } }), { graceSeconds: 30 }, { clock, signals, steps: blocking.runner, alerter: recordingAlerter() });
    await clock.waitForTimer('tick:j');
    clock.fireNext('tick:j');
    await blocking.started;
    signals.emit('SIGINT');
    await clock.waitForTimer('grace');
    clock.advance(10_000);
    blocking.release();
    expect(await exit).toBe(0);
    expect((await ledger(wh.open, 'j')).map((r) => r.status)).toEqual(['succeeded']);
  });
});

describe('status: jobs and freshness', () => {
  it('shows the last and next run per job and each source against its SLA, and alerts a stale source once', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T12:00:00Z');
    const alerter = recordingAlerter();
    const jobs = {
      hourly: job({ schedule: '0 * * * *', freshness: { api: { warnAfterHours: 4, errorAfterHours: 8 }, shop: { warnAfterHours: 1, errorAfterHours: 2 } } }),
      nightly: job({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin', steps: { report: true }, freshness: { api: { warnAfterHours: 6, errorAfterHours: 24 } } }),
    };
    await withWarehouse(wh.open, async (w) => {
      // api.items loaded 5 h ago, api.users 1 h ago (the source is as fresh as its stalest stream);
      // shop only ever failed.
      await w.run(`insert into meta.stream_runs (run_id, source, stream, started_at, finished_at, status) values
        ('r1', 'api', 'items', '2026-06-01T06:59:00Z', '2026-06-01T07:00:00Z', 'succeeded'),
        ('r2', 'api', 'users', '2026-06-01T10:59:00Z', '2026-06-01T11:00:00Z', 'succeeded'),
        ('r2', 'api', 'items', '2026-06-01T10:59:00Z', '2026-06-01T11:00:00Z', 'failed'),
        ('r3', 'shop', 'orders', '2026-06-01T10:59:00Z', '2026-06-01T11:00:00Z', 'failed')`);
    });
    const s = scheduler({ jobs, steps: ok, clock, open: wh.open, alerter });
    await s.start();
    clock.fireNext('tick:hourly'); // 13:00
    await s.whenIdle();
    clock.fireNext('tick:hourly'); // 14:00: still stale, no second alert
    await s.whenIdle();
    await s.stop();
    expect(alerter.events.filter((e) => e.event === 'stale').map((e) => [e.source, e.status])).toEqual([['api', 'warn']]);

    const now = new Date('2026-06-01T14:30:00Z');
    const status = await withWarehouse(wh.open, (w) => jobStatus({ jobs }, w, now));
    expect(status.jobs).toMatchObject([
      { job: 'hourly', lastRun: { status: 'succeeded', command: 'schedule', scheduledFor: '2026-06-01T14:00:00.000Z' }, nextRunAt: '2026-06-01T15:00:00.000Z' },
      { job: 'nightly', lastRun: null, lastSucceededAt: null, nextRunAt: '2026-06-02T01:00:00.000Z', timeZone: 'Europe/Berlin' },
    ]);
    expect(status.freshness).toEqual([
      { source: 'api', jobs: ['hourly', 'nightly'], warnAfterHours: 4, errorAfterHours: 8, lastLoadedAt: '2026-06-01T07:00:00.000Z', ageHours: 7.5, state: 'warn' },
      { source: 'shop', jobs: ['hourly'], warnAfterHours: 1, errorAfterHours: 2, lastLoadedAt: null, ageHours: null, state: 'never' },
    ]);
    const report = await withWarehouse(wh.open, (w) => readStatus(w, { jobs }, now));
    expect(report.jobs).toHaveLength(2);
    const text = renderStatus(report);
    // started_at is the database's clock, not the fake one, so only its shape is checked.
    expect(text).toMatch(/hourly\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+succeeded\s+2026-06-01 15:00:00\s+0 \* \* \* \* \(UTC\)/);
    expect(text).toMatch(/api\s+STALE warn\s+2026-06-01 07:00:00\s+7.5 h\s+4 h \/ 8 h/);
    expect(text).toMatch(/shop\s+never/);
  });
});
