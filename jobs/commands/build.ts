/**
 * `pulse build [SELECTOR...] [--full-refresh]`: creates the product's macros, builds the selected
 * (or all) models and runs their data tests, and prints per-model status, rows and duration and
 * the tests that did not pass.
 */
import type { ModelDef } from '../../models/engine/index.ts';
import type { CommandContext } from '../context.ts';
import { count, duration } from '../progress.ts';
import { buildStep, type BuildStepResult } from '../steps.ts';

/** Options of the build command. */
export interface BuildCommandOptions {
  fullRefresh?: boolean;
  /** The models to build (default: the product's); tests pass their own. */
  models?: readonly ModelDef[];
}

/** Runs the build command; returns the exit code (0 only when every model built and no error-severity test failed). */
export async function buildCommand(ctx: CommandContext, selectors: string[], options: BuildCommandOptions = {}): Promise<number> {
  const wh = await ctx.openWarehouse();
  let result: BuildStepResult;
  try {
    result = await buildStep(wh, {
      log: ctx.log,
      select: selectors,
      settings: ctx.config.models,
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      ...(options.models ? { models: options.models } : {}),
    });
  } finally {
    wh.close();
  }
  if (ctx.flags.json) ctx.out(JSON.stringify(buildJson(result), null, 2));
  else ctx.out(renderBuild(result));
  return result.build.ok ? 0 : 1;
}

/** The build result as JSON for machines (the lineage's maps left out). */
export function buildJson(result: BuildStepResult): Record<string, unknown> {
  const { build } = result;
  return {
    runId: result.runId,
    status: result.status,
    ok: build.ok,
    durationMs: result.durationMs,
    models: build.models,
    tests: build.tests.map((t) => ({ model: t.model, test: t.test, kind: t.kind, severity: t.severity, status: t.status, failingRows: t.failingRows, error: t.error, sample: t.sample })),
  };
}

/** Renders a build result as a table for people, then the tests that did not pass. */
export function renderBuild(result: BuildStepResult): string {
  const { build } = result;
  const passed = build.tests.filter((t) => t.status === 'pass').length;
  const lines = [`build ${result.runId}: ${result.status} in ${duration(result.durationMs)} — ${build.models.length} model${build.models.length === 1 ? '' : 's'}, ${passed}/${build.tests.length} tests passed`];
  if (build.models.length === 0) {
    lines.push('no models to build (none defined in models/, or none matched the selectors)');
    return lines.join('\n');
  }
  const width = Math.max(5, ...build.models.map((m) => m.model.length));
  lines.push(`${'model'.padEnd(width)}  ${'status'.padEnd(9)}  ${'mode'.padEnd(11)}  ${'rows'.padStart(10)}  ${'duration'.padStart(8)}`);
  for (const m of build.models) {
    const rows = m.rows === null ? '-' : count(m.rows);
    lines.push(`${m.model.padEnd(width)}  ${m.status.padEnd(9)}  ${(m.mode ?? '-').padEnd(11)}  ${rows.padStart(10)}  ${duration(m.durationMs).padStart(8)}`);
    if (m.error) lines.push(`${''.padEnd(width)}  ${m.error}`);
  }
  const failing = build.tests.filter((t) => t.status !== 'pass');
  if (failing.length > 0) {
    lines.push('', 'tests that did not pass:');
    for (const t of failing) {
      const why = t.status === 'fail' ? `${count(t.failingRows ?? 0)} failing row${t.failingRows === 1 ? '' : 's'}` : `could not run: ${t.error ?? 'unknown error'}`;
      lines.push(`  ${t.severity.padEnd(5)}  ${t.model} ${t.test}: ${why}`);
    }
    if (failing.some((t) => t.severity === 'error')) lines.push('error-severity tests withhold `pulse publish` until they pass');
  }
  return lines.join('\n');
}
