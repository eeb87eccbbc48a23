/**
 * `pulse extract [SOURCE...]`: extracts and loads the named (or all) configured sources and
 * prints per-stream rows, quarantined records, drift and errors.
 */
import type { CommandContext } from '../context.ts';
import { count, createProgress, duration } from '../progress.ts';
import { runExtract, type ExtractResult } from '../steps.ts';

/** Runs the extract command; returns the process exit code (0 only when every stream succeeded). */
export async function extractCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const sources = await ctx.sources(args);
  if (sources.length === 0) {
    ctx.log.warn('no sources configured; nothing to extract');
    if (ctx.flags.json) ctx.out(JSON.stringify({ status: 'succeeded', streams: [] }));
    return 0;
  }
  const wh = await ctx.openWarehouse();
  const progress = createProgress(ctx.tty);
  let result: ExtractResult;
  try {
    result = await runExtract(wh, sources, {
      log: ctx.log,
      batchRows: ctx.config.extract.batchRows,
      onProgress: (p) => progress.update(`extract ${p.source}.${p.stream}: ${count(p.rows)} rows, ${count(p.pages)} pages`),
    });
  } finally {
    progress.done();
    wh.close();
  }
  if (ctx.flags.json) ctx.out(JSON.stringify(result, null, 2));
  else ctx.out(renderExtract(result));
  return result.status === 'succeeded' ? 0 : 1;
}

/** Renders an extract result as a table for people. */
export function renderExtract(result: ExtractResult): string {
  const lines = [`run ${result.runId}: ${result.status} in ${duration(result.durationMs)}`];
  const width = Math.max(10, ...result.streams.map((s) => `${s.source}.${s.stream}`.length));
  lines.push(`${'stream'.padEnd(width)}  ${'status'.padEnd(9)}  ${'rows'.padStart(10)}  ${'quarantined'.padStart(11)}  ${'pages'.padStart(6)}  cursor`);
  for (const s of result.streams) {
    lines.push(`${`${s.source}.${s.stream}`.padEnd(width)}  ${s.status.padEnd(9)}  ${count(s.rowsLoaded).padStart(10)}  ${count(s.rowsQuarantined).padStart(11)}  ${count(s.pages).padStart(6)}  ${s.cursorAfter ?? '-'}`);
    if (s.driftFields.length) lines.push(`${''.padEnd(width)}  schema drift: new fields kept as JSON: ${s.driftFields.join(', ')}`);
    if (s.error) lines.push(`${''.padEnd(width)}  error: ${s.error}`);
  }
  const quarantined = result.streams.reduce((n, s) => n + s.rowsQuarantined, 0);
  if (quarantined) lines.push(`${count(quarantined)} records quarantined: see \`pulse quarantine list\`, fix the cause, then \`pulse quarantine replay\``);
  return lines.join('\n');
}
