/**
 * The two kinds of failure every step reports. A `TransientError` may succeed when retried
 * (timeouts, resets, 429, 5xx, a busy warehouse file); a `TerminalError` will not (bad config,
 * bad credentials, a contract violation) and needs a person. Both keep their cause.
 */

/** Where a failure happened, named so a person can find it: source, stream, record, field, file. */
export interface ErrorContext {
  source?: string;
  stream?: string;
  record?: string | number;
  field?: string;
  file?: string;
  url?: string;
}

/** Base class for failures the product explains itself; `hint` says what to do. */
export abstract class PulseError extends Error {
  abstract readonly transient: boolean;
  readonly context: ErrorContext;
  readonly hint: string | undefined;

  constructor(message: string, options: { cause?: unknown; context?: ErrorContext; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.context = options.context ?? {};
    this.hint = options.hint;
  }

  /** Renders "source=x stream=y: message — hint" for logs and the CLI. */
  describe(): string {
    const where = Object.entries(this.context)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    return `${where ? `${where}: ` : ''}${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }
}

/** A failure that may pass on retry: the scheduler and HTTP client retry these, bounded. */
export class TransientError extends PulseError {
  readonly transient = true;
  override name = 'TransientError';
  /** Seconds the other side asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: { cause?: unknown; context?: ErrorContext; hint?: string; retryAfterSeconds?: number } = {}) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A failure that retrying cannot fix: config, credentials, contracts, a paging loop. */
export class TerminalError extends PulseError {
  readonly transient = false;
  override name = 'TerminalError';
}

/** Invalid configuration; `path` is the dotted config path (`sources.shopify.shop`). */
export class ConfigError extends TerminalError {
  override name = 'ConfigError';
}

/** Tells whether an error is worth retrying; unknown errors are terminal, so bugs are not retried. */
export function isTransient(error: unknown): boolean {
  return error instanceof PulseError && error.transient;
}

/** Renders any thrown value as one line, with its causes, for logs and the CLI. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof PulseError) parts.push(current.describe());
    else if (current instanceof Error) parts.push(current.message);
    else parts.push(String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' ← caused by: ');
}
