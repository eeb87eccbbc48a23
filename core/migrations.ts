/**
 * Versioned migrations of the warehouse's `meta` schema. Append new versions; never edit an
 * applied one (its checksum is not checked, but analysts' queries rely on the tables it made).
 * A migration that adds or changes a `meta` table also updates its typed description in
 * `meta-schema.ts`, which the code queries through; `test/core/meta-schema.test.ts` fails until it does.
 */

/** One migration: a version number, a name, and the SQL statements it runs. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'schemas and ingestion metadata',
    sql: `
      create schema if not exists raw;
      create schema if not exists staging;
      create schema if not exists intermediate;
      create schema if not exists marts;
      create table meta.runs (
        run_id varchar primary key,
        job varchar not null,
        command varchar not null,
        scheduled_for timestamptz,
        started_at timestamptz not null,
        finished_at timestamptz,
        status varchar not null,
        error varchar,
        details json
      );
      comment on table meta.runs is 'One row per run of a command or job: when, status, error (redacted), per-step details.';
      create table meta.stream_runs (
        run_id varchar not null,
        source varchar not null,
        stream varchar not null,
        started_at timestamptz not null,
        finished_at timestamptz,
        status varchar not null,
        rows_loaded bigint not null default 0,
        rows_quarantined bigint not null default 0,
        pages bigint not null default 0,
        requests bigint not null default 0,
        cursor_before varchar,
        cursor_after varchar,
        error varchar,
        primary key (run_id, source, stream)
      );
      comment on table meta.stream_runs is 'One row per stream per run: rows loaded and quarantined, pages, requests, cursor movement, error.';
      create table meta.stream_state (
        source varchar not null,
        stream varchar not null,
        cursor varchar,
        updated_at timestamptz not null,
        run_id varchar not null,
        primary key (source, stream)
      );
      comment on table meta.stream_state is 'Saved incremental cursor per stream, committed in the same transaction as the data it covers.';
      create sequence meta.quarantine_seq;
      create table meta.quarantine (
        quarantine_id bigint primary key default nextval('meta.quarantine_seq'),
        source varchar not null,
        stream varchar not null,
        run_id varchar not null,
        quarantined_at timestamptz not null,
        field varchar,
        reason varchar not null,
        record varchar not null,
        replayed_at timestamptz,
        replay_run_id varchar
      );
      comment on table meta.quarantine is 'Records that failed validation: the raw record, the field path and the reason. Replayed rows keep their history.';
      create table meta.schema_drift (
        source varchar not null,
        stream varchar not null,
        field varchar not null,
        change varchar not null,
        detail varchar,
        first_run_id varchar not null,
        first_seen_at timestamptz not null,
        primary key (source, stream, field, change)
      );
      comment on table meta.schema_drift is 'Fields an API added (kept as JSON columns in raw) or stopped sending, first seen when.';
      create table meta.loaded_files (
        source varchar not null,
        stream varchar not null,
        path varchar not null,
        sha256 varchar not null,
        bytes bigint not null,
        run_id varchar not null,
        loaded_at timestamptz not null,
        primary key (source, stream, path, sha256)
      );
      comment on table meta.loaded_files is 'Files a file source has loaded, by path and checksum, so each file loads once.';
    `,
  },
  {
    version: 2,
    name: 'model build ledger and data test results',
    sql: `
      create sequence meta.model_runs_seq;
      create table meta.model_runs (
        seq bigint not null default nextval('meta.model_runs_seq'),
        run_id varchar not null,
        model varchar not null,
        status varchar not null,
        mode varchar,
        rows bigint,
        duration_ms bigint not null,
        sql_hash varchar not null,
        input_hash varchar,
        error varchar,
        started_at timestamptz not null,
        primary key (run_id, model)
      );
      comment on table meta.model_runs is 'One row per model per build: succeeded, unchanged (skipped: same SQL and inputs), failed, or skipped (an upstream failed); rows, duration, hashes.';
      create sequence meta.test_results_seq;
      create table meta.test_results (
        seq bigint not null default nextval('meta.test_results_seq'),
        run_id varchar not null,
        model varchar not null,
        test varchar not null,
        kind varchar not null,
        severity varchar not null,
        status varchar not null,
        failing_rows bigint,
        sample json,
        error varchar,
        duration_ms bigint not null,
        tested_at timestamptz not null,
        primary key (run_id, model, test)
      );
      comment on table meta.test_results is 'One row per data test per build: pass, fail or error, failing row count and up to 5 failing rows; error-severity failures withhold the publish.';
    `,
  },
  {
    version: 3,
    name: 'job run steps and scheduled ticks',
    sql: `
      create table meta.run_steps (
        run_id varchar not null,
        step varchar not null,
        attempt integer not null,
        started_at timestamptz not null,
        finished_at timestamptz,
        status varchar not null,
        rows bigint,
        error varchar,
        primary key (run_id, step, attempt)
      );
      comment on table meta.run_steps is 'One row per attempt of each step of a job run (extract, build, publish, report): when, status, rows, error (redacted).';
      create table meta.job_ticks (
        job varchar not null,
        scheduled_for timestamptz not null,
        run_id varchar not null,
        command varchar not null,
        claimed_at timestamptz not null,
        primary key (job, scheduled_for)
      );
      comment on table meta.job_ticks is 'The scheduled time each job run (or recorded skip) claimed: the unique key that keeps a tick from running twice, even across restarts.';
    `,
  },
  {
    version: 4,
    name: 'backfill windows',
    sql: `
      create table meta.backfill_windows (
        source varchar not null,
        range_from date not null,
        range_to date not null,
        window_start date not null,
        window_end date not null,
        run_id varchar not null,
        rows_loaded bigint not null,
        completed_at timestamptz not null,
        primary key (source, range_from, range_to, window_start)
      );
      comment on table meta.backfill_windows is 'Windows of a backfill (source and date range) already re-extracted, so an interrupted backfill resumes where it stopped.';
    `,
  },
  {
    version: 5,
    name: 'keyed incremental models',
    sql: `
      -- A table of its own rather than a column added to meta.model_runs: DuckDB cannot replay an
      -- ALTER TABLE ADD COLUMN on a table with a sequence default from the write-ahead log, so a
      -- process killed before the next checkpoint left a warehouse that would not open.
      create table meta.model_increments (
        run_id varchar not null,
        model varchar not null,
        increment varchar not null
      );
      comment on table meta.model_increments is 'What each incremental model build covered (JSON), so the next build knows what changed since: the latest _loaded_at and row count of each raw table a keyed model reads, the groups it recomputed, or the window start a window model recomputed.';
      create table meta.model_changes (
        run_id varchar not null,
        model varchar not null,
        key varchar not null
      );
      comment on table meta.model_changes is 'The groups (values of incremental.by) each keyed incremental build recomputed, kept for the last builds of each model, so keyed models downstream rebuild the same groups.';
    `,
  },
  {
    version: 6,
    name: 'keyed builds record the groups that changed',
    sql: `
      comment on table meta.model_increments is 'What each incremental model build covered (JSON), so the next build knows what changed since: the latest _loaded_at and row count of each raw table a keyed model reads with how many groups it recomputed and how many of them changed, or the window start a window model recomputed.';
      comment on table meta.model_changes is 'The groups (values of incremental.by) whose rows each keyed incremental build changed (recomputed groups that came out the same are left out), kept for the last builds of each model, so keyed models downstream rebuild those groups.';
    `,
  },
  {
    version: 7,
    name: 'compute model input fingerprints',
    sql: `
      create table meta.compute_inputs (
        model varchar not null,
        key varchar not null,
        input_hash ubigint not null
      );
      comment on table meta.compute_inputs is 'A hash of each input row of the incremental compute models (fct_feedback) by key, as of when its output was computed, so an incremental build recomputes the rows whose input changed and drops those whose input is gone.';
    `,
  },
];
