/**
 * The steps a job runs, behind one interface the scheduler calls. `extract` runs `runExtract`;
 * `build`, `publish` and `report` are supplied by their modules through `registerStepHandler`
 * (or injected into `createStepRunner`); otherwise the built-in ones run.
 */
import { Agent, type Dispatcher } from 'undici';
import { TerminalError, TransientError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Warehouse } from '../core/warehouse.ts';
import type { SourceDef } from '../connectors/source.ts';
import type { JobStep, StepName } from './job-config.ts';
import { buildStep, publishStep, runExtract } from './steps.ts';
import type { ModelSettings } from '../models/macros.ts';
import { reportJobStep } from './commands/report.ts';

/** What a step gets: a signal that aborts on timeout or shutdown, the run, a logger, the open warehouse. */
export interface StepContext {
  signal: AbortSignal;
  runId: string;
  job: string;
  scheduledFor: Date;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  log: Logger;
  wh?: Warehouse;
}

/** What a step reports back; `partial` lets later steps run but marks the run partial. */
export interface StepResult {
  rows?: number;
  status?: 'succeeded' | 'partial';
  /** Anything worth keeping in the run's details (JSON-safe; redacted before it is stored). */
  detail?: unknown;
}

/** Runs one step of a job. Throw a `TransientError` to have it retried, anything else to fail the run. */
export interface StepRunner {
  runStep(step: JobStep, ctx: StepContext): Promise<StepResult>;
}

/** Runs one kind of step. */
export type StepHandler<S extends JobStep = JobStep> = (step: S, ctx: StepContext) => Promise<StepResult>;

/** A handler per step name. */
export type StepHandlers = { [N in StepName]: StepHandler<Extract<JobStep, { name: N }>> };

const registered: Partial<StepHandlers> = {};

/** Plugs in the implementation of a step (the model engine registers `build`, the publisher `publish`, …). */
export function registerStepHandler<N extends StepName>(name: N, handler: StepHandlers[N]): void {
  (registered as Record<StepName, unknown>)[name] = handler;
}

/** Options for the real step runner. */
export interface StepRunnerOptions {
  /** Builds the configured sources (`ctx.sources` from the CLI context). */
  sources: (names?: string[]) => SourceDef[] | Promise<SourceDef[]>;
  batchRows?: number;
  /** Where publish writes and the settings build uses (from the config). */
  analyticsPath?: string;
  settings?: ModelSettings;
  /** Overrides, e.g. fakes in tests; otherwise registered handlers, else "not available yet". */
  handlers?: Partial<StepHandlers>;
}

/** Creates the step runner the CLI uses: real extract, plugged-in build/publish/report. */
export function createStepRunner(options: StepRunnerOptions): StepRunner {
  const handlers: StepHandlers = {
    extract: options.handlers?.extract ?? registered.extract ?? ((step, ctx) => extractStep(step, ctx, options)),
    build: options.handlers?.build ?? registered.build ?? ((step, ctx) => buildJobStep(step, ctx, options)),
    publish: options.handlers?.publish ?? registered.publish ?? ((_step, ctx) => publishJobStep(ctx, options)),
    report: options.handlers?.report ?? registered.report ?? ((_step, ctx) => reportJobStep(ctx, options)),
  };
  return {
    runStep(step, ctx) {
      const handler = handlers[step.name] as StepHandler;
      return handler(step, ctx);
    },
  };
}

/** Builds the step's selectors as a recorded build run linked to the job run; failed models or tests fail the step. */
async function buildJobStep(step: Extract<JobStep, { name: 'build' }>, ctx: StepContext, options: StepRunnerOptions): Promise<StepResult> {
  if (!ctx.wh) throw new TerminalError('the build step needs the warehouse open');
  const result = await buildStep(ctx.wh, {
    log: ctx.log,
    job: ctx.job,
    runId: `${ctx.runId}-build-${ctx.attempt}`,
    scheduledFor: ctx.scheduledFor,
    select: step.selectors,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const detail = { buildRunId: result.runId, models: result.build.models.map((m) => ({ model: m.model, status: m.status, rows: m.rows })) };
  if (result.status !== 'succeeded') throw new TerminalError(`build ${result.status}: see run ${result.runId} in meta.model_runs and meta.test_results`);
  return { rows: result.build.models.reduce((n, m) => n + (m.rowsWritten ?? 0), 0), detail };
}

/** Publishes the marts; a withheld publish (failing tests) fails the step and leaves the old file. */
async function publishJobStep(ctx: StepContext, options: StepRunnerOptions): Promise<StepResult> {
  if (!ctx.wh) throw new TerminalError('the publish step needs the warehouse open');
  if (!options.analyticsPath) throw new TerminalError('the publish step needs the analytics path from the config');
  const result = await publishStep(ctx.wh, { log: ctx.log, job: ctx.job, runId: `${ctx.runId}-publish-${ctx.attempt}`, scheduledFor: ctx.scheduledFor, analyticsPath: options.analyticsPath });
  if (result.status !== 'succeeded') throw new TerminalError(`publish ${result.status}: ${result.failingTests.join('; ')}`);
  return { detail: { publishRunId: result.runId, file: options.analyticsPath } };
}

/** Extracts the step's sources as one recorded extract run linked to the job run. */
async function extractStep(step: Extract<JobStep, { name: 'extract' }>, ctx: StepContext, options: StepRunnerOptions): Promise<StepResult> {
  if (!ctx.wh) throw new TerminalError('the extract step needs the warehouse open');
  const sources = await options.sources(step.sources === 'all' ? undefined : step.sources);
  const http = abortingDispatcher(ctx.signal);
  try {
    const result = await runExtract(ctx.wh, sources, {
      log: ctx.log,
      job: ctx.job,
      runId: `${ctx.runId}-extract-${ctx.attempt}`,
      scheduledFor: ctx.scheduledFor,
      dispatcher: http.dispatcher,
      sleep: (ms) => abortableSleep(ms, ctx.signal),
      // The job runner owns the ledger of its run: it must not be marked abandoned by its own step.
      markAbandoned: false,
      ...(options.batchRows ? { batchRows: options.batchRows } : {}),
    });
    const rows = result.streams.reduce((n, s) => n + s.rowsLoaded, 0);
    const detail = { extractRunId: result.runId, streams: result.streams.map((s) => ({ stream: `${s.source}.${s.stream}`, status: s.status, rows: s.rowsLoaded, quarantined: s.rowsQuarantined, error: s.error })) };
    if (result.status === 'failed') {
      const failedStreams = result.streams.filter((s) => s.status === 'failed');
      const message = `extract failed: ${failedStreams.map((s) => `${s.source}.${s.stream}: ${s.error ?? 'failed'}`).join('; ')}`;
      // Retrying helps only when every failure was transient (an API down, a rate limit).
      if (failedStreams.length > 0 && failedStreams.every((s) => s.transient)) throw new TransientError(message);
      throw new TerminalError(message);
    }
    return { rows, status: result.status === 'partial' ? 'partial' : 'succeeded', detail };
  } finally {
    await http.close().catch(() => undefined);
  }
}

/** A dispatcher that refuses new requests once `signal` aborts, so an extract stops at its next request. */
export function abortingDispatcher(signal: AbortSignal): { dispatcher: Dispatcher; close(): Promise<void> } {
  const agent = new Agent();
  // Requests already in flight finish (each is bounded by the source's HTTP timeout).
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    if (signal.aborted) throw new TerminalError(`cancelled: ${reasonText(signal.reason)}`);
    return dispatch(opts, handler);
  });
  return { dispatcher, close: () => agent.close() };
}

/** Waits `ms` of real time unless `signal` aborts first (for retry backoff inside a step). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new TerminalError(`cancelled: ${reasonText(signal.reason)}`));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TerminalError(`cancelled: ${reasonText(signal.reason)}`));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
