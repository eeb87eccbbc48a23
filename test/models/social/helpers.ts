/**
 * Shared fixtures of the social model tests: a temp warehouse with the product macros, raw tables
 * created with just the columns the staging models read, and a build of the social models.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildModels, type BuildResult } from '../../../models/engine/index.ts';
import { createMacros } from '../../../models/macros.ts';
import { SOCIAL_INTERMEDIATE_MODELS } from '../../../models/intermediate/social.ts';
import { SOCIAL_MARTS_MODELS } from '../../../models/marts/social.ts';
import { SOCIAL_STAGING_MODELS } from '../../../models/staging/social.ts';

/** Every model of the social area. */
export const SOCIAL_MODELS = [...SOCIAL_STAGING_MODELS, ...SOCIAL_INTERMEDIATE_MODELS, ...SOCIAL_MARTS_MODELS] as const;

/** The raw tables the social staging models read, with the columns they read (and the loader's). */
export const RAW_TABLES: Record<string, string> = {
  'facebook__page_insights': `name varchar, period varchar, "values" json, id varchar, day date`,
  'facebook__posts': `id varchar, created_time timestamptz, message varchar, permalink_url varchar, status_type varchar, shares json, comments json, reactions json, insights json`,
  'facebook__post_comments': `id varchar, message varchar, created_time timestamptz, "from" json, parent json, like_count bigint, comment_count bigint, is_hidden boolean, post_id varchar`,
  'facebook__conversations': `id varchar, updated_time timestamptz, participants json, messages json`,
  'instagram__account_insights': `name varchar, period varchar, "values" json, id varchar, day date`,
  'instagram__account_totals': `name varchar, period varchar, total_value json, id varchar, day date`,
  'instagram__media': `id varchar, caption varchar, media_type varchar, media_product_type varchar, "timestamp" timestamptz, permalink varchar, like_count bigint, comments_count bigint, insights json`,
  'instagram__media_comments': `id varchar, text varchar, "timestamp" timestamptz, username varchar, like_count bigint, "from" json, hidden boolean, replies json, media_id varchar`,
  'instagram__tags': `id varchar, caption varchar, media_type varchar, media_product_type varchar, "timestamp" timestamptz, username varchar, like_count bigint, comments_count bigint`,
  'instagram__account_snapshots': `code double, body varchar, snapshot_at timestamptz`,
  'x__tweets': `id varchar, text varchar, created_at timestamptz, author_id varchar, conversation_id varchar, lang varchar, public_metrics json, entities json, non_public_metrics json`,
  'x__replies': `id varchar, text varchar, created_at timestamptz, author_id varchar, conversation_id varchar, lang varchar, public_metrics json, entities json, in_reply_to_user_id varchar, referenced_tweets json`,
  'x__mentions': `id varchar, text varchar, created_at timestamptz, author_id varchar, conversation_id varchar, lang varchar, public_metrics json, entities json, in_reply_to_user_id varchar, referenced_tweets json`,
  'x__users_daily': `id varchar, name varchar, username varchar, public_metrics json, snapshot_date date`,
  'x__mention_counts': `start timestamptz, "end" timestamptz, tweet_count bigint, user_id varchar, brand_label varchar, query varchar`,
  'linkedin__share_statistics_daily': `organizationalEntity varchar, totalShareStatistics json, timeRange json, day date`,
  'linkedin__follower_statistics_daily': `organizationalEntity varchar, followerGains json, timeRange json, day date`,
  'linkedin__posts': `id varchar, author varchar, commentary varchar, visibility varchar, lifecycleState varchar, content json, createdAt bigint, publishedAt bigint`,
  'linkedin__post_statistics': `organizationalEntity varchar, share varchar, totalShareStatistics json, post_urn varchar`,
  'linkedin__comments': `id varchar, commentUrn varchar, actor varchar, object varchar, message json, created json, parentComment varchar, likesSummary json, post_urn varchar`,
  'youtube__playlist_items': `id varchar, snippet json, contentDetails json, status json`,
  'youtube__videos': `id varchar, snippet json, contentDetails json, statistics json`,
  'youtube__comment_threads': `id varchar, snippet json, replies json, video_id varchar`,
  'youtube__channels_daily': `id varchar, snippet json, statistics json, snapshot_date date`,
};

/** Opens a fresh warehouse with the macros and every social raw table, empty. */
export async function emptySocialWarehouse(): Promise<Warehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-social-'));
  const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  await createMacros(wh);
  for (const [table, columns] of Object.entries(RAW_TABLES)) {
    await wh.run(`create table raw.${table} (${columns}, _loaded_at timestamptz default '2026-03-10T00:00:00Z', _run_id varchar default 'r1')`);
  }
  return wh;
}

/** Inserts rows (objects by column name; objects and arrays become JSON text) into a raw table. */
export async function insertRaw(wh: Warehouse, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    const values = columns.map((c) => {
      const v = row[c];
      return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    });
    await wh.run(`insert into raw.${table} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values as never);
  }
}

/** Builds every social model; fails the test with each failure's message when one does not build. */
export async function buildSocial(wh: Warehouse): Promise<BuildResult> {
  const result = await buildModels(wh, SOCIAL_MODELS, { now: () => new Date('2026-03-10T12:00:00Z') });
  const failed = result.models.filter((m) => m.status !== 'succeeded');
  if (failed.length) throw new Error(failed.map((m) => `${m.model}: ${m.status} ${m.error ?? m.blockedBy ?? ''}`).join('\n'));
  return result;
}
