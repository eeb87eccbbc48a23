/**
 * Logging to stderr (stdout is for data). Text lines for people, JSON lines for machines
 * (`--log-format json`); every line passes through `redact()`.
 */
import { redact } from './redact.ts';

/** Levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger; fields are shown as key=value (text) or merged (JSON). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Returns a logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** Options for `createLogger`. */
export interface LoggerOptions {
  level?: LogLevel;
  format?: 'text' | 'json';
  write?: (line: string) => void;
  now?: () => Date;
}

/** Creates a logger writing to stderr (or `write`, for tests). */
export function createLogger(options: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const emit = (lvl: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const all = { ...base, ...fields };
    if (format === 'json') {
      write(redact(JSON.stringify({ time: now().toISOString(), level: lvl, msg, ...all })));
    } else {
      const kv = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
        .join(' ');
      write(redact(`${lvl === 'info' ? '' : `${lvl.toUpperCase()} `}${msg}${kv ? `  ${kv}` : ''}`));
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = createLogger({ write: () => {} });
