/**
 * The `pulse` command line. Data goes to stdout (text, or JSON with `--json`), logs to stderr.
 * Exit codes: 0 everything asked for succeeded; 1 a run failed or partly failed; 2 bad usage or
 * configuration; 75 a transient condition (warehouse locked, API unavailable) — try again later.
 */
import { parseArgs } from 'node:util';
import { ConfigError, describeError, PulseError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import type { LogLevel } from '../core/log.ts';
import { createContext, type GlobalFlags } from './context.ts';
import { extractCommand } from './commands/extract.ts';
import { statusCommand } from './commands/status.ts';
import { quarantineCommand } from './commands/quarantine.ts';
import { demoCommand } from './commands/demo.ts';
import { backfillCommand } from './commands/backfill.ts';
import { clvCommand } from './commands/clv.ts';
import { buildCommand } from './commands/build.ts';
import { publishCommand } from './commands/publish.ts';
import { docsCommand } from './commands/docs.ts';
import { exportCommand } from './commands/export.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { runCommand } from './commands/run.ts';
import { reportCommand } from './commands/report.ts';
import { sentimentCommand } from './commands/sentiment.ts';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failed: 1, usage: 2, transient: 75 } as const;

const USAGE = `pulse — social-media and customer KPIs into a DuckDB warehouse

usage: pulse <command> [options]

commands:
  demo [--scale N] [--out DIR]     the whole pipeline on the built-in sample world
  demo --serve [--scale N] [--out DIR]
                                   only serve the sample world's fake APIs and write a config for them
  extract [SOURCE...]              extract and load the named (or all) sources
  clv --orders FILE --as-of DATE [--period day|week|month] [--horizon N] [--discount R] [--out FILE]
                                   fit BG/NBD + Gamma-Gamma on an orders file; print parameters,
                                   write per-customer predictions
  build [SELECTOR...] [--full-refresh]
                                   build models and run their data tests (selectors: name, +name,
                                   name+, tag:x); --full-refresh rebuilds even unchanged models
  publish                          audit the last build and publish the analytics file
  report [--out DIR]               build the static report site from the analytics file (default
                                   DIR: site/ beside the warehouse)
  docs [--out DIR]                 write the data dictionary and lineage (default DIR: docs/ beside
                                   the warehouse)
  export --to DIR [--raw]          write the published marts (and raw tables) as hive-partitioned
                                   Parquet
  backfill SOURCE --from D --to D [--window-days N] [--no-build]
                                   re-extract a date range in windows (resumable), then rebuild
                                   the models the source feeds
  run JOB                          run one configured job once, now
  schedule [--grace SECONDS]       run the configured jobs on their schedules until SIGTERM/SIGINT;
                                   on a signal, a running job gets SECONDS (default 30) to finish
  status                           last and next job runs, freshness, rows, quarantine and cursors
  quarantine list|replay           inspect, or re-load after a fix, records that failed validation
      [--source S] [--stream T] [--limit N] [--all]
  sentiment                        score texts from stdin (lines of text, or NDJSON with "text",
                                   optional "lang" and "id") → one NDJSON line per input line

global options:
  --config FILE        config file (default: ./pulse.config.ts, else the built-in sample world)
  --warehouse PATH     override the warehouse file
  --json               machine-readable output on stdout
  --log-level LEVEL    debug | info | warn | error (default info)
  --log-format FORMAT  text | json (default text)
  -h, --help           this help

exit codes: 0 success, 1 run failed, 2 usage or config error, 75 transient (retry later;
also when another scheduler or job run holds the warehouse)`;

/** Parses argv and runs one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        warehouse: { type: 'string' },
        json: { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'info' },
        'log-format': { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
        source: { type: 'string' },
        stream: { type: 'string' },
        limit: { type: 'string' },
        all: { type: 'boolean', default: false },
        scale: { type: 'string' },
        out: { type: 'string' },
        serve: { type: 'boolean', default: false },
        'full-refresh': { type: 'boolean', default: false },
        to: { type: 'string' },
        raw: { type: 'boolean', default: false },
        grace: { type: 'string', default: '30' },
        from: { type: 'string' },
        'window-days': { type: 'string', default: '7' },
        'no-build': { type: 'boolean', default: false },
        orders: { type: 'string' },
        'as-of': { type: 'string' },
        period: { type: 'string', default: 'week' },
        horizon: { type: 'string', default: '52' },
        discount: { type: 'string', default: '0.1' },
      },
    });
  } catch (error) {
    process.stderr.write(`pulse: ${(error as Error).message}\nrun \`pulse --help\` for usage\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const logLevel = values['log-level'] as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) return usageError(`--log-level must be debug, info, warn or error, not "${logLevel}"`);
  const logFormat = values['log-format'];
  if (logFormat !== 'text' && logFormat !== 'json') return usageError(`--log-format must be text or json, not "${logFormat}"`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) return usageError(`--limit must be a positive whole number, not "${values.limit}"`);
  const graceSeconds = Number(values.grace);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) return usageError(`--grace must be a number of seconds, not "${values.grace}"`);

  const flags: GlobalFlags = {
    ...(values.config ? { config: values.config } : {}),
    ...(values.warehouse ? { warehouse: values.warehouse } : {}),
    json: values.json,
    logLevel,
    logFormat,
  };
  const known = ['backfill', 'demo', 'extract', 'build', 'clv', 'publish', 'report', 'docs', 'export', 'status', 'quarantine', 'schedule', 'run', 'sentiment'];
  if (!known.includes(command)) return usageError(`unknown command "${command}"`);
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(scale > 0) || scale > 100) return usageError(`--scale must be a number above 0 and at most 100, not "${values.scale}"`);

  if (command === 'sentiment') {
    // A filter from stdin to stdout: needs no config or warehouse, and writes nothing else to stdout.
    try {
      return await sentimentCommand(process.stdin, process.stdout);
    } catch (error) {
      return reportFailure(error, false);
    }
  }

  if (command === 'clv') {
    // Fits a file: needs no config, warehouse or sample world.
    try {
      return await clvCommand(
        { orders: values.orders, asOf: values['as-of'], period: values.period, horizon: values.horizon, discount: values.discount, out: values.out, json: flags.json },
        (text) => process.stdout.write(text + '\n'),
      );
    } catch (error) {
      return reportFailure(error, flags.json);
    }
  }

  if (command === 'demo') {
    try {
      return await demoCommand(flags, { scale, out: values.out ?? 'pulse-demo', serve: values.serve }, (text) => process.stdout.write(text + '\n'));
    } catch (error) {
      return reportFailure(error, flags.json);
    }
  }

  let ctx;
  try {
    ctx = await createContext(flags);
    switch (command) {
      case 'backfill': {
        const windowDays = Number(values['window-days']);
        if (!args[0]) return usageError('backfill needs a SOURCE: pulse backfill SOURCE --from 2026-01-01 --to 2026-02-01');
        if (!Number.isInteger(windowDays) || windowDays <= 0) return usageError(`--window-days must be a positive whole number, not "${values['window-days']}"`);
        return await backfillCommand(ctx, { source: args[0], from: values.from ?? '', to: values.to ?? '', windowDays, noBuild: values['no-build'] });
      }
      case 'extract':
        return await extractCommand(ctx, args);
      case 'build':
        return await buildCommand(ctx, args, { fullRefresh: values['full-refresh'] });
      case 'publish':
        return await publishCommand(ctx);
      case 'report':
        return await reportCommand(ctx, values.out ? { out: values.out } : {});
      case 'docs':
        return await docsCommand(ctx, values.out ? { out: values.out } : {});
      case 'export':
        return await exportCommand(ctx, { ...(values.to ? { to: values.to } : {}), raw: values.raw });
      case 'status':
        return await statusCommand(ctx);
      case 'schedule':
        return await scheduleCommand(ctx, { graceSeconds });
      case 'run':
        return await runCommand(ctx, args[0], { graceSeconds });
      case 'quarantine':
        return await quarantineCommand(ctx, args[0], {
          ...(values.source ? { source: values.source } : {}),
          ...(values.stream ? { stream: values.stream } : {}),
          ...(limit ? { limit } : {}),
          includeReplayed: values.all,
        });
      default:
        return usageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return reportFailure(error, flags.json);
  } finally {
    await ctx?.close();
  }
}

function usageError(message: string): number {
  process.stderr.write(`pulse: ${message}\nrun \`pulse --help\` for usage\n`);
  return EXIT.usage;
}

/** Prints a failure as one clear message (no stack for known errors) and picks the exit code. */
export function reportFailure(error: unknown, json: boolean): number {
  const message = redact(describeError(error));
  const code = error instanceof ConfigError ? EXIT.usage : error instanceof PulseError && error.transient ? EXIT.transient : EXIT.failed;
  if (json) process.stdout.write(JSON.stringify({ status: 'failed', error: message, transient: code === EXIT.transient }) + '\n');
  process.stderr.write(`pulse: ${message}\n`);
  if (!(error instanceof PulseError)) process.stderr.write(`${redact((error as Error)?.stack ?? '')}\n(an unexpected error: please report it with the lines above)\n`);
  return code;
}

// Run when executed directly (bin/pulse.js or `tsx jobs/cli.ts`), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/jobs[\\/]cli\.ts$|bin[\\/]pulse(\.js)?$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportFailure(error, false);
    },
  );
}
