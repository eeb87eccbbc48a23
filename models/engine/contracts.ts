/**
 * Column contracts: compares a built model's actual columns, types and NULLs with what its
 * definition promises, one diff line per column (`fct_x.roas: expected DOUBLE, got DECIMAL(18,2)`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import { ident, qualified, sqlType } from '../../core/sql.ts';
import { queryRows } from './connection.ts';
import type { LoadedModel } from './registry.ts';

/** A model whose output does not match its contract; `diff` has one line per column. */
export class ContractError extends TerminalError {
  override name = 'ContractError';
  readonly diff: readonly string[];

  constructor(model: string, diff: readonly string[]) {
    super(`model ${model} breaks its column contract:\n  ${diff.join('\n  ')}`, {
      hint: `cast the columns in the model's SQL, or change the contract in its definition if the change is intended`,
    });
    this.diff = diff;
  }
}

const canonicalTypes = new Map<string, string>();

/** Spells a type as DuckDB reports it (`TIMESTAMPTZ` → `TIMESTAMP WITH TIME ZONE`, `DECIMAL` → `DECIMAL(18,3)`). */
export async function canonicalType(conn: DuckDBConnection, type: string): Promise<string> {
  const key = type.trim().toUpperCase();
  const known = canonicalTypes.get(key);
  if (known) return known;
  const [row] = await queryRows<{ t: string }>(conn, `select typeof(cast(null as ${sqlType(type.trim())})) as t`);
  const canonical = row?.t ?? key;
  canonicalTypes.set(key, canonical);
  return canonical;
}

/**
 * Lists how the built relation of `model` differs from its contract: wrong types, missing and
 * extra columns, and NULLs in columns not declared nullable. Empty when it matches.
 */
export async function contractDiff(conn: DuckDBConnection, model: LoadedModel): Promise<string[]> {
  const actual = await queryRows<{ column_name: string; data_type: string }>(
    conn,
    `select column_name, data_type from duckdb_columns()
     where database_name = current_database() and schema_name = $1 and table_name = $2 order by column_index`,
    [model.layer, model.name],
  );
  const actualTypes = new Map(actual.map((c) => [c.column_name, c.data_type]));
  const diff: string[] = [];
  const notNull: string[] = [];
  for (const [column, contract] of Object.entries(model.columns)) {
    const got = actualTypes.get(column);
    if (got === undefined) {
      diff.push(`${model.name}.${column}: expected ${contract.type}, got no such column`);
      continue;
    }
    if ((await canonicalType(conn, contract.type)) !== got) diff.push(`${model.name}.${column}: expected ${contract.type}, got ${got}`);
    if (contract.nullable !== true) notNull.push(column);
  }
  for (const { column_name, data_type } of actual) {
    if (!(column_name in model.columns)) diff.push(`${model.name}.${column_name}: expected no such column (not in the contract), got ${data_type}`);
  }
  if (notNull.length > 0) {
    // One scan counts the NULLs of every NOT NULL column at once.
    const counts = notNull.map((c, i) => `count(*) filter (where ${ident(c)} is null) as ${ident(`n${i}`)}`).join(', ');
    const [row] = await queryRows<Record<string, number>>(conn, `select ${counts} from ${qualified(model.layer, model.name)}`);
    notNull.forEach((column, i) => {
      const nulls = Number(row?.[`n${i}`] ?? 0);
      if (nulls > 0) diff.push(`${model.name}.${column}: expected NOT NULL, got ${nulls} NULL row${nulls === 1 ? '' : 's'}`);
    });
  }
  return diff;
}

/** Throws a `ContractError` when the built relation of `model` breaks its contract. */
export async function assertContract(conn: DuckDBConnection, model: LoadedModel): Promise<void> {
  const diff = await contractDiff(conn, model);
  if (diff.length > 0) throw new ContractError(model.name, diff);
}
