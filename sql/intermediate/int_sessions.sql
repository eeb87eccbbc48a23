-- int_sessions: one row per web session rebuilt from events (grain: session; primary key: session_id).
--
-- Sessionization: per anonymous_key, events in time order; an event more than 30 minutes after the
-- visitor's previous event starts a new session (a gap of exactly 30:00 stays in the session). No
-- midnight or campaign split, as in GA4. session_id = anonymous_key || '.' || epoch seconds of the
-- session's first event.
--
-- Landing page = the first page_view (else the first event); UTM, click ids and referrer come from it.
-- Source / medium / campaign, first rule that applies (values lower-cased so spellings such as
-- "Facebook" and "facebook" aggregate — GA4 keeps case; its channel grouping lower-cases):
--   1. any utm_source / utm_medium / utm_campaign: the UTM values, '(not set)' for a missing one;
--   2. gclid (Google Ads auto-tagging): google / cpc, campaign '(not set)' (GA4 reads the campaign
--      from the linked Google Ads account, which web events do not have);
--   3. fbclid: facebook / paid_social, campaign '(not set)'. GA4 itself ignores fbclid and would
--      report the l.facebook.com referrer (referral → Organic Social); Meta also appends fbclid to
--      organic links, so this rule can count organic Facebook clicks as Paid Social;
--   4. an external referrer (host other than the landing page's, leading "www." dropped): a search
--      engine (channel_source_categories() 'search') → its name (label before the TLD:
--      google.com → google) / organic, campaign '(organic)'; any other host → host / referral,
--      campaign '(referral)';
--   5. otherwise (direct) / (none), campaign '(direct)'.
-- content / term: lower-cased utm_content / utm_term, '(not set)' when missing.
-- campaign_key: lower(utm_campaign) when the landing URL carries one (NULL otherwise).
-- channel_group: channel_group(source, medium, campaign) (GA4 default channel group).
--
-- engaged (GA4): lasted ≥ 10 s (last event − first event), or ≥ 1 key event (purchase,
-- newsletter_signup), or ≥ 2 page views.
-- converted: the session holds a purchase (after deduplication). Purchases are deduplicated by order_id across all events (a tag
-- that fired twice sends a second event): the first event of each order keeps it; orders = distinct
-- orders, revenue = sum of their values, currency = their currency. signed_up: a newsletter_signup.
with events as (
  select * from staging.stg_web_events__events
),

ordered as (
  select
    *,
    event_at - lag(event_at) over (partition by anonymous_key order by event_at, event_id) as gap
  from events
),

numbered as (
  select
    *,
    sum(case when gap is null or gap > interval 30 minutes then 1 else 0 end)
      over (partition by anonymous_key order by event_at, event_id rows between unbounded preceding and current row) as session_number
  from ordered
),

with_session as (
  select
    *,
    anonymous_key || '.' || cast(floor(epoch(min(event_at) over (partition by anonymous_key, session_number))) as bigint)::varchar as session_id
  from numbered
),

landing as (
  select
    session_id,
    page_url as landing_url,
    url_host as landing_host,
    url_path as landing_page,
    utm_source,
    utm_medium,
    utm_campaign,
    utm_content,
    utm_term,
    gclid,
    fbclid,
    referrer,
    regexp_replace(referrer_host, '^www\.', '') as referrer_host
  from with_session
  qualify row_number() over (partition by session_id order by (event_name = 'page_view') desc, event_at, event_id) = 1
),

purchases as (
  -- The first purchase event of each order keeps it; purchases without an order id count once each.
  select session_id, coalesce(order_id, 'event:' || event_id) as order_key, order_id, event_value, currency
  from with_session
  where event_name = 'purchase'
  qualify row_number() over (partition by coalesce(order_id, 'event:' || event_id) order by event_at, event_id) = 1
),

session_purchases as (
  select
    session_id,
    count(*) as orders,
    list(order_id order by order_id) filter (where order_id is not null) as order_ids,
    sum(coalesce(event_value, 0)) as revenue,
    min(currency) as currency
  from purchases
  group by session_id
),

activity as (
  select
    session_id,
    any_value(anonymous_key) as anonymous_key,
    max(customer_key) as customer_key,
    min(event_at) as started_at,
    max(event_at) as ended_at,
    count(*) as events,
    count(*) filter (where event_name = 'page_view') as pageviews,
    count(*) filter (where event_name in ('purchase', 'newsletter_signup')) as key_events,
    bool_or(event_name = 'newsletter_signup') as signed_up
  from with_session
  group by session_id
),

search_engines as (
  select distinct source as host from channel_source_categories() where category = 'search'
),

attributed as (
  select
    landing.*,
    referrer_host is not null
      and referrer_host <> regexp_replace(coalesce(landing_host, ''), '^www\.', '') as has_external_referrer,
    referrer_host in (select host from search_engines) as is_search_referrer
  from landing
),

traffic as (
  select
    session_id,
    landing_url,
    landing_page,
    referrer,
    case when has_external_referrer then referrer_host end as referrer_host,
    gclid is not null as has_gclid,
    fbclid is not null as has_fbclid,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then coalesce(lower(utm_source), '(not set)')
      when gclid is not null then 'google'
      when fbclid is not null then 'facebook'
      when has_external_referrer and is_search_referrer then regexp_extract(referrer_host, '([^.]+)\.[^.]+$', 1)
      when has_external_referrer then referrer_host
      else '(direct)'
    end as source,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then coalesce(lower(utm_medium), '(not set)')
      when gclid is not null then 'cpc'
      when fbclid is not null then 'paid_social'
      when has_external_referrer and is_search_referrer then 'organic'
      when has_external_referrer then 'referral'
      else '(none)'
    end as medium,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then coalesce(lower(utm_campaign), '(not set)')
      when gclid is not null or fbclid is not null then '(not set)'
      when has_external_referrer and is_search_referrer then '(organic)'
      when has_external_referrer then '(referral)'
      else '(direct)'
    end as campaign,
    coalesce(lower(utm_content), '(not set)') as content,
    coalesce(lower(utm_term), '(not set)') as term,
    lower(utm_campaign) as campaign_key,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then 'utm'
      when gclid is not null then 'gclid'
      when fbclid is not null then 'fbclid'
      when has_external_referrer then 'referrer'
      else 'none'
    end as traffic_rule
  from attributed
),

final as (
  select
    activity.session_id,
    activity.anonymous_key,
    activity.customer_key,
    activity.started_at,
    activity.ended_at,
    report_date(activity.started_at) as session_date,
    cast(epoch(activity.ended_at - activity.started_at) as double) as duration_seconds,
    traffic.source,
    traffic.medium,
    traffic.campaign,
    traffic.content,
    traffic.term,
    traffic.campaign_key,
    channel_group(traffic.source, traffic.medium, traffic.campaign) as channel_group,
    traffic.traffic_rule,
    traffic.landing_url,
    traffic.landing_page,
    traffic.referrer,
    traffic.referrer_host,
    activity.events,
    activity.pageviews,
    activity.key_events,
    (epoch(activity.ended_at - activity.started_at) >= 10 or activity.key_events >= 1 or activity.pageviews >= 2) as engaged,
    coalesce(session_purchases.orders, 0) > 0 as converted,
    activity.signed_up,
    coalesce(session_purchases.orders, 0) as orders,
    coalesce(session_purchases.order_ids, []::varchar[]) as order_ids,
    cast(coalesce(session_purchases.revenue, 0) as decimal(18, 2)) as revenue,
    session_purchases.currency
  from activity
  inner join traffic using (session_id)
  left join session_purchases using (session_id)
)

select * from final
