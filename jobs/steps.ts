/**
 * Steps shared by the CLI, the demo and scheduled jobs, each working on an open warehouse and
 * recording itself in the run ledger.
 */
import { dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { Logger } from '../core/log.ts';
import { finishRun, markAbandonedRuns, newRunId, startRun, type RunStatus } from '../core/runs.ts';
import pLimit from 'p-limit';
import { wrap, type Warehouse } from '../core/warehouse.ts';
import { extractSource, type ExtractProgress, type StreamOutcome } from '../connectors/extract.ts';
import type { SourceDef } from '../connectors/source.ts';
import { buildModels, failingGateTests, loadModels, publish, type BuildResult, type ModelDef, type PublishResult } from '../models/engine/index.ts';
import { PRODUCT_MODELS } from '../models/index.ts';
import { createMacros, MACROS, settingsMacros, type ModelSettings } from '../models/macros.ts';

/** The result of an extract step. */
export interface ExtractResult {
  runId: string;
  status: RunStatus;
  streams: StreamOutcome[];
  durationMs: number;
}

/** Options for `runExtract`. */
export interface RunExtractOptions {
  log: Logger;
  job?: string;
  runId?: string;
  scheduledFor?: Date;
  since?: Date;
  until?: Date;
  streams?: string[];
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (p: ExtractProgress) => void;
  batchRows?: number;
  /**
   * Sources extracted side by side (default 2). Each has its own connection and transactions on
   * the warehouse: while one waits on its API the other loads, so both cores work.
   */
  concurrency?: number;
  /** Mark runs left `running` as abandoned first (default true; a job runner that owns the ledger passes false). */
  markAbandoned?: boolean;
}

/** Summarises stream outcomes as a run status: all succeeded, some, or none. */
export function statusOf(outcomes: { status: string }[]): RunStatus {
  if (outcomes.every((o) => o.status === 'succeeded')) return 'succeeded';
  if (outcomes.some((o) => o.status === 'succeeded')) return 'partial';
  return 'failed';
}

/** Sources extracted side by side when the caller does not say. */
export const DEFAULT_EXTRACT_CONCURRENCY = 2;

/** Extracts the given sources into the warehouse (a few side by side), as one recorded run. */
export async function runExtract(wh: Warehouse, sources: SourceDef[], options: RunExtractOptions): Promise<ExtractResult> {
  const runId = options.runId ?? newRunId();
  const started = Date.now();
  // This process holds the only write handle, so any run still marked running was cut off.
  if (options.markAbandoned !== false) {
    const abandoned = await markAbandonedRuns(wh, runId);
    if (abandoned) options.log.warn('earlier runs were cut off before they finished; marked abandoned', { count: abandoned });
  }
  await startRun(wh, { runId, job: options.job ?? 'extract', command: 'extract', ...(options.scheduledFor ? { scheduledFor: options.scheduledFor } : {}) });
  const perSource: StreamOutcome[][] = sources.map(() => []);
  let failure: unknown;
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_EXTRACT_CONCURRENCY));
  await Promise.all(
    sources.map((source, index) =>
      limit(async () => {
        // A source that has not started when another failed outright is not started at all.
        if (failure) return;
        const connection = await wh.connect();
        try {
          perSource[index] = await extractSource(source, {
            wh: wrap(wh.path, wh.instance, connection),
            runId,
            log: options.log,
            spoolDir: join(dirname(wh.path), '.spool', runId, source.name),
            ...(options.since ? { since: options.since } : {}),
            ...(options.until ? { until: options.until } : {}),
            ...(options.streams ? { streams: options.streams } : {}),
            ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
            ...(options.sleep ? { sleep: options.sleep } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(options.batchRows ? { batchRows: options.batchRows } : {}),
          });
        } catch (error) {
          failure ??= error;
        } finally {
          connection.closeSync();
        }
      }),
    ),
  );
  // Outcomes in the order the sources were given, however the runs interleaved.
  const streams = perSource.flat();
  const status = failure ? 'failed' : statusOf(streams);
  const durationMs = Date.now() - started;
  await finishRun(wh, runId, status, { step: 'extract', streams, durationMs }, failure ?? (status === 'succeeded' ? undefined : streams.filter((s) => s.error).map((s) => `${s.source}.${s.stream}: ${s.error}`).join('; ')));
  if (failure) throw failure;
  return { runId, status, streams, durationMs };
}

/** The result of a build step. */
export interface BuildStepResult {
  runId: string;
  /** `succeeded` when every model built and every error-severity test passed; `partial` when some models built; else `failed`. */
  status: RunStatus;
  build: BuildResult;
  durationMs: number;
}

/** Options for `buildStep`. */
export interface BuildStepOptions {
  log: Logger;
  job?: string;
  runId?: string;
  scheduledFor?: Date;
  /** Model selectors (`name`, `+name`, `name+`, `tag:x`); all models when absent or empty. */
  select?: readonly string[];
  fullRefresh?: boolean;
  concurrency?: number;
  /** The clock for freshness tests and ledger timestamps. */
  now?: () => Date;
  /** The models to build; defaults to the product's (`PRODUCT_MODELS`). */
  models?: readonly ModelDef[];
  /** Settings the models read through macros (reporting time zone, churn window, attribution lookback). */
  settings?: ModelSettings;
}

/** Lists what went wrong in a build as one line: failed or skipped models, then error tests that did not pass. */
function buildProblems(build: BuildResult): string {
  const models = build.models.filter((m) => m.status === 'failed' || m.status === 'skipped').map((m) => `${m.model}: ${m.error ?? m.status}`);
  const tests = build.tests
    .filter((t) => t.severity === 'error' && t.status !== 'pass')
    .map((t) => `${t.model} ${t.test}: ${t.status === 'fail' ? `${t.failingRows} failing rows` : (t.error ?? t.status)}`);
  return [...models, ...tests].join('; ');
}

/**
 * Creates the product's macros, then builds the selected models and runs their data tests, as
 * one recorded run (job `build` unless given). Throws, after recording the run as failed, when
 * the DAG is invalid or a source table is missing; model and test failures are in the result.
 */
export async function buildStep(wh: Warehouse, options: BuildStepOptions): Promise<BuildStepResult> {
  const runId = options.runId ?? newRunId();
  const started = Date.now();
  const select = options.select && options.select.length > 0 ? options.select : undefined;
  await startRun(wh, { runId, job: options.job ?? 'build', command: 'build', ...(options.scheduledFor ? { scheduledFor: options.scheduledFor } : {}) });
  let build: BuildResult;
  try {
    // Model SQL may call the macros, so they exist before anything is built.
    await createMacros(wh, options.settings);
    build = await buildModels(wh, options.models ?? PRODUCT_MODELS, {
      log: options.log,
      runId,
      macros: [...MACROS, ...settingsMacros(options.settings)],
      ...(select ? { select } : {}),
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    await finishRun(wh, runId, 'failed', { step: 'build', select: select ?? null, durationMs: Date.now() - started }, error);
    throw error;
  }
  const built = build.models.some((m) => m.status === 'succeeded' || m.status === 'unchanged');
  const status: RunStatus = build.ok ? 'succeeded' : built ? 'partial' : 'failed';
  const durationMs = Date.now() - started;
  const details = {
    step: 'build',
    select: select ?? null,
    models: build.models,
    tests: build.tests.map((t) => ({ model: t.model, test: t.test, severity: t.severity, status: t.status, failingRows: t.failingRows })),
    durationMs,
  };
  await finishRun(wh, runId, status, details, build.ok ? undefined : buildProblems(build));
  return { runId, status, build, durationMs };
}

/** The result of a publish step. */
export interface PublishStepResult {
  runId: string;
  /** `withheld` when an error-severity data test did not pass: the published file was left as it was. */
  status: 'succeeded' | 'withheld';
  published: PublishResult | null;
  /** The error-severity tests that withheld the publish, as `model test: why`. */
  failingTests: string[];
  durationMs: number;
}

/** Options for `publishStep`. */
export interface PublishStepOptions {
  log: Logger;
  /** Where the published file goes (`config.warehouse.analyticsPath`). */
  analyticsPath: string;
  job?: string;
  runId?: string;
  scheduledFor?: Date;
  /** The models whose marts are published and whose tests gate it; defaults to `PRODUCT_MODELS`. */
  models?: readonly ModelDef[];
}

/**
 * Audits and publishes the marts with the product's macros to `analyticsPath`, as one recorded
 * run (job `publish` unless given). A failing error-severity test withholds it: the run is
 * recorded as failed and the result says `withheld` with the tests; other failures throw.
 */
export async function publishStep(wh: Warehouse, options: PublishStepOptions): Promise<PublishStepResult> {
  const runId = options.runId ?? newRunId();
  const started = Date.now();
  const models = options.models ?? PRODUCT_MODELS;
  await startRun(wh, { runId, job: options.job ?? 'publish', command: 'publish', ...(options.scheduledFor ? { scheduledFor: options.scheduledFor } : {}) });
  try {
    const failingTests = await failingGateTests(wh.connection, loadModels(models));
    if (failingTests.length > 0) {
      const durationMs = Date.now() - started;
      const message = `publish withheld: ${failingTests.length} error-severity data test${failingTests.length === 1 ? '' : 's'} did not pass: ${failingTests.join('; ')}`;
      options.log.error('publish withheld; the published file was left as it was', { file: options.analyticsPath, failingTests: failingTests.length });
      await finishRun(wh, runId, 'failed', { step: 'publish', withheld: true, failingTests, durationMs }, message);
      return { runId, status: 'withheld', published: null, failingTests, durationMs };
    }
    const published = await publish(wh, models, { analyticsPath: options.analyticsPath, log: options.log, extraSql: MACROS });
    const durationMs = Date.now() - started;
    await finishRun(wh, runId, 'succeeded', { step: 'publish', ...published, durationMs });
    return { runId, status: 'succeeded', published, failingTests: [], durationMs };
  } catch (error) {
    await finishRun(wh, runId, 'failed', { step: 'publish', durationMs: Date.now() - started }, error);
    throw error;
  }
}
