/**
 * `pulse publish`: audits the last build (every error-severity data test passed) and publishes the
 * marts, their documentation and the product's macros to the analytics file, then prints where,
 * which tables and how big; a withheld publish prints the tests that held it back.
 */
import type { ModelDef } from '../../models/engine/index.ts';
import type { CommandContext } from '../context.ts';
import { count, duration } from '../progress.ts';
import { publishStep, type PublishStepResult } from '../steps.ts';

/** Options of the publish command. */
export interface PublishCommandOptions {
  /** The models to publish (default: the product's); tests pass their own. */
  models?: readonly ModelDef[];
}

/** Runs the publish command; returns the exit code (1 when withheld). */
export async function publishCommand(ctx: CommandContext, options: PublishCommandOptions = {}): Promise<number> {
  const wh = await ctx.openWarehouse();
  let result: PublishStepResult;
  try {
    result = await publishStep(wh, {
      log: ctx.log,
      analyticsPath: ctx.config.warehouse.analyticsPath,
      ...(options.models ? { models: options.models } : {}),
    });
  } finally {
    wh.close();
  }
  if (ctx.flags.json) {
    ctx.out(JSON.stringify({ runId: result.runId, status: result.status, ...(result.published ?? { path: ctx.config.warehouse.analyticsPath, tables: [], bytes: null }), failingTests: result.failingTests, durationMs: result.durationMs }, null, 2));
  } else {
    ctx.out(renderPublish(result, ctx.config.warehouse.analyticsPath));
  }
  return result.status === 'succeeded' ? 0 : 1;
}

/** Renders a publish result for people. */
export function renderPublish(result: PublishStepResult, analyticsPath: string): string {
  if (!result.published) {
    return [
      `publish ${result.runId}: withheld — ${analyticsPath} was left as it was`,
      `${result.failingTests.length} error-severity data test${result.failingTests.length === 1 ? '' : 's'} did not pass:`,
      ...result.failingTests.map((t) => `  ${t}`),
      'fix the data or the model, run `pulse build`, then publish again',
    ].join('\n');
  }
  const { path, tables, bytes } = result.published;
  return [
    `publish ${result.runId}: succeeded in ${duration(result.durationMs)}`,
    `file    ${path} (${count(bytes)} bytes)`,
    `tables  ${tables.length > 0 ? tables.join(', ') : 'none (no marts defined yet)'}`,
  ].join('\n');
}
