/**
 * Time as the scheduler sees it: the current instant and one-shot timers. The scheduler, the
 * job runner (timeouts, retry backoff) and shutdown (grace period) take a `Clock`, so tests drive
 * time by hand instead of sleeping.
 */

/** A pending timer. */
export interface Timer {
  cancel(): void;
}

/** The current time and timers. */
export interface Clock {
  now(): Date;
  /** Calls `fn` once after `delayMs` (0 or less: as soon as possible); `label` names it for tests and logs. */
  setTimer(delayMs: number, fn: () => void, label?: string): Timer;
}

// setTimeout overflows above 2^31−1 ms (about 24.8 days) and then fires at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

/** The wall clock and Node timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(delayMs, fn) {
    let handle: NodeJS.Timeout | undefined;
    const due = Date.now() + Math.max(0, delayMs);
    const arm = () => {
      const remaining = due - Date.now();
      handle = remaining > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fn, Math.max(0, remaining));
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Waits `ms` on `clock`; rejects with the signal's reason when `signal` aborts first. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal, label = 'sleep'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(
      ms,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      label,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
