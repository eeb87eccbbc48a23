-- fct_conversions: one row per order × attribution model × credited touchpoint (grain: order ×
-- attribution model, split over touchpoints; primary key: order_id, attribution_model, touchpoint_id).
-- Orders: staging.stg_shopify__orders without cancelled ones; revenue = net revenue (total − refunds).
-- Touchpoints: int_touchpoints (sessions of the same visitor/customer within
-- attribution_lookback_days() before the order). Credit per model (each order's credits sum to 1
-- per model: credit_total_for_model, tested):
--   first_touch      1 to the earliest touchpoint;
--   last_non_direct  1 to the latest touchpoint whose channel group is not Direct (the latest
--                    touchpoint when all are Direct);
--   linear           1 / n to each of the n touchpoints;
--   last_click       1 to the order's own landing URL (Shopify landing_site / referring_site):
--                    UTM tags, else gclid → google / cpc, fbclid → facebook / paid_social, else
--                    the referrer (search engine → organic, other → referral), else (direct) / (none).
-- An order no session links to gets its landing URL as the single touchpoint in the first three
-- models too (touchpoint_type = 'order_landing_site'), so every order is credited in every model.
-- attributed_revenue = credit × order net revenue, in the order's currency (4 decimals, so splits
-- add back to the order). is_new_customer: the customer's first non-cancelled order (guest orders
-- without a customer are not counted as new customers).
with orders_source as (
  select * from staging.stg_shopify__orders
),

-- An incremental build credits only the orders being rebuilt (every order in a full build).
touchpoints as (
  select * from intermediate.int_touchpoints
  where pulse_in_increment(order_id)
),

search_engines as (
  select distinct source as host from channel_source_categories() where category = 'search'
),

orders as (
  select
    order_id,
    customer_key,
    created_at,
    order_date,
    currency,
    net_revenue,
    customer_key is not null
      and row_number() over (partition by customer_key order by created_at, order_id) = 1 as is_new_customer,
    utm_source,
    utm_medium,
    utm_campaign,
    utm_content,
    utm_term,
    nullif(regexp_extract(landing_site, '(?i)[?&]gclid=([^&#]*)', 1), '') as gclid,
    nullif(regexp_extract(landing_site, '(?i)[?&]fbclid=([^&#]*)', 1), '') as fbclid,
    nullif(regexp_replace(lower(regexp_extract(referring_site, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:]+)', 1)), '^www\.', ''), '') as referrer_host
  from orders_source
  where not is_cancelled
),

-- Which order of a customer is the first is decided over all orders (above), before this filter.
increment_orders as (
  select * from orders
  where pulse_in_increment(order_id)
),

landing_touchpoints as (
  select
    order_id,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then coalesce(lower(utm_source), '(not set)')
      when gclid is not null then 'google'
      when fbclid is not null then 'facebook'
      when referrer_host in (select host from search_engines) then regexp_extract(referrer_host, '([^.]+)\.[^.]+$', 1)
      when referrer_host is not null then referrer_host
      else '(direct)'
    end as source,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then coalesce(lower(utm_medium), '(not set)')
      when gclid is not null then 'cpc'
      when fbclid is not null then 'paid_social'
      when referrer_host in (select host from search_engines) then 'organic'
      when referrer_host is not null then 'referral'
      else '(none)'
    end as medium,
    case
      when coalesce(utm_source, utm_medium, utm_campaign) is not null then coalesce(lower(utm_campaign), '(not set)')
      when gclid is not null or fbclid is not null then '(not set)'
      when referrer_host in (select host from search_engines) then '(organic)'
      when referrer_host is not null then '(referral)'
      else '(direct)'
    end as campaign,
    coalesce(lower(utm_content), '(not set)') as content,
    coalesce(lower(utm_term), '(not set)') as term,
    lower(utm_campaign) as campaign_key
  from increment_orders
),

landing_credits as (
  -- last_click for every order; the other models only for orders without linked sessions.
  select
    orders.order_id,
    models.attribution_model,
    'order:' || orders.order_id as touchpoint_id,
    'order_landing_site' as touchpoint_type,
    null::varchar as session_id,
    orders.created_at as touchpoint_at,
    landing_touchpoints.source,
    landing_touchpoints.medium,
    landing_touchpoints.campaign,
    landing_touchpoints.content,
    landing_touchpoints.term,
    landing_touchpoints.campaign_key,
    channel_group(landing_touchpoints.source, landing_touchpoints.medium, landing_touchpoints.campaign) as channel_group,
    1.0::double as credit,
    0 as touchpoints_in_window
  from increment_orders as orders
  inner join landing_touchpoints using (order_id)
  cross join (values ('last_click'), ('first_touch'), ('last_non_direct'), ('linear')) as models(attribution_model)
  where models.attribution_model = 'last_click'
    or orders.order_id not in (select order_id from touchpoints)
),

last_non_direct_choice as (
  select
    order_id,
    session_id
  from touchpoints
  qualify row_number() over (
    partition by order_id
    order by (channel_group <> 'Direct') desc, session_started_at desc, session_id desc
  ) = 1
),

session_credits as (
  select
    touchpoints.order_id,
    models.attribution_model,
    touchpoints.session_id as touchpoint_id,
    'session' as touchpoint_type,
    touchpoints.session_id,
    touchpoints.session_started_at as touchpoint_at,
    touchpoints.source,
    touchpoints.medium,
    touchpoints.campaign,
    touchpoints.content,
    touchpoints.term,
    touchpoints.campaign_key,
    touchpoints.channel_group,
    case models.attribution_model
      when 'first_touch' then case when touchpoints.touchpoint_number = 1 then 1.0 else 0.0 end
      when 'last_non_direct' then case when last_non_direct_choice.session_id is not null then 1.0 else 0.0 end
      when 'linear' then 1.0 / touchpoints.touchpoints
    end::double as credit,
    touchpoints.touchpoints as touchpoints_in_window
  from touchpoints
  cross join (values ('first_touch'), ('last_non_direct'), ('linear')) as models(attribution_model)
  left join last_non_direct_choice
    on last_non_direct_choice.order_id = touchpoints.order_id
    and last_non_direct_choice.session_id = touchpoints.session_id
),

credits as (
  select * from session_credits where credit > 0
  union all by name
  select * from landing_credits
),

final as (
  select
    credits.order_id,
    credits.attribution_model,
    credits.touchpoint_id,
    credits.touchpoint_type,
    credits.session_id,
    orders.customer_key,
    orders.created_at as order_at,
    orders.order_date,
    credits.touchpoint_at,
    cast((epoch_us(orders.created_at) - epoch_us(credits.touchpoint_at)) / 86400e6 as double) as days_before_order,
    credits.source,
    credits.medium,
    credits.campaign,
    credits.content,
    credits.term,
    credits.campaign_key,
    credits.channel_group,
    credits.credit,
    sum(credits.credit) over (partition by credits.order_id, credits.attribution_model) as credit_total_for_model,
    orders.net_revenue as order_net_revenue,
    cast(credits.credit * orders.net_revenue as decimal(18, 4)) as attributed_revenue,
    orders.currency,
    orders.is_new_customer,
    cast(credits.touchpoints_in_window as integer) as touchpoints_in_window,
    cast(attribution_lookback_days() as integer) as lookback_days
  from credits
  inner join increment_orders as orders using (order_id)
)

select * from final
