import { describe, expect, it } from 'vitest';
import { META_TABLES, type MetaColumn } from '../../core/meta-schema.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';

/** A column as compared: name, DuckDB type, nullability and whether it has a default. */
type Column = [name: string, { type: string; nullable: boolean; hasDefault: boolean }];

/** Every `meta` table of the warehouse with its columns in table order, as DuckDB reports them. */
async function actualMetaTables(wh: Warehouse): Promise<Record<string, Column[]>> {
  const rows = await wh.all<{ table_name: string; column_name: string; data_type: string; is_nullable: boolean; has_default: boolean }>(
    `select table_name, column_name, data_type, is_nullable, column_default is not null as has_default
     from duckdb_columns() where database_name = current_database() and schema_name = 'meta'
     order by table_name, column_index`,
  );
  const tables: Record<string, Column[]> = {};
  for (const r of rows) (tables[`meta.${r.table_name}`] ??= []).push([r.column_name, { type: r.data_type, nullable: r.is_nullable, hasDefault: r.has_default }]);
  return tables;
}

/** The typed description in the same shape. */
function describedMetaTables(): Record<string, Column[]> {
  return Object.fromEntries(
    Object.entries(META_TABLES as Record<string, Record<string, MetaColumn>>).map(([table, columns]) => [
      table,
      Object.entries(columns).map(([name, c]): Column => [name, { type: c.type, nullable: c.nullable === true, hasDefault: c.hasDefault === true }]),
    ]),
  );
}

describe('the meta schema description', () => {
  it('equals a freshly migrated warehouse: the same tables, and per table the same columns in order with type, nullability and default', async () => {
    const wh = await openWarehouse(':memory:');
    try {
      const actual = await actualMetaTables(wh);
      expect(Object.keys(actual).sort()).toEqual(Object.keys(META_TABLES).sort());
      for (const [table, columns] of Object.entries(describedMetaTables())) expect(actual[table], table).toEqual(columns);
      // One table spelt out by hand, so the comparison is known to read what the migration made.
      expect(actual['meta.stream_state']).toEqual([
        ['source', { type: 'VARCHAR', nullable: false, hasDefault: false }],
        ['stream', { type: 'VARCHAR', nullable: false, hasDefault: false }],
        ['cursor', { type: 'VARCHAR', nullable: true, hasDefault: false }],
        ['updated_at', { type: 'TIMESTAMP WITH TIME ZONE', nullable: false, hasDefault: false }],
        ['run_id', { type: 'VARCHAR', nullable: false, hasDefault: false }],
      ]);
    } finally {
      wh.close();
    }
  });

  it('notices a column a migration adds without updating the description', async () => {
    const wh = await openWarehouse(':memory:');
    try {
      await wh.run(`alter table meta.job_ticks add column note varchar`);
      const actual = await actualMetaTables(wh);
      expect(actual['meta.job_ticks']).not.toEqual(describedMetaTables()['meta.job_ticks']);
      expect(actual['meta.job_ticks']?.at(-1)).toEqual(['note', { type: 'VARCHAR', nullable: true, hasDefault: false }]);
    } finally {
      wh.close();
    }
  });
});
