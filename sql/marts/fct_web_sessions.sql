-- fct_web_sessions: one row per web session (grain: session; primary key: session_id).
-- Sessions rebuilt from web events (30-minute inactivity rule, see int_sessions): traffic source
-- from the landing URL's UTM tags, click ids or referrer, GA4's default channel group, GA4's
-- engaged-session rule, purchases deduplicated by order id, newsletter signups beside purchases.
with sessions as (
  select * from intermediate.int_sessions
),

final as (
  select
    session_id,
    anonymous_key,
    customer_key,
    started_at,
    session_date,
    duration_seconds,
    source,
    medium,
    campaign,
    content,
    term,
    channel_group,
    landing_page,
    referrer_host,
    pageviews,
    engaged,
    converted,
    signed_up,
    orders,
    revenue,
    currency
  from sessions
)

select * from final
