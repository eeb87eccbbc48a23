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
-- An incremental build reads the events from a day before its window (pulse_window_start(); -infinity
-- in a full build): a session starting in the window needs the visitor's event before it to know it
-- is a new session, and only a visitor active without a 30-minute break for a whole day would be cut.
with events as not materialized (
  select * from staging.stg_web_events__events
  where event_at >= pulse_window_start() - interval 1 day
),

gaps as (
  select
    event_id,
    anonymous_key,
    event_at,
    -- In microseconds: subtracting TIMESTAMPTZ values goes through time zone arithmetic, far slower,
    -- and a gap over 30 minutes is over 30 minutes either way.
    epoch_us(event_at) - epoch_us(lag(event_at) over (partition by anonymous_key order by event_at, event_id)) as gap_us
  from events
),

session_starts as materialized (
  -- An event belongs to the session of the latest session-starting event up to it (itself included),
  -- so a session's start is its first event. Materialized: the windows run once for the three reads below.
  select
    event_id,
    max(case when gap_us is null or gap_us > 30 * 60 * 1000000 then event_at end)
      over (partition by anonymous_key order by event_at, event_id rows between unbounded preceding and current row) as started_at
  from gaps
),

with_session as not materialized (
  select
    events.*,
    session_starts.started_at
  from events
  inner join session_starts using (event_id)
),

sessions as (
  select
    anonymous_key,
    started_at,
    max(customer_key) as customer_key,
    max(event_at) as ended_at,
    count(*) as events,
    count(*) filter (where event_name = 'page_view') as pageviews,
    count(*) filter (where event_name in ('purchase', 'newsletter_signup')) as key_events,
    bool_or(event_name = 'newsletter_signup') as signed_up
  from with_session
  -- Grouping by the start (not by the session id built from it) lets a filter on started_at reach
  -- the events, so an incremental build reads only its window.
  group by anonymous_key, started_at
),

landing_events as (
  -- The first page_view of each session, else its first event; ties broken by event_id. A window
  -- over the narrow key columns (it spills to disk when memory is short; an arg_min over whole rows does not).
  select
    anonymous_key,
    started_at,
    event_id
  from with_session
  qualify row_number() over (partition by anonymous_key, started_at order by event_name <> 'page_view', event_at, event_id) = 1
),

landing as (
  select
    sessions.anonymous_key || '.' || cast(floor(epoch(sessions.started_at)) as bigint)::varchar as session_id,
    sessions.anonymous_key,
    sessions.customer_key,
    sessions.started_at,
    sessions.ended_at,
    sessions.events,
    sessions.pageviews,
    sessions.key_events,
    sessions.signed_up,
    events.page_url as landing_url,
    events.url_host as landing_host,
    events.url_path as landing_page,
    events.utm_source,
    events.utm_medium,
    events.utm_campaign,
    events.utm_content,
    events.utm_term,
    events.gclid,
    events.fbclid,
    events.referrer,
    regexp_replace(events.referrer_host, '^www\.', '') as referrer_host
  from sessions
  inner join landing_events using (anonymous_key, started_at)
  inner join events using (event_id)
),

purchases as (
  -- The first purchase event of each order keeps it; purchases without an order id count once each.
  select
    anonymous_key || '.' || cast(floor(epoch(started_at)) as bigint)::varchar as session_id,
    coalesce(order_id, 'event:' || event_id) as order_key,
    order_id,
    event_value,
    currency
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
    anonymous_key,
    customer_key,
    started_at,
    ended_at,
    events,
    pageviews,
    key_events,
    signed_up,
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
    traffic.session_id,
    traffic.anonymous_key,
    traffic.customer_key,
    traffic.started_at,
    traffic.ended_at,
    report_date(traffic.started_at) as session_date,
    cast((epoch_us(traffic.ended_at) - epoch_us(traffic.started_at)) / 1e6 as double) as duration_seconds,
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
    traffic.events,
    traffic.pageviews,
    traffic.key_events,
    ((epoch_us(traffic.ended_at) - epoch_us(traffic.started_at)) >= 10000000 or traffic.key_events >= 1 or traffic.pageviews >= 2) as engaged,
    coalesce(session_purchases.orders, 0) > 0 as converted,
    traffic.signed_up,
    coalesce(session_purchases.orders, 0) as orders,
    coalesce(session_purchases.order_ids, []::varchar[]) as order_ids,
    cast(coalesce(session_purchases.revenue, 0) as decimal(18, 2)) as revenue,
    session_purchases.currency
  from traffic
  left join session_purchases using (session_id)
)

select * from final
