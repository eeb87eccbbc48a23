/**
 * Versioned migrations of the warehouse's `meta` schema. Append new versions; never edit an
 * applied one (its checksum is not checked, but analysts' queries rely on the tables it made).
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
];
