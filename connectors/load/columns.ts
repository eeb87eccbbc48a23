/**
 * Derives warehouse columns and their checks from a stream's zod record schema, so a record is
 * validated by DuckDB (declared types, TRY_CAST, SQL checks) instead of row by row in JS, and the
 * schema stays the single statement of what a record looks like.
 */
import { z } from 'zod';

/** One raw-table column with the checks a record's value must pass. */
export interface ColumnSpec {
  name: string;
  /** DuckDB type of the raw column. */
  sqlType: string;
  /** Whether a record may omit the field or send null. */
  nullable: boolean;
  /** Allowed values (zod enums and literals). */
  allowed?: readonly (string | number | boolean)[];
  min?: number;
  max?: number;
}

/** Metadata a schema field may carry: `z.string().meta({ sqlType: 'DECIMAL(18,2)' })`. */
export interface ColumnMeta {
  sqlType?: string;
}

type AnySchema = z.core.$ZodType;

function defOf(schema: AnySchema): { type: string; format?: string; innerType?: AnySchema; options?: AnySchema[]; values?: unknown[]; entries?: Record<string, string | number> } {
  return (schema as unknown as { _zod: { def: ReturnType<typeof defOf> } })._zod.def;
}

function metaOf(schema: AnySchema): ColumnMeta | undefined {
  return z.globalRegistry.get(schema as z.ZodType) as ColumnMeta | undefined;
}

/** Maps one field schema to a column; nested objects and arrays stay JSON, typed later in staging. */
export function columnFor(name: string, field: AnySchema): ColumnSpec {
  let schema = field;
  let nullable = false;
  let meta = metaOf(schema);
  for (;;) {
    const def = defOf(schema);
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'catch') && def.innerType) {
      nullable = true;
      schema = def.innerType;
      meta ??= metaOf(schema);
      continue;
    }
    break;
  }
  const def = defOf(schema);
  const spec: ColumnSpec = { name, sqlType: 'JSON', nullable };
  if (meta?.sqlType) spec.sqlType = meta.sqlType;
  else if (def.type === 'string') {
    spec.sqlType = def.format === 'datetime' ? 'TIMESTAMPTZ' : def.format === 'date' ? 'DATE' : 'VARCHAR';
  } else if (def.type === 'number') {
    const num = schema as unknown as z.ZodNumber;
    spec.sqlType = num.isInt ? 'BIGINT' : 'DOUBLE';
  } else if (def.type === 'int') spec.sqlType = 'BIGINT';
  else if (def.type === 'boolean') spec.sqlType = 'BOOLEAN';
  else if (def.type === 'enum') {
    spec.sqlType = 'VARCHAR';
    spec.allowed = Object.values(def.entries ?? {}).map(String);
  } else if (def.type === 'literal') {
    const values = def.values ?? [];
    spec.sqlType = values.every((v) => typeof v === 'number') ? 'DOUBLE' : values.every((v) => typeof v === 'boolean') ? 'BOOLEAN' : 'VARCHAR';
    spec.allowed = values as (string | number | boolean)[];
  }
  if (def.type === 'number') {
    const num = schema as unknown as z.ZodNumber;
    if (Number.isFinite(num.minValue)) spec.min = num.minValue!;
    if (Number.isFinite(num.maxValue)) spec.max = num.maxValue!;
  }
  return spec;
}

/** Derives every column of a record schema, in declaration order. */
export function columnsFor(schema: z.ZodObject): ColumnSpec[] {
  return Object.entries(schema.shape).map(([name, field]) => columnFor(name, field as AnySchema));
}
