import { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/build.ts';
import type { DataTest, ModelDef } from '../../../models/engine/define.ts';
import { adHocModel, NOW, setupWarehouse, stgCustomers } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
  vi.restoreAllMocks();
});

const ROWS = `select * from (values
  (1, 'a', 10, 'c1'),
  (2, 'b', -5, 'c2'),
  (2, 'z', 3, 'c404'),
  (4, null, 0, null)
) as t(id, kind, amount, customer_id)`;

const CLEAN = `select * from (values (1, 'a', 10, 'c1'), (2, 'b', 0, 'c2'), (3, 'a', 3, null)) as t(id, kind, amount, customer_id)`;

const COLUMNS = {
  id: { type: 'INTEGER', description: 'Row id.' },
  kind: { type: 'VARCHAR', description: 'Kind.', nullable: true },
  amount: { type: 'INTEGER', description: 'Amount.' },
  customer_id: { type: 'VARCHAR', description: 'Customer.', nullable: true },
} as const;

const TESTS: DataTest[] = [
  { kind: 'not_null', column: 'kind', severity: 'warn' },
  { kind: 'accepted_values', column: 'kind', values: ['a', 'b'] },
  { kind: 'relationships', column: 'customer_id', to: 'stg_shop__customers', field: 'customer_id' },
  { kind: 'expression', expression: 'amount >= 0' },
  { kind: 'freshness', table: 'raw.shop__orders', column: '_loaded_at', maxAgeHours: 24, name: 'orders loaded within a day' },
];

/** Records every query the engine reads results of, from now until the test ends. */
function captureQueries(): string[] {
  const statements: string[] = [];
  const read = DuckDBConnection.prototype.runAndReadAll;
  vi.spyOn(DuckDBConnection.prototype, 'runAndReadAll').mockImplementation(function (this: DuckDBConnection, sql: string, ...rest: unknown[]) {
    statements.push(sql);
    return (read as (...a: unknown[]) => ReturnType<typeof read>).call(this, sql, ...rest);
  });
  return statements;
}

function model(dir: string, name: string, sql: string, tests: DataTest[] = TESTS): ModelDef {
  return adHocModel(dir, name, sql, { columns: COLUMNS, tests });
}

describe('data tests', () => {
  it('report each kind failing with its failing rows, and severity decides whether the build is ok', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const result = await buildModels(wh, [stgCustomers, model(dir, 'tested', ROWS)], { now: () => NOW, runId: 'r-fail' });
    expect(result.ok).toBe(false);
    const byName = Object.fromEntries(result.tests.filter((t) => t.model === 'tested').map((t) => [t.test, t]));
    expect(Object.keys(byName)).toEqual([
      'unique(id)',
      'not_null(id)',
      'not_null(kind)',
      'accepted_values(kind)',
      'relationships(customer_id → stg_shop__customers.customer_id)',
      'expression(amount >= 0)',
      'orders loaded within a day',
    ]);
    expect(byName['unique(id)']).toMatchObject({ status: 'fail', severity: 'error', failingRows: 1, sample: [{ id: 2, occurrences: 2 }] });
    expect(byName['not_null(id)']).toMatchObject({ status: 'pass', failingRows: 0, sample: [] });
    expect(byName['not_null(kind)']).toMatchObject({ status: 'fail', severity: 'warn', failingRows: 1, sample: [{ id: 4, kind: null, amount: 0, customer_id: null }] });
    // NULL is not a value to accept or reject; not_null covers it.
    expect(byName['accepted_values(kind)']).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 2, kind: 'z', amount: 3, customer_id: 'c404' }] });
    expect(byName['relationships(customer_id → stg_shop__customers.customer_id)']).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ customer_id: 'c404' }] });
    expect(byName['expression(amount >= 0)']).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 2, kind: 'b', amount: -5 }] });
    expect(byName['orders loaded within a day']).toMatchObject({
      status: 'fail',
      failingRows: 1,
      sample: [{ table: 'raw.shop__orders', column: '_loaded_at', latest: '2026-03-07 00:00:00+00', age_hours: 84, max_age_hours: 24 }],
    });

    const stored = await wh.all<{ test: string; severity: string; status: string; failing_rows: number; sample: string }>(
      `select test, severity, status, failing_rows, sample::varchar as sample from meta.test_results where run_id = 'r-fail' and model = 'tested' order by seq`,
    );
    expect(stored.map((r) => [r.test, r.severity, r.status, r.failing_rows])).toEqual([
      ['unique(id)', 'error', 'fail', 1],
      ['not_null(id)', 'error', 'pass', 0],
      ['not_null(kind)', 'warn', 'fail', 1],
      ['accepted_values(kind)', 'error', 'fail', 1],
      ['relationships(customer_id → stg_shop__customers.customer_id)', 'error', 'fail', 1],
      ['expression(amount >= 0)', 'error', 'fail', 1],
      ['orders loaded within a day', 'error', 'fail', 1],
    ]);
    expect(JSON.parse(stored[0]?.sample ?? '')).toEqual([{ id: 2, occurrences: 2 }]);
  });

  it('pass on clean data; a warn-severity failure alone leaves the build ok', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const clock = () => new Date('2026-03-07T12:00:00Z');
    const clean = await buildModels(wh, [stgCustomers, model(dir, 'tested', CLEAN)], { now: clock });
    expect(clean.tests.filter((t) => t.status !== 'pass')).toEqual([]);
    expect(clean.ok).toBe(true);

    const warnOnly = model(dir, 'warned', CLEAN.replace(`'a', 10`, `null, 10`), [{ kind: 'not_null', column: 'kind', severity: 'warn' }]);
    const result = await buildModels(wh, [warnOnly], { now: clock });
    expect(result.tests.find((t) => t.test === 'not_null(kind)')).toMatchObject({ status: 'fail', severity: 'warn' });
    expect(result.ok).toBe(true);
  });

  it('samples at most five failing rows and counts them all', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const many = adHocModel(dir, 'many', 'select range::integer as id from range(12)', { tests: [{ kind: 'expression', expression: 'id > 100', severity: 'warn' }] });
    const result = await buildModels(wh, [many]);
    expect(result.tests.find((t) => t.kind === 'expression')).toMatchObject({ failingRows: 12 });
    expect(result.tests.find((t) => t.kind === 'expression')?.sample).toHaveLength(5);
  });

  it('record a test that cannot run as an error, not a pass', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const broken = adHocModel(dir, 'broken_test', 'select 1 as id', { tests: [{ kind: 'expression', expression: 'no_such_column > 0' }] });
    const result = await buildModels(wh, [broken]);
    const t = result.tests.find((r) => r.kind === 'expression');
    expect(t).toMatchObject({ status: 'error', failingRows: null });
    expect(t?.error).toMatch(/no_such_column/);
    expect(result.ok).toBe(false);
  });
  it('count the contract and the row-condition tests of a model in one scan, with the same results', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const statements = captureQueries();
    const result = await buildModels(wh, [stgCustomers, model(dir, 'tested', ROWS)], { now: () => NOW });
    const perTest = statements.filter((q) => /^select count\(\*\) as n from \(select \* from "\w+"\."tested" where/.test(q));
    const scans = statements.filter((q) => q.includes('count(*) filter') && q.includes('"tested"'));
    expect(perTest).toEqual([]);
    expect(scans).toHaveLength(1);
    // The contract's NOT NULL columns (id, amount; not_null(id) is the same condition, counted once),
    // then not_null(kind), accepted_values(kind), expression(amount >= 0).
    expect(scans[0]).toMatch(/^select count\(\*\) filter \(where "id" is null\) as "n0", count\(\*\) filter \(where "amount" is null\) as "n1", .*"kind" is null.*"kind" not in \('a', 'b'\).*not \(amount >= 0\)/s);
    expect(scans[0]?.match(/"id" is null/g)).toHaveLength(1);
    const byName = Object.fromEntries(result.tests.filter((t) => t.model === 'tested').map((t) => [t.test, t]));
    expect(byName['not_null(id)']).toMatchObject({ status: 'pass', failingRows: 0, sample: [] });
    expect(byName['not_null(kind)']).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 4, kind: null }] });
    expect(byName['accepted_values(kind)']).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 2, kind: 'z' }] });
    expect(byName['expression(amount >= 0)']).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 2, amount: -5 }] });
  });

  it('check a view\'s key in its contract scan: a pass needs no query of its own, a duplicate is still counted and sampled', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const statements = captureQueries();
    const asView = (name: string, sql: string) => ({ ...model(dir, name, sql, []), materialized: 'view' as const });
    // Keys (1, NULL) twice in the second view: NULLs are equal for a key, as in GROUP BY.
    const twoPartKey = { ...asView('pairs', `select * from (values (1, 'a'), (1, null), (1, null), (3, null)) as t(id, kind)`), uniqueKey: ['id', 'kind'], columns: { id: COLUMNS.id, kind: COLUMNS.kind } };
    const result = await buildModels(wh, [asView('clean_view', CLEAN), asView('dup_view', ROWS), twoPartKey], { now: () => NOW });
    const byModel = (m: string) => result.tests.find((t) => t.model === m && t.kind === 'unique');
    expect(byModel('clean_view')).toMatchObject({ status: 'pass', failingRows: 0 });
    expect(byModel('dup_view')).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 2, occurrences: 2 }] });
    expect(byModel('pairs')).toMatchObject({ status: 'fail', failingRows: 1, sample: [{ id: 1, kind: null, occurrences: 2 }] });
    expect(statements.filter((q) => q.includes('"clean_view"') && q.includes('group by'))).toEqual([]);
    expect(statements.filter((q) => q.includes('"dup_view"') && q.includes('group by'))).not.toEqual([]);
  });

  it('count an expression that reads another table when tests run, after every model is built', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    // early's check reads later, which is built after it from early: counted with early's contract,
    // it would see later's rows of the build before.
    const columns = { id: { type: 'INTEGER', description: 'Row id.' } } as const;
    const models = (id: number) => [
      adHocModel(dir, 'early', `select ${id} as id`, { columns, tests: [{ kind: 'expression', expression: 'id + 1 in (select id from marts.later)' }] }),
      adHocModel(dir, 'later', `select id + 1 as id from marts.early`, { columns }),
    ];
    const first = await buildModels(wh, models(1), { now: () => NOW });
    expect(first.tests.find((t) => t.model === 'early' && t.kind === 'expression')).toMatchObject({ status: 'pass', failingRows: 0 });
    const statements = captureQueries();
    const second = await buildModels(wh, models(5), { now: () => NOW });
    expect(second.models.map((m) => [m.model, m.status])).toEqual([['early', 'succeeded'], ['later', 'succeeded']]);
    const contractScan = statements.find((q) => q.includes('count(*) filter') && q.includes('"early"'));
    expect(contractScan).toBeDefined();
    expect(contractScan).not.toContain('marts.later');
    expect(second.tests.find((t) => t.model === 'early' && t.kind === 'expression')).toMatchObject({ status: 'pass', failingRows: 0 });
  });

  it('report a broken test among row-condition tests as the one in error, and still run the others', async () => {
    const { wh: opened, dir } = await setupWarehouse();
    wh = opened;
    const tests: DataTest[] = [
      { kind: 'accepted_values', column: 'kind', values: ['a', 'b'] },
      { kind: 'expression', expression: 'no_such_column > 0' },
      { kind: 'expression', expression: 'amount >= 0' },
    ];
    const result = await buildModels(wh, [model(dir, 'mixed', ROWS, tests)], { now: () => NOW });
    const byName = Object.fromEntries(result.tests.map((t) => [t.test, t]));
    expect(byName['expression(no_such_column > 0)']).toMatchObject({ status: 'error', failingRows: null });
    expect(byName['expression(no_such_column > 0)']?.error).toMatch(/no_such_column/);
    expect(byName['accepted_values(kind)']).toMatchObject({ status: 'fail', failingRows: 1 });
    expect(byName['expression(amount >= 0)']).toMatchObject({ status: 'fail', failingRows: 1 });
    expect(byName['not_null(id)']).toMatchObject({ status: 'pass', failingRows: 0 });
  });
});
