-- fct_campaign_performance: one row per campaign × day × attribution model (grain: campaign day
-- per model; primary key: campaign_key, date_day, attribution_model).
-- campaign_key = lower-cased utm_campaign: sessions and attributed orders carry it from their
-- landing URL; Meta spend is mapped to it through the ads' url_tags (int_ad_spend_daily), so
-- "Spring_Sale_2026" in Ads Manager and "spring_sale_2026" in a hand-typed link meet.
-- Days: spend on the ad account's day, sessions on their start's report_date, attributed revenue,
-- orders and new customers on the order's day. Spend, sessions and clicks repeat on each model's row.
-- Formulas (NULL when the denominator is 0):
--   ctr = clicks / impressions; cpc = spend / clicks; conversion_rate = conversions / sessions
--   (conversions = converting sessions); roas = attributed_revenue / spend;
--   roi = (attributed_revenue − spend) / spend; cac = spend / new_customers
--   (new_customers = credit-weighted first orders of customers attributed to the campaign).
-- Currencies are never mixed: each campaign has one currency (its Meta spend's currency, else the
-- shop's most common order currency), and every amount in another currency is converted with the
-- monthly rate of staging.stg_fx_rates for its day (latest month on or before it). An amount with
-- no rate is left out and has_unconverted_amounts is true; roas, roi and cac are then NULL.
-- is_provisional: the day is within 7 days of the latest Meta insights day (Meta restates
-- conversions until its default 7-day click attribution window closes).
with spend as (
  select * from intermediate.int_ad_spend_daily
),

sessions as (
  select * from intermediate.int_sessions
  where campaign_key is not null
),

conversions as (
  select * from marts.fct_conversions
  where campaign_key is not null
),

fx_rates as (
  select * from staging.stg_fx_rates
),

shop_orders as (
  select currency from staging.stg_shopify__orders
),

models as (
  select * from (values ('first_touch'), ('last_non_direct'), ('linear'), ('last_click')) as t(attribution_model)
),

shop_currency as (
  select coalesce((select mode(currency) from shop_orders), 'USD') as currency
),

campaign_keys as (
  select campaign_key from spend
  union
  select campaign_key from sessions
  union
  select campaign_key from conversions
),

campaign_currencies as (
  select
    campaign_keys.campaign_key,
    coalesce(spend_currency.currency, (select currency from shop_currency)) as currency
  from campaign_keys
  left join (
    select campaign_key, mode(currency) as currency from spend group by campaign_key
  ) as spend_currency using (campaign_key)
),

spend_in_campaign_currency as (
  select
    spend.*,
    case when spend.currency = campaign_currencies.currency then 1.0 else fx_rates.rate end as rate
  from spend
  inner join campaign_currencies using (campaign_key)
  asof left join fx_rates
    on fx_rates.base_currency = spend.currency
    and fx_rates.quote_currency = campaign_currencies.currency
    and spend.date_day >= fx_rates.rate_month
),

spend_daily as (
  select
    campaign_key,
    date_day,
    string_agg(distinct campaign_names, ' | ') as campaign_name,
    coalesce(sum(spend * rate), 0)::decimal(18, 2) as spend,
    sum(impressions)::bigint as impressions,
    sum(clicks)::bigint as clicks,
    sum(link_clicks)::bigint as link_clicks,
    sum(platform_purchases)::bigint as platform_purchases,
    coalesce(sum(platform_purchase_value * rate), 0)::decimal(18, 2) as platform_purchase_value,
    bool_or(rate is null and spend <> 0) as has_unconverted_spend
  from spend_in_campaign_currency
  group by campaign_key, date_day
),

sessions_daily as (
  select
    campaign_key,
    session_date as date_day,
    count(*) as sessions,
    count(*) filter (where engaged) as engaged_sessions,
    count(*) filter (where converted) as conversions,
    count(*) filter (where signed_up) as signups
  from sessions
  group by campaign_key, session_date
),

conversions_in_campaign_currency as (
  select
    conversions.*,
    case when conversions.currency = campaign_currencies.currency then 1.0 else fx_rates.rate end as rate
  from conversions
  inner join campaign_currencies using (campaign_key)
  asof left join fx_rates
    on fx_rates.base_currency = conversions.currency
    and fx_rates.quote_currency = campaign_currencies.currency
    and conversions.order_date >= fx_rates.rate_month
),

conversions_daily as (
  select
    campaign_key,
    order_date as date_day,
    attribution_model,
    sum(credit) as attributed_orders,
    coalesce(sum(attributed_revenue * rate), 0)::decimal(18, 2) as attributed_revenue,
    coalesce(sum(credit) filter (where is_new_customer), 0) as new_customers,
    bool_or(rate is null and attributed_revenue <> 0) as has_unconverted_revenue
  from conversions_in_campaign_currency
  group by campaign_key, order_date, attribution_model
),

days as (
  select campaign_key, date_day from spend_daily
  union
  select campaign_key, date_day from sessions_daily
  union
  select campaign_key, date_day from conversions_daily
),

latest_insights as (
  select max(date_day) as date_day from spend
),

spine as (
  select days.campaign_key, days.date_day, models.attribution_model
  from days
  cross join models
),

joined as (
  select
    spine.campaign_key,
    spine.date_day,
    spine.attribution_model,
    spend_daily.campaign_name,
    campaign_currencies.currency,
    coalesce(spend_daily.spend, 0)::decimal(18, 2) as spend,
    coalesce(spend_daily.impressions, 0)::bigint as impressions,
    coalesce(spend_daily.clicks, 0)::bigint as clicks,
    coalesce(spend_daily.link_clicks, 0)::bigint as link_clicks,
    coalesce(sessions_daily.sessions, 0)::bigint as sessions,
    coalesce(sessions_daily.engaged_sessions, 0)::bigint as engaged_sessions,
    coalesce(sessions_daily.conversions, 0)::bigint as conversions,
    coalesce(sessions_daily.signups, 0)::bigint as signups,
    coalesce(conversions_daily.attributed_orders, 0)::double as attributed_orders,
    coalesce(conversions_daily.attributed_revenue, 0)::decimal(18, 2) as attributed_revenue,
    coalesce(conversions_daily.new_customers, 0)::double as new_customers,
    coalesce(spend_daily.platform_purchases, 0)::bigint as platform_purchases,
    coalesce(spend_daily.platform_purchase_value, 0)::decimal(18, 2) as platform_purchase_value,
    coalesce(spend_daily.has_unconverted_spend, false) or coalesce(conversions_daily.has_unconverted_revenue, false) as has_unconverted_amounts,
    coalesce(spine.date_day > (select date_day from latest_insights) - 7, false) as is_provisional
  from spine
  inner join campaign_currencies using (campaign_key)
  left join spend_daily using (campaign_key, date_day)
  left join sessions_daily using (campaign_key, date_day)
  left join conversions_daily using (campaign_key, date_day, attribution_model)
),

final as (
  select
    campaign_key,
    date_day,
    attribution_model,
    campaign_name,
    currency,
    spend,
    impressions,
    clicks,
    link_clicks,
    clicks / nullif(impressions, 0)::double as ctr,
    spend::double / nullif(clicks, 0) as cpc,
    sessions,
    engaged_sessions,
    conversions,
    conversions / nullif(sessions, 0)::double as conversion_rate,
    signups,
    attributed_orders,
    attributed_revenue,
    new_customers,
    case when not has_unconverted_amounts then attributed_revenue::double / nullif(spend, 0) end as roas,
    case when not has_unconverted_amounts then (attributed_revenue - spend)::double / nullif(spend, 0) end as roi,
    case when not has_unconverted_amounts then spend::double / nullif(new_customers, 0) end as cac,
    platform_purchases,
    platform_purchase_value,
    has_unconverted_amounts,
    is_provisional
  from joined
)

select * from final
