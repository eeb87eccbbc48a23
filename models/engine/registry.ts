/**
 * The models registry: checks a list of model definitions (unique names, SQL files present,
 * contracts that name real columns and types, tests that name contracted columns) and reads
 * each model's SQL, so the build works from one validated list.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import { sqlType } from '../../core/sql.ts';
import { isKeyed, LAYERS, resolveSqlPath, type DataTest, type ModelDef, type Severity } from './define.ts';
import { testName } from './data-tests.ts';

export type { ModelDef } from './define.ts';

/** A data test with its final name and severity. */
export interface NamedTest {
  readonly name: string;
  readonly severity: Severity;
  readonly test: DataTest;
}

/** A validated model with its SQL text and every test it runs (declared and implied by the unique key). */
export interface LoadedModel extends ModelDef {
  /** `layer.name`, unquoted: the model's id in lineage, messages and the `Database` type. */
  readonly relation: string;
  readonly sqlPath: string;
  /** The SQL file's text without a trailing semicolon, ready to wrap as a subquery. */
  readonly sqlText: string;
  /** For a keyed incremental model: the text of its `changed` SQL file, ready to wrap as a subquery. */
  readonly changedSqlText?: string;
  readonly allTests: readonly NamedTest[];
}

const NAME = /^[a-z][a-z0-9_]*$/;
const MATERIALIZATIONS = ['view', 'table', 'incremental'];

/** Strips trailing whitespace and semicolons so the SQL can be wrapped as `(<sql>)`. */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/u, '');
}

/** Lists the tests a model runs: `unique` and `not_null` on its unique key (unless declared), then its own. */
function namedTests(def: ModelDef): NamedTest[] {
  const declared = (def.tests ?? []).map((test) => ({ name: test.name ?? testName(test), severity: test.severity ?? 'error', test }));
  const names = new Set(declared.map((t) => t.name));
  const implied: NamedTest[] = [];
  // The grain is a contract: a duplicate or missing key means every measure downstream is wrong.
  const keyTests: DataTest[] = [{ kind: 'unique', columns: def.uniqueKey }, ...def.uniqueKey.map((column) => ({ kind: 'not_null' as const, column }))];
  for (const test of keyTests) {
    const name = testName(test);
    if (!names.has(name)) implied.push({ name, severity: 'error', test });
  }
  return [...implied, ...declared];
}

/** Collects every problem of one definition as `model.path: message`. */
function problemsOf(def: ModelDef): string[] {
  const problems: string[] = [];
  const at = (path: string, message: string) => problems.push(`${def.name}${path ? `.${path}` : ''}: ${message}`);
  if (!NAME.test(def.name)) at('name', `"${def.name}" is not a lower-case identifier (letters, digits, _)`);
  if (!LAYERS.includes(def.layer)) at('layer', `"${def.layer}" is not one of ${LAYERS.join(', ')}`);
  if (!MATERIALIZATIONS.includes(def.materialized)) at('materialized', `"${def.materialized}" is not one of ${MATERIALIZATIONS.join(', ')}`);
  if (!def.description?.trim()) at('description', 'is empty; say what one row means and where it comes from');
  if (!def.grain?.trim()) at('grain', 'is empty; say what one row is (e.g. "campaign × day")');
  const columns = Object.keys(def.columns ?? {});
  if (columns.length === 0) at('columns', 'the contract names no columns');
  for (const [name, column] of Object.entries(def.columns ?? {})) {
    try {
      sqlType(column.type);
    } catch (error) {
      at(`columns.${name}.type`, (error as Error).message);
    }
    if (!column.description?.trim()) at(`columns.${name}.description`, 'is empty');
  }
  const known = new Set(columns);
  if (def.uniqueKey.length === 0) at('uniqueKey', 'is empty; every model declares the columns that identify a row');
  for (const key of def.uniqueKey) if (!known.has(key)) at('uniqueKey', `"${key}" is not a column of the contract`);
  if (def.materialized === 'incremental') {
    // A compute model is incremental by key (each input computed once); SQL models need a time window.
    if (def.incremental && isKeyed(def.incremental)) {
      const by = def.incremental.by;
      if (!known.has(by)) at('incremental.by', `"${by}" is not a column of the contract`);
      else if (def.columns[by]?.nullable) at('incremental.by', `"${by}" is nullable; a group column must never be NULL (a NULL group could not be found again to rebuild)`);
      if (def.compute) at('incremental', 'a compute model is incremental by its unique key; it takes no incremental settings');
    } else if (def.incremental) {
      if (!known.has(def.incremental.eventTime)) at('incremental.eventTime', `"${def.incremental.eventTime}" is not a column of the contract`);
      if (!Number.isInteger(def.incremental.lookbackDays) || def.incremental.lookbackDays < 0) {
        at('incremental.lookbackDays', `${def.incremental.lookbackDays} is not a whole number of days ≥ 0`);
      }
    } else if (!def.compute) at('incremental', 'an incremental model needs { eventTime, lookbackDays } or { by, changed }');
  } else if (def.incremental) {
    at('incremental', `only incremental models take incremental settings (this one is "${def.materialized}")`);
  }
  for (const test of def.tests ?? []) {
    const name = test.name ?? testName(test);
    const cols = test.kind === 'unique' ? test.columns : test.kind === 'expression' ? [] : test.kind === 'freshness' && test.table ? [] : [test.column];
    for (const col of cols) if (!known.has(col)) at(`tests.${name}`, `"${col}" is not a column of the contract`);
    if (test.kind === 'freshness' && !(test.maxAgeHours > 0)) at(`tests.${name}`, `maxAgeHours must be > 0`);
    if (test.kind === 'accepted_values' && test.values.length === 0) at(`tests.${name}`, 'lists no values');
  }
  const testNames = (def.tests ?? []).map((t) => t.name ?? testName(t));
  for (const dup of testNames.filter((n, i) => testNames.indexOf(n) !== i)) at('tests', `two tests are named "${dup}"; give one a name`);
  return problems;
}

/** Reads one SQL file of a model (`what`: `sql` or `incremental.changed`), or returns why it cannot. */
function readSql(def: ModelDef, file: string, what: string): { path: string; text?: string; problem?: string } {
  const path = resolveSqlPath(file);
  try {
    if (!statSync(path).isFile()) return { path, problem: `${def.name}.${what}: ${path} is not a file` };
    const text = stripTrailingSemicolons(readFileSync(path, 'utf8'));
    if (!text.trim()) return { path, problem: `${def.name}.${what}: ${path} is empty` };
    return { path, text };
  } catch {
    return { path, problem: `${def.name}.${what}: ${file} does not exist (looked at ${path})` };
  }
}

/**
 * Validates model definitions and reads their SQL; throws one `ConfigError` listing every problem.
 */
export function loadModels(list: readonly ModelDef[]): LoadedModel[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const def of list) seen.set(def.name, (seen.get(def.name) ?? 0) + 1);
  for (const [name, count] of seen) if (count > 1) problems.push(`${name}: defined ${count} times; model names are unique across layers`);
  const loaded: LoadedModel[] = [];
  for (const def of list) {
    problems.push(...problemsOf(def));
    const sql = readSql(def, def.sql, 'sql');
    if (sql.problem) problems.push(sql.problem);
    const changed = def.incremental && isKeyed(def.incremental) ? readSql(def, def.incremental.changed, 'incremental.changed') : undefined;
    if (changed?.problem) problems.push(changed.problem);
    loaded.push({
      ...def,
      relation: `${def.layer}.${def.name}`,
      sqlPath: sql.path,
      sqlText: sql.text ?? '',
      ...(changed ? { changedSqlText: changed.text ?? '' } : {}),
      allTests: namedTests(def),
    });
  }
  if (problems.length > 0) {
    throw new ConfigError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in model definitions:\n  ${problems.join('\n  ')}`, {
      hint: 'fix the model definitions (models/) or their SQL files (sql/)',
    });
  }
  return loaded;
}
