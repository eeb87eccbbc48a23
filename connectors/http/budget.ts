/**
 * Request pacing for one source: a sliding-window request budget (the platform's rate limit)
 * combined with a cap on requests in flight.
 */
import pLimit from 'p-limit';

/** At most `requests` requests in any window of `perMs` milliseconds. */
export interface BudgetSpec {
  requests: number;
  perMs: number;
}

/** A sliding-window budget; `acquire` resolves when one more request fits in the window. */
export interface RequestBudget {
  acquire(): Promise<void>;
}

/**
 * Creates a sliding-window budget that waits with the injected `sleep` and reads the injected
 * clock, so tests drive it with a fake clock.
 */
export function createRequestBudget(spec: BudgetSpec, clock: { now: () => number; sleep: (ms: number) => Promise<void> }): RequestBudget {
  if (!(spec.requests >= 1) || !(spec.perMs > 0)) throw new RangeError(`request budget needs requests >= 1 and perMs > 0, got ${spec.requests}/${spec.perMs}`);
  // Send times of the requests still inside the window, oldest first.
  const sent: number[] = [];
  return {
    async acquire() {
      for (;;) {
        const now = clock.now();
        while (sent.length > 0 && sent[0]! <= now - spec.perMs) sent.shift();
        // Checking and recording happen in one synchronous step, so concurrent callers cannot both take the last slot.
        if (sent.length < spec.requests) {
          sent.push(now);
          return;
        }
        await clock.sleep(sent[0]! + spec.perMs - now);
      }
    },
  };
}

/** Runs a request under the source's concurrency cap and budget. */
export type RequestGate = <T>(send: () => Promise<T>) => Promise<T>;

/**
 * Creates the gate every request passes: a p-limit slot first, then the budget, so the time a
 * request is counted at is the time it is sent (not the time it started queueing).
 */
export function createRequestGate(options: {
  budget?: BudgetSpec | undefined;
  concurrency?: number | undefined;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}): RequestGate {
  const limit = pLimit(options.concurrency ?? Number.POSITIVE_INFINITY);
  const budget = options.budget ? createRequestBudget(options.budget, options) : undefined;
  return (send) =>
    limit(async () => {
      await budget?.acquire();
      return send();
    });
}
