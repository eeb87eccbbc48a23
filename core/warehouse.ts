/**
 * Opens the warehouse DuckDB file: waits a bounded time when another process holds it, creates
 * the schemas and applies `meta` migrations, and offers small typed query helpers.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { TransientError } from './errors.ts';
import { silentLogger, type Logger } from './log.ts';
import { MIGRATIONS } from './migrations.ts';

/** An open warehouse: the DuckDB instance, one connection, and helpers. */
export interface Warehouse {
  readonly path: string;
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  /** Runs SQL that returns nothing of interest. */
  run(sql: string, params?: DuckDBValue[]): Promise<void>;
  /** Runs a query and returns rows as plain JSON-safe objects (BIGINT → number when safe). */
  all<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  /** Runs `work` inside one transaction; rolls back if it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Opens another connection on the same instance (for parallel model builds). */
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

/** Options for `openWarehouse`. */
export interface OpenOptions {
  /** How long to wait for another process to release the file (default 30 s). */
  lockTimeoutMs?: number;
  readOnly?: boolean;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Skip schema creation and migrations (read-only opens of a published file). */
  migrate?: boolean;
  /** DuckDB's memory limit for this warehouse (default `DEFAULT_MEMORY_LIMIT`). */
  memoryLimit?: string;
}

/**
 * The memory DuckDB may hold for a warehouse unless configured otherwise. DuckDB's own default is
 * 80% of the machine, which loads and builds of large tables take before they spill to disk; with
 * a limit, sorts, joins and aggregates beyond it spill instead of growing the process. The process
 * holds 0.7–1.4 GB more than the limit at its peak (the compute models' JS heap, allocations
 * DuckDB does not count, the allocator's free lists), depending on which models overlap: at 600 MB
 * a scale-10 build mostly peaks at 1.3–1.6 GiB (one run of eight reached 2.0), at 1 GB it peaked
 * at 1.7–1.9 GiB and was no faster; 500 MB saved little more. At 512 MB some scale-10 loads and
 * parallel model builds once ran out of memory (operators DuckDB cannot spill). Raise it on a
 * larger machine.
 */
export const DEFAULT_MEMORY_LIMIT = '600MB';

const LOCK_MESSAGE = /Could not set lock on file|Conflicting lock is held/i;

/** Converts DuckDB values to plain JSON-friendly values for callers. */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Date) return value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

/** Creates the DuckDB instance, retrying while another process holds the file's lock. */
async function createInstance(path: string, options: OpenOptions): Promise<DuckDBInstance> {
  const timeout = options.lockTimeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const log = options.log ?? silentLogger;
  const started = Date.now();
  let delay = 100;
  let warned = false;
  for (;;) {
    try {
      return await DuckDBInstance.create(path, { memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT, ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}) });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (!LOCK_MESSAGE.test(message)) throw error;
      const pid = /PID (\d+)/.exec(message)?.[1];
      if (Date.now() - started >= timeout) {
        throw new TransientError(`warehouse file ${path} is locked by another process${pid ? ` (pid ${pid})` : ''}; waited ${Math.round(timeout / 1000)} s`, {
          cause: error,
          context: { file: path },
          hint: `wait for that process to finish (a running extract, build or scheduler) or stop it${pid ? ` (kill ${pid})` : ''}; analysts should open the published analytics file, not the warehouse`,
        });
      }
      if (!warned) {
        log.warn('warehouse file is in use; waiting', { file: path, pid, timeoutSeconds: Math.round(timeout / 1000) });
        warned = true;
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

/** Applies pending migrations, each in its own transaction with its version row. */
async function migrate(connection: DuckDBConnection): Promise<void> {
  await connection.run('create schema if not exists meta');
  await connection.run('create table if not exists meta.schema_migrations (version integer primary key, name varchar not null, applied_at timestamptz not null)');
  const reader = await connection.runAndReadAll('select coalesce(max(version), 0) as v from meta.schema_migrations');
  const current = Number(reader.getRowObjectsJS()[0]?.['v'] ?? 0);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await connection.run('begin transaction');
    try {
      await connection.run(migration.sql);
      await connection.run('insert into meta.schema_migrations values ($1, $2, now())', [migration.version, migration.name]);
      await connection.run('commit');
    } catch (error) {
      await connection.run('rollback');
      throw new Error(`warehouse migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Opens (creating if needed) the warehouse at `path` and brings `meta` up to date. */
export async function openWarehouse(path: string, options: OpenOptions = {}): Promise<Warehouse> {
  const full = path.startsWith('md:') || path.includes('://') || path === ':memory:' ? path : resolve(path);
  if (full === resolve(path) && !options.readOnly) mkdirSync(dirname(full), { recursive: true });
  const instance = await createInstance(full, options);
  const connection = await instance.connect();
  if (options.migrate !== false && !options.readOnly) await migrate(connection);
  return wrap(full, instance, connection);
}

/** Wraps an instance and connection in the `Warehouse` helpers. */
export function wrap(path: string, instance: DuckDBInstance, connection: DuckDBConnection): Warehouse {
  let depth = 0;
  return {
    path,
    instance,
    connection,
    async run(sql, params) {
      await connection.run(sql, params);
    },
    async all<T>(sql: string, params?: DuckDBValue[]) {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map((row) => plainValue(row) as T);
    },
    async transaction(work) {
      if (depth > 0) return work();
      depth++;
      await connection.run('begin transaction');
      try {
        const result = await work();
        await connection.run('commit');
        return result;
      } catch (error) {
        // The work's own error is the one worth reporting; a failed rollback adds nothing to it
        // (DuckDB aborts the transaction on error anyway).
        await connection.run('rollback').catch(() => undefined);
        throw error;
      } finally {
        depth--;
      }
    },
    connect: () => instance.connect(),
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
