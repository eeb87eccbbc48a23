/**
 * `pulse backfill SOURCE --from DATE --to DATE [--window-days N]`: re-extracts a date range in
 * windows (each recorded in meta.backfill_windows, so an interrupted backfill resumes where it
 * stopped), then rebuilds the models fed by that source. Shows rows and an ETA on a terminal,
 * plain lines otherwise.
 */
import { ConfigError, TerminalError } from '../../core/errors.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { PRODUCT_MODELS } from '../../models/index.ts';
import type { ModelDef } from '../../models/engine/index.ts';
import type { CommandContext } from '../context.ts';
import { count, createProgress, duration } from '../progress.ts';
import { buildStep, runExtract } from '../steps.ts';

/** Options of a backfill. */
export interface BackfillOptions {
  source: string;
  from: string;
  to: string;
  windowDays: number;
  /** Skip the rebuild of downstream models (e.g. when a job builds later anyway). */
  noBuild?: boolean;
}

/** What a backfill did. */
export interface BackfillResult {
  source: string;
  from: string;
  to: string;
  windows: { start: string; end: string; status: 'done' | 'skipped' | 'failed'; rows: number; runId?: string; error?: string }[];
  rowsLoaded: number;
  build: { status: string; models: number } | null;
  durationMs: number;
}

const DAY = 86_400_000;

/** Parses a YYYY-MM-DD date or throws a usage-level error naming the flag. */
export function parseDay(value: string | undefined, flag: string): Date {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new ConfigError(`${flag} must be a date like 2026-01-31, not "${value ?? ''}"`, { hint: 'pulse backfill SOURCE --from 2026-01-01 --to 2026-02-01' });
  }
  return new Date(`${value}T00:00:00Z`);
}

/** Splits [from, to) into windows of `days` days. */
export function backfillWindows(from: Date, to: Date, days: number): { start: Date; end: Date }[] {
  const out: { start: Date; end: Date }[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += days * DAY) out.push({ start: new Date(t), end: new Date(Math.min(t + days * DAY, to.getTime())) });
  return out;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Runs a backfill on an open warehouse. */
export async function runBackfill(ctx: CommandContext, wh: Warehouse, options: BackfillOptions): Promise<BackfillResult> {
  const started = Date.now();
  const from = parseDay(options.from, '--from');
  const to = parseDay(options.to, '--to');
  if (to <= from) throw new ConfigError(`--to (${options.to}) must be after --from (${options.from})`);
  const [source] = await ctx.sources([options.source]);
  if (!source) throw new TerminalError(`unknown source "${options.source}"`);
  const windows = backfillWindows(from, to, options.windowDays);
  const done = new Set(
    (
      await wh.all<{ w: string }>(`select strftime(window_start, '%Y-%m-%d') as w from meta.backfill_windows where source = $1 and range_from = $2::date and range_to = $3::date`, [source.name, day(from), day(to)])
    ).map((r) => r.w),
  );
  const progress = createProgress(ctx.tty);
  const result: BackfillResult = { source: source.name, from: day(from), to: day(to), windows: [], rowsLoaded: 0, build: null, durationMs: 0 };
  const timed: number[] = [];
  try {
    for (const [i, w] of windows.entries()) {
      if (done.has(day(w.start))) {
        result.windows.push({ start: day(w.start), end: day(w.end), status: 'skipped', rows: 0 });
        continue;
      }
      const windowStarted = Date.now();
      const remaining = windows.length - i;
      const eta = timed.length ? duration((timed.reduce((a, b) => a + b, 0) / timed.length) * remaining) : '…';
      const show = (rows: number) => `backfill ${source.name} ${day(w.start)}…${day(w.end)} (${i + 1}/${windows.length}): ${count(result.rowsLoaded + rows)} rows, ETA ${eta}`;
      progress.update(show(0));
      if (!ctx.tty) ctx.log.info('backfill window', { source: source.name, from: day(w.start), to: day(w.end), window: `${i + 1}/${windows.length}` });
      const extract = await runExtract(wh, [source], { log: ctx.log, job: 'backfill', since: w.start, until: w.end, onProgress: (p) => progress.update(show(p.rows)) });
      const rows = extract.streams.reduce((n, s) => n + s.rowsLoaded, 0);
      result.rowsLoaded += rows;
      if (extract.status !== 'succeeded') {
        result.windows.push({ start: day(w.start), end: day(w.end), status: 'failed', rows, runId: extract.runId, error: extract.streams.filter((s) => s.error).map((s) => `${s.stream}: ${s.error}`).join('; ') });
        break; // the next backfill resumes here
      }
      await wh.run(`insert into meta.backfill_windows values ($1, $2::date, $3::date, $4::date, $5::date, $6, $7, now())`, [source.name, day(from), day(to), day(w.start), day(w.end), extract.runId, rows]);
      result.windows.push({ start: day(w.start), end: day(w.end), status: 'done', rows, runId: extract.runId });
      timed.push(Date.now() - windowStarted);
    }
  } finally {
    progress.done();
  }
  const failed = result.windows.some((w) => w.status === 'failed');
  if (!failed && !options.noBuild) {
    // Rebuild what this source feeds: its staging models and everything downstream of them.
    const models: readonly ModelDef[] = PRODUCT_MODELS;
    const select = models.filter((m) => m.name.startsWith(`stg_${source.name}__`)).map((m) => `${m.name}+`);
    if (select.length) {
      const build = await buildStep(wh, { log: ctx.log, job: 'backfill', select, settings: ctx.config.models });
      result.build = { status: build.status, models: build.build.models.length };
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** Runs `pulse backfill`; exit 0 only when every window loaded (and the rebuild succeeded). */
export async function backfillCommand(ctx: CommandContext, options: BackfillOptions): Promise<number> {
  const wh = await ctx.openWarehouse();
  let result: BackfillResult;
  try {
    result = await runBackfill(ctx, wh, options);
  } finally {
    wh.close();
  }
  if (ctx.flags.json) ctx.out(JSON.stringify(result, null, 2));
  else {
    const done = result.windows.filter((w) => w.status === 'done').length;
    const skipped = result.windows.filter((w) => w.status === 'skipped').length;
    ctx.out(`backfill ${result.source} ${result.from} → ${result.to}: ${done} windows loaded, ${skipped} already done, ${count(result.rowsLoaded)} rows in ${duration(result.durationMs)}`);
    for (const w of result.windows.filter((x) => x.status === 'failed')) ctx.out(`  window ${w.start}…${w.end} failed: ${w.error}\n  run the same command again to resume from this window`);
    if (result.build) ctx.out(`  rebuild: ${result.build.status} (${result.build.models} models)`);
  }
  const ok = result.windows.every((w) => w.status !== 'failed') && (!result.build || result.build.status === 'succeeded');
  return ok ? 0 : 1;
}
