import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse, plainValue, type Warehouse } from '../../core/warehouse.ts';
import { buildCommand } from '../../jobs/commands/build.ts';
import { docsCommand } from '../../jobs/commands/docs.ts';
import { publishCommand } from '../../jobs/commands/publish.ts';
import type { CommandContext } from '../../jobs/context.ts';
import { buildStep, publishStep } from '../../jobs/steps.ts';
import { defineModel, type ModelDef } from '../../models/engine/index.ts';
import { runPulse, writeConfig } from '../support/cli.ts';

let dir: string;
let output: string[];
let open: Warehouse[] = [];

/** A small project: orders with UTM fields → a staging view → a daily mart that calls channel_group. */
function project(root: string): ModelDef[] {
  writeFileSync(
    join(root, 'stg_shop__orders.sql'),
    `-- grain: order; primary key: order_id
with source as (select * from raw.shop__orders),
final as (
  select order_id, total::decimal(18,2) as total_amount, cast(ordered_at as date) as order_date,
         utm_source, utm_medium, utm_campaign
  from source
)
select * from final`,
  );
  writeFileSync(
    join(root, 'fct_channel_daily.sql'),
    `-- grain: day × channel group; primary key: order_date, channel_group
with orders as (select * from staging.stg_shop__orders),
final as (
  select order_date, channel_group(utm_source, utm_medium, utm_campaign) as channel_group,
         count(*) as orders, sum(total_amount) as revenue
  from orders
  group by all
)
select * from final`,
  );
  const stg = defineModel({
    name: 'stg_shop__orders',
    layer: 'staging',
    sql: join(root, 'stg_shop__orders.sql'),
    materialized: 'view',
    grain: 'order',
    uniqueKey: ['order_id'],
    description: 'Shop orders with their landing UTM fields.',
    columns: {
      order_id: { type: 'VARCHAR', description: 'Shop order id.' },
      total_amount: { type: 'DECIMAL(18,2)', description: 'Order total.' },
      order_date: { type: 'DATE', description: 'Day of the order (UTC).' },
      utm_source: { type: 'VARCHAR', description: 'utm_source of the landing URL.', nullable: true },
      utm_medium: { type: 'VARCHAR', description: 'utm_medium of the landing URL.', nullable: true },
      utm_campaign: { type: 'VARCHAR', description: 'utm_campaign of the landing URL.', nullable: true },
    },
  });
  const fct = defineModel({
    name: 'fct_channel_daily',
    layer: 'marts',
    sql: join(root, 'fct_channel_daily.sql'),
    materialized: 'table',
    grain: 'day × channel group',
    uniqueKey: ['order_date', 'channel_group'],
    description: 'Orders and revenue per day and GA4 default channel group.',
    columns: {
      order_date: { type: 'DATE', description: 'Day (UTC).' },
      channel_group: { type: 'VARCHAR', description: 'GA4 default channel group of the landing UTM fields.' },
      orders: { type: 'BIGINT', description: 'Orders that day from that channel.' },
      revenue: { type: 'DECIMAL(38,2)', description: 'Sum of order totals.' },
    },
    tests: [{ kind: 'expression', expression: 'revenue >= 0' }],
  });
  return [stg, fct];
}

/** A command context over a config in `root`, capturing stdout. */
function context(root: string, json: boolean): CommandContext {
  const config = parseConfig({ warehouse: { path: 'warehouse.duckdb', analyticsPath: 'published/analytics.duckdb' } }, root, undefined);
  return {
    flags: { json, logLevel: 'error', logFormat: 'text' },
    config,
    log: silentLogger,
    out: (text) => output.push(text),
    tty: false,
    openWarehouse: () => openWarehouse(config.warehouse.path),
    sources: async () => [],
    sample: false,
    close: async () => {},
  };
}

async function withWarehouse<T>(work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  open.push(wh);
  try {
    return await work(wh);
  } finally {
    wh.close();
    open = open.filter((w) => w !== wh);
  }
}

async function queryFile<T = Record<string, unknown>>(path: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => plainValue(r) as T);
    conn.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-build-publish-'));
  output = [];
  await withWarehouse(async (wh) => {
    await wh.run(`create table raw.shop__orders (order_id varchar primary key, total double, ordered_at timestamptz,
      utm_source varchar, utm_medium varchar, utm_campaign varchar, _loaded_at timestamptz, _run_id varchar)`);
    await wh.run(`insert into raw.shop__orders values
      ('o1', 10, '2026-03-01T10:00:00Z', 'google', 'cpc', 'brand', now(), 'r0'),
      ('o2', 20, '2026-03-01T11:00:00Z', 'google', 'cpc', 'brand', now(), 'r0'),
      ('o3', 5, '2026-03-01T12:00:00Z', 'facebook', 'referral', null, now(), 'r0'),
      ('o4', 7, '2026-03-02T09:00:00Z', '(direct)', '(none)', null, now(), 'r0')`);
  });
});
afterEach(() => {
  for (const wh of open) wh.close();
  open = [];
});

describe('pulse build and publish', () => {
  it('creates the macros, builds, publishes the marts with channel_group, and records both runs', async () => {
    const models = project(dir);
    const ctx = context(dir, true);
    expect(await buildCommand(ctx, [], { models })).toBe(0);
    const build = JSON.parse(output.pop()!) as { status: string; ok: boolean; models: { model: string; status: string; rows: number | null }[]; tests: { status: string }[] };
    expect(build).toMatchObject({ status: 'succeeded', ok: true });
    expect(build.models.map((m) => [m.model, m.status, m.rows])).toEqual([
      ['stg_shop__orders', 'succeeded', null],
      ['fct_channel_daily', 'succeeded', 3],
    ]);
    expect(build.tests.every((t) => t.status === 'pass')).toBe(true);

    expect(await publishCommand(ctx, { models })).toBe(0);
    const published = JSON.parse(output.pop()!) as { status: string; path: string; tables: string[]; bytes: number };
    expect(published).toMatchObject({ status: 'succeeded', path: join(dir, 'published', 'analytics.duckdb'), tables: ['marts.fct_channel_daily'] });
    expect(published.bytes).toBeGreaterThan(0);

    // An analyst's view of the published file: the mart, and the macro to classify their own data.
    expect(await queryFile(published.path, `select order_date::varchar d, channel_group, orders, revenue::double revenue from marts.fct_channel_daily order by all`)).toEqual([
      { d: '2026-03-01', channel_group: 'Organic Social', orders: 1, revenue: 5 },
      { d: '2026-03-01', channel_group: 'Paid Search', orders: 2, revenue: 30 },
      { d: '2026-03-02', channel_group: 'Direct', orders: 1, revenue: 7 },
    ]);
    expect(await queryFile(published.path, `select channel_group('youtube', 'cpv', null) g, (select count(*) from channel_group_rules()) rules`)).toEqual([{ g: 'Paid Video', rules: 19 }]);

    const runs = await withWarehouse((wh) => wh.all<{ job: string; status: string; error: string | null }>(`select job, status, error from meta.runs order by started_at`));
    expect(runs).toEqual([
      { job: 'build', status: 'succeeded', error: null },
      { job: 'publish', status: 'succeeded', error: null },
    ]);
  });

  it('prints failing tests, exits 1, and withholds the publish while an error-severity test fails', async () => {
    const models = project(dir);
    // A first good build and publish, so there is a published file to protect.
    await withWarehouse(async (wh) => {
      expect((await buildStep(wh, { log: silentLogger, models })).status).toBe('succeeded');
      expect((await publishStep(wh, { log: silentLogger, models, analyticsPath: join(dir, 'published', 'analytics.duckdb') })).status).toBe('succeeded');
    });
    const target = join(dir, 'published', 'analytics.duckdb');
    const before = digest(target);
    await withWarehouse((wh) => wh.run(`insert into raw.shop__orders values ('o5', -100, '2026-03-03T09:00:00Z', 'bing', 'organic', null, now(), 'r1')`));

    const ctx = context(dir, false);
    expect(await buildCommand(ctx, [], { models })).toBe(1);
    const text = output.pop()!;
    expect(text).toMatch(/^build \S+: partial in /);
    expect(text).toMatch(/fct_channel_daily\s+succeeded\s+full\s+4/);
    expect(text).toContain('tests that did not pass:\n  error  fct_channel_daily expression(revenue >= 0): 1 failing row');

    expect(await publishCommand(ctx, { models })).toBe(1);
    const withheld = output.pop()!.split('\n');
    expect(withheld[0]).toMatch(/^publish \S+: withheld — .*analytics\.duckdb was left as it was$/);
    expect(withheld.slice(1)).toEqual([
      '1 error-severity data test did not pass:',
      '  fct_channel_daily expression(revenue >= 0): 1 failing row',
      'fix the data or the model, run `pulse build`, then publish again',
    ]);
    expect(digest(target)).toBe(before);

    const runs = await withWarehouse((wh) => wh.all<{ job: string; status: string; error: string | null }>(`select job, status, error from meta.runs order by started_at`));
    expect(runs.slice(2).map((r) => [r.job, r.status])).toEqual([
      ['build', 'partial'],
      ['publish', 'failed'],
    ]);
    expect(runs[3]!.error).toContain('publish withheld: 1 error-severity data test did not pass: fct_channel_daily expression(revenue >= 0): 1 failing row');
  });

  it('pulse docs writes the dictionary and the lineage, by default beside the warehouse', async () => {
    const models = project(dir);
    const ctx = context(dir, false);
    expect(await docsCommand(ctx, { models })).toBe(0);
    const docsDir = join(dir, 'docs');
    expect(output.pop()!.split('\n')).toEqual([
      'docs for 2 models:',
      `  ${join(docsDir, 'data-dictionary.md')}`,
      `  ${join(docsDir, 'lineage.mmd')}`,
      `  ${join(docsDir, 'lineage.json')}`,
    ]);
    expect(readFileSync(join(docsDir, 'data-dictionary.md'), 'utf8')).toContain('### marts.fct_channel_daily');
    expect(readFileSync(join(docsDir, 'lineage.mmd'), 'utf8')).toContain('staging_stg_shop__orders --> marts_fct_channel_daily');
    const lineage = JSON.parse(readFileSync(join(docsDir, 'lineage.json'), 'utf8')) as { edges: { from: string; to: string }[] };
    expect(lineage.edges).toEqual([
      { from: 'raw.shop__orders', to: 'staging.stg_shop__orders' },
      { from: 'staging.stg_shop__orders', to: 'marts.fct_channel_daily' },
    ]);

    const out = join(dir, 'elsewhere');
    expect(await docsCommand(context(dir, true), { models, out })).toBe(0);
    expect(existsSync(join(out, 'lineage.json'))).toBe(true);
  });
});

describe('the pulse CLI registers build, publish, docs and export', () => {
  it('runs them on the product models with no source loaded yet (models without sources left out, nothing failed) and checks export’s --to', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pulse-cli-models-'));
    const config = writeConfig(root, { warehouse: { path: 'data/warehouse.duckdb', analyticsPath: 'data/analytics.duckdb' } });
    const build = await runPulse(['build', '--config', config, '--json', '--full-refresh']);
    expect(build.code, build.stderr).toBe(0);
    const built = JSON.parse(build.stdout) as { status: string; ok: boolean; models: { status: string; missingSource?: boolean }[] };
    expect(built).toMatchObject({ status: 'succeeded', ok: true });
    expect(built.models.length).toBeGreaterThan(0);
    // Seed models (fx rates, A/B variants, influencers) read no source and build; everything else is left out.
    expect(built.models.every((m) => m.status === 'succeeded' || (m.status === 'skipped' && m.missingSource))).toBe(true);
    expect(built.models.filter((m) => m.missingSource).length).toBeGreaterThan(40);
    expect(build.stderr).toContain('models whose source tables are not loaded are left out');
    const publish = await runPulse(['publish', '--config', config]);
    expect(publish.code, publish.stderr).toBe(0);
    expect(publish.stdout).toContain(`file    ${join(root, 'data', 'analytics.duckdb')}`);
    const docs = await runPulse(['docs', '--config', config, '--out', join(root, 'docs')]);
    expect(docs.code, docs.stderr).toBe(0);
    expect(existsSync(join(root, 'docs', 'data-dictionary.md'))).toBe(true);
    const noTarget = await runPulse(['export', '--config', config]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('pulse export needs --to DIR');
    const exported = await runPulse(['export', '--config', config, '--to', join(root, 'lake'), '--raw']);
    expect(exported.code, exported.stderr).toBe(0);
  });
});
