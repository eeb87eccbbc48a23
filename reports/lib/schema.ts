/**
 * The tables report loaders read in `analytics.duckdb`, as one Kysely database type: the marts'
 * contracts (`WarehouseDatabase`, derived from the model definitions) plus the `meta` tables and
 * views the publisher writes.
 * A loader that reads a column a mart's contract no longer has fails the typecheck, not the build.
 */
import type { WarehouseDatabase } from '../../models/index.ts';

type Day = Date | string;

/** `meta.runs`: one row per command or job run. */
export interface RunsTable {
  run_id: string;
  job: string;
  command: string;
  scheduled_for: Day | null;
  started_at: Day;
  finished_at: Day | null;
  status: string;
  error: string | null;
  details: string | null;
}

/** `meta.model_runs`: the latest build of each model. */
export interface ModelRunsView {
  run_id: string;
  model: string;
  status: string;
  mode: string | null;
  rows: number | null;
  duration_ms: number;
  started_at: Day;
  error: string | null;
}

/** `meta.test_results`: the latest result of each data test. */
export interface TestResultsView {
  run_id: string;
  model: string;
  test: string;
  kind: string;
  severity: string;
  status: string;
  failing_rows: number | null;
  error: string | null;
  tested_at: Day;
}

/** The `meta` schema of the published file. */
export interface MetaDatabase {
  'meta.runs': RunsTable;
  'meta.model_runs': ModelRunsView;
  'meta.test_results': TestResultsView;
  'meta.stream_state': { source: string; stream: string; cursor: string | null; updated_at: Day; run_id: string };
  'meta.freshness': { source: string; stream: string; last_loaded_at: Day; hours_since_load: number };
  'meta.published': { published_at: Day; tables: string };
}

/** Every table a loader may read: the marts' contracts and `meta`. */
export type ReportDatabase = MetaDatabase & WarehouseDatabase;
