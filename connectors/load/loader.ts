/**
 * Loads batches of NDJSON records into `raw.<source>__<stream>`: DuckDB reads and types them,
 * rows that fail their checks go to `meta.quarantine` with field and reason, good rows are merged
 * by primary key (or appended, or swapped in whole), unknown fields are kept and reported as
 * schema drift, and the stream's cursor is written in the same transaction as the data it covers.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerminalError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { ident, literal, qualified, sqlType } from '../../core/sql.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import type { WriteDisposition } from '../source.ts';
import type { ColumnSpec } from './columns.ts';

/** The largest record the engine accepts when it knows nothing about a batch's record sizes. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** DuckDB's own default maximum JSON object size. */
const DUCKDB_DEFAULT_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * The `maximum_object_size` for a batch. DuckDB's JSON reader sizes its buffers from it, and a
 * batch file that fits in one buffer is parsed by one thread: the 64 MiB fallback made a 60 MB
 * batch load about 20% slower than with DuckDB's 16 MiB default. A known bound keeps the default
 * (or the next power of two above the bound, for pages larger than 16 MiB).
 */
export function maximumObjectSize(maxRecordBytes: number | undefined): number {
  if (maxRecordBytes === undefined) return MAX_RECORD_BYTES;
  let size = DUCKDB_DEFAULT_OBJECT_BYTES;
  while (size <= maxRecordBytes) size *= 2;
  return size;
}

/** Where and how one stream's records land. */
export interface LoadTarget {
  source: string;
  stream: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  disposition: WriteDisposition;
  /** Record field whose maximum the loader reports, for the saved cursor. */
  cursorField?: string;
  /** Fields the engine adds to records (parent keys, injected request fields): never reported missing. */
  parentFields?: string[];
  /** Row checks beyond the schema, as SQL over the typed record (e.g. survey score ranges by kind). */
  checks?: RowCheck[];
  /**
   * Fields whose values a batch owns outright: stored rows with any value of these fields present
   * in the batch are replaced as a whole (a re-read report day drops the rows the API no longer returns).
   */
  replaceBy?: string[];
}

/** A row-level check: `fails` is a DuckDB boolean over the record's typed fields. */
export interface RowCheck {
  field: string;
  fails: string;
  reason: string;
}

/** How the files of a batch are encoded. */
export type BatchFormat = 'ndjson' | 'csv' | 'parquet';

/** Options of `loadBatch`. */
export interface LoadBatchOptions {
  /** The stream's cursor, written in the batch's transaction. */
  state?: StateUpdate;
  /** More writes to commit with the batch (e.g. the file ledger). */
  within?: () => Promise<void>;
  /** Field names the records carry, when the caller tracked them during the page scan. */
  knownKeys?: ReadonlySet<string>;
  format?: BatchFormat;
  /** How many records the batch holds, when known: enables the one-pass path and its count check. */
  expectedRows?: number;
  /**
   * An upper bound on the size of any one record in bytes (e.g. the largest page or line), when
   * the caller knows it: DuckDB's JSON reader then cuts the batch into smaller buffers and parses
   * them on every thread, instead of reserving room for the largest record the engine accepts.
   */
  maxRecordBytes?: number;
  /**
   * Loads the batch with one DuckDB thread, then restores the default. For batches loaded while
   * the same process is still fetching pages: the fetching needs a core of its own, and one
   * thread loads a batch with about a fifth less CPU than two (no work handed between threads).
   */
  singleThreaded?: boolean;
}

/** What one batch did. */
export interface BatchResult {
  loaded: number;
  quarantined: number;
  /** Largest cursor value among the loaded rows, as text. */
  maxCursor: string | undefined;
  /** Fields seen for the first time in this batch. */
  addedFields: string[];
}

/** The state written with a batch (or on its own at the end of a range). */
export interface StateUpdate {
  cursor: string | undefined;
}

const SYSTEM_COLUMNS = ['_loaded_at', '_run_id'];
const MAX_REASON_VALUE = 60;

/** A batch whose loaded and quarantined records do not add up to the records received. */
class CountMismatchError extends TerminalError {
  override name = 'CountMismatchError';
}

/** Returns the raw table name for a stream: `raw.<source>__<stream>`. */
export function rawTableName(source: string, stream: string): string {
  return `${source}__${stream}`;
}

/** Loads a stream's batches for one run. Create with `createStreamLoader`. */
export class StreamLoader {
  private extraColumns: string[] = [];
  private readonly table: string;
  private readonly shadow: string;
  private replacing = false;
  private lastStamp = 0n;

  constructor(
    private readonly wh: Warehouse,
    private readonly target: LoadTarget,
    private readonly runId: string,
    private readonly log: Logger,
  ) {
    this.table = qualified('raw', rawTableName(target.source, target.stream));
    this.shadow = qualified('raw', `_incoming__${rawTableName(target.source, target.stream)}`);
  }

  /** Creates the raw table if needed, learns previously kept extra fields, and clears leftovers of crashed runs. */
  async prepare(): Promise<void> {
    const { source, stream, columns } = this.target;
    const defs = columns.map((c) => `${ident(c.name)} ${sqlType(c.sqlType)}`);
    await this.wh.run(`create table if not exists ${this.table} (${[...defs, '_loaded_at timestamptz not null', '_run_id varchar not null'].join(', ')})`);
    const existing = await this.wh.all<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_schema = 'raw' and table_name = $1 order by ordinal_position`,
      [rawTableName(source, stream)],
    );
    const declared = new Set(columns.map((c) => c.name));
    this.extraColumns = existing.map((c) => c.column_name).filter((n) => !declared.has(n) && !SYSTEM_COLUMNS.includes(n));
    // A declared field added to the schema after the table was created becomes a new column.
    for (const column of columns) {
      if (!existing.some((e) => e.column_name === column.name)) {
        await this.wh.run(`alter table ${this.table} add column ${ident(column.name)} ${sqlType(column.sqlType)}`);
      }
    }
    if (this.target.disposition === 'append') {
      // Rows appended by runs that did not finish this stream would be appended again by the rerun.
      await this.wh.run(
        `delete from ${this.table} where _run_id in (select run_id from meta.stream_runs where source = $1 and stream = $2 and status <> 'succeeded') and _run_id <> $3`,
        [source, stream, this.runId],
      );
    }
    if (this.target.disposition === 'replace') {
      await this.wh.run(`drop table if exists ${this.shadow}`);
      await this.wh.run(`create table ${this.shadow} as select * from ${this.table} limit 0`);
      this.replacing = true;
    }
  }

  /**
   * Loads NDJSON files as one batch, in one transaction; when `state` is given the stream's
   * cursor is written in that same transaction, and so is whatever `within` writes.
   */
  async loadBatch(files: string[], options: LoadBatchOptions = {}): Promise<BatchResult> {
    if (!options.singleThreaded) return this.loadBatchChecked(files, options);
    // The setting is the instance's, not the connection's: restore the default (not a value read
    // before), so loads of other sources that change it at the same time cannot leave it lowered.
    await this.wh.run('set threads = 1');
    try {
      return await this.loadBatchChecked(files, options);
    } finally {
      await this.wh.run('reset threads');
    }
  }

  private async loadBatchChecked(files: string[], options: LoadBatchOptions): Promise<BatchResult> {
    try {
      return await this.loadBatchOnce(files, options);
    } catch (error) {
      // A line DuckDB cannot parse as JSON (it may also skip one silently, which the count check
      // catches): find such lines, quarantine them with the reason, then load the rest.
      if (options.format && options.format !== 'ndjson') throw error;
      if (!(error instanceof CountMismatchError) && !/malformed|json/i.test((error as Error).message ?? '')) throw error;
      const removed = await this.quarantineMalformedLines(files, error);
      const retry = await this.loadBatchOnce(files, { ...options, ...(options.expectedRows !== undefined ? { expectedRows: options.expectedRows - removed } : {}) });
      return { ...retry, quarantined: retry.quarantined + removed };
    }
  }

  private async loadBatchOnce(files: string[], options: LoadBatchOptions): Promise<BatchResult> {
    const { state, within, knownKeys, format = 'ndjson', expectedRows } = options;
    if (files.length === 0) {
      if (state || within) {
        await this.wh.transaction(async () => {
          if (state) await this.writeState(state);
          if (within) await within();
        });
      }
      return { loaded: 0, quarantined: 0, maxCursor: undefined, addedFields: [] };
    }
    // Field names come from the page scan when the caller tracked them; otherwise DuckDB lists them.
    // Malformed lines found while listing fields are quarantined there; the batch then holds fewer records.
    const listed = knownKeys ? { keys: [...knownKeys], removed: 0 } : format === 'ndjson' ? await this.readKeys(files) : { keys: await this.fileColumns(files, format), removed: 0 };
    const keys = listed.keys;
    if (listed.removed && expectedRows !== undefined) {
      const rest = await this.loadBatchOnce(files, { ...options, knownKeys: new Set(keys), expectedRows: expectedRows - listed.removed });
      return { ...rest, quarantined: rest.quarantined + listed.removed };
    }
    const addedFields = keys.filter((k) => !this.target.columns.some((c) => c.name === k) && !this.extraColumns.includes(k));
    const missingFields = knownKeys || keys.length === 0 ? [] : this.missingFields(keys);
    return this.wh.transaction(async () => {
      await this.keepAddedFields(addedFields);
      if (missingFields.length) await this.reportMissingFields(missingFields);
      if (format === 'ndjson' && expectedRows !== undefined) {
        const result = await this.loadDirect(files, expectedRows, options.maxRecordBytes);
        if (state) await this.writeState({ cursor: maxOf(state.cursor, result.maxCursor) });
        if (within) await within();
        return { ...result, addedFields };
      }

      // One pass: read, type every field once, and compute the checks; reasons and the raw record
      // are only built for rows that fail.
      // CSV files are prepared one at a time (encoding, rejected lines, line numbers).
      const csv = format === 'csv' ? await this.prepareCsv(files[0]!) : undefined;
      if (csv && files.length > 1) throw new TerminalError('CSV batches hold one file', { context: { source: this.target.source, stream: this.target.stream } });
      const rejected = csv?.quarantined ?? 0;
      try {
        await this.wh.run(`create or replace temp table _batch as ${this.typedBatchSql(this.fileReader(csv ? [csv.path] : files, format, keys, options.maxRecordBytes), format !== 'ndjson')}`);
      } finally {
        csv?.cleanup();
      }
      const pk = this.target.primaryKey.map(ident);
      const [scan] = await this.wh.all<{ n: number; bad: number; distinct_keys: number }>(
        `select count(*)::bigint as n, count(_error)::bigint as bad, ${pk.length ? `count(distinct hash(${pk.join(', ')}))` : 'count(*)'}::bigint as distinct_keys from _batch`,
      );
      const bad = scan?.bad ?? 0;
      const hasDuplicates = this.target.disposition !== 'append' && pk.length > 0 && (scan?.distinct_keys ?? 0) < (scan?.n ?? 0);
      const quarantined = rejected + (bad > 0 ? await this.quarantineFailures() : 0);
      const target = this.replacing ? this.shadow : this.table;
      const good = bad > 0 ? 'where _error is null' : '';
      // When a key repeats within a batch (a page served twice, a record updated mid-paging), the last one wins.
      const dedupe = hasDuplicates ? `qualify row_number() over (partition by ${pk.join(', ')} order by rowid desc) = 1` : '';
      if (this.target.replaceBy?.length && this.target.disposition === 'merge') {
        const by = this.target.replaceBy.map(ident);
        const on = by.map((k) => `${target}.${k} is not distinct from _owned.${k}`).join(' and ');
        await this.wh.run(`delete from ${target} using (select distinct ${by.join(', ')} from _batch ${good}) as _owned where ${on}`);
      }
      if (this.target.disposition === 'merge' || (this.replacing && pk.length)) {
        const on = pk.map((k) => `${target}.${k} = _keys.${k}`).join(' and ');
        // Only good records replace stored ones: a bad restatement must not delete the last good row.
        await this.wh.run(`delete from ${target} using (select ${pk.join(', ')} from _batch ${good}) as _keys where ${on}`);
      }
      const names = [...this.target.columns.map((c) => c.name), ...this.extraColumns].map(ident);
      const [inserted] = await this.wh.all<{ Count: number }>(
        `insert into ${target} (${names.join(', ')}, _loaded_at, _run_id) select ${names.join(', ')}, now(), ${literal(this.runId)} from _batch ${good} ${dedupe}`,
      );
      const cursorExpr = this.cursorExpr();
      const [cursor] = cursorExpr ? await this.wh.all<{ max_cursor: string | null }>(`select ${cursorExpr} as max_cursor from _batch ${good}`) : [];
      const maxCursor = cursor?.max_cursor ?? undefined;
      if (state) await this.writeState({ cursor: maxOf(state.cursor, maxCursor) });
      if (within) await within();
      await this.wh.run('drop table if exists _batch');
      return { loaded: Number(inserted?.Count ?? 0), quarantined, maxCursor, addedFields };
    });
  }

  /**
   * The fast path for NDJSON batches whose record count is known: one pass reads, types, checks and
   * inserts the good records straight into the target (no staging table), as DuckDB's own reader
   * would; bad records, duplicates and merges are then handled on this batch's rows alone, found by
   * their batch timestamp. The counts must add up, or the batch fails and rolls back.
   */
  private async loadDirect(files: string[], expectedRows: number, maxRecordBytes: number | undefined): Promise<Omit<BatchResult, 'addedFields'>> {
    const target = this.replacing ? this.shadow : this.table;
    const stamp = literal(this.nextBatchStamp());
    const names = [...this.target.columns.map((c) => c.name), ...this.extraColumns].map(ident);
    const reader = this.reader(files, maxRecordBytes);
    const checked = this.checkedBatch(reader, false);
    // The insert evaluates the checks once, as a filter; reasons are only built for failing rows below.
    const [inserted] = await this.wh.all<{ Count: number }>(
      `insert into ${target} (${names.join(', ')}, _loaded_at, _run_id) select ${names.join(', ')}, ${stamp}::timestamptz, ${literal(this.runId)} from ${checked.source} where not ${checked.anyFails}`,
    );
    let loaded = Number(inserted?.Count ?? 0);
    let quarantined = 0;
    if (loaded < expectedRows) {
      // Some records failed their checks: read the batch again for them (only batches with bad records pay this).
      await this.wh.run(`create or replace temp table _batch as select _error, _record from (${this.typedBatchSql(reader, false)}) where _error is not null`);
      quarantined = await this.quarantineFailures();
      await this.wh.run('drop table _batch');
    }
    if (loaded + quarantined !== expectedRows) {
      throw new CountMismatchError(`batch of ${expectedRows} records loaded ${loaded} and quarantined ${quarantined}: records would be lost`, {
        context: { source: this.target.source, stream: this.target.stream, file: files.join(', ') },
        hint: 'the batch was rolled back; report this with the files above',
      });
    }
    const pk = this.target.primaryKey.map(ident);
    const thisBatch = `_loaded_at = ${stamp}::timestamptz`;
    if (pk.length && this.target.disposition !== 'append') {
      const [dupes] = await this.wh.all<{ n: number }>(`select (count(*) - count(distinct hash(${pk.join(', ')})))::bigint as n from ${target} where ${thisBatch}`);
      if ((dupes?.n ?? 0) > 0) {
        // A key repeated within the batch (a page served twice, a record updated mid-paging): the last one wins.
        await this.wh.run(
          `delete from ${target} where rowid in (select rowid from (select rowid, row_number() over (partition by ${pk.join(', ')} order by rowid desc) as copy from ${target} where ${thisBatch}) where copy > 1)`,
        );
        loaded -= dupes!.n;
      }
    }
    if (this.target.replaceBy?.length && this.target.disposition === 'merge') {
      const by = this.target.replaceBy.map(ident);
      const on = by.map((k) => `${target}.${k} is not distinct from _owned.${k}`).join(' and ');
      await this.wh.run(`delete from ${target} using (select distinct ${by.join(', ')} from ${target} where ${thisBatch}) as _owned where ${on} and ${target}._loaded_at <> ${stamp}::timestamptz`);
    }
    if (this.target.disposition === 'merge' || (this.replacing && pk.length)) {
      // Stored rows with a key this batch loaded are replaced; keys of bad records never reach here.
      const on = pk.map((k) => `${target}.${k} = _keys.${k}`).join(' and ');
      await this.wh.run(`delete from ${target} using (select ${pk.join(', ')} from ${target} where ${thisBatch}) as _keys where ${on} and ${target}._loaded_at <> ${stamp}::timestamptz`);
    }
    const cursorExpr = this.cursorExpr();
    const [cursor] = cursorExpr ? await this.wh.all<{ max_cursor: string | null }>(`select ${cursorExpr} as max_cursor from ${target} where ${thisBatch}`) : [];
    return { loaded, quarantined, maxCursor: cursor?.max_cursor ?? undefined };
  }

  /** A load timestamp unique to each batch (microseconds, increasing), so a batch's rows can be found again. */
  private nextBatchStamp(): string {
    const micros = BigInt(Date.now()) * 1000n;
    this.lastStamp = micros > this.lastStamp ? micros : this.lastStamp + 1n;
    const ms = Number(this.lastStamp / 1000n);
    const extra = String(this.lastStamp % 1000n).padStart(3, '0');
    return new Date(ms).toISOString().replace('Z', `${extra}+00:00`);
  }

  /** Declared fields that no record carried (the caller knows every field name seen). */
  missingFields(seen: Iterable<string>): string[] {
    const present = new Set(seen);
    const fromParent = new Set(this.target.parentFields ?? []);
    return this.target.columns.filter((c) => !present.has(c.name) && !fromParent.has(c.name)).map((c) => c.name);
  }

  /** Records declared fields that stopped arriving as schema drift. */
  async reportMissingFields(fields: string[]): Promise<void> {
    for (const field of fields) await this.recordDrift(field, 'removed', 'no record carried this field');
    this.log.warn('schema drift: declared fields missing from every record', { source: this.target.source, stream: this.target.stream, fields });
  }

  /** Adds columns for fields the API started sending, so nothing it sends is dropped. */
  private async keepAddedFields(fields: string[]): Promise<void> {
    for (const field of fields) {
      await this.wh.run(`alter table ${this.table} add column ${ident(field)} json`);
      if (this.replacing) await this.wh.run(`alter table ${this.shadow} add column ${ident(field)} json`);
      await this.recordDrift(field, 'added', 'kept as a JSON column in raw');
      this.extraColumns.push(field);
    }
    if (fields.length) this.log.warn('schema drift: new fields kept', { source: this.target.source, stream: this.target.stream, fields });
  }

  /**
   * The SELECT that types and checks a batch: every declared field is cast once with TRY_CAST
   * (its raw value kept beside it as `_pulse_rN`), the schema's and the stream's checks run over
   * the typed record, and `_error` and `_record` are set only on failing rows. File rows carry
   * their row number so a reason can point at it.
   */
  private typedBatchSql(from: string, numbered: boolean): string {
    const { source, anyFails, reasons, record, names } = this.checkedBatch(from, numbered);
    return `select ${names.join(', ')}, case when ${anyFails} then ${reasons} end as _error, case when ${anyFails} then ${record} end as _record from ${source}`;
  }

  /**
   * The parts of a checked batch: `source` yields every declared field typed (and its raw text as
   * `_pulse_rN`), `anyFails` is true for a record that fails any check, `reasons` and `record`
   * describe a failing one.
   */
  private checkedBatch(from: string, numbered: boolean): { source: string; anyFails: string; reasons: string; record: string; names: string[] } {
    const rawName = (i: number) => ident(`_pulse_r${i}`);
    const inner: string[] = [];
    const fails: { when: string; reason: string }[] = [];
    const pk = new Set(this.target.primaryKey);
    this.target.columns.forEach((c, i) => {
      const name = ident(c.name);
      const raw = rawName(i);
      const shown = `left(${raw}::varchar, ${MAX_REASON_VALUE})`;
      const casts = c.sqlType !== 'VARCHAR' && c.sqlType !== 'JSON';
      inner.push(`${name} as ${raw}`, `${casts ? `try_cast(${name} as ${c.sqlType})` : c.sqlType === 'JSON' ? name : `${name}::varchar`} as ${name}`);
      if (!c.nullable || pk.has(c.name)) fails.push({ when: `${raw} is null`, reason: literal(`${c.name}: required field is missing or null`) });
      // DuckDB rounds '7.5' to 8 when casting text to an integer type: a fraction must fail instead.
      const integral = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT[1248]?|LONG|SHORT)$/i.test(c.sqlType);
      const lost = integral ? ` or try_cast(${raw} as double) <> ${name}` : '';
      if (casts) fails.push({ when: `${raw} is not null and (${name} is null${lost})`, reason: `${literal(`${c.name}: expected ${c.sqlType}, got `)} || ${shown}` });
      if (c.allowed) {
        // list_contains, not NOT IN: DuckDB plans an IN list of five or more values as a join, which
        // turns the load's parallel batch insert into one whose rows are compressed at commit on one thread.
        fails.push({ when: `not list_contains([${c.allowed.map((v) => literal(String(v))).join(', ')}], ${raw}::varchar)`, reason: `${literal(`${c.name}: expected one of ${c.allowed.join(', ')}, got `)} || ${shown}` });
      }
      const numeric = casts ? name : `try_cast(${raw} as double)`;
      if (c.min !== undefined) fails.push({ when: `${numeric} < ${c.min}`, reason: `${literal(`${c.name}: must be at least ${c.min}, got `)} || ${shown}` });
      if (c.max !== undefined) fails.push({ when: `${numeric} > ${c.max}`, reason: `${literal(`${c.name}: must be at most ${c.max}, got `)} || ${shown}` });
    });
    for (const check of this.target.checks ?? []) fails.push({ when: `(${check.fails})`, reason: literal(`${check.field}: ${check.reason}`) });
    const extras = this.extraColumns.map(ident);
    const anyFails = fails.length ? `coalesce(${fails.map((f) => `(${f.when})`).join(' or ')}, false)` : 'false';
    const where = numbered ? ` || ' (' || _pulse_where || ')'` : '';
    const reasons = `concat_ws('; ', ${fails.map((f) => `case when coalesce(${f.when}, false) then ${f.reason} end`).join(', ') || "''"})${where}`;
    const record = `to_json(struct_pack(${[
      ...this.target.columns.map((c, i) => `${ident(c.name)} := ${rawName(i)}`),
      ...extras.map((e) => `${e} := ${e}`),
      ...(numbered ? ['_row := _pulse_row'] : []),
    ].join(', ')}))::varchar`;
    const names = [...this.target.columns.map((c) => ident(c.name)), ...extras];
    const source = `(select ${[...inner, ...extras, ...(numbered ? ['_pulse_row', '_pulse_where'] : [])].join(', ')} from ${from})`;
    return { source, anyFails, reasons, record, names };
  }

  /** The table expression that reads a batch's files, declared fields first, kept fields as JSON. */
  private fileReader(files: string[], format: BatchFormat, present: string[], maxRecordBytes?: number): string {
    if (format === 'ndjson') return this.reader(files, maxRecordBytes);
    const list = `[${files.map(literal).join(', ')}]`;
    const have = new Set(present);
    // Declared fields a file lacks read as NULL (and fail if required); extra columns are kept as JSON text.
    const select = [
      ...this.target.columns.map((c) => (have.has(c.name) ? ident(c.name) : `null as ${ident(c.name)}`)),
      ...this.extraColumns.map((e) => (have.has(e) ? `to_json(${ident(e)}) as ${ident(e)}` : `null::json as ${ident(e)}`)),
    ];
    if (format === 'csv') {
      // Accepted rows are numbered in file order and matched to the file's data lines that were
      // neither blank, badly encoded nor rejected (one line a record: a quoted line break shifts it).
      return `(select ${select.join(', ')}, _pulse_row, 'line ' || coalesce(lines.line::varchar, '?') as _pulse_where
        from (select *, row_number() over () as _pulse_row from read_csv(${list}, header = true, all_varchar = true, ignore_errors = true, strict_mode = true))
        left join _pulse_csv_lines lines on lines.k = _pulse_row
        order by _pulse_row)`;
    }
    return `(select ${select.join(', ')}, file_row_number + 1 as _pulse_row, 'row ' || (file_row_number + 1) as _pulse_where from read_parquet(${list}, file_row_number = true, union_by_name = true))`;
  }

  /** Column names of CSV or Parquet files (the keys a file source's records carry). */
  private async fileColumns(files: string[], format: BatchFormat): Promise<string[]> {
    const list = `[${files.map(literal).join(', ')}]`;
    const from = format === 'csv' ? `read_csv(${list}, header = true, all_varchar = true, ignore_errors = true, union_by_name = true)` : `read_parquet(${list}, union_by_name = true)`;
    const rows = await this.wh.all<{ column_name: string }>(`describe select * from ${from}`);
    return rows.map((r) => r.column_name);
  }

  /**
   * Prepares one CSV file: lines that are not valid UTF-8 are quarantined here with their line
   * number (and blanked in a copy DuckDB reads, so other lines keep their numbers); lines DuckDB's
   * reader rejects (ragged rows) are quarantined with its reason; and the accepted rows are mapped
   * to their line numbers for later reasons. Returns the file to read and how many were quarantined.
   */
  private async prepareCsv(file: string): Promise<{ path: string; quarantined: number; cleanup: () => void }> {
    const bytes = readFileSync(file);
    const badLines: { line: number; text: string }[] = [];
    const blankLines: number[] = [];
    let lineCount = 0;
    const validUtf8 = isUtf8(bytes);
    for (let start = 0; start < bytes.length; ) {
      let end = bytes.indexOf(10, start);
      if (end < 0) end = bytes.length;
      lineCount++;
      const contentEnd = end > start && bytes[end - 1] === 13 ? end - 1 : end;
      if (contentEnd === start) blankLines.push(lineCount);
      else if (!validUtf8 && !isUtf8(bytes.subarray(start, contentEnd))) {
        badLines.push({ line: lineCount, text: bytes.subarray(start, contentEnd).toString('latin1') });
        bytes.fill(32, start, contentEnd); // spaces keep the line (and every later line number) in place
        blankLines.push(lineCount);
      }
      start = end + 1;
    }
    let path = file;
    let cleanup = () => {};
    if (badLines.length) {
      path = join(tmpdir(), `pulse-csv-${process.pid}-${randomUUID()}.csv`);
      // A line of spaces is read as a row of empty values; an empty line is skipped. Use empty lines.
      writeFileSync(path, bytes.toString('latin1').split('\n').map((l, i) => (badLines.some((b) => b.line === i + 1) ? '' : l)).join('\n'), 'latin1');
      cleanup = () => rmSync(path, { force: true });
      for (const bad of badLines) {
        await this.wh.run(`insert into meta.quarantine (source, stream, run_id, quarantined_at, field, reason, record) values ($1, $2, $3, now(), null, $4, $5)`, [
          this.target.source,
          this.target.stream,
          this.runId,
          `line: invalid UTF-8 — the file is not UTF-8 encoded; re-export it as UTF-8 (${file} line ${bad.line})`,
          bad.text,
        ]);
      }
      this.log.warn('CSV lines that are not UTF-8 were quarantined', { source: this.target.source, stream: this.target.stream, file, count: badLines.length });
    }
    await this.wh.run(`drop table if exists _pulse_rejects; drop table if exists _pulse_rejects_scan`);
    await this.wh.run(
      `create or replace temp table _pulse_probe as select 1 from read_csv(${literal(path)}, header = true, all_varchar = true, store_rejects = true, rejects_table = '_pulse_rejects', rejects_scan = '_pulse_rejects_scan', strict_mode = true)`,
    );
    // DuckDB can list one rejected line twice; one quarantine row a line.
    const [row] = await this.wh.all<{ Count: number }>(
      `insert into meta.quarantine (source, stream, run_id, quarantined_at, field, reason, record)
       select $1, $2, $3, now(), any_value(r.column_name),
              coalesce(any_value(r.column_name), 'line') || ': ' || lower(any_value(r.error_type)) || ' — ' || any_value(r.error_message) || ' (' || $4 || ' line ' || r.line || ')',
              coalesce(any_value(r.csv_line), '')
       from _pulse_rejects r group by r.line`,
      [this.target.source, this.target.stream, this.runId, file],
    );
    const excluded = [1, ...blankLines];
    await this.wh.run(
      `create or replace temp table _pulse_csv_lines as
       select row_number() over (order by l) as k, l as line from range(1, ${lineCount + 1}) t(l)
       where l not in (${excluded.join(', ')}) and l not in (select distinct line from _pulse_rejects)`,
    );
    await this.wh.run(`drop table if exists _pulse_probe; drop table if exists _pulse_rejects; drop table if exists _pulse_rejects_scan`);
    const n = Number(row?.Count ?? 0);
    if (n) this.log.warn('lines the CSV reader rejected were quarantined', { source: this.target.source, stream: this.target.stream, count: n });
    return { path, quarantined: n + badLines.length, cleanup };
  }

  /** Swaps a `replace` stream's new rows in, with its state, in one transaction. */
  async finishReplace(state?: StateUpdate): Promise<void> {
    if (!this.replacing) return;
    await this.wh.transaction(async () => {
      await this.wh.run(`delete from ${this.table}`);
      await this.wh.run(`insert into ${this.table} by name select * from ${this.shadow}`);
      await this.wh.run(`drop table ${this.shadow}`);
      if (state) await this.writeState(state);
    });
    this.replacing = false;
  }

  /** Writes the stream's saved cursor; never moves it backwards. */
  async writeState(state: StateUpdate): Promise<void> {
    const [current] = await this.wh.all<{ cursor: string | null }>(
      'select cursor from meta.stream_state where source = $1 and stream = $2',
      [this.target.source, this.target.stream],
    );
    const cursor = maxOf(current?.cursor ?? undefined, state.cursor);
    await this.wh.run(
      `insert into meta.stream_state (source, stream, cursor, updated_at, run_id) values ($1, $2, $3, now(), $4)
       on conflict (source, stream) do update set cursor = excluded.cursor, updated_at = excluded.updated_at, run_id = excluded.run_id`,
      [this.target.source, this.target.stream, cursor ?? null, this.runId],
    );
  }

  /** The batch's largest cursor as text that sorts correctly: ISO-8601 UTC for timestamps. */
  private cursorExpr(): string | undefined {
    const field = this.target.cursorField;
    const column = field ? this.target.columns.find((c) => c.name === field) : undefined;
    if (!field || !column) return undefined;
    const typed = ident(field);
    if (column.sqlType === 'TIMESTAMPTZ') return `strftime(timezone('UTC', max(${typed})), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    return `max(${typed})::varchar`;
  }

  /** The `read_json` call for a batch: every declared field as text (typed by TRY_CAST later), nested and extra fields as JSON. */
  private reader(files: string[], maxRecordBytes?: number): string {
    const columns = [
      ...this.target.columns.map((c) => `${literal(c.name)}: ${literal(c.sqlType === 'JSON' ? 'JSON' : 'VARCHAR')}`),
      ...this.extraColumns.map((n) => `${literal(n)}: 'JSON'`),
    ];
    return `read_json([${files.map(literal).join(', ')}], format = 'newline_delimited', columns = {${columns.join(', ')}}, maximum_object_size = ${maximumObjectSize(maxRecordBytes)})`;
  }

  /** Field names present in the batch's records, found by DuckDB; malformed lines are quarantined first. */
  private async readKeys(files: string[]): Promise<{ keys: string[]; removed: number }> {
    const sql = `select distinct unnest(json_keys(json)) as k from read_ndjson_objects([${files.map(literal).join(', ')}], maximum_object_size = ${MAX_RECORD_BYTES}) where json is not null`;
    try {
      return { keys: (await this.wh.all<{ k: string }>(sql)).map((r) => r.k), removed: 0 };
    } catch (error) {
      if (!/malformed|json/i.test((error as Error).message)) throw error;
      const removed = await this.quarantineMalformedLines(files, error);
      return { keys: (await this.wh.all<{ k: string }>(sql)).map((r) => r.k), removed };
    }
  }

  /** Slow path, only after DuckDB rejected a file: finds lines that are not JSON objects, quarantines them, rewrites the file; returns how many. */
  private async quarantineMalformedLines(files: string[], original: unknown): Promise<number> {
    let total = 0;
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const good: string[] = [];
      const bad: { line: number; text: string; reason: string }[] = [];
      lines.forEach((text, i) => {
        if (text.trim() === '') return;
        try {
          const value: unknown = JSON.parse(text);
          if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
          good.push(text);
        } catch (error) {
          bad.push({ line: i + 1, text, reason: `record is not valid JSON: ${(error as Error).message}` });
        }
      });
      for (const b of bad) {
        await this.wh.run(
          `insert into meta.quarantine (source, stream, run_id, quarantined_at, field, reason, record) values ($1, $2, $3, now(), null, $4, $5)`,
          [this.target.source, this.target.stream, this.runId, b.reason, b.text],
        );
      }
      writeFileSync(file, good.join('\n') + (good.length ? '\n' : ''));
      total += bad.length;
    }
    if (total === 0) throw original;
    return total;
  }

  /** Writes the failing rows of `_batch` to quarantine with every reason, and notes retyped fields as drift. */
  private async quarantineFailures(): Promise<number> {
    const [row] = await this.wh.all<{ Count: number }>(
      `insert into meta.quarantine (source, stream, run_id, quarantined_at, field, reason, record)
       select $1, $2, $3, now(), split_part(_error, ':', 1), _error, _record from _batch where _error is not null`,
      [this.target.source, this.target.stream, this.runId],
    );
    const retyped = await this.wh.all<{ field: string; reason: string }>(
      `select split_part(_error, ':', 1) as field, any_value(_error) as reason from _batch where _error like '%: expected %' group by 1`,
    );
    for (const r of retyped) await this.recordDrift(r.field, 'retyped', r.reason);
    const n = Number(row?.Count ?? 0);
    if (n) this.log.warn('records quarantined', { source: this.target.source, stream: this.target.stream, count: n });
    return n;
  }

  private async recordDrift(field: string, change: 'added' | 'removed' | 'retyped', detail: string): Promise<void> {
    await this.wh.run(
      `insert into meta.schema_drift (source, stream, field, change, detail, first_run_id, first_seen_at) values ($1, $2, $3, $4, $5, $6, now()) on conflict do nothing`,
      [this.target.source, this.target.stream, field, change, detail.slice(0, 500), this.runId],
    );
  }
}

/** The later of two cursor values: numerically when both are numbers (epoch seconds), else as ISO text. */
export function maxOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return Number(a) >= Number(b) ? a : b;
  return a >= b ? a : b;
}

/** Creates a loader for one stream in one run and prepares its raw table. */
export async function createStreamLoader(wh: Warehouse, target: LoadTarget, runId: string, log: Logger): Promise<StreamLoader> {
  const loader = new StreamLoader(wh, target, runId, log);
  await loader.prepare();
  return loader;
}
