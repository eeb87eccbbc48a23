/**
 * Column contracts: compares a built model's actual columns, types and NULLs with what its
 * definition promises, one diff line per column (`fct_x.roas: expected DOUBLE, got DECIMAL(18,2)`).
 */
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import { ident, sqlType } from '../../core/sql.ts';
import { queryRows } from './connection.ts';
import { countInOneScan, failingCount, ownRowCondition, type Counted } from './data-tests.ts';
import type { LoadedModel, NamedTest } from './registry.ts';

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

/** What one contract scan found. */
interface ContractCheck {
  /** How the relation differs from its contract, one line per column; empty when it matches. */
  readonly diff: string[];
  /** Failing rows of the row-condition tests counted in the same scan (and the passing unique tests of a view), by test name. */
  readonly testCounts: ReadonlyMap<string, Counted>;
}

/**
 * Lists how the built relation of `model` differs from its contract: wrong types, missing and
 * extra columns, and NULLs in columns not declared nullable. Empty when it matches.
 */
export async function contractDiff(conn: DuckDBConnection, model: LoadedModel): Promise<string[]> {
  return (await checkContract(conn, model, [])).diff;
}

/**
 * Checks the contract of `model`'s built relation and, in the same scan, counts the failing rows of
 * those `tests` that look at single rows only. Why: the contract scan and the tests' scan read the
 * same rows, and for the many view models each scan runs the view's whole query again. A test whose
 * condition cannot run (a broken expression) is left uncounted, to be reported on its own later.
 */
async function checkContract(conn: DuckDBConnection, model: LoadedModel, tests: readonly NamedTest[]): Promise<ContractCheck> {
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
  // One scan counts the NULLs of every NOT NULL column and the failing rows of the row tests; a
  // test's condition equal to the contract's (not_null on a NOT NULL column) is counted once.
  const counts = notNull.map((c) => failingCount(`${ident(c)} is null`));
  const contractCounts = counts.length;
  const tested = new Map<string, number>();
  // Unique tests too, for views only: a view's every scan runs its query again, while a table's key
  // test reads one column and is better left to the test phase, off the build's longest chains.
  // Only a pass is known from the count; a duplicate is counted and sampled by the test itself.
  const uniques = new Map<string, number>();
  for (const named of tests) {
    if (named.test.kind === 'unique' && model.materialized === 'view') {
      uniques.set(named.name, counts.push(`count(*) - count(distinct row(${named.test.columns.map(ident).join(', ')}))`) - 1);
      continue;
    }
    const condition = ownRowCondition(named.test);
    if (condition === undefined) continue;
    const count = failingCount(condition);
    const at = counts.indexOf(count);
    tested.set(named.name, at >= 0 ? at : counts.push(count) - 1);
  }
  const counted = new Map<string, Counted>();
  if (counts.length > 0) {
    const started = performance.now();
    const found = await countInOneScan(conn, model, counts).catch(async () => {
      // A test's condition is broken: count the contract alone; the tests run (and fail) on their own.
      tested.clear();
      uniques.clear();
      return contractCounts > 0 ? countInOneScan(conn, model, counts.slice(0, contractCounts)) : [];
    });
    const share = (performance.now() - started) / counts.length;
    notNull.forEach((column, i) => {
      const nulls = found[i] ?? 0;
      if (nulls > 0) diff.push(`${model.name}.${column}: expected NOT NULL, got ${nulls} NULL row${nulls === 1 ? '' : 's'}`);
    });
    for (const [name, at] of tested) counted.set(name, { failing: found[at] ?? 0, durationMs: share });
    for (const [name, at] of uniques) if (found[at] === 0) counted.set(name, { failing: 0, durationMs: share });
  }
  return { diff, testCounts: counted };
}

/**
 * Throws a `ContractError` when the built relation of `model` breaks its contract; otherwise returns
 * the failing rows of the row-condition `tests` counted in the same scan.
 */
export async function assertContract(conn: DuckDBConnection, model: LoadedModel, tests: readonly NamedTest[] = []): Promise<ReadonlyMap<string, Counted>> {
  const { diff, testCounts } = await checkContract(conn, model, tests);
  if (diff.length > 0) throw new ContractError(model.name, diff);
  return testCounts;
}
