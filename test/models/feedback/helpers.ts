/**
 * Shared fixtures for the feedback tests: a warehouse in a temp dir with the raw tables the
 * feedback staging reads (only the columns it reads), stand-in models for the social area's
 * `int_social_texts` and `int_brand_daily` (reading `raw.stand_in__*` tables with exactly their
 * contract's columns), and small insert helpers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildModels, defineModel, type BuildResult, type ModelDef } from '../../../models/engine/index.ts';
import { createMacros } from '../../../models/macros.ts';
import { FEEDBACK_INTERMEDIATE_MODELS } from '../../../models/intermediate/feedback.ts';
import { FEEDBACK_MARTS_MODELS } from '../../../models/marts/feedback.ts';
import { FEEDBACK_STAGING_MODELS } from '../../../models/staging/feedback.ts';
import { sqlFile } from '../engine/helpers.ts';

/** The build clock used by every test. */
export const NOW = new Date('2026-03-10T12:00:00Z');

/** Columns of `intermediate.int_social_texts` as the social area publishes them. */
export const SOCIAL_TEXT_COLUMNS = {
  text_id: 'VARCHAR',
  source: 'VARCHAR',
  platform: 'VARCHAR',
  kind: 'VARCHAR',
  created_at: 'TIMESTAMPTZ',
  text: 'VARCHAR',
  lang: 'VARCHAR',
  author_key: 'VARCHAR',
  is_brand: 'BOOLEAN',
  thread_id: 'VARCHAR',
  parent_text_id: 'VARCHAR',
  mentioned_brand: 'VARCHAR',
} as const;

/** Columns of `intermediate.int_brand_daily` as the social area publishes them. */
export const BRAND_DAILY_COLUMNS = {
  day: 'DATE',
  brand: 'VARCHAR',
  is_own_brand: 'BOOLEAN',
  platform: 'VARCHAR',
  followers: 'BIGINT',
  posts: 'BIGINT',
  mentions: 'BIGINT',
  engagements: 'BIGINT',
} as const;

const NULLABLE_SOCIAL = new Set(['lang', 'author_key', 'thread_id', 'parent_text_id', 'mentioned_brand']);
const NULLABLE_BRAND = new Set(['followers', 'posts', 'mentions', 'engagements']);

function contract(columns: Record<string, string>, nullable: Set<string>): Record<string, { type: string; description: string; nullable?: true }> {
  return Object.fromEntries(Object.entries(columns).map(([name, type]) => [name, { type, description: `stand-in ${name}`, ...(nullable.has(name) ? { nullable: true as const } : {}) }]));
}

/** Stand-ins for the social area's intermediate models, over `raw.stand_in__*` tables. */
export function socialStandIns(dir: string): ModelDef[] {
  return [
    defineModel({
      name: 'int_social_texts',
      layer: 'intermediate',
      sql: sqlFile(dir, 'int_social_texts', 'select * from raw.stand_in__social_texts'),
      materialized: 'view',
      grain: 'text',
      uniqueKey: ['text_id'],
      description: 'Stand-in for the social area model.',
      columns: contract(SOCIAL_TEXT_COLUMNS, NULLABLE_SOCIAL),
    }),
    defineModel({
      name: 'int_brand_daily',
      layer: 'intermediate',
      sql: sqlFile(dir, 'int_brand_daily', 'select * from raw.stand_in__brand_daily'),
      materialized: 'view',
      grain: 'day × brand × platform',
      uniqueKey: ['day', 'brand', 'platform'],
      description: 'Stand-in for the social area model.',
      columns: contract(BRAND_DAILY_COLUMNS, NULLABLE_BRAND),
    }),
  ];
}

/** Every feedback model. */
export const FEEDBACK_MODELS: readonly ModelDef[] = [...FEEDBACK_STAGING_MODELS, ...FEEDBACK_INTERMEDIATE_MODELS, ...FEEDBACK_MARTS_MODELS];

const RAW_TABLES = [
  `create table raw.zendesk__tickets (id bigint primary key, created_at timestamptz, updated_at timestamptz, via json, status varchar, priority varchar,
     type varchar, requester_id bigint, assignee_id bigint, satisfaction_rating json, tags json)`,
  `create table raw.zendesk__ticket_comments (id bigint primary key, ticket_id varchar, author_id bigint, body varchar, plain_body varchar, public boolean,
     type varchar, via json, created_at timestamptz)`,
  `create table raw.zendesk__ticket_metrics (ticket_id bigint primary key, replies bigint, reopens bigint, solved_at timestamptz, reply_time_in_minutes json,
     first_resolution_time_in_minutes json, full_resolution_time_in_minutes json)`,
  `create table raw.zendesk__satisfaction_ratings (id bigint primary key, ticket_id bigint, score varchar, comment varchar, requester_id bigint, created_at timestamptz)`,
  `create table raw.zendesk__users (id bigint primary key, name varchar, email varchar, external_id varchar, role varchar, locale varchar, created_at timestamptz)`,
  `create table raw.surveys__responses (response_id varchar primary key, survey varchar, score bigint, responded_at timestamptz, customer_id varchar,
     respondent_email varchar, order_id varchar, ticket_id varchar, comment varchar, lang varchar)`,
  `create table raw.surveys__reviews (review_id varchar primary key, product_id varchar, customer_id varchar, order_id varchar, rating bigint, title varchar,
     body varchar, lang varchar, created_at timestamptz, verified_buyer boolean)`,
  `create table raw.stand_in__social_texts (${Object.entries(SOCIAL_TEXT_COLUMNS).map(([c, t]) => `${c} ${t}`).join(', ')})`,
  `create table raw.stand_in__brand_daily (${Object.entries(BRAND_DAILY_COLUMNS).map(([c, t]) => `${c} ${t}`).join(', ')})`,
];

/** Opens a fresh warehouse with the macros and empty raw tables. */
export async function setupFeedbackWarehouse(): Promise<{ wh: Warehouse; dir: string; models: ModelDef[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-feedback-'));
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  await createMacros(wh);
  for (const sql of RAW_TABLES) await wh.run(sql);
  // Source tables carry the loader's stamps, which keyed incremental models read (the stand-ins for other areas' models do not).
  for (const table of RAW_TABLES.map((sql) => /create table (raw\.\w+)/.exec(sql)![1]!).filter((t) => !t.startsWith('raw.stand_in__'))) {
    await wh.run(`alter table ${table} add column _loaded_at timestamptz default now()`);
    await wh.run(`alter table ${table} add column _run_id varchar default 'test'`);
  }
  return { wh, dir, models: [...socialStandIns(dir), ...FEEDBACK_MODELS] };
}

/** Builds the models with the test clock and fails loudly on any model or test failure. */
export async function buildAll(wh: Warehouse, models: readonly ModelDef[], select?: string[]): Promise<BuildResult> {
  const result = await buildModels(wh, models, { now: () => NOW, ...(select ? { select } : {}) });
  const problems = [
    ...result.models.filter((m) => m.status === 'failed' || m.status === 'skipped').map((m) => `${m.model}: ${m.error}`),
    ...result.tests.filter((t) => t.severity === 'error' && t.status !== 'pass').map((t) => `${t.model} ${t.test}: ${t.status} ${t.failingRows ?? ''} ${t.error ?? ''}`),
  ];
  if (problems.length > 0) throw new Error(`build failed:\n${problems.join('\n')}`);
  return result;
}

/** Inserts rows into a table, columns by the keys of the first row (values as SQL parameters). */
export async function insertRows(wh: Warehouse, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    const values = cols.map((c) => {
      const v = row[c];
      return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    });
    await wh.run(`insert into ${table} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, values as never);
  }
}

/** A social text row for the stand-in table, with defaults for the optional columns. */
export function socialText(t: Partial<Record<keyof typeof SOCIAL_TEXT_COLUMNS, unknown>> & { text_id: string; created_at: string; text: string }): Record<string, unknown> {
  return {
    source: 'facebook',
    platform: 'facebook',
    kind: 'comment',
    lang: 'en',
    author_key: 'p_author',
    is_brand: false,
    thread_id: null,
    parent_text_id: null,
    mentioned_brand: null,
    ...t,
  };
}
