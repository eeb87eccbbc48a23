/**
 * `pulse demo [--scale N] [--out DIR]`: the whole pipeline on the sample world — fakes → extract
 * → build → publish → report — then where each output is and what ran.
 * `pulse demo --serve` only starts the fakes, writes a config pointing at them, and serves until
 * stopped (SIGINT/SIGTERM), so `pulse extract/build/schedule --config …` can be tried by hand.
 */
import type { ModelSettings } from '../../models/macros.ts';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../core/config.ts';
import { openWarehouse } from '../../core/warehouse.ts';
import { buildSource } from '../../connectors/registry.ts';
import type { GlobalFlags } from '../context.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import { count, createProgress, duration } from '../progress.ts';
import { sampleConfigFile, startSampleWorld, startSampleWorldProcess } from '../sample.ts';
import { buildStep, publishStep, runExtract, type ExtractResult } from '../steps.ts';
import { describeError } from '../../core/errors.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import type { ModelDef } from '../../models/engine/index.ts';
import { PRODUCT_MODELS } from '../../models/index.ts';
import { buildReport, freshnessSlas } from './report.ts';

/** Options of the demo command. */
export interface DemoOptions {
  scale: number;
  out: string;
  serve: boolean;
}

/** What the demo did, for people and for `--json`. */
export interface DemoSummary {
  scale: number;
  out: string;
  warehouse: string;
  analytics: string | null;
  site: string | null;
  world: Record<string, number>;
  steps: { step: string; status: string; durationMs: number; detail?: unknown }[];
  durationMs: number;
}

/** Runs the demo; returns the exit code. */
export async function demoCommand(flags: GlobalFlags, options: DemoOptions, out: (text: string) => void): Promise<number> {
  const log = createLogger({ level: flags.logLevel, format: flags.logFormat });
  const dir = resolve(options.out);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  if (options.serve) {
    const served = await startSampleWorld({ dir, scale: options.scale, log });
    try {
      return await serve(dir, served, out);
    } finally {
      await served.close();
    }
  }
  // The world and its fakes live in a child process: they answer on the other core while this
  // process extracts, and their memory is released before the models build.
  const sample = await startSampleWorldProcess({ dir, scale: options.scale, log });
  try {
    // A demo starts from an empty warehouse so its figures describe this world at this scale.
    for (const suffix of ['', '.wal']) rmSync(`${sample.config.warehouse.path}${suffix}`, { force: true });
    const config = parseConfig(sample.config, dir, undefined);
    const sources = Object.entries(config.sources).map(([name, raw]) => buildSource(name, raw, dir));
    const wh = await openWarehouse(config.warehouse.path, { memoryLimit: config.warehouse.memoryLimit, log });
    const steps: DemoSummary['steps'] = [];
    const progress = createProgress(Boolean(process.stderr.isTTY) && !process.env['CI']);
    let extract: ExtractResult;
    let analytics: string | null = null;
    try {
      try {
        extract = await runExtract(wh, sources, {
          log,
          job: 'demo',
          batchRows: config.extract.batchRows,
          onProgress: (p) => progress.update(`extract ${p.source}.${p.stream}: ${count(p.rows)} rows`),
        });
      } finally {
        progress.done();
        // Nothing reads the fakes after the extract.
        await sample.close();
      }
      steps.push({ step: 'extract', status: extract.status, durationMs: extract.durationMs, detail: extract.streams.map((s) => ({ stream: `${s.source}.${s.stream}`, status: s.status, rows: s.rowsLoaded, quarantined: s.rowsQuarantined, error: s.error })) });
      // Until models are defined there is nothing to build or publish; the demo still succeeds.
      if (PRODUCT_MODELS.length > 0) analytics = await buildAndPublish(wh, PRODUCT_MODELS, config.warehouse.analyticsPath, log, steps, config.models);
    } finally {
      wh.close();
    }
    const site = analytics ? await buildSite(analytics, join(dir, 'site'), config.jobs, log, steps) : null;
    const summary: DemoSummary = {
      scale: options.scale,
      out: dir,
      warehouse: config.warehouse.path,
      analytics,
      site,
      world: sample.summary as unknown as Record<string, number>,
      steps,
      durationMs: Date.now() - started,
    };
    out(flags.json ? JSON.stringify(summary, null, 2) : renderDemo(summary, extract));
    return steps.every((s) => s.status === 'succeeded') ? 0 : 1;
  } finally {
    await sample.close();
  }
}

/**
 * Builds the models, then publishes them when the build passed; records each as a demo step and
 * returns the published file's path (null when the build failed or the publish was withheld).
 */
async function buildAndPublish(wh: Warehouse, models: readonly ModelDef[], analyticsPath: string, log: Logger, steps: DemoSummary['steps'], settings: ModelSettings): Promise<string | null> {
  const started = Date.now();
  try {
    const build = await buildStep(wh, { log, job: 'demo', models, settings });
    steps.push({
      step: 'build',
      status: build.status,
      durationMs: build.durationMs,
      detail: {
        models: build.build.models.map((m) => ({ model: m.model, status: m.status, rows: m.rows, error: m.error })),
        failingTests: build.build.tests.filter((t) => t.status !== 'pass').map((t) => `${t.severity} ${t.model} ${t.test}: ${t.status}`),
      },
    });
    if (!build.build.ok) return null;
  } catch (error) {
    steps.push({ step: 'build', status: 'failed', durationMs: Date.now() - started, detail: { error: describeError(error) } });
    return null;
  }
  const publishStarted = Date.now();
  try {
    const published = await publishStep(wh, { log, job: 'demo', analyticsPath, models });
    steps.push({ step: 'publish', status: published.status, durationMs: published.durationMs, detail: published.published ?? { failingTests: published.failingTests } });
    return published.published?.path ?? null;
  } catch (error) {
    steps.push({ step: 'publish', status: 'failed', durationMs: Date.now() - publishStarted, detail: { error: describeError(error) } });
    return null;
  }
}

/** Builds the report site from the published file; records it as a demo step and returns its folder (null when it failed). */
async function buildSite(analyticsPath: string, out: string, jobs: Parameters<typeof freshnessSlas>[0], log: Logger, steps: DemoSummary['steps']): Promise<string | null> {
  const started = Date.now();
  try {
    const site = await buildReport({ analyticsPath, out, log, freshness: freshnessSlas(jobs) });
    steps.push({ step: 'report', status: 'succeeded', durationMs: site.durationMs, detail: { pages: site.pages, files: site.files, bytes: site.bytes } });
    return site.path;
  } catch (error) {
    steps.push({ step: 'report', status: 'failed', durationMs: Date.now() - started, detail: { error: describeError(error) } });
    return null;
  }
}

/** Serves the fakes until SIGINT/SIGTERM. */
async function serve(dir: string, sample: Awaited<ReturnType<typeof startSampleWorld>>, out: (text: string) => void): Promise<number> {
  const file = join(dir, 'pulse.config.ts');
  writeFileSync(file, sampleConfigFile(sample.config));
  out(`sample world served; config written to ${file}`);
  for (const [name, server] of Object.entries(sample.servers)) out(`  ${name.padEnd(12)} ${server.url}`);
  out(`try: pulse extract --config ${file}    (stop with Ctrl-C)`);
  await new Promise<void>((resolvePromise) => {
    const stop = () => resolvePromise();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** Renders the demo summary for people. */
export function renderDemo(summary: DemoSummary, extract: ExtractResult): string {
  const lines = [`pulse demo — sample world at scale ${summary.scale}, ${duration(summary.durationMs)}`, ''];
  const bySource = new Map<string, { rows: number; quarantined: number; failed: number }>();
  for (const s of extract.streams) {
    const entry = bySource.get(s.source) ?? { rows: 0, quarantined: 0, failed: 0 };
    entry.rows += s.rowsLoaded;
    entry.quarantined += s.rowsQuarantined;
    if (s.status !== 'succeeded') entry.failed++;
    bySource.set(s.source, entry);
  }
  lines.push(`extract: ${extract.status} in ${duration(extract.durationMs)}`);
  for (const [source, e] of bySource) {
    lines.push(`  ${source.padEnd(12)} ${count(e.rows).padStart(10)} rows${e.quarantined ? `, ${count(e.quarantined)} quarantined` : ''}${e.failed ? `, ${e.failed} streams FAILED` : ''}`);
  }
  for (const s of extract.streams.filter((x) => x.error)) lines.push(`  error in ${s.source}.${s.stream}: ${s.error}`);
  for (const s of summary.steps.filter((x) => x.step !== 'extract')) lines.push(`${s.step}: ${s.status} in ${duration(s.durationMs)}`);
  lines.push('', 'outputs:', `  warehouse  ${summary.warehouse}`);
  if (summary.analytics) lines.push(`  analytics  ${summary.analytics}`);
  if (summary.site) lines.push(`  site       ${summary.site}`);
  lines.push('', `next: pulse status --config ${join(summary.out, 'pulse.config.ts')} (after \`pulse demo --serve --out ${summary.out}\`)`);
  return lines.join('\n');
}
