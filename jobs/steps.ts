/**
 * Steps shared by the CLI, the demo and scheduled jobs, each working on an open warehouse and
 * recording itself in the run ledger.
 */
import { dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { Logger } from '../core/log.ts';
import { finishRun, markAbandonedRuns, newRunId, startRun, type RunStatus } from '../core/runs.ts';
import type { Warehouse } from '../core/warehouse.ts';
import { extractSource, type ExtractProgress, type StreamOutcome } from '../connectors/extract.ts';
import type { SourceDef } from '../connectors/source.ts';

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
}

/** Summarises stream outcomes as a run status: all succeeded, some, or none. */
export function statusOf(outcomes: { status: string }[]): RunStatus {
  if (outcomes.every((o) => o.status === 'succeeded')) return 'succeeded';
  if (outcomes.some((o) => o.status === 'succeeded')) return 'partial';
  return 'failed';
}

/** Extracts the given sources one after another into the warehouse, as one recorded run. */
export async function runExtract(wh: Warehouse, sources: SourceDef[], options: RunExtractOptions): Promise<ExtractResult> {
  const runId = options.runId ?? newRunId();
  const started = Date.now();
  // This process holds the only write handle, so any run still marked running was cut off.
  const abandoned = await markAbandonedRuns(wh, runId);
  if (abandoned) options.log.warn('earlier runs were cut off before they finished; marked abandoned', { count: abandoned });
  await startRun(wh, { runId, job: options.job ?? 'extract', command: 'extract', ...(options.scheduledFor ? { scheduledFor: options.scheduledFor } : {}) });
  const streams: StreamOutcome[] = [];
  let failure: unknown;
  try {
    for (const source of sources) {
      const outcomes = await extractSource(source, {
        wh,
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
      streams.push(...outcomes);
    }
  } catch (error) {
    failure = error;
  }
  const status = failure ? 'failed' : statusOf(streams);
  const durationMs = Date.now() - started;
  await finishRun(wh, runId, status, { step: 'extract', streams, durationMs }, failure ?? (status === 'succeeded' ? undefined : streams.filter((s) => s.error).map((s) => `${s.source}.${s.stream}: ${s.error}`).join('; ')));
  if (failure) throw failure;
  return { runId, status, streams, durationMs };
}
