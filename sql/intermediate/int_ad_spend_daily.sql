-- int_ad_spend_daily: Meta ad delivery per campaign key × day × currency (grain: campaign day;
-- primary key: campaign_key, date_day, currency).
-- campaign_key maps a Meta campaign to the UTM campaign its ads send: the lower-cased utm_campaign
-- of its ads' url_tags (or creative link), the most common one when ads differ; a campaign whose
-- ads carry none falls back to its name lower-cased with runs of non-alphanumerics as "_"
-- ("Fall Launch 2025" → fall_launch_2025). Sessions match it case-insensitively (their
-- campaign_key is lower(utm_campaign) too). Days are the ad account's days (date_start).
with insights as (
  select * from staging.stg_meta_ads__ad_insights
),

ads as (
  select * from staging.stg_meta_ads__ads
),

ad_campaign_keys as (
  select campaign_id, lower(utm_campaign) as campaign_key, count(*) as ads
  from ads
  where utm_campaign is not null
  group by all
),

campaign_keys as (
  select campaign_id, campaign_key
  from ad_campaign_keys
  qualify row_number() over (partition by campaign_id order by ads desc, campaign_key) = 1
),

keyed as (
  select
    coalesce(
      campaign_keys.campaign_key,
      trim(regexp_replace(lower(insights.campaign_name), '[^a-z0-9]+', '_', 'g'), '_')
    ) as campaign_key,
    insights.*
  from insights
  left join campaign_keys using (campaign_id)
),

final as (
  select
    campaign_key,
    date_day,
    currency,
    string_agg(distinct campaign_name, ' | ' order by campaign_name) as campaign_names,
    sum(spend)::decimal(18, 2) as spend,
    sum(impressions)::bigint as impressions,
    sum(clicks)::bigint as clicks,
    sum(link_clicks)::bigint as link_clicks,
    sum(purchases)::bigint as platform_purchases,
    sum(purchase_value)::decimal(18, 2) as platform_purchase_value
  from keyed
  group by campaign_key, date_day, currency
)

select * from final
