/**
 * A Kysely dialect over `@duckdb/node-api`. DuckDB's SQL is close enough to PostgreSQL's for
 * Kysely's Postgres query compiler (double-quoted identifiers, `$1` parameters, `returning`),
 * so only the driver and the introspector (DuckDB lacks some pg_catalog functions Kysely's
 * Postgres introspector calls) are DuckDB-specific. (The `kysely-duckdb` package targets the deprecated
 * `duckdb` binding, not `@duckdb/node-api`.)
 *
 * @example
 * const db = new Kysely<Database<typeof models>>({ dialect: new DuckDBDialect({ instance }) });
 * await db.selectFrom('marts.fct_orders').select(['order_id', 'revenue']).where('revenue', '>', 10).execute();
 * // select "order_id", "revenue" from "marts"."fct_orders" where "revenue" > $1
 */
import { DuckDBInstance, JSDuckDBValueConverter, timestampTZValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import {
  CompiledQuery,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  PostgresAdapter,
  PostgresQueryCompiler,
  sql,
  type DatabaseConnection,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type SchemaMetadata,
  type TableMetadata,
  type TransactionSettings,
} from 'kysely';

/** Configuration of `DuckDBDialect`. */
export interface DuckDBDialectConfig {
  /** An open instance (e.g. `warehouse.instance`), or a factory called once on first use. */
  readonly instance: DuckDBInstance | (() => Promise<DuckDBInstance>);
  /** Runs once per new connection (e.g. `set TimeZone = 'UTC'`). */
  readonly onCreateConnection?: (connection: DuckDBConnection) => Promise<void>;
  /** Close the instance on `db.destroy()`; default false, since callers usually share it. */
  readonly closeInstance?: boolean;
}

/** Converts a result value to what the `Database` types promise: BIGINT → number when exact. */
function fromDuckDB(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(fromDuckDB);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromDuckDB(v)]));
  }
  return value;
}

/** Converts a query parameter to a DuckDB value; dates bind as TIMESTAMPTZ so they compare with any timestamp. */
function toDuckDB(value: unknown): DuckDBValue {
  if (value === undefined) return null;
  if (value instanceof Date) return timestampTZValue(BigInt(value.getTime()) * 1000n);
  return value as DuckDBValue;
}

/** One DuckDB connection as Kysely sees it. */
class DuckDBKyselyConnection implements DatabaseConnection {
  constructor(readonly connection: DuckDBConnection) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Keep the caller's stack: DuckDB's errors come from native code with none of our frames.
    const callerStack = new Error().stack;
    try {
      const reader = await this.connection.runAndReadAll(compiled.sql, compiled.parameters.map(toDuckDB));
      const kind = compiled.query.kind;
      const isWrite = kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode' || kind === 'MergeQueryNode';
      const hasReturning = isWrite && 'returning' in compiled.query && compiled.query.returning !== undefined;
      // A write without `returning` yields DuckDB's one-row `Count` result, which is not a row of the table.
      const rows = isWrite && !hasReturning ? [] : (reader.getRowObjectsJS().map(fromDuckDB) as R[]);
      return isWrite ? { rows, numAffectedRows: BigInt(hasReturning ? rows.length : reader.rowsChanged) } : { rows };
    } catch (error) {
      if (error instanceof Error && callerStack) error.stack = `${error.stack ?? error.message}\n${callerStack.split('\n').slice(1).join('\n')}`;
      throw error;
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.connection.stream(compiled.sql, compiled.parameters.map(toDuckDB));
    let rows: R[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const names = result.columnNames();
      for (const values of chunk.convertRows(JSDuckDBValueConverter)) {
        rows.push(Object.fromEntries(names.map((n, i) => [n, fromDuckDB(values[i])])) as R);
        if (rows.length >= chunkSize) {
          yield { rows };
          rows = [];
        }
      }
    }
    if (rows.length > 0) yield { rows };
  }
}

/** Hands out DuckDB connections, reusing idle ones (a DuckDB connection runs one query at a time). */
export class DuckDBDriver implements Driver {
  readonly #config: DuckDBDialectConfig;
  #instance: DuckDBInstance | undefined;
  readonly #idle: DuckDBKyselyConnection[] = [];
  readonly #all = new Set<DuckDBKyselyConnection>();

  constructor(config: DuckDBDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    this.#instance = this.#config.instance instanceof DuckDBInstance ? this.#config.instance : await this.#config.instance();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (!this.#instance) throw new Error('the DuckDB driver has been destroyed or was never initialised');
    const connection = new DuckDBKyselyConnection(await this.#instance.connect());
    await this.#config.onCreateConnection?.(connection.connection);
    this.#all.add(connection);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // DuckDB has one isolation level (snapshot); refusing others beats silently ignoring them.
    if (settings.isolationLevel && settings.isolationLevel !== 'snapshot' && settings.isolationLevel !== 'serializable') {
      throw new Error(`DuckDB transactions are snapshot-isolated; isolation level "${settings.isolationLevel}" is not available`);
    }
    await connection.executeQuery(CompiledQuery.raw('begin transaction'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#idle.push(connection as DuckDBKyselyConnection);
  }

  async destroy(): Promise<void> {
    for (const c of this.#all) c.connection.closeSync();
    this.#all.clear();
    this.#idle.length = 0;
    if (this.#config.closeInstance) this.#instance?.closeSync();
    this.#instance = undefined;
  }
}

/** Postgres adapter minus advisory locks, which DuckDB lacks (it allows one writing process anyway). */
export class DuckDBAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Lists schemas, tables and columns from DuckDB's `information_schema` and `duckdb_columns()`. */
export class DuckDBIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select schema_name as name from information_schema.schemata
      where catalog_name = current_database() and schema_name not in ('information_schema', 'pg_catalog') order by 1`.execute(this.#db);
    return rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; table: string; is_view: boolean; column: string; data_type: string; is_nullable: boolean; has_default: boolean; comment: string | null }>`
      select c.schema_name as schema, c.table_name as table, t.table_type = 'VIEW' as is_view, c.column_name as column,
        c.data_type, c.is_nullable, c.column_default is not null as has_default, c.comment
      from duckdb_columns() c
      join information_schema.tables t on t.table_catalog = c.database_name and t.table_schema = c.schema_name and t.table_name = c.table_name
      where c.database_name = current_database() and not c.internal
      order by c.schema_name, c.table_name, c.column_index`.execute(this.#db);
    const internal = new Set([DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE]);
    const tables = new Map<string, TableMetadata>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && internal.has(r.table)) continue;
      const key = `${r.schema}.${r.table}`;
      const table = tables.get(key) ?? { schema: r.schema, name: r.table, isView: r.is_view, columns: [] };
      tables.set(key, table);
      table.columns.push({
        name: r.column,
        dataType: r.data_type,
        isNullable: r.is_nullable,
        hasDefaultValue: r.has_default,
        // DuckDB sequences are explicit defaults (`nextval(...)`), never implicit identity columns.
        isAutoIncrementing: false,
        ...(r.comment ? { comment: r.comment } : {}),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** The Kysely dialect for DuckDB through `@duckdb/node-api`. */
export class DuckDBDialect implements Dialect {
  readonly #config: DuckDBDialectConfig;

  constructor(config: DuckDBDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new DuckDBDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new DuckDBAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new DuckDBIntrospector(db);
  }
}
