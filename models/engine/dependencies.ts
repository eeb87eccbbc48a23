/**
 * Finds the tables a model's SQL reads, from DuckDB's own parser (`json_serialize_sql`), so a
 * dependency is declared once — in the SQL — and never drifts from it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './connection.ts';

/** A table a query reads: schema (lower-case, `''` when unqualified) and table name. */
export interface TableRef {
  readonly schema: string;
  readonly table: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads the CTE names a query node defines (`with a as (…)`). */
function cteNames(node: { [key: string]: Json }): string[] {
  const cteMap = node['cte_map'];
  if (!cteMap || typeof cteMap !== 'object' || Array.isArray(cteMap)) return [];
  const entries = cteMap['map'];
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry) => (entry && typeof entry === 'object' && !Array.isArray(entry) && typeof entry['key'] === 'string' ? [entry['key'].toLowerCase()] : []));
}

/** Walks the AST, collecting `BASE_TABLE` references that are not CTEs in scope. */
function collect(node: Json, ctes: ReadonlySet<string>, out: Map<string, TableRef>): void {
  if (Array.isArray(node)) {
    for (const child of node) collect(child, ctes, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const defined = cteNames(node);
  // A CTE is visible in the whole node that defines it, its own body included (recursive CTEs).
  const scope = defined.length > 0 ? new Set([...ctes, ...defined]) : ctes;
  if (node['type'] === 'BASE_TABLE' && typeof node['table_name'] === 'string') {
    const schema = typeof node['schema_name'] === 'string' ? node['schema_name'].toLowerCase() : '';
    const catalog = typeof node['catalog_name'] === 'string' ? node['catalog_name'].toLowerCase() : '';
    const table = node['table_name'].toLowerCase();
    const isCte = schema === '' && catalog === '' && scope.has(table);
    // `catalog.schema.table` is kept whole so it fails as an unknown table rather than silently matching.
    if (!isCte) out.set(`${catalog ? `${catalog}.` : ''}${schema}.${table}`, { schema: catalog ? `${catalog}.${schema}` : schema, table });
  }
  for (const value of Object.values(node)) collect(value, scope, out);
}

/** Raised when DuckDB cannot parse a model's SQL, with the parser's message. */
export class SqlParseError extends Error {
  override name = 'SqlParseError';
}

/**
 * Lists the tables `sql` reads (CTE names excluded), using DuckDB's parser.
 *
 * @example
 * await extractTableRefs(conn, 'with o as (select * from raw.shop__orders) select * from o')
 * // → [{ schema: 'raw', table: 'shop__orders' }]
 */
export async function extractTableRefs(conn: DuckDBConnection, sql: string): Promise<TableRef[]> {
  const [row] = await queryRows<{ ast: string }>(conn, 'select json_serialize_sql($1::varchar) as ast', [sql]);
  const ast = JSON.parse(row?.ast ?? '{}') as { [key: string]: Json };
  if (ast['error'] === true) {
    throw new SqlParseError(String(ast['error_message'] ?? 'DuckDB could not parse the SQL'));
  }
  const statements = ast['statements'];
  if (!Array.isArray(statements) || statements.length !== 1) {
    throw new SqlParseError(`a model's SQL holds exactly one select statement; found ${Array.isArray(statements) ? statements.length : 0}`);
  }
  const out = new Map<string, TableRef>();
  collect(statements, new Set(), out);
  return [...out.values()].sort((a, b) => `${a.schema}.${a.table}`.localeCompare(`${b.schema}.${b.table}`));
}
