/**
 * The columns of every `meta` table as the migrated warehouse has them, and the Kysely database
 * type derived from them (`MetaDatabase`), so queries over `meta` are checked at compile time.
 *
 * The migrations (`migrations.ts`, and `meta.schema_migrations` in `warehouse.ts`) stay plain SQL:
 * an applied migration must never change, so it cannot be generated from a description that
 * grows. Instead `test/core/meta-schema.test.ts` migrates a fresh warehouse and checks that its
 * tables, columns, types, nullability and defaults equal this description, column for column.
 * A new migration that adds or changes a column therefore updates this file too.
 *
 * Types are spelt as DuckDB reports them in `duckdb_columns()` (`TIMESTAMP WITH TIME ZONE`, not
 * `timestamptz`), which is what the test compares.
 */
import type { Generated } from 'kysely';
import type { DuckDBTsType } from '../models/engine/database-type.ts';

/** One `meta` column: its DuckDB type, whether it may be NULL, and whether it has a default. */
export interface MetaColumn {
  readonly type: string;
  /** NOT NULL unless `true`. */
  readonly nullable?: boolean;
  /** Has a default (a sequence or a constant), so an insert may leave it out. */
  readonly hasDefault?: boolean;
}

const TIMESTAMPTZ = 'TIMESTAMP WITH TIME ZONE';

const text = { type: 'VARCHAR' } as const;
const textOrNull = { type: 'VARCHAR', nullable: true } as const;
const time = { type: TIMESTAMPTZ } as const;
const timeOrNull = { type: TIMESTAMPTZ, nullable: true } as const;
const count = { type: 'BIGINT' } as const;
const countOrNull = { type: 'BIGINT', nullable: true } as const;
const countDefault = { type: 'BIGINT', hasDefault: true } as const;
const day = { type: 'DATE' } as const;
const jsonOrNull = { type: 'JSON', nullable: true } as const;

/** Every table of the `meta` schema, keyed `meta.name`, with its columns in table order. */
export const META_TABLES = {
  'meta.schema_migrations': {
    version: { type: 'INTEGER' },
    name: text,
    applied_at: time,
  },
  'meta.runs': {
    run_id: text,
    job: text,
    command: text,
    scheduled_for: timeOrNull,
    started_at: time,
    finished_at: timeOrNull,
    status: text,
    error: textOrNull,
    details: jsonOrNull,
  },
  'meta.stream_runs': {
    run_id: text,
    source: text,
    stream: text,
    started_at: time,
    finished_at: timeOrNull,
    status: text,
    rows_loaded: countDefault,
    rows_quarantined: countDefault,
    pages: countDefault,
    requests: countDefault,
    cursor_before: textOrNull,
    cursor_after: textOrNull,
    error: textOrNull,
  },
  'meta.stream_state': {
    source: text,
    stream: text,
    cursor: textOrNull,
    updated_at: time,
    run_id: text,
  },
  'meta.quarantine': {
    quarantine_id: countDefault,
    source: text,
    stream: text,
    run_id: text,
    quarantined_at: time,
    field: textOrNull,
    reason: text,
    record: text,
    replayed_at: timeOrNull,
    replay_run_id: textOrNull,
  },
  'meta.schema_drift': {
    source: text,
    stream: text,
    field: text,
    change: text,
    detail: textOrNull,
    first_run_id: text,
    first_seen_at: time,
  },
  'meta.loaded_files': {
    source: text,
    stream: text,
    path: text,
    sha256: text,
    bytes: count,
    run_id: text,
    loaded_at: time,
  },
  'meta.model_runs': {
    seq: countDefault,
    run_id: text,
    model: text,
    status: text,
    mode: textOrNull,
    rows: countOrNull,
    duration_ms: count,
    sql_hash: text,
    input_hash: textOrNull,
    error: textOrNull,
    started_at: time,
  },
  'meta.model_increments': {
    run_id: text,
    model: text,
    increment: text,
  },
  'meta.model_changes': {
    run_id: text,
    model: text,
    key: text,
  },
  'meta.compute_inputs': {
    model: text,
    key: text,
    input_hash: { type: 'UBIGINT' },
  },
  'meta.test_results': {
    seq: countDefault,
    run_id: text,
    model: text,
    test: text,
    kind: text,
    severity: text,
    status: text,
    failing_rows: countOrNull,
    sample: jsonOrNull,
    error: textOrNull,
    duration_ms: count,
    tested_at: time,
  },
  'meta.run_steps': {
    run_id: text,
    step: text,
    attempt: { type: 'INTEGER' },
    started_at: time,
    finished_at: timeOrNull,
    status: text,
    rows: countOrNull,
    error: textOrNull,
  },
  'meta.job_ticks': {
    job: text,
    scheduled_for: time,
    run_id: text,
    command: text,
    claimed_at: time,
  },
  'meta.backfill_windows': {
    source: text,
    range_from: day,
    range_to: day,
    window_start: day,
    window_end: day,
    run_id: text,
    rows_loaded: count,
    completed_at: time,
  },
} as const satisfies Record<`meta.${string}`, Record<string, MetaColumn>>;

/** The TypeScript type of one `meta` column: `| null` when nullable, `Generated<…>` when it has a default. */
export type MetaColumnTsType<C extends MetaColumn> =
  C extends { hasDefault: true } ? Generated<MetaValue<C>> : MetaValue<C>;
type MetaValue<C extends MetaColumn> = C extends { nullable: true } ? DuckDBTsType<C['type']> | null : DuckDBTsType<C['type']>;

/**
 * The Kysely database interface of the `meta` schema.
 *
 * @example
 * const db = new Kysely<MetaDatabase>({ dialect: new DuckDBDialect({ instance: wh.instance }) });
 * await db.selectFrom('meta.runs').select(['run_id', 'status']).orderBy('started_at', 'desc').limit(10).execute();
 * // select "run_id", "status" from "meta"."runs" order by "started_at" desc limit $1
 */
export type MetaDatabase = { -readonly [T in keyof typeof META_TABLES]: MetaRow<(typeof META_TABLES)[T]> };

/** The row type of one `meta` table. */
export type MetaRow<Columns extends Record<string, MetaColumn>> = { -readonly [C in keyof Columns]: MetaColumnTsType<Columns[C]> };
