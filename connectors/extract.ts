/**
 * Extracts a source: for each stream (parents before children) it reads the range since the
 * saved cursor (minus the lookback), pages through the API or picks up new files, writes pages as
 * NDJSON batch files and loads each batch while the next one is being fetched.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import { describeError, PulseError, TerminalError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { redact } from '../core/redact.ts';
import { literal, ident, qualified } from '../core/sql.ts';
import type { Warehouse } from '../core/warehouse.ts';
import { createHttpClient } from './http/client.ts';
import { paginate } from './http/paginate.ts';
import type { HttpClient } from './http/types.ts';
import { columnsFor, type ColumnSpec } from './load/columns.ts';
import { createKeyTracker, type KeyTracker } from './load/json-records.ts';
import { createStreamLoader, rawTableName, maxOf, type StreamLoader } from './load/loader.ts';
import type { FileRead, HttpRead, ReadContext, SourceDef, StreamDef } from './source.ts';

/** Progress of one stream, for a progress display. */
export interface ExtractProgress {
  source: string;
  stream: string;
  rows: number;
  pages: number;
}

/** Options shared by every stream of an extract run; effects come from the caller. */
export interface ExtractOptions {
  wh: Warehouse;
  runId: string;
  log: Logger;
  /** Folder for NDJSON batch files; removed when the source finishes. */
  spoolDir: string;
  now?: () => Date;
  /** Read from here instead of the saved cursor (backfill). */
  since?: Date;
  /** Read up to here instead of now (backfill). */
  until?: Date;
  /** Only these streams (their parents are read too when needed). */
  streams?: string[];
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Rows per batch before a batch is sealed and loaded (default 200k). */
  batchRows?: number;
  /** Bytes per batch before it is sealed (default 64 MiB). */
  batchBytes?: number;
  onProgress?: (progress: ExtractProgress) => void;
}

/** What happened to one stream. */
export interface StreamOutcome {
  source: string;
  stream: string;
  status: 'succeeded' | 'failed' | 'skipped';
  rowsLoaded: number;
  rowsQuarantined: number;
  pages: number;
  requests: number;
  cursorBefore: string | undefined;
  cursorAfter: string | undefined;
  driftFields: string[];
  durationMs: number;
  error?: string;
  transient?: boolean;
}

const DAY_MS = 86_400_000;

/** Extracts every (selected) stream of `source`; a failed stream fails its children, not its siblings. */
export async function extractSource(source: SourceDef, options: ExtractOptions): Promise<StreamOutcome[]> {
  const now = options.now ?? (() => new Date());
  const selected = selectStreams(source, options.streams);
  const client = source.http
    ? createHttpClient({
        source: source.name,
        ...source.http,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.random ? { random: options.random } : {}),
        log: options.log,
      })
    : undefined;
  const outcomes: StreamOutcome[] = [];
  const failed = new Set<string>();
  mkdirSync(options.spoolDir, { recursive: true });
  try {
    for (const stream of selected) {
      if (stream.parent && failed.has(stream.parent.stream)) {
        outcomes.push(skipped(source.name, stream.name, `parent stream ${stream.parent.stream} failed`));
        failed.add(stream.name);
        continue;
      }
      const outcome = await extractStream(source, stream, client, { ...options, now });
      if (outcome.status !== 'succeeded') failed.add(stream.name);
      outcomes.push(outcome);
    }
  } finally {
    rmSync(options.spoolDir, { recursive: true, force: true });
  }
  return outcomes;
}

/** Orders streams parents-first and adds the parents of selected children. */
function selectStreams(source: SourceDef, names: string[] | undefined): StreamDef[] {
  const byName = new Map(source.streams.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  const add = (name: string) => {
    const stream = byName.get(name);
    if (!stream) {
      throw new TerminalError(`unknown stream "${name}"`, { context: { source: source.name }, hint: `streams of ${source.name}: ${[...byName.keys()].join(', ')}` });
    }
    if (stream.parent) add(stream.parent.stream);
    wanted.add(name);
  };
  for (const name of names ?? [...byName.keys()]) add(name);
  const ordered: StreamDef[] = [];
  const visit = (s: StreamDef) => {
    if (ordered.includes(s)) return;
    if (s.parent) visit(byName.get(s.parent.stream)!);
    ordered.push(s);
  };
  for (const name of wanted) visit(byName.get(name)!);
  return ordered;
}

function skipped(source: string, stream: string, reason: string): StreamOutcome {
  return { source, stream, status: 'skipped', rowsLoaded: 0, rowsQuarantined: 0, pages: 0, requests: 0, cursorBefore: undefined, cursorAfter: undefined, driftFields: [], durationMs: 0, error: reason };
}

/** The columns a stream's raw table holds: the schema's fields plus fields taken from its parent. */
export function streamColumns(stream: StreamDef): ColumnSpec[] {
  const columns = columnsFor(stream.schema);
  for (const field of Object.keys(stream.parent?.fields ?? {})) {
    if (!columns.some((c) => c.name === field)) columns.push({ name: field, sqlType: 'VARCHAR', nullable: false });
  }
  if (stream.read.kind === 'http' && stream.read.inject) {
    for (const [field, sqlType] of Object.entries(stream.read.inject.fields)) {
      if (columns.some((c) => c.name === field)) throw new TerminalError(`injected field "${field}" clashes with a schema field`, { context: { stream: stream.name } });
      columns.push({ name: field, sqlType, nullable: false });
    }
  }
  return columns;
}

/** Start of the read range: the saved cursor minus the lookback window, or the initial value. */
export function rangeStart(stream: StreamDef, saved: string | undefined): string {
  const cursor = stream.cursor;
  if (!cursor) return new Date(0).toISOString();
  if (saved === undefined) return cursor.initial;
  const lookbackMs = (cursor.lookbackDays ?? 0) * DAY_MS;
  if (/^\d+$/.test(saved)) return String(Number(saved) - lookbackMs / 1000);
  const at = new Date(saved);
  if (Number.isNaN(at.getTime())) return saved;
  const start = new Date(at.getTime() - lookbackMs).toISOString();
  return start < cursor.initial ? cursor.initial : start;
}

async function extractStream(source: SourceDef, stream: StreamDef, client: HttpClient | undefined, options: ExtractOptions & { now: () => Date }): Promise<StreamOutcome> {
  const { wh, runId } = options;
  const log = options.log.child({ source: source.name, stream: stream.name });
  const started = Date.now();
  const [state] = await wh.all<{ cursor: string | null }>('select cursor from meta.stream_state where source = $1 and stream = $2', [source.name, stream.name]);
  const cursorBefore = state?.cursor ?? undefined;
  await wh.run(
    `insert into meta.stream_runs (run_id, source, stream, started_at, status, cursor_before) values ($1, $2, $3, now(), 'running', $4)
     on conflict (run_id, source, stream) do update set started_at = now(), status = 'running'`,
    [runId, source.name, stream.name, cursorBefore ?? null],
  );
  const requestsBefore = client?.requestCount ?? 0;
  const totals = { loaded: 0, quarantined: 0, pages: 0, drift: new Set<string>() };
  let cursorAfter = cursorBefore;
  let pipe: BatchPipeline | undefined;
  try {
    const loader = await createStreamLoader(
      wh,
      {
        source: source.name,
        stream: stream.name,
        columns: streamColumns(stream),
        primaryKey: stream.primaryKey,
        disposition: stream.disposition,
        ...(stream.cursor && !(stream.read.kind === 'http' && stream.read.windows) ? { cursorField: stream.cursor.field } : {}),
        parentFields: [...Object.keys(stream.parent?.fields ?? {}), ...(stream.read.kind === 'http' ? Object.keys(stream.read.inject?.fields ?? {}) : [])],
        ...(stream.checks ? { checks: stream.checks } : {}),
        ...(stream.replaceBy ? { replaceBy: stream.replaceBy } : {}),
      },
      runId,
      log,
    );
    const keys = stream.read.kind === 'http' ? createKeyTracker() : undefined;
    const settings: PipelineSettings = {
      maxRows: options.batchRows ?? 200_000,
      maxBytes: options.batchBytes ?? 64 * 1024 * 1024,
      keys,
      wholeWindows: Boolean(stream.replaceBy?.length && stream.read.kind === 'http' && stream.read.windows),
      fetching: stream.read.kind === 'http',
    };
    pipe = new BatchPipeline(loader, join(options.spoolDir, `${stream.name}`), settings, (r) => {
      totals.loaded += r.loaded;
      totals.quarantined += r.quarantined;
      for (const f of r.addedFields) totals.drift.add(f);
      if (r.maxCursor !== undefined) cursorAfter = maxOf(cursorAfter, r.maxCursor);
    });
    const progress = () => options.onProgress?.({ source: source.name, stream: stream.name, rows: pipe?.rowsSeen ?? 0, pages: totals.pages });
    if (stream.read.kind === 'http') {
      if (!client) throw new TerminalError('stream reads over HTTP but the source has no http settings', { context: { source: source.name, stream: stream.name } });
      await readHttp(source, stream, stream.read, client, pipe, options, keys, () => { totals.pages++; progress(); }, (c) => { cursorAfter = maxOf(cursorAfter, c); }, cursorBefore);
    } else {
      await readFiles(source, stream, stream.read, pipe, options, () => { totals.pages++; progress(); });
    }
    await pipe.drain();
    if (keys && pipe.rowsSeen > 0) {
      const missing = loader.missingFields(keys.keys);
      if (missing.length) await loader.reportMissingFields(missing);
    }
    if (stream.disposition === 'replace') await loader.finishReplace({ cursor: cursorAfter });
    const durationMs = Date.now() - started;
    await wh.run(
      `update meta.stream_runs set finished_at = now(), status = 'succeeded', rows_loaded = $4, rows_quarantined = $5, pages = $6, requests = $7, cursor_after = $8 where run_id = $1 and source = $2 and stream = $3`,
      [runId, source.name, stream.name, totals.loaded, totals.quarantined, totals.pages, (client?.requestCount ?? 0) - requestsBefore, cursorAfter ?? null],
    );
    log.info('stream loaded', { rows: totals.loaded, quarantined: totals.quarantined, pages: totals.pages, ms: durationMs });
    return { source: source.name, stream: stream.name, status: 'succeeded', rowsLoaded: totals.loaded, rowsQuarantined: totals.quarantined, pages: totals.pages, requests: (client?.requestCount ?? 0) - requestsBefore, cursorBefore, cursorAfter, driftFields: [...totals.drift], durationMs };
  } catch (error) {
    await pipe?.discard();
    const message = redact(describeError(error));
    log.error('stream failed', { error: message });
    await wh.run(
      `update meta.stream_runs set finished_at = now(), status = 'failed', rows_loaded = $4, rows_quarantined = $5, pages = $6, requests = $7, error = $8 where run_id = $1 and source = $2 and stream = $3`,
      [runId, source.name, stream.name, totals.loaded, totals.quarantined, totals.pages, (client?.requestCount ?? 0) - requestsBefore, message],
    );
    return { source: source.name, stream: stream.name, status: 'failed', rowsLoaded: totals.loaded, rowsQuarantined: totals.quarantined, pages: totals.pages, requests: (client?.requestCount ?? 0) - requestsBefore, cursorBefore, cursorAfter: cursorBefore, driftFields: [...totals.drift], durationMs: Date.now() - started, error: message, transient: error instanceof PulseError ? error.transient : false };
  }
}

/** Reads an HTTP stream over its range (in windows when declared), once per parent for child streams. */
async function readHttp(
  source: SourceDef,
  stream: StreamDef,
  read: HttpRead,
  client: HttpClient,
  pipe: BatchPipeline,
  options: ExtractOptions & { now: () => Date },
  keys: KeyTracker | undefined,
  onPage: () => void,
  onWindowDone: (cursor: string) => void,
  saved: string | undefined,
): Promise<void> {
  const since = options.since ? options.since.toISOString() : rangeStart(stream, saved);
  const until = (options.until ?? options.now()).toISOString();
  const context = { source: source.name, stream: stream.name };
  const parents = stream.parent ? await parentKeys(options.wh, source.name, stream, options.runId) : [undefined];
  const windows = read.windows ? splitWindows(since, until, read.windows.days) : [[since, until] as const];
  for (const [windowStart, windowEnd] of windows) {
    const limit = pLimit(Math.max(1, source.http?.concurrency ?? 4));
    // Once one parent's read fails the stream has failed: queued parents must not start (each
    // would retry against an API that is down) and reads in flight must stop adding pages, so
    // nothing of a failed stream is fetched or loaded after it is recorded as failed.
    let failure: { error: unknown } | undefined;
    const settled = await Promise.allSettled(
      parents.map((parent) =>
        limit(async () => {
          if (failure) return;
          try {
            const ctx: ReadContext = { since: windowStart, until: windowEnd, ...(parent ? { parent } : {}) };
            const inject = injectionFor(stream, { ...(parent ? parentValues(stream, parent) : {}), ...(read.inject?.values(ctx) ?? {}) });
            const first = read.prepare ? await read.prepare(ctx, client) : read.request(ctx);
            for await (const page of paginate(client, first, read.paginator, read.recordPath, context, { ...(keys ? { keys } : {}), prefetch: Math.max(1, source.http?.concurrency ?? 1), reuseBodies: true })) {
              if (failure) return;
              if (page.count > 0) await pipe.add(inject ? inject(page.ndjson) : page.ndjson, page.count);
              // After the add, so progress counts this page's records too.
              onPage();
            }
          } catch (error) {
            failure ??= { error };
            throw error;
          }
        }),
      ),
    );
    if (failure) throw failure.error;
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    if (read.windows) {
      // The window is read completely: its end is saved with the next batch that is committed,
      // so many small windows share one transaction instead of one each.
      await pipe.completeWindow(windowEnd);
      onWindowDone(windowEnd);
    }
  }
  await pipe.sealRange({ cursor: undefined });
}

/** Splits [since, until) into windows of `days` days. */
export function splitWindows(since: string, until: string, days: number): (readonly [string, string])[] {
  const out: (readonly [string, string])[] = [];
  let start = new Date(since).getTime();
  const end = new Date(until).getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new TerminalError(`cannot split the range ${since} – ${until} into windows: not dates`);
  while (start < end) {
    const next = Math.min(start + days * DAY_MS, end);
    out.push([new Date(start).toISOString(), new Date(next).toISOString()] as const);
    start = next;
  }
  return out;
}

/** Parent key values for a child stream, from the parent's raw table. */
async function parentKeys(wh: Warehouse, source: string, stream: StreamDef, runId: string): Promise<Record<string, unknown>[]> {
  const parent = stream.parent!;
  const columns = Object.entries(parent.fields).map(([child, from]) => `${ident(from)}::varchar as ${ident(child)}`);
  // Parents loaded in this run, and parents loaded by earlier runs in which this child stream did
  // not succeed (it failed, was skipped or killed): their cursor has moved on, so no later run
  // would read them again, and their children would never be read.
  const where =
    (parent.scope ?? 'run') === 'run'
      ? `where _run_id = ${literal(runId)} or _run_id not in (select run_id from meta.stream_runs where source = ${literal(source)} and stream = ${literal(stream.name)} and status = 'succeeded')`
      : '';
  return wh.all(`select distinct ${columns.join(', ')} from ${qualified('raw', rawTableName(source, parent.stream))} ${where} order by all`);
}

/** The parent's key fields a child record gets (those the API does not send itself). */
function parentValues(stream: StreamDef, parent: Record<string, unknown>): Record<string, unknown> {
  const own = new Set(Object.keys(stream.schema.shape));
  return Object.fromEntries(Object.keys(stream.parent?.fields ?? {}).filter((f) => !own.has(f)).map((f) => [f, parent[f] ?? null]));
}

/** Returns a function that adds `values` to each NDJSON record of a page, or undefined when there are none. */
function injectionFor(stream: StreamDef, values: Record<string, unknown>): ((ndjson: Uint8Array) => Uint8Array) | undefined {
  const fields = Object.keys(values);
  if (fields.length === 0) return undefined;
  void stream;
  const prefix = fields.map((f) => `${JSON.stringify(f)}:${JSON.stringify(values[f] ?? null)}`).join(',');
  return (ndjson) => {
    const out = Buffer.from(ndjson)
      .toString('utf8')
      .split('\n')
      .map((line) => {
        const i = line.indexOf('{');
        if (i < 0) return line;
        const rest = line.slice(i + 1).trimStart();
        return `{${prefix}${rest.startsWith('}') ? '' : ','}${rest}`;
      })
      .join('\n');
    return Buffer.from(out, 'utf8');
  };
}

/** Loads new files (by path and checksum) matched under the stream's folder; paths outside it are refused. */
async function readFiles(source: SourceDef, stream: StreamDef, read: FileRead, pipe: BatchPipeline, options: ExtractOptions, onFile: () => void): Promise<void> {
  const root = realpathSync(resolve(read.root));
  if (isAbsolute(read.glob) || read.glob.split(/[\\/]/).includes('..')) {
    throw new TerminalError(`file pattern "${read.glob}" must be relative to ${root} without ".."`, { context: { source: source.name, stream: stream.name }, hint: 'put the files inside the configured folder' });
  }
  const matched = await options.wh.all<{ file: string }>(`select file from glob(${literal(join(root, read.glob))}) order by file`);
  for (const { file } of matched) {
    const real = realpathSync(file);
    const rel = relative(root, real);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new TerminalError(`file ${file} resolves outside the configured folder ${root}`, { context: { source: source.name, stream: stream.name, file }, hint: 'remove the link or move the file into the folder' });
    }
    const sha256 = await fileHash(real);
    const [seen] = await options.wh.all('select 1 from meta.loaded_files where source = $1 and stream = $2 and path = $3 and sha256 = $4', [source.name, stream.name, rel, sha256]);
    if (seen) continue;
    onFile();
    const size = (await import('node:fs')).statSync(real).size;
    // The loader rewrites an NDJSON batch file to drop lines it quarantines: give it a copy, never
    // the user's export (whose checksum would change, and whose bad lines would be lost).
    const input = read.format === 'ndjson' ? join(options.spoolDir, `${stream.name}-input.ndjson`) : real;
    if (input !== real) copyFileSync(real, input);
    try {
      await pipe.loadFileNow(input, read.format, () =>
        options.wh.run('insert into meta.loaded_files values ($1, $2, $3, $4, $5, $6, now())', [source.name, stream.name, rel, sha256, size, options.runId]),
      );
    } finally {
      if (input !== real) rmSync(input, { force: true });
    }
  }
  await pipe.sealRange({ cursor: undefined });
}

/** Counts the non-blank lines of a file's bytes and measures the longest line. */
export function lineStats(bytes: Uint8Array): { count: number; longest: number } {
  let count = 0;
  let longest = 0;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const stop = end < 0 ? bytes.length : end;
    longest = Math.max(longest, stop - start);
    for (let i = start; i < stop; i++) {
      const c = bytes[i];
      if (c !== 32 && c !== 9 && c !== 13) {
        count++;
        break;
      }
    }
    if (end < 0) return { count, longest };
    start = end + 1;
  }
}

function fileHash(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolvePromise(hash.digest('hex')));
  });
}

const NEWLINE = Buffer.from('\n');

/** Writes all of `bytes` to `fd` (a write may take only part of a large buffer). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Sealed batches that may wait for the warehouse while fetching goes on (besides the one loading). */
const MAX_BATCHES_WAITING = 2;

/** How many batches of a stream ramp up to the configured batch size (each twice the last). */
const RAMP_BATCHES = 3;

/** A batch file closed and waiting to load, with what its load needs. */
interface SealedBatch {
  files: string[];
  rows: number;
  /** The largest page in it: no record is longer. */
  maxRecordBytes: number;
  /** Field names seen up to this batch (they only grow, so a later batch's cover earlier ones). */
  knownKeys?: Set<string>;
  /** The state it commits (a completed window or range). */
  state?: { cursor: string | undefined };
}

/** How a stream's pages become batches. */
interface PipelineSettings {
  /** A batch is sealed once it holds this many records or bytes (the first few batches are smaller). */
  maxRows: number;
  maxBytes: number;
  /** Field names collected during the page scan, handed to the loader. */
  keys: KeyTracker | undefined;
  /** Batches hold whole windows (a stream whose batches own the windows' rows, `replaceBy`). */
  wholeWindows: boolean;
  /** Pages are fetched by this process while batches load (HTTP): loads mid-read leave it a core. */
  fetching: boolean;
}

/**
 * Collects pages into batch files and loads each sealed batch while later pages are fetched.
 * A batch is sealed when it is full and another page has arrived, or when a range ends; the
 * batch that ends a range carries the range's state, so state is committed with its data.
 */
class BatchPipeline {
  /** The open batch file pages are written to as they arrive (so no page is held in memory). */
  private open: { fd: number; file: string } | undefined;
  private bytes = 0;
  private rows = 0;
  /** The open batch's largest page: no record in it is longer. */
  private largestPage = 0;
  private sequence = 0;
  /** Sealed batches that have not started loading, oldest first. */
  private readonly waiting: SealedBatch[] = [];
  /** The loop that loads waiting batches one after another (one writer); settled when idle. */
  private loading: Promise<void> = Promise.resolve();
  private running = false;
  /** Seals waiting for room in the backlog. */
  private readonly roomWaiters: (() => void)[] = [];
  /** Set once the stream's read is over: later loads need not leave a core to fetching. */
  private readDone = false;
  /** Set after a failed read: batches that have not started loading are dropped. */
  private cancelled = false;
  private failure: unknown;
  private rangeMax: string | undefined;
  private completed: string | undefined;
  /** Rows received so far, loaded or not. */
  rowsSeen = 0;

  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly keys: KeyTracker | undefined;
  private readonly wholeWindows: boolean;
  private readonly fetching: boolean;

  constructor(
    private readonly loader: StreamLoader,
    private readonly dir: string,
    settings: PipelineSettings,
    private readonly onLoaded: (r: { loaded: number; quarantined: number; maxCursor: string | undefined; addedFields: string[] }) => void,
  ) {
    ({ maxRows: this.maxRows, maxBytes: this.maxBytes, keys: this.keys, wholeWindows: this.wholeWindows, fetching: this.fetching } = settings);
    mkdirSync(dir, { recursive: true });
  }

  /** Notes that every page up to a window's end has been added; the next committed batch saves it. */
  async completeWindow(cursor: string): Promise<void> {
    this.completed = maxOf(this.completed, cursor);
    // A stream whose batches own whole windows (replaceBy) is only cut between windows.
    if (this.wholeWindows && this.rows >= this.rowLimit()) await this.seal({ cursor: this.completed });
  }

  /** Adds one page's records; seals the previous batch first when it is full. */
  async add(ndjson: Uint8Array, count: number): Promise<void> {
    this.throwIfFailed();
    // A full batch carries the windows completed so far: all their pages are in it or earlier batches.
    if (!this.wholeWindows && this.rows > 0 && (this.rows >= this.rowLimit() || this.bytes >= this.byteLimit())) await this.seal(this.completed === undefined ? undefined : { cursor: this.completed });
    if (!this.open) {
      const file = join(this.dir, `batch-${String(++this.sequence).padStart(6, '0')}.ndjson`);
      this.open = { fd: openSync(file, 'w'), file };
    }
    writeAll(this.open.fd, ndjson);
    if (ndjson.length && ndjson[ndjson.length - 1] !== 10) writeAll(this.open.fd, NEWLINE);
    this.bytes += ndjson.length;
    this.largestPage = Math.max(this.largestPage, ndjson.length);
    this.rows += count;
    this.rowsSeen += count;
  }

  /** Seals what is buffered as the last batch of a range, carrying the range's state (and completed windows). */
  async sealRange(state: { cursor: string | undefined }): Promise<void> {
    // Nothing more is fetched: batches still waiting, and this last one, may use every DuckDB thread.
    this.readDone = true;
    await this.seal({ cursor: maxOf(state.cursor, this.completed) });
  }

  /** Loads an existing NDJSON file as its own batch, with `within` in the same transaction. */
  async loadFileNow(file: string, format: 'ndjson' | 'csv' | 'parquet', within: () => Promise<void>): Promise<void> {
    await this.seal(undefined);
    await this.idle();
    this.throwIfFailed();
    // NDJSON files take the one-pass path: their record count is their non-blank lines.
    const lines = format === 'ndjson' ? lineStats(readFileSync(file)) : undefined;
    this.onLoaded(await this.loader.loadBatch([file], { within, format, ...(lines ? { expectedRows: lines.count, maxRecordBytes: lines.longest } : {}) }));
  }

  /** Waits for every sealed batch to load. */
  async drain(): Promise<void> {
    await this.idle();
    this.throwIfFailed();
  }

  /**
   * After a failed read: sealed batches that have not started loading are dropped (their records
   * are fetched again by the rerun, from the cursor the loaded batches saved), the one loading is
   * waited for, and the open batch file is removed.
   */
  async discard(): Promise<void> {
    this.cancelled = true;
    await this.idle();
    if (!this.open) return;
    closeSync(this.open.fd);
    rmSync(this.open.file, { force: true });
    this.open = undefined;
  }

  /**
   * The open batch's size limits. The first batches of a stream are smaller (an eighth, a quarter,
   * a half of the configured size) so the warehouse starts loading while later pages are still
   * being fetched, instead of idling until one full batch has arrived.
   */
  private rowLimit(): number {
    return Math.max(1, Math.floor(this.maxRows / 2 ** this.rampShift()));
  }

  private byteLimit(): number {
    return Math.max(1, Math.floor(this.maxBytes / 2 ** this.rampShift()));
  }

  private rampShift(): number {
    return Math.max(0, RAMP_BATCHES - (this.sequence - 1));
  }

  private async seal(state: { cursor: string | undefined } | undefined): Promise<void> {
    const files: string[] = [];
    if (this.open) {
      closeSync(this.open.fd);
      if (this.rows > 0) files.push(this.open.file);
      else rmSync(this.open.file, { force: true });
      this.open = undefined;
    }
    const batch: SealedBatch = { files, rows: this.rows, maxRecordBytes: this.largestPage, ...(this.keys ? { knownKeys: new Set(this.keys.keys) } : {}), ...(state ? { state } : {}) };
    this.bytes = 0;
    this.rows = 0;
    this.largestPage = 0;
    // Fetching may run a few sealed batches ahead of loading (files on disk, not memory): when the
    // warehouse is the slower stage, the fetch ends sooner, and what is left then loads with every
    // thread, in one statement (DuckDB inserts a few large batches faster than many small ones).
    while (!this.readDone && this.waiting.length >= MAX_BATCHES_WAITING && this.running) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    this.throwIfFailed();
    this.waiting.push(batch);
    if (!this.running) {
      this.running = true;
      this.loading = this.loadWaiting();
    }
  }

  /** Resolves once no batch is waiting or loading. */
  private async idle(): Promise<void> {
    while (this.running) await this.loading;
  }

  /** Loads waiting batches in order until none is left: one at a time while the read goes on, all that wait together after it. */
  private async loadWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.readDone ? this.waiting.length : 1);
        for (const wake of this.roomWaiters.splice(0)) wake();
        await this.loadGroup(group);
      }
    } finally {
      // In the same tick as the last check, so a batch sealed from now on starts a new loop.
      this.running = false;
    }
  }

  /** Loads sealed batches as one, in one transaction; after a failure (or a failed read) only removes their files. */
  private async loadGroup(group: SealedBatch[]): Promise<void> {
    const files = group.flatMap((b) => b.files);
    try {
      if (this.failure !== undefined || this.cancelled) return;
      const states = group.filter((b) => b.state);
      // The range's cursor covers every batch of the range, and all earlier batches are loaded now
      // (the loader also covers this load's own rows).
      const rangeState = states.length ? { cursor: states.reduce<string | undefined>((m, b) => maxOf(m, b.state!.cursor), this.rangeMax) } : undefined;
      const last = group[group.length - 1]!;
      const r = await this.loader.loadBatch(files, {
        ...(rangeState ? { state: rangeState } : {}),
        ...(last.knownKeys ? { knownKeys: last.knownKeys } : {}),
        expectedRows: group.reduce((n, b) => n + b.rows, 0),
        maxRecordBytes: Math.max(...group.map((b) => b.maxRecordBytes)),
        singleThreaded: this.fetching && !this.readDone,
      });
      this.onLoaded(r);
      this.rangeMax = last.state ? undefined : maxOf(states.length ? undefined : this.rangeMax, r.maxCursor);
    } catch (error) {
      this.failure ??= error;
    } finally {
      for (const f of files) rmSync(f, { force: true });
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
