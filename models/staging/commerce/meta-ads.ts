/**
 * Staging of the Meta Marketing API streams: daily ad insights with purchases pivoted out of the
 * actions arrays, and the campaign → ad set → ad tree with each ad's UTM tags.
 */
import { defineModel } from '../../engine/index.ts';

export const stgMetaAdsAdInsights = defineModel({
  name: 'stg_meta_ads__ad_insights',
  layer: 'staging',
  sql: 'sql/staging/stg_meta_ads__ad_insights.sql',
  materialized: 'view',
  grain: 'ad × day × publisher platform',
  uniqueKey: ['ad_id', 'date_day', 'publisher_platform'],
  tags: ['commerce', 'meta_ads'],
  description:
    'Meta ad insights per ad, day and publisher platform. Spend is in the ad account currency (currency); purchases and purchase_value are the `purchase` entries of actions / action_values ' +
    '(Meta\'s deduplicated purchases; restated until the attribution window closes).',
  columns: {
    ad_id: { type: 'VARCHAR', description: 'Meta ad id.' },
    date_day: { type: 'DATE', description: 'Day of delivery (ad account time zone).' },
    publisher_platform: { type: 'VARCHAR', description: 'facebook, instagram, audience_network, messenger.' },
    account_id: { type: 'VARCHAR', description: 'Ad account id.' },
    currency: { type: 'VARCHAR', description: 'Ad account currency (ISO).' },
    campaign_id: { type: 'VARCHAR', description: 'Meta campaign id.' },
    campaign_name: { type: 'VARCHAR', description: 'Meta campaign name.' },
    adset_id: { type: 'VARCHAR', description: 'Meta ad set id.' },
    adset_name: { type: 'VARCHAR', description: 'Meta ad set name.' },
    ad_name: { type: 'VARCHAR', description: 'Meta ad name.' },
    spend: { type: 'DECIMAL(18,2)', description: 'Amount spent, in currency.' },
    impressions: { type: 'BIGINT', description: 'Impressions.' },
    reach: { type: 'BIGINT', description: 'Accounts reached that day (not additive across days).', nullable: true },
    clicks: { type: 'BIGINT', description: 'All clicks.' },
    link_clicks: { type: 'BIGINT', description: 'Clicks on links to the destination (inline_link_clicks).' },
    purchases: { type: 'BIGINT', description: 'Purchases Meta attributes to the ad (actions[purchase]).' },
    purchase_value: { type: 'DECIMAL(18,2)', description: 'Value of those purchases (action_values[purchase]).' },
  },
  tests: [{ kind: 'expression', expression: 'spend >= 0 and impressions >= 0 and clicks >= 0' }],
});

export const stgMetaAdsCampaigns = defineModel({
  name: 'stg_meta_ads__campaigns',
  layer: 'staging',
  sql: 'sql/staging/stg_meta_ads__campaigns.sql',
  materialized: 'view',
  grain: 'campaign',
  uniqueKey: ['campaign_id'],
  tags: ['commerce', 'meta_ads'],
  description: 'Meta campaigns with objective, status and daily budget (major units of the account currency).',
  columns: {
    campaign_id: { type: 'VARCHAR', description: 'Meta campaign id.' },
    campaign_name: { type: 'VARCHAR', description: 'Campaign name.' },
    objective: { type: 'VARCHAR', description: 'Campaign objective (OUTCOME_SALES, …).' },
    status: { type: 'VARCHAR', description: 'Configured status, lower-case.' },
    effective_status: { type: 'VARCHAR', description: 'Effective status, lower-case.', nullable: true },
    daily_budget_amount: { type: 'DECIMAL(18,2)', description: 'Daily budget in the account currency (minor units / 100).', nullable: true },
    started_at: { type: 'TIMESTAMPTZ', description: 'Scheduled start.', nullable: true },
    stopped_at: { type: 'TIMESTAMPTZ', description: 'Scheduled stop.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'Created.' },
    updated_at: { type: 'TIMESTAMPTZ', description: 'Last updated.' },
  },
});

export const stgMetaAdsAdsets = defineModel({
  name: 'stg_meta_ads__adsets',
  layer: 'staging',
  sql: 'sql/staging/stg_meta_ads__adsets.sql',
  materialized: 'view',
  grain: 'ad set',
  uniqueKey: ['adset_id'],
  tags: ['commerce', 'meta_ads'],
  description: 'Meta ad sets with their campaign.',
  columns: {
    adset_id: { type: 'VARCHAR', description: 'Meta ad set id.' },
    adset_name: { type: 'VARCHAR', description: 'Ad set name.' },
    campaign_id: { type: 'VARCHAR', description: 'Meta campaign id.' },
    status: { type: 'VARCHAR', description: 'Configured status, lower-case.' },
    effective_status: { type: 'VARCHAR', description: 'Effective status, lower-case.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'Created.' },
    updated_at: { type: 'TIMESTAMPTZ', description: 'Last updated.' },
  },
});

export const stgMetaAdsAds = defineModel({
  name: 'stg_meta_ads__ads',
  layer: 'staging',
  sql: 'sql/staging/stg_meta_ads__ads.sql',
  materialized: 'view',
  grain: 'ad',
  uniqueKey: ['ad_id'],
  tags: ['commerce', 'meta_ads'],
  description:
    'Meta ads with the creative\'s landing link and UTM tags: each utm_* from creative.url_tags, else from the link\'s query. Dynamic parameters are resolved when the ad row knows them ' +
    '({{ad.id}}, {{ad.name}}, {{adset.id}}, {{campaign.id}}); others ({{site_source_name}}, {{placement}}) vary per impression and leave the parameter NULL.',
  columns: {
    ad_id: { type: 'VARCHAR', description: 'Meta ad id.' },
    ad_name: { type: 'VARCHAR', description: 'Ad name.' },
    adset_id: { type: 'VARCHAR', description: 'Meta ad set id.' },
    campaign_id: { type: 'VARCHAR', description: 'Meta campaign id.' },
    status: { type: 'VARCHAR', description: 'Configured status, lower-case.' },
    effective_status: { type: 'VARCHAR', description: 'Effective status, lower-case.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'Created.' },
    updated_at: { type: 'TIMESTAMPTZ', description: 'Last updated.' },
    creative_id: { type: 'VARCHAR', description: 'Creative id.', nullable: true },
    url_tags: { type: 'VARCHAR', description: 'URL parameters Meta appends to the link, as configured.', nullable: true },
    link_url: { type: 'VARCHAR', description: 'Landing link of the creative.', nullable: true },
    utm_source: { type: 'VARCHAR', description: 'utm_source (NULL when dynamic or absent).', nullable: true },
    utm_medium: { type: 'VARCHAR', description: 'utm_medium.', nullable: true },
    utm_campaign: { type: 'VARCHAR', description: 'utm_campaign, as configured (matched lower-cased downstream).', nullable: true },
    utm_content: { type: 'VARCHAR', description: 'utm_content (macros resolved when possible).', nullable: true },
    utm_term: { type: 'VARCHAR', description: 'utm_term.', nullable: true },
    utm_source_is_dynamic: { type: 'BOOLEAN', description: 'utm_source is a per-impression macro such as {{site_source_name}}.' },
    utm_content_is_dynamic: { type: 'BOOLEAN', description: 'utm_content is a macro the ad row cannot resolve.' },
  },
});
