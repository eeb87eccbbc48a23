/**
 * When a job's schedule fires. Times come from croner in the job's time zone, with two guards
 * around daylight-saving changes, so that each wall-clock time fires at most once per day:
 *
 * - spring forward (a local hour does not exist): croner moves a tick in the gap forward by the
 *   size of the gap (Europe/Berlin 2026-03-29 02:30 fires at 03:30 CEST = 01:30Z); we keep that.
 * - fall back (a local hour happens twice): croner, asked from inside the repeated hour, may
 *   return a time that is already past or the second occurrence of a wall time it fired before.
 *   We never return a time at or before the reference, and we drop the second occurrence: a job
 *   at 02:30 runs at 02:30 CEST only, and a `every 10 s` job pauses for the repeated hour, as
 *   croner's own timer does for minute schedules.
 */
import { Cron } from 'croner';
import type { JobConfig } from './job-config.ts';

/** A job's parsed schedule. */
export interface Schedule {
  cron: Cron;
  timeZone: string;
}

/** Parses a job's cron expression in its time zone (the config schema has already checked it). */
export function scheduleOf(job: Pick<JobConfig, 'schedule' | 'timeZone'>): Schedule {
  return { cron: new Cron(job.schedule, { timezone: job.timeZone, paused: true }), timeZone: job.timeZone };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Renders `date` as local wall time `YYYY-MM-DD HH:mm:ss` in `timeZone`. */
export function wallTime(date: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  return format.format(date).replace(', ', ' ');
}

// DST shifts in use today are 30 minutes (Lord Howe), 1 hour, and 2 hours (historic double summer time).
const DST_SHIFTS_MS = [30 * 60_000, 60 * 60_000, 120 * 60_000];

/** Tells whether `date`'s wall time already happened earlier (the second pass through a repeated hour). */
export function isRepeatedWallTime(date: Date, timeZone: string): boolean {
  const wall = wallTime(date, timeZone);
  return DST_SHIFTS_MS.some((shift) => wallTime(new Date(date.getTime() - shift), timeZone) === wall);
}

/** Returns the first tick strictly after `after`, or null when the schedule never fires again. */
export function nextTick(schedule: Schedule, after: Date): Date | null {
  let from = after;
  // Each round either moves `from` forward or ends; the bound only guards against a croner bug.
  for (let round = 0; round < 10_000; round++) {
    const candidate = schedule.cron.nextRun(from);
    if (!candidate) return null;
    if (candidate.getTime() > from.getTime()) {
      if (!isRepeatedWallTime(candidate, schedule.timeZone)) return candidate;
      from = candidate;
      continue;
    }
    // croner went backwards: `from` lies in a repeated hour. Every tick in there is a repeat, so
    // jump to where the repeat ends, checking that instant itself since nextRun looks past it.
    const end = endOfRepeat(from, schedule.timeZone);
    if (end.getTime() > after.getTime() && schedule.cron.match(end) && !isRepeatedWallTime(end, schedule.timeZone)) return end;
    from = end.getTime() > from.getTime() ? end : new Date(from.getTime() + 60_000);
  }
  return null;
}

/** Finds the first whole second at or after `from` whose wall time is not a repeat. */
function endOfRepeat(from: Date, timeZone: string): Date {
  let t = Math.ceil(from.getTime() / 1000) * 1000;
  // Minute steps find the end within the hour; then seconds pin the exact instant.
  while (isRepeatedWallTime(new Date(t), timeZone) && t - from.getTime() < 3 * 3_600_000) t += 60_000;
  while (t - 1000 > from.getTime() && !isRepeatedWallTime(new Date(t - 1000), timeZone)) t -= 1000;
  return new Date(t);
}

/** Ticks in `(after, until]`, in order; stops after `limit` (croner needs ~0.4 ms a tick with a time zone). */
export function ticksBetween(schedule: Schedule, after: Date, until: Date, limit: number): { ticks: Date[]; complete: boolean } {
  const ticks: Date[] = [];
  let from = after;
  while (ticks.length < limit) {
    const next = nextTick(schedule, from);
    if (!next || next.getTime() > until.getTime()) return { ticks, complete: true };
    ticks.push(next);
    from = next;
  }
  const next = nextTick(schedule, from);
  return { ticks, complete: !next || next.getTime() > until.getTime() };
}

/** The latest `n` ticks in `(after, until]`, in order (for catching up without walking a long downtime). */
export function latestTicks(schedule: Schedule, after: Date, until: Date, n: number): Date[] {
  // croner walks backwards in the time zone; re-check each candidate against the forward rule.
  const candidates = schedule.cron.previousRuns(n + 2, new Date(until.getTime() + 1000));
  const seen = new Set<number>();
  const kept: Date[] = [];
  for (const c of candidates) {
    const t = c.getTime();
    if (t <= after.getTime() || t > until.getTime() || seen.has(t) || isRepeatedWallTime(c, schedule.timeZone)) continue;
    seen.add(t);
    kept.push(c);
  }
  return kept.sort((a, b) => a.getTime() - b.getTime()).slice(-n);
}
