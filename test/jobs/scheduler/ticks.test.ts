import { describe, expect, it } from 'vitest';
import { Cron } from 'croner';
import { planMissedRuns } from '../../../jobs/missed-runs.ts';
import { isRepeatedWallTime, nextTick, scheduleOf, ticksBetween, wallTime } from '../../../jobs/ticks.ts';
import { jobSchema } from '../../../jobs/job-config.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('ticks in a time zone with daylight saving (Europe/Berlin)', () => {
  const daily = scheduleOf({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });

  it('spring forward: 02:30 does not exist on 2026-03-29; croner fires at 03:30 CEST instead, once', () => {
    // What croner itself does, so a croner upgrade that changes it fails here first.
    expect(new Cron('30 2 * * *', { timezone: 'Europe/Berlin', paused: true }).nextRun(new Date('2026-03-28T12:00:00Z'))!.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(ticksBetween(daily, new Date('2026-03-27T12:00:00Z'), new Date('2026-03-31T12:00:00Z'), 10).ticks)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 03:30 CEST: the gap moved it an hour on
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(wallTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29 03:30:00');
  });

  it('fall back: 02:30 happens twice on 2026-10-25; the job runs at the first (CEST) only', () => {
    expect(iso(ticksBetween(daily, new Date('2026-10-24T12:00:00Z'), new Date('2026-10-26T12:00:00Z'), 10).ticks)).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-26T01:30:00.000Z', // 02:30 CET the next day; 2026-10-25T01:30Z (02:30 CET, the repeat) is not a tick
    ]);
    expect(isRepeatedWallTime(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe(true);
    expect(isRepeatedWallTime(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe(false);
  });

  it('asked from inside the repeated hour, croner can answer with the past or the repeat; nextTick never does', () => {
    const cron = new Cron('30 2 * * *', { timezone: 'Europe/Berlin', paused: true });
    // croner, asked at 02:00 CET (01:00Z), returns 02:30 CEST, which was half an hour *earlier*.
    expect(cron.nextRun(new Date('2026-10-25T01:00:00Z'))!.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // A scheduler restarted at 02:20 CET would, naively, run the day's 02:30 again right away.
    expect(cron.nextRun(new Date('2026-10-25T01:20:00Z'))!.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    for (const at of ['2026-10-25T00:30:00Z', '2026-10-25T00:59:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:20:00Z', '2026-10-25T01:40:00Z', '2026-10-25T01:59:59Z']) {
      expect(nextTick(daily, new Date(at))!.toISOString(), at).toBe('2026-10-26T01:30:00.000Z');
    }
  });

  it('a seconds schedule pauses for the repeated hour, as croner does for minute schedules, and never goes backwards', () => {
    const every10s = scheduleOf({ schedule: '*/10 * * * * *', timeZone: 'Europe/Berlin' });
    const { ticks } = ticksBetween(every10s, new Date('2026-10-25T00:59:30Z'), new Date('2026-10-25T02:00:30Z'), 1000);
    expect(iso(ticks)).toEqual(['2026-10-25T00:59:40.000Z', '2026-10-25T00:59:50.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T02:00:10.000Z', '2026-10-25T02:00:20.000Z', '2026-10-25T02:00:30.000Z']);
    const halfHourly = scheduleOf({ schedule: '*/30 * * * *', timeZone: 'Europe/Berlin' });
    expect(iso(ticksBetween(halfHourly, new Date('2026-10-24T23:50:00Z'), new Date('2026-10-25T02:40:00Z'), 100).ticks)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
  });
});

describe('missed-run policies', () => {
  const hourly = scheduleOf({ schedule: '0 * * * *', timeZone: 'UTC' });
  const last = new Date('2026-06-01T00:00:00Z');
  const now = new Date('2026-06-01T05:30:00Z'); // ticks 01:00 … 05:00 were missed

  it('skip runs none and records all five', () => {
    const plan = planMissedRuns(hourly, { policy: 'skip', maxCatchUp: 3 }, last, now);
    expect(plan.run).toEqual([]);
    expect(plan.skippedCount).toBe(5);
    expect(plan.newestSkipped!.toISOString()).toBe('2026-06-01T05:00:00.000Z');
  });

  it('latest runs the newest once and skips the rest', () => {
    const plan = planMissedRuns(hourly, { policy: 'latest', maxCatchUp: 3 }, last, now);
    expect(iso(plan.run)).toEqual(['2026-06-01T05:00:00.000Z']);
    expect(plan.skippedCount).toBe(4);
    expect(plan.newestSkipped!.toISOString()).toBe('2026-06-01T04:00:00.000Z');
  });

  it('all runs the newest maxCatchUp in order and skips the older ones', () => {
    const plan = planMissedRuns(hourly, { policy: 'all', maxCatchUp: 3 }, last, now);
    expect(iso(plan.run)).toEqual(['2026-06-01T03:00:00.000Z', '2026-06-01T04:00:00.000Z', '2026-06-01T05:00:00.000Z']);
    expect(iso(plan.skipped)).toEqual(['2026-06-01T01:00:00.000Z', '2026-06-01T02:00:00.000Z']);
    expect(planMissedRuns(hourly, { policy: 'all', maxCatchUp: 10 }, last, now).run).toHaveLength(5);
  });

  it('a long downtime on a seconds schedule is not walked tick by tick', () => {
    const every2s = scheduleOf({ schedule: '*/2 * * * * *', timeZone: 'Europe/Berlin' });
    const started = performance.now();
    const plan = planMissedRuns(every2s, { policy: 'latest', maxCatchUp: 3 }, new Date('2026-06-01T00:00:00Z'), new Date('2026-06-02T00:00:01Z'));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(iso(plan.run)).toEqual(['2026-06-02T00:00:00.000Z']);
    expect(plan.countComplete).toBe(false);
    expect(plan.skippedCount).toBeGreaterThanOrEqual(2000);
    expect(plan.newestSkipped!.toISOString()).toBe('2026-06-01T23:59:58.000Z');
  });
});

describe('job config', () => {
  it('applies defaults and rejects a bad cron, time zone or SLA with the path', () => {
    const parsed = jobSchema.parse({ schedule: '*/2 * * * * *', steps: { extract: ['api'] } });
    expect(parsed).toMatchObject({ timeZone: 'UTC', timeoutSeconds: 3600, retries: { count: 2, backoffSeconds: 30 }, missed: { policy: 'latest', maxCatchUp: 3 }, alerts: { webhooks: [] } });
    const bad = jobSchema.safeParse({ schedule: 'every day', timeZone: 'Europe/Berlin', steps: {} });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(/steps: name at least one step/);
    expect(jobSchema.safeParse({ schedule: '0 * * * *', timeZone: 'Mars/Olympus', steps: { report: true } }).error!.issues[0]!.message).toBe('unknown time zone "Mars/Olympus"');
    expect(jobSchema.safeParse({ schedule: '0 * * *', steps: { report: true } }).error!.issues[0]!.message).toMatch(/^invalid cron expression/);
    expect(jobSchema.safeParse({ schedule: '0 * * * *', steps: { report: true }, freshness: { api: { warnAfterHours: 5, errorAfterHours: 2 } } }).success).toBe(false);
    expect(jobSchema.safeParse({ schedule: '0 * * * *', steps: { report: true }, alerts: { webhooks: [{ url: 'https://hooks.example.com/x', headers: { authorization: 'Bearer abc' } }] } }).success).toBe(true);
  });
});
