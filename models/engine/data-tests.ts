/**
 * Data tests: each kind is a query for the rows that break it (`unique`, `not_null`,
 * `accepted_values`, `relationships`, `expression`) or a check of a table's latest timestamp
 * (`freshness`); results, with up to five failing rows, go to `meta.test_results`.
 */
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeError } from '../../core/errors.ts';
import { ident, literal, qualified } from '../../core/sql.ts';
import { queryRows } from './connection.ts';
import type { DataTest, Severity } from './define.ts';
import type { LoadedModel, NamedTest } from './registry.ts';

/** The outcome of one data test. */
export interface TestResult {
  readonly model: string;
  readonly test: string;
  readonly kind: DataTest['kind'];
  readonly severity: Severity;
  /** `error` means the test itself could not run (bad SQL, missing table): it does not pass. */
  readonly status: 'pass' | 'fail' | 'error';
  readonly failingRows: number | null;
  /** Up to five failing rows (for `unique`: the duplicated keys with their count). */
  readonly sample: readonly Record<string, unknown>[];
  readonly error: string | null;
  readonly durationMs: number;
}

/** What tests need from the build: how to find other models, and the clock. */
export interface TestContext {
  readonly models: ReadonlyMap<string, LoadedModel>;
  readonly now: () => Date;
}

/**
 * The rows an incremental merge wrote (a condition on the model's table), and the unique tests
 * that passed after the model last changed before. Such a test is checked on the written rows'
 * keys alone: the table was free of duplicates then, the merge replaced rows key by key (or group
 * by group), so any duplicate now has a written row among its copies. On a web-events table of
 * five million rows that is a few thousand keys instead of all of them.
 */
export interface WrittenRows {
  readonly condition: string;
  readonly uniquePassedBefore: ReadonlySet<string>;
}

const SAMPLE_ROWS = 5;

/** Names a test from what it checks: `unique(order_id)`, `relationships(customer_id → marts.dim_customers.customer_id)`. */
export function testName(test: DataTest): string {
  switch (test.kind) {
    case 'unique':
      return `unique(${test.columns.join(', ')})`;
    case 'not_null':
      return `not_null(${test.column})`;
    case 'accepted_values':
      return `accepted_values(${test.column})`;
    case 'relationships':
      return `relationships(${test.column} → ${test.to}.${test.field})`;
    case 'expression':
      return `expression(${test.expression})`;
    case 'freshness':
      return `freshness(${test.table ? `${test.table}.` : ''}${test.column} ≤ ${test.maxAgeHours}h)`;
  }
}

/** Resolves a table reference from a test: a model name, or `schema.table`. */
function resolveTable(ref: string, ctx: TestContext): string {
  const model = ctx.models.get(ref);
  if (model) return qualified(model.layer, model.name);
  const [schema, table, extra] = ref.split('.');
  if (!schema || !table || extra !== undefined) throw new Error(`"${ref}" is neither a model name nor schema.table`);
  return qualified(schema, table);
}

/** Builds the query returning the rows that fail a row-level test. */
function failingRowsSql(model: LoadedModel, test: Exclude<DataTest, { kind: 'freshness' }>, ctx: TestContext, writtenOnly?: string): string {
  const table = qualified(model.layer, model.name);
  switch (test.kind) {
    case 'unique': {
      const cols = test.columns.map(ident).join(', ');
      const rows = writtenOnly ? `${table} semi join (select distinct ${cols} from ${table} where ${writtenOnly}) as written using (${cols})` : table;
      return `select ${cols}, count(*) as occurrences from ${rows} group by ${cols} having count(*) > 1`;
    }
    case 'not_null':
    case 'accepted_values':
    case 'expression':
      return `select * from ${table} where ${failsWhen(test)}`;
    case 'relationships':
      return `select child.* from ${table} as child where child.${ident(test.column)} is not null
        and not exists (select 1 from ${resolveTable(test.to, ctx)} as parent where parent.${ident(test.field)} = child.${ident(test.column)})`;
  }
}

/** JSON-safe copy of a sample row (BIGINT beyond 2^53 arrives as a string already; dates become ISO text). */
function jsonSafe(row: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}

/** Runs one test and returns failing row count and sample. */
async function evaluate(conn: DuckDBConnection, model: LoadedModel, test: DataTest, ctx: TestContext, writtenOnly?: string): Promise<{ failing: number; sample: Record<string, unknown>[] }> {
  if (test.kind === 'freshness') {
    const table = test.table ? resolveTable(test.table, ctx) : qualified(model.layer, model.name);
    const [row] = await queryRows<{ latest: string | null; age_hours: number | null }>(
      conn,
      `select max(${ident(test.column)})::varchar as latest,
        (epoch_ms($1::timestamptz) - epoch_ms(max(${ident(test.column)})::timestamptz)) / 3600000.0 as age_hours
       from ${table}`,
      [ctx.now().toISOString()],
    );
    const fresh = row?.latest != null && row.age_hours != null && row.age_hours <= test.maxAgeHours;
    const detail = { table: test.table ?? `${model.layer}.${model.name}`, column: test.column, latest: row?.latest ?? null, age_hours: row?.age_hours ?? null, max_age_hours: test.maxAgeHours };
    return fresh ? { failing: 0, sample: [] } : { failing: 1, sample: [detail] };
  }
  const failing = failingRowsSql(model, test, ctx, writtenOnly);
  const [count] = await queryRows<{ n: number }>(conn, `select count(*) as n from (${failing})`);
  const n = Number(count?.n ?? 0);
  return { failing: n, sample: n > 0 ? await sampleRows(conn, failing) : [] };
}

/** Up to `SAMPLE_ROWS` rows of a failing-rows query, JSON-safe. */
async function sampleRows(conn: DuckDBConnection, failing: string): Promise<Record<string, unknown>[]> {
  const rows = await queryRows<Record<string, unknown>>(conn, `select * from (${failing}) limit ${SAMPLE_ROWS}`);
  return rows.map(jsonSafe);
}

/** A row-condition test's failing rows as counted by a shared scan, with its share of the scan's time. */
export interface Counted {
  failing: number;
  durationMs: number;
}

/**
 * Runs one named test; a query error becomes status `error`, never a throw. With `counted` (from a
 * shared scan) only the sample of failing rows is queried.
 */
export async function runDataTest(conn: DuckDBConnection, model: LoadedModel, named: NamedTest, ctx: TestContext, counted?: Counted, written?: WrittenRows): Promise<TestResult> {
  const started = performance.now() - (counted?.durationMs ?? 0);
  const base = { model: model.name, test: named.name, kind: named.test.kind, severity: named.severity };
  try {
    const { failing, sample } = counted
      ? { failing: counted.failing, sample: counted.failing > 0 ? await sampleRows(conn, failingRowsSql(model, named.test as RowCondition, ctx)) : [] }
      : await evaluate(conn, model, named.test, ctx, written?.uniquePassedBefore.has(named.name) ? written.condition : undefined);
    return { ...base, status: failing === 0 ? 'pass' : 'fail', failingRows: failing, sample, error: null, durationMs: performance.now() - started };
  } catch (error) {
    return { ...base, status: 'error', failingRows: null, sample: [], error: describeError(error), durationMs: performance.now() - started };
  }
}

/** The tests that are a condition on single rows of the model's own table. */
type RowCondition = Extract<DataTest, { kind: 'not_null' | 'accepted_values' | 'expression' }>;

function isRowCondition(test: DataTest): test is RowCondition {
  return test.kind === 'not_null' || test.kind === 'accepted_values' || test.kind === 'expression';
}

/**
 * The condition a failing row of `test` meets, when the test looks at nothing but the row itself,
 * so any scan of the model's rows can count it (the contract's, as the model is built). Undefined
 * for other kinds, and for an expression with a subquery: what that reads may change later in the build.
 */
export function ownRowCondition(test: DataTest): string | undefined {
  if (!isRowCondition(test)) return undefined;
  if (test.kind === 'expression' && /\b(select|from)\b/i.test(test.expression)) return undefined;
  return failsWhen(test);
}

/** The condition a failing row meets; where it is NULL the row passes, like a CHECK constraint. */
function failsWhen(test: RowCondition): string {
  switch (test.kind) {
    case 'not_null':
      return `${ident(test.column)} is null`;
    case 'accepted_values':
      // A NULL value is not rejected here; not_null covers it.
      return `${ident(test.column)} not in (${test.values.map(literal).join(', ')})`;
    case 'expression':
      return `not (${test.expression})`;
  }
}

/** Evaluates `aggregates` (counts) over the model's relation in one scan; the results in their order. */
export async function countInOneScan(conn: DuckDBConnection, model: LoadedModel, aggregates: readonly string[]): Promise<number[]> {
  const [row] = await queryRows<Record<string, number>>(conn, `select ${aggregates.map((a, i) => `${a} as ${ident(`n${i}`)}`).join(', ')} from ${qualified(model.layer, model.name)}`);
  return aggregates.map((_, i) => Number(row?.[`n${i}`] ?? 0));
}

/** The aggregate counting the rows that fail a row condition. */
export function failingCount(condition: string): string {
  return `count(*) filter (where ${condition})`;
}

/**
 * Counts the failing rows of several row-condition tests in one scan of the model's table. Why:
 * an incremental build ran ~450 such queries of ~10 ms each, most of the cost being the query,
 * not the scan. Undefined when the combined query fails (a broken expression): the caller then
 * runs each test alone, so the error is reported on the test that has it.
 */
async function countRowConditions(conn: DuckDBConnection, model: LoadedModel, tests: readonly NamedTest[]): Promise<number[] | undefined> {
  return countInOneScan(conn, model, tests.map((named) => failingCount(failsWhen(named.test as RowCondition)))).catch(() => undefined);
}

/**
 * Runs every test of `model` (unique key tests first), in the order they are declared. Row-condition
 * tests share one scan; each is credited an equal part of its time, plus its own sample query.
 * `precounted` holds tests already counted on this same relation (by the build's contract scan);
 * `written`, for a model merged incrementally, narrows its unique tests (see `WrittenRows`).
 */
export async function runModelTests(conn: DuckDBConnection, model: LoadedModel, ctx: TestContext, precounted?: ReadonlyMap<string, Counted>, written?: WrittenRows): Promise<TestResult[]> {
  const shared = new Map<string, Counted>(precounted);
  const rowTests = model.allTests.filter((t) => isRowCondition(t.test) && !shared.has(t.name));
  if (rowTests.length > 1) {
    const started = performance.now();
    const counts = await countRowConditions(conn, model, rowTests);
    const share = (performance.now() - started) / rowTests.length;
    counts?.forEach((failing, i) => shared.set(rowTests[i]!.name, { failing, durationMs: share }));
  }
  const results: TestResult[] = [];
  for (const named of model.allTests) results.push(await runDataTest(conn, model, named, ctx, shared.get(named.name), written));
  return results;
}

/** Appends test results to `meta.test_results`. */
export async function recordTestResults(conn: DuckDBConnection, runId: string, results: readonly TestResult[], testedAt: Date): Promise<void> {
  if (results.length === 0) return;
  // One statement for the model's tests: each autocommitted insert cost ~3 ms, a tenth of an
  // incremental build's test phase.
  const width = 11;
  const rows = results.map((_, i) => {
    const p = (n: number) => `$${i * width + n}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::json, ${p(9)}, ${p(10)}, ${p(11)}::timestamptz)`;
  });
  await conn.run(
    `insert into meta.test_results (run_id, model, test, kind, severity, status, failing_rows, sample, error, duration_ms, tested_at) values ${rows.join(', ')}`,
    results.flatMap((r) => [runId, r.model, r.test, r.kind, r.severity, r.status, r.failingRows, JSON.stringify(r.sample), r.error, Math.round(r.durationMs), testedAt.toISOString()]),
  );
}
