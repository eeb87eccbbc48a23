/**
 * Meta Marketing API record schemas, mirroring its field names, and the source config. The API
 * sends metrics as strings (`"spend": "12.34"`, `"impressions": "1043"`); the columns type them
 * (DECIMAL for money, BIGINT for counts). `actions` and `action_values` stay JSON arrays of
 * `{action_type, value}`, which staging pivots (purchases, link clicks, conversion value).
 */
import { z } from 'zod';
import { graphAccessToken, graphApiVersion, graphBaseUrl, startDate } from '../facebook/graph.ts';

// Graph sends `2025-11-02T14:03:11+0000`; DuckDB's TIMESTAMPTZ cast reads that offset form.
const graphTimestamp = z.iso.datetime({ offset: true });
const count = z.string().meta({ sqlType: 'BIGINT' });
const money = z.string().meta({ sqlType: 'DECIMAL(18,2)' });
const actionList = z.array(z.object({ action_type: z.string(), value: z.string() }).loose());

/** Insights fields requested at ad level, one row per ad × day × publisher platform. */
export const INSIGHTS_FIELDS = [
  'account_id',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'adset_id',
  'adset_name',
  'ad_id',
  'ad_name',
  'spend',
  'impressions',
  'reach',
  'clicks',
  'inline_link_clicks',
  'actions',
  'action_values',
] as const;

/**
 * `GET /act_{id}/insights?level=ad&time_increment=1&breakdowns=publisher_platform`: delivery and
 * results of one ad on one day on one platform (facebook, instagram, …). Spend is in the account
 * currency (`account_currency`); conversions are `actions[action_type=purchase]` and their value
 * `action_values[action_type=purchase]`, which grow for days as attribution windows close.
 */
export const adInsightRecord = z.object({
  account_id: z.string(),
  account_currency: z.string().length(3),
  campaign_id: z.string(),
  campaign_name: z.string(),
  adset_id: z.string(),
  adset_name: z.string(),
  ad_id: z.string(),
  ad_name: z.string(),
  date_start: z.iso.date(),
  date_stop: z.iso.date(),
  publisher_platform: z.string(),
  spend: money,
  impressions: count,
  reach: count.nullish(),
  clicks: count.nullish(),
  inline_link_clicks: count.nullish(),
  actions: actionList.nullish(),
  action_values: actionList.nullish(),
});

/** Delivery statuses of campaigns, ad sets and ads. */
const status = z.enum(['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED']);

/** `GET /act_{id}/campaigns`: campaigns with objective, status and budget (minor units, as a string). */
export const campaignRecord = z.object({
  id: z.string(),
  name: z.string(),
  objective: z.string(),
  status,
  effective_status: z.string().nullish(),
  daily_budget: count.nullish(),
  start_time: graphTimestamp.nullish(),
  stop_time: graphTimestamp.nullish(),
  created_time: graphTimestamp,
  updated_time: graphTimestamp,
});

/** `GET /act_{id}/adsets`: ad sets with their campaign. */
export const adSetRecord = z.object({
  id: z.string(),
  name: z.string(),
  campaign_id: z.string(),
  status,
  effective_status: z.string().nullish(),
  created_time: graphTimestamp,
  updated_time: graphTimestamp,
});

/**
 * `GET /act_{id}/ads?fields=…,creative{id,name,url_tags,object_story_spec}`: ads with the creative
 * that carries the landing link (`object_story_spec.link_data.link`) and the UTM parameters Meta
 * appends to it (`url_tags`, which may hold macros such as `{{ad.name}}`).
 */
export const adRecord = z.object({
  id: z.string(),
  name: z.string(),
  adset_id: z.string(),
  campaign_id: z.string(),
  status,
  effective_status: z.string().nullish(),
  created_time: graphTimestamp,
  updated_time: graphTimestamp,
  creative: z.object({ id: z.string(), name: z.string().optional(), url_tags: z.string().optional(), object_story_spec: z.unknown().optional() }).loose().nullish(),
});

/** The `meta_ads` source config. */
export const metaAdsConfigSchema = z
  .object({
    type: z.literal('meta_ads'),
    adAccountId: z.string().regex(/^act_\d+$/, 'the ad account id with its act_ prefix, e.g. act_1234567890').describe('the ad account to read (Ads Manager → account id, prefixed act_)'),
    accessToken: graphAccessToken.describe('a system-user or user access token with ads_read: write env("VARIABLE_NAME")'),
    baseUrl: graphBaseUrl,
    apiVersion: graphApiVersion,
    startDate,
    attributionLookbackDays: z
      .number()
      .int()
      .min(0)
      .max(28)
      .default(7)
      .describe('days of insights re-read on every run, because conversions are restated until the attribution window (7-day click by default) closes'),
    windowDays: z.number().int().min(1).max(90).default(14).describe('days of insights asked per request; smaller windows keep large accounts under the synchronous endpoint’s limits'),
    pageSize: z.number().int().min(1).max(1000).default(500).describe('records asked per page'),
    asyncReports: z.boolean().default(false).describe('read insights through async report jobs (create, poll, download), as Meta advises for large accounts'),
    asyncPollSeconds: z.number().positive().default(5).describe('seconds between polls of an async report job'),
    concurrency: z.number().int().positive().max(16).default(4).describe('requests in flight at once'),
  })
  .strict();

/** A validated `meta_ads` source config. */
export type MetaAdsConfig = z.output<typeof metaAdsConfigSchema>;
