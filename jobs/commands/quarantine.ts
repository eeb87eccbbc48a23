/**
 * `pulse quarantine list|replay`: shows records that failed validation with field and reason,
 * and re-loads them through the same checks once the cause is fixed (schema, config or data).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExpressionBuilder } from 'kysely';
import { TerminalError } from '../../core/errors.ts';
import { finishRun, newRunId, startRun } from '../../core/runs.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { streamColumns } from '../../connectors/extract.ts';
import { createStreamLoader } from '../../connectors/load/loader.ts';
import type { SourceDef } from '../../connectors/source.ts';
import type { CommandContext } from '../context.ts';
import { count } from '../progress.ts';
import { isoTime, withPulseDb, type PulseDatabase } from '../warehouse-db.ts';

/** Filters for list and replay. */
export interface QuarantineFilter {
  source?: string;
  stream?: string;
  limit?: number;
  includeReplayed?: boolean;
}

/** A quarantined record as listed. */
export interface QuarantineEntry {
  id: number;
  source: string;
  stream: string;
  runId: string;
  quarantinedAt: string;
  field: string | null;
  reason: string;
  record: string;
  replayedAt: string | null;
}

/** The filter as a condition on `meta.quarantine`: always open records unless `includeReplayed`. */
function matching(filter: QuarantineFilter) {
  return (eb: ExpressionBuilder<PulseDatabase, 'meta.quarantine'>) =>
    eb.and([
      ...(filter.source ? [eb('source', '=', filter.source)] : []),
      ...(filter.stream ? [eb('stream', '=', filter.stream)] : []),
      ...(filter.includeReplayed ? [] : [eb('replayed_at', 'is', null)]),
    ]);
}

/** Lists quarantined records, newest first. */
export async function listQuarantine(wh: Warehouse, filter: QuarantineFilter): Promise<QuarantineEntry[]> {
  const rows = await withPulseDb(wh, (db) =>
    db
      .selectFrom('meta.quarantine')
      .select(['quarantine_id', 'source', 'stream', 'run_id', 'quarantined_at', 'field', 'reason', 'record', 'replayed_at'])
      .where(matching(filter))
      .orderBy('quarantine_id', 'desc')
      .limit(Math.max(1, Math.min(filter.limit ?? 50, 100_000)))
      .execute(),
  );
  return rows.map((r) => ({
    id: r.quarantine_id,
    source: r.source,
    stream: r.stream,
    runId: r.run_id,
    quarantinedAt: isoTime(r.quarantined_at)!,
    // An empty field path names no field: listed as null, so readers of the JSON test one value.
    field: r.field || null,
    reason: r.reason,
    record: r.record,
    replayedAt: isoTime(r.replayed_at),
  }));
}

/** The outcome of a replay, per stream. */
export interface ReplayResult {
  runId: string;
  streams: { source: string; stream: string; replayed: number; loaded: number; stillFailing: number }[];
}

/** Re-validates and loads open quarantined records with the sources' current definitions. */
export async function replayQuarantine(wh: Warehouse, sources: SourceDef[], filter: QuarantineFilter, log: CommandContext['log']): Promise<ReplayResult> {
  const runId = newRunId();
  await startRun(wh, { runId, job: 'quarantine', command: 'quarantine replay' });
  const groups = await withPulseDb(wh, (db) =>
    db.selectFrom('meta.quarantine').select(['source', 'stream']).distinct().where(matching({ ...filter, includeReplayed: false })).orderBy('source').orderBy('stream').execute(),
  );
  const result: ReplayResult = { runId, streams: [] };
  const spool = join(dirname(wh.path), '.spool', runId);
  mkdirSync(spool, { recursive: true });
  try {
    for (const { source: sourceName, stream: streamName } of groups) {
      const source = sources.find((s) => s.name === sourceName);
      const stream = source?.streams.find((s) => s.name === streamName);
      if (!source || !stream) {
        log.warn('quarantined records belong to a source or stream that is no longer configured; left in place', { source: sourceName, stream: streamName });
        continue;
      }
      const rows = await wh.all<{ quarantine_id: number; record: string }>(
        `select quarantine_id, record from meta.quarantine where source = $1 and stream = $2 and replayed_at is null order by quarantine_id`,
        [sourceName, streamName],
      );
      const file = join(spool, `${sourceName}__${streamName}.ndjson`);
      // Records that were not JSON at all cannot be replayed as records; they stay for a person to read.
      const replayable = rows.filter((r) => isJsonObject(r.record));
      writeFileSync(file, replayable.map((r) => r.record.replace(/[\r\n]+/g, ' ')).join('\n') + '\n');
      const loader = await createStreamLoader(wh, { source: sourceName, stream: streamName, columns: streamColumns(stream), primaryKey: stream.primaryKey, disposition: stream.disposition === 'replace' ? 'merge' : stream.disposition }, runId, log);
      const ids = replayable.map((r) => r.quarantine_id);
      const batch = replayable.length
        ? await loader.loadBatch([file], {
            within: () => wh.run(`update meta.quarantine set replayed_at = now(), replay_run_id = $1 where quarantine_id in (${ids.join(',')})`, [runId]),
          })
        : { loaded: 0, quarantined: 0 };
      result.streams.push({ source: sourceName, stream: streamName, replayed: replayable.length, loaded: batch.loaded, stillFailing: batch.quarantined });
    }
  } catch (error) {
    await finishRun(wh, runId, 'failed', result, error);
    throw error;
  } finally {
    rmSync(spool, { recursive: true, force: true });
  }
  await finishRun(wh, runId, 'succeeded', result);
  return result;
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Runs `pulse quarantine list|replay [--source S] [--stream T] [--limit N] [--all]`. */
export async function quarantineCommand(ctx: CommandContext, action: string | undefined, filter: QuarantineFilter): Promise<number> {
  if (action !== 'list' && action !== 'replay') {
    throw new TerminalError(`unknown quarantine action "${action ?? ''}"`, { hint: 'use `pulse quarantine list` or `pulse quarantine replay`' });
  }
  const sources = action === 'replay' ? await ctx.sources() : [];
  const wh = await ctx.openWarehouse();
  try {
    if (action === 'list') {
      const entries = await listQuarantine(wh, filter);
      if (ctx.flags.json) ctx.out(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) ctx.out('no quarantined records');
      else {
        for (const e of entries) ctx.out(`#${e.id} ${e.source}.${e.stream} run ${e.runId}\n  ${e.reason}\n  record: ${e.record.slice(0, 300)}`);
        ctx.out(`${count(entries.length)} shown; fix the cause (source schema, config or the data), then \`pulse quarantine replay\``);
      }
      return 0;
    }
    const result = await replayQuarantine(wh, sources, filter, ctx.log);
    if (ctx.flags.json) ctx.out(JSON.stringify(result, null, 2));
    else {
      if (result.streams.length === 0) ctx.out('nothing to replay');
      for (const s of result.streams) ctx.out(`${s.source}.${s.stream}: replayed ${count(s.replayed)}, loaded ${count(s.loaded)}, still failing ${count(s.stillFailing)}`);
    }
    return result.streams.some((s) => s.stillFailing > 0) ? 1 : 0;
  } finally {
    wh.close();
  }
}
