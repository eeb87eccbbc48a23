-- fct_influencer_performance: one row per influencer × day (grain: influencer day; primary key:
-- influencer_id, date_day).
-- Influencers come from the staging.stg_influencers seed; a session belongs to an influencer when
-- its lower-cased utm_content is the influencer's utm_content and its campaign_key matches the
-- influencer's campaign_key_pattern (LIKE). Days are the sessions' report_date.
-- sessions, conversions (converting sessions), orders, revenue (purchase revenue of those sessions,
-- i.e. credited to the session that came through the influencer's link), signups.
-- cost: the fee, booked on the post date (seed) or, when the seed has none, on the day of the
-- influencer's first session; other days have cost 0.
-- roi = (revenue − cost) / cost on the day (NULL without cost); cumulative_roi = the same over all
-- days so far. Revenue in another currency than the fee is converted with staging.stg_fx_rates
-- (latest month on or before the day); without a rate it is left out and has_unconverted_revenue is
-- true (roi and cumulative_roi NULL).
-- reach and engagements are NULL: the sources here do not carry the creators' own post metrics.
with influencers as (
  select * from staging.stg_influencers
),

sessions as (
  select * from intermediate.int_sessions
),

fx_rates as (
  select * from staging.stg_fx_rates
),

influencer_sessions as (
  select
    influencers.influencer_id,
    influencers.cost_currency,
    sessions.*
  from sessions
  inner join influencers
    on sessions.content = influencers.utm_content
    and (influencers.campaign_key_pattern is null or sessions.campaign_key like influencers.campaign_key_pattern)
),

sessions_in_cost_currency as (
  select
    influencer_sessions.*,
    case
      when influencer_sessions.revenue = 0 or influencer_sessions.currency = influencer_sessions.cost_currency then 1.0
      else fx_rates.rate
    end as rate
  from influencer_sessions
  asof left join fx_rates
    on fx_rates.base_currency = influencer_sessions.currency
    and fx_rates.quote_currency = influencer_sessions.cost_currency
    and influencer_sessions.session_date >= fx_rates.rate_month
),

sessions_daily as (
  select
    influencer_id,
    session_date as date_day,
    count(*) as sessions,
    count(*) filter (where engaged) as engaged_sessions,
    count(*) filter (where converted) as conversions,
    sum(orders) as orders,
    coalesce(sum(revenue * rate), 0)::decimal(18, 2) as revenue,
    count(*) filter (where signed_up) as signups,
    bool_or(rate is null) as has_unconverted_revenue
  from sessions_in_cost_currency
  group by influencer_id, session_date
),

cost_days as (
  select
    influencers.influencer_id,
    coalesce(influencers.post_date, (select min(date_day) from sessions_daily where sessions_daily.influencer_id = influencers.influencer_id)) as date_day,
    influencers.cost
  from influencers
),

days as (
  select influencer_id, date_day from sessions_daily
  union
  select influencer_id, date_day from cost_days where date_day is not null
),

joined as (
  select
    days.influencer_id,
    days.date_day,
    influencers.handle,
    influencers.platform,
    influencers.followers,
    coalesce(sessions_daily.sessions, 0)::bigint as sessions,
    coalesce(sessions_daily.engaged_sessions, 0)::bigint as engaged_sessions,
    coalesce(sessions_daily.conversions, 0)::bigint as conversions,
    coalesce(sessions_daily.orders, 0)::bigint as orders,
    coalesce(sessions_daily.revenue, 0)::decimal(18, 2) as revenue,
    coalesce(sessions_daily.signups, 0)::bigint as signups,
    coalesce(cost_days.cost, 0)::decimal(18, 2) as cost,
    influencers.cost_currency as currency,
    coalesce(sessions_daily.has_unconverted_revenue, false) as has_unconverted_revenue
  from days
  inner join influencers using (influencer_id)
  left join sessions_daily using (influencer_id, date_day)
  left join cost_days using (influencer_id, date_day)
),

cumulative as (
  select
    *,
    sum(revenue) over to_date as cumulative_revenue,
    sum(cost) over to_date as cumulative_cost,
    bool_or(has_unconverted_revenue) over to_date as has_unconverted_revenue_to_date
  from joined
  window to_date as (partition by influencer_id order by date_day rows between unbounded preceding and current row)
),

final as (
  select
    influencer_id,
    date_day,
    handle,
    platform,
    followers,
    null::bigint as reach,
    null::bigint as engagements,
    sessions,
    engaged_sessions,
    conversions,
    orders,
    revenue,
    signups,
    cost,
    currency,
    case when not has_unconverted_revenue then (revenue - cost)::double / nullif(cost, 0) end as roi,
    cumulative_revenue::decimal(18, 2) as cumulative_revenue,
    cumulative_cost::decimal(18, 2) as cumulative_cost,
    case when not has_unconverted_revenue_to_date then (cumulative_revenue - cumulative_cost)::double / nullif(cumulative_cost, 0) end as cumulative_roi,
    has_unconverted_revenue
  from cumulative
)

select * from final
