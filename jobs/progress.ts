/**
 * Progress for long work: a redrawn status line on a terminal, nothing in CI or pipes (the final
 * summary is printed either way).
 */

/** A progress line that can be updated and cleared. */
export interface Progress {
  update(text: string): void;
  done(): void;
}

/** Creates a progress line on stderr when `tty`, else a no-op. */
export function createProgress(tty: boolean, now: () => number = Date.now): Progress {
  if (!tty) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (t - last < 100) return; // redraw at most 10 times a second
      last = t;
      shown = true;
      process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

/** Formats a count with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Formats a duration in ms as `1.2 s` or `3 min 4 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
