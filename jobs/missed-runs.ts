/**
 * What to do with ticks that passed while no scheduler was running (downtime, a machine asleep,
 * a blocked event loop): the job's missed-run policy picks the ones to run now; the rest are
 * recorded as skipped, so the gap is visible in the ledger instead of silent.
 */
import type { JobConfig } from './job-config.ts';
import { latestTicks, ticksBetween, type Schedule } from './ticks.ts';

/** The decision for one job's missed ticks. */
export interface CatchUpPlan {
  /** Ticks to run now, oldest first. */
  run: Date[];
  /** Some ticks not run, oldest first (at most `SKIPPED_LISTED`, for the ledger row). */
  skipped: Date[];
  /** The newest tick not run: the ledger's skip row is keyed by it, so a restart does not count these again. */
  newestSkipped: Date | null;
  /** How many ticks are not run; a lower bound when `countComplete` is false. */
  skippedCount: number;
  countComplete: boolean;
}

/** How many missed ticks are counted one by one; croner needs ~0.4 ms per tick in a time zone. */
export const MISSED_COUNT_LIMIT = 2_000;
/** How many skipped ticks the ledger row lists. */
export const SKIPPED_LISTED = 50;

/**
 * Plans the ticks in `(lastScheduled, now]`: `skip` runs none, `latest` runs the newest one,
 * `all` runs them all up to `maxCatchUp` (the newest ones; older ones are skipped).
 */
export function planMissedRuns(schedule: Schedule, missed: JobConfig['missed'], lastScheduled: Date, now: Date): CatchUpPlan {
  const counted = ticksBetween(schedule, lastScheduled, now, MISSED_COUNT_LIMIT);
  if (counted.ticks.length === 0) return { run: [], skipped: [], newestSkipped: null, skippedCount: 0, countComplete: true };
  const wanted = missed.policy === 'skip' ? 0 : missed.policy === 'latest' ? 1 : missed.maxCatchUp;
  if (counted.complete) {
    const run = wanted === 0 ? [] : counted.ticks.slice(-wanted);
    const skipped = counted.ticks.slice(0, counted.ticks.length - run.length);
    return { run, skipped: skipped.slice(-SKIPPED_LISTED), newestSkipped: skipped.at(-1) ?? null, skippedCount: skipped.length, countComplete: true };
  }
  // Too many to walk (a 2-second schedule after a day down): ask croner for the newest ones directly.
  const newest = latestTicks(schedule, lastScheduled, now, wanted + 1);
  const run = wanted === 0 ? [] : newest.slice(-wanted);
  const newestSkipped = newest.length > run.length ? newest[newest.length - run.length - 1]! : (counted.ticks.at(-1) ?? null);
  return { run, skipped: counted.ticks.slice(0, SKIPPED_LISTED), newestSkipped, skippedCount: counted.ticks.length, countComplete: false };
}
