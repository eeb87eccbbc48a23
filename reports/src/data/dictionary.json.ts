/**
 * The data dictionary from the COMMENTs in the published file (duckdb_tables / duckdb_columns),
 * and the lineage graph rendered from the model definitions, as `pulse docs` writes it.
 */
import { sql } from 'kysely';
import { DuckDBInstance } from '@duckdb/node-api';
import { isMain, runLoader, type Loader } from '../../lib/analytics.ts';
import { discoverLineage, loadModels, renderDocs } from '../../../models/engine/index.ts';
import { PRODUCT_MODELS } from '../../../models/index.ts';

/** Renders the lineage with DuckDB's parser in a private in-memory database (as `pulse docs` does). */
async function lineage() {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    try {
      return renderDocs(PRODUCT_MODELS, await discoverLineage(conn, loadModels(PRODUCT_MODELS))).json;
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

const load: Loader = async ({ db, section }) => ({
  tables: await section(['meta.published'], async () =>
    (
      await sql<{ schema: string; table: string; kind: string; comment: string | null; rows: number | null }>`
        select schema_name as schema, table_name as "table", 'table' as kind, comment, cast(estimated_size as double) as rows from duckdb_tables() where database_name = current_database() and schema_name in ('marts', 'meta')
        union all select schema_name, view_name, 'view', comment, null from duckdb_views() where database_name = current_database() and schema_name in ('marts', 'meta') and not internal
        order by 1, 2`.execute(db)
    ).rows,
  ),
  columns: await section(['meta.published'], async () =>
    (
      await sql<{ schema: string; table: string; column: string; type: string; nullable: boolean; comment: string | null }>`
        select schema_name as schema, table_name as "table", column_name as "column", data_type as type, is_nullable as nullable, comment
        from duckdb_columns() where database_name = current_database() and schema_name = 'marts' order by schema_name, table_name, column_index`.execute(db)
    ).rows,
  ),
  lineage: await section([], lineage),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
