/**
 * What every report loader shares: opening the published `analytics.duckdb` read-only as a typed
 * Kysely database, checking which marts this build has, and writing JSON.
 *
 * A loader (`src/data/x.json.ts`) exports its query as `default` and, run as a script, writes it to
 * stdout — so Framework (`observable preview`) can run it with `tsx` given `PULSE_ANALYTICS_PATH`.
 * `pulse report` instead runs every loader in one process over one connection (`runLoaders`),
 * which is several times faster than a process per loader.
 *
 * @example
 * const load: Loader = async ({ db, section }) => ({
 *   posts: await section(['marts.fct_post_engagement'], () => db.selectFrom('marts.fct_post_engagement').select(['post_id']).execute()),
 * });
 * export default load;
 * if (isMain(import.meta.url)) await runLoader(load);
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { DuckDBDialect } from '../../models/engine/kysely-duckdb.ts';
import type { ReportDatabase } from './schema.ts';

/** The environment variable naming the analytics file loaders read. */
export const ANALYTICS_PATH_ENV = 'PULSE_ANALYTICS_PATH';

/** A part of a page whose data is present, or a note saying why it is not. */
export type Section<T> =
  | { available: true; data: T }
  | { available: false; reason: 'missing'; missing: string[] }
  | { available: false; reason: 'error'; error: string };

/** Freshness SLAs per source, from the configured jobs. */
export type FreshnessSlas = Record<string, { warnAfterHours: number; errorAfterHours: number }>;

/** What a loader's body gets. */
export interface LoaderContext {
  db: Kysely<ReportDatabase>;
  /** The jobs' freshness SLAs (from `PULSE_FRESHNESS_SLA` when run as a script). */
  freshness: FreshnessSlas;
  /** Whether a table or view (`schema.name`) exists in the analytics file. */
  has(table: string): boolean;
  /**
   * Runs `query` when every table in `tables` exists; otherwise (or when the query fails, e.g. a
   * mart's columns changed) returns a note the page shows instead of a chart.
   */
  section<T>(tables: readonly string[], query: () => Promise<T>): Promise<Section<T>>;
}

/** Converts query results to JSON-safe values: dates to ISO strings (dates without time as `YYYY-MM-DD`), BigInt to number. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

/** Reads the analytics file path from the environment, failing with a message that says how to set it. */
export function analyticsPath(): string {
  const path = process.env[ANALYTICS_PATH_ENV];
  if (!path) throw new Error(`${ANALYTICS_PATH_ENV} is not set: build the site with \`pulse report\`, which points the loaders at the published analytics file`);
  if (!existsSync(path)) throw new Error(`${ANALYTICS_PATH_ENV} names ${path}, which does not exist: run \`pulse publish\` first`);
  return path;
}

/** Opens the analytics file read-only and lists its tables and views. */
export async function openAnalytics(path: string = analyticsPath()): Promise<{ db: Kysely<ReportDatabase>; tables: Set<string> }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const db = new Kysely<ReportDatabase>({
    dialect: new DuckDBDialect({ instance, closeInstance: true, onCreateConnection: async (c) => void (await c.run(`set TimeZone = 'UTC'`)) }),
  });
  const { rows } = await sql<{ name: string }>`select schema_name || '.' || table_name as name from duckdb_tables() where database_name = current_database()
    union all select schema_name || '.' || view_name from duckdb_views() where database_name = current_database() and not internal`.execute(db);
  return { db, tables: new Set(rows.map((r) => r.name)) };
}

/** Creates the loader context over an open analytics file. */
export function loaderContext(db: Kysely<ReportDatabase>, tables: Set<string>, freshness: FreshnessSlas = {}, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): LoaderContext {
  const has = (table: string) => tables.has(table);
  return {
    db,
    freshness,
    has,
    async section(needed, query) {
      const missing = needed.filter((t) => !has(t));
      if (missing.length > 0) return { available: false, reason: 'missing', missing };
      try {
        return { available: true, data: jsonSafe(await query()) as Awaited<ReturnType<typeof query>> };
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        log(`report loader: a section over ${needed.join(', ')} failed and is shown as not available: ${message}`);
        return { available: false, reason: 'error', error: message };
      }
    },
  };
}

/** A report loader: queries over the analytics file, returning what its page reads. */
export type Loader = (ctx: LoaderContext) => Promise<unknown>;

/** Whether the module with this `import.meta.url` is the script being run (not imported). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === url;
}

/** Runs one loader against the analytics file named by the environment and writes its result as JSON to stdout. */
export async function runLoader(load: Loader): Promise<void> {
  const { db, tables } = await openAnalytics();
  try {
    const freshness = JSON.parse(process.env['PULSE_FRESHNESS_SLA'] || '{}') as FreshnessSlas;
    process.stdout.write(JSON.stringify(jsonSafe(await load(loaderContext(db, tables, freshness)))));
  } finally {
    await db.destroy();
  }
}

/**
 * Runs every loader in `dataDir` (`*.json.ts`) against `analyticsPath` in this process and returns
 * each one's JSON by output name (`overview.json`). Loaders run one after another on one database.
 */
export async function runLoaders(dataDir: string, analyticsPath: string, freshness: FreshnessSlas = {}, log?: (message: string) => void): Promise<Map<string, string>> {
  const { db, tables } = await openAnalytics(analyticsPath);
  const outputs = new Map<string, string>();
  try {
    const ctx = loaderContext(db, tables, freshness, log);
    for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.json.ts')).sort()) {
      const module = (await import(pathToFileURL(join(dataDir, file)).href)) as { default?: Loader };
      if (typeof module.default !== 'function') throw new Error(`report loader ${file} has no default export (a Loader)`);
      outputs.set(basename(file, '.ts'), JSON.stringify(jsonSafe(await module.default(ctx))));
    }
  } finally {
    await db.destroy();
  }
  return outputs;
}


/** `cast(sum(column) as double)`: a sum that arrives as a number whatever the column's type. */
export const sumOf = (column: string) => sql<number>`cast(sum(${sql.ref(column)}) as double)`;

/** `cast(count(*) as double)`. */
export const countAll = () => sql<number>`cast(count(*) as double)`;

/** `strftime(column, '%Y-%m-%d')`: a DATE as the string pages filter and plot on. */
export const isoDay = (column: string) => sql<string>`strftime(${sql.ref(column)}, '%Y-%m-%d')`;
