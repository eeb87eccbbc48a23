/**
 * The source contract: a source declares its streams as data (name, primary key, cursor,
 * record schema, write disposition, how to read), and the engine does the rest — paging,
 * retries, validation, quarantine, idempotent loads and state.
 */
import type { z } from 'zod';
import type { AuthSpec, HttpClient, PaginatorSpec, RequestSpec, RetryPolicy, HttpClientOptions } from './http/types.ts';

/** How loaded records combine with what the raw table already holds. */
export type WriteDisposition = 'append' | 'merge' | 'replace';

/** Incremental extraction: the field that moves forward, where to start, and how far to re-read. */
export interface CursorSpec {
  /** Record field whose maximum becomes the stream's saved cursor (e.g. `updated_time`). */
  field: string;
  /** Cursor value used when the stream has no state yet (ISO date or timestamp). */
  initial: string;
  /**
   * Days re-read behind the saved cursor on every run, because platforms restate recent metrics
   * (insights for up to 28 days, ad conversions within attribution windows).
   */
  lookbackDays?: number;
}

/** What a request builder knows when it builds a stream's first request. */
export interface ReadContext {
  /** Start of the range to read: saved cursor minus lookback, or the initial value (ISO). */
  since: string;
  /** End of the range (ISO), normally now; a backfill sets it. */
  until: string;
  /** The parent record's key fields, for child streams. */
  parent?: Record<string, unknown>;
}

/** Time-window slicing: read [since, until) in windows of `days`, each window committed on its own. */
export interface WindowSpec {
  days: number;
}

/** Reads a stream over HTTP, page by page. */
export interface HttpRead {
  kind: 'http';
  /** Builds the first request of a range (and of a parent, for child streams). */
  request: (ctx: ReadContext) => RequestSpec;
  /**
   * Runs before paging when the API needs a step first (an async report job: create, poll), and
   * returns the first request to page from; `request` is used when this is absent.
   */
  prepare?: (ctx: ReadContext, client: HttpClient) => Promise<RequestSpec>;
  paginator: PaginatorSpec;
  /** Path of the record array inside the body (`['data']`); `[]` when the body is the array. */
  recordPath: string[];
  windows?: WindowSpec;
  /**
   * Fields added to every record of a request, from what the request was for (e.g. the window's
   * day for metrics whose records do not carry it). Names must not clash with the API's fields.
   */
  inject?: { fields: Record<string, 'VARCHAR' | 'DATE' | 'TIMESTAMPTZ' | 'BIGINT'>; values: (ctx: ReadContext) => Record<string, string | number | null> };
}

/** Reads a stream from files matched by a glob under a configured folder. */
export interface FileRead {
  kind: 'files';
  /** Folder the files must stay inside; a path outside it is refused. */
  root: string;
  /** Glob relative to `root`. */
  glob: string;
  format: 'ndjson' | 'csv' | 'parquet';
}

/** A child stream runs its read once per parent record, taking key fields from the parent's raw table. */
export interface ParentSpec {
  stream: string;
  /** Child field ← parent field; the child's records get these fields added. */
  fields: Record<string, string>;
  /** Which parents to read: those loaded in this run (default), or all. */
  scope?: 'run' | 'all';
}

/** One stream of a source. */
export interface StreamDef {
  name: string;
  primaryKey: string[];
  disposition: WriteDisposition;
  /** Record schema (zod), mirroring the API's field names; the loader derives DuckDB types and checks from it. */
  schema: z.ZodObject;
  cursor?: CursorSpec;
  read: HttpRead | FileRead;
  parent?: ParentSpec;
  /** Hours after which the stream's data is stale (for status and alerts). */
  freshnessHours?: number;
  /**
   * Row checks beyond the schema, as DuckDB SQL over the typed record; a row that fails goes to
   * quarantine with `field: reason` (e.g. `{ field: 'score', fails: "kind = 'csat' and score not between 1 and 5", reason: 'CSAT is 1–5' }`).
   */
  checks?: { field: string; fails: string; reason: string }[];
  /**
   * With `merge`: fields whose values a batch owns outright (e.g. an injected `report_date`): stored
   * rows with a value present in the batch are replaced as a whole, so a re-read report day drops
   * the rows the API no longer returns.
   */
  replaceBy?: string[];
}

/** HTTP settings shared by a source's streams. */
export interface SourceHttp {
  baseUrl: string;
  auth?: AuthSpec;
  headers?: Record<string, string>;
  timeoutMs?: number;
  retry?: RetryPolicy;
  budget?: { requests: number; perMs: number };
  concurrency?: number;
  classifyError?: HttpClientOptions['classifyError'];
}

/** A source: a name, its streams, and (for APIs) its HTTP settings. */
export interface SourceDef {
  name: string;
  streams: StreamDef[];
  http?: SourceHttp;
}

/** Builds a `SourceDef`, checking names and keys early so mistakes fail at definition time. */
export function defineSource(source: SourceDef): SourceDef {
  const ident = /^[a-z][a-z0-9_]*$/;
  if (!ident.test(source.name)) throw new Error(`source name "${source.name}" must match ${ident}`);
  const names = new Set<string>();
  for (const stream of source.streams) {
    if (!ident.test(stream.name)) throw new Error(`${source.name}.${stream.name}: stream name must match ${ident}`);
    if (names.has(stream.name)) throw new Error(`${source.name}.${stream.name}: duplicate stream name`);
    names.add(stream.name);
    const fields = Object.keys(stream.schema.shape);
    for (const key of stream.primaryKey) {
      const injected = stream.read.kind === 'http' && stream.read.inject ? Object.keys(stream.read.inject.fields) : [];
      if (!fields.includes(key) && !(stream.parent && key in stream.parent.fields) && !injected.includes(key)) {
        throw new Error(`${source.name}.${stream.name}: primary key field "${key}" is not in the record schema`);
      }
    }
    const injectedFields = stream.read.kind === 'http' && stream.read.inject ? Object.keys(stream.read.inject.fields) : [];
    if (stream.cursor && !fields.includes(stream.cursor.field) && !injectedFields.includes(stream.cursor.field)) {
      throw new Error(`${source.name}.${stream.name}: cursor field "${stream.cursor.field}" is not in the record schema`);
    }
    if (stream.parent && !source.streams.some((s) => s.name === stream.parent!.stream)) {
      throw new Error(`${source.name}.${stream.name}: parent stream "${stream.parent.stream}" is not declared`);
    }
  }
  return source;
}
