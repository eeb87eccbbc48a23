/**
 * Safe SQL text for identifiers and literals that come from config or APIs. Every table, column
 * and source name reaches SQL through these, so a hostile name can never inject SQL.
 */

/** Quotes an identifier: `my "col"` → `"my ""col"""`. */
export function ident(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a qualified name: `qualified('raw', 't')` → `"raw"."t"`. */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** Quotes a string literal: `it's` → `'it''s'`. */
export function literal(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a SQL literal`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
  return `'${value.replaceAll("'", "''")}'`;
}

/** Checks that a DuckDB type name from config is a plain type, not an injected statement. */
export function sqlType(type: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])?$/.test(type)) {
    throw new Error(`"${type}" is not a DuckDB type name (e.g. VARCHAR, BIGINT, DECIMAL(18,2), TIMESTAMPTZ)`);
  }
  return type;
}
