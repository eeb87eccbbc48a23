-- stg_meta_ads__ad_insights: one row per ad × day × publisher platform (grain: ad insight day;
-- primary key: ad_id, date_day, publisher_platform).
-- Spend is in the ad account's currency (account_currency → currency), on the ad account's day.
-- purchases / purchase_value are the `purchase` entries of actions / action_values (Meta's
-- deduplicated purchase count across pixel and API; the offsite_conversion.fb_pixel_purchase
-- entries repeat them and are not added). link_clicks is inline_link_clicks.
with source as (
  select * from raw.meta_ads__ad_insights
),

actions_typed as (
  select
    *,
    from_json(actions, '[{"action_type":"VARCHAR","value":"VARCHAR"}]') as action_list,
    from_json(action_values, '[{"action_type":"VARCHAR","value":"VARCHAR"}]') as action_value_list
  from source
),

renamed as (
  select
    ad_id,
    date_start as date_day,
    lower(publisher_platform) as publisher_platform,
    account_id,
    upper(account_currency) as currency,
    campaign_id,
    campaign_name,
    adset_id,
    adset_name,
    ad_name,
    cast(spend as decimal(18, 2)) as spend,
    coalesce(impressions, 0)::bigint as impressions,
    reach::bigint as reach,
    coalesce(clicks, 0)::bigint as clicks,
    coalesce(inline_link_clicks, 0)::bigint as link_clicks,
    coalesce(list_sum(list_transform(list_filter(action_list, a -> a.action_type = 'purchase'), a -> try_cast(a.value as bigint))), 0)::bigint as purchases,
    coalesce(list_sum(list_transform(list_filter(action_value_list, a -> a.action_type = 'purchase'), a -> try_cast(a.value as decimal(18, 2)))), 0)::decimal(18, 2) as purchase_value
  from actions_typed
),

final as (
  select * from renamed
)

select * from final
