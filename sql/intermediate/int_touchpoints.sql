-- int_touchpoints: one row per order × session that may take credit for it (grain: order
-- touchpoint; primary key: order_id, session_id).
-- Orders: staging.stg_shopify__orders, cancelled ones excluded.
-- A session links to an order when it belongs to the same person:
--   - customer: the session's customer_key is the order's customer_key, or the pseudonym of the
--     order's Shopify customer id (web events carry that id as customer_id);
--   - visitor: the session's anonymous_key is a browser that ever carried that customer key
--     (identity stitching), or the browser of the session holding the order's purchase event;
--   - purchase: the session holding the order's (deduplicated) purchase event.
-- and it started within attribution_lookback_days() before the order:
--   order created_at − lookback ≤ session started_at ≤ order created_at
-- (the purchase session always links, whatever the clocks say).
-- touchpoint_number counts the linked sessions from the earliest (1) to the latest (touchpoints).
with orders as (
  select
    order_id,
    created_at,
    list_distinct(list_filter([customer_key, pseudonym(shopify_customer_id)], k -> k is not null)) as person_keys
  from staging.stg_shopify__orders
  where not is_cancelled
    -- an incremental build links only the orders being rebuilt (every order in a full build)
    and pulse_in_increment(order_id)
),

sessions as (
  select * from intermediate.int_sessions
),

order_people as (
  select order_id, created_at, unnest(person_keys) as person_key
  from orders
),

purchase_sessions as (
  select unnest(order_ids) as order_id, session_id, anonymous_key
  from sessions
),

customer_browsers as (
  select distinct customer_key as person_key, anonymous_key
  from sessions
  where customer_key is not null
),

order_browsers as (
  select order_people.order_id, order_people.created_at, customer_browsers.anonymous_key
  from order_people
  inner join customer_browsers using (person_key)
  union
  select purchase_sessions.order_id, orders.created_at, purchase_sessions.anonymous_key
  from purchase_sessions
  inner join orders using (order_id)
),

-- Customer and browser links are cut to the attribution window in the join itself (a customer's
-- sessions times their orders is many times the rows that survive); the purchase session
-- always counts, through its own link.
linked_by_customer as (
  select order_people.order_id, sessions.session_id, 'customer' as link_type
  from order_people
  inner join sessions on sessions.customer_key = order_people.person_key
    and sessions.started_at <= order_people.created_at
    and sessions.started_at >= order_people.created_at - to_days(attribution_lookback_days())
),

linked_by_browser as (
  select order_browsers.order_id, sessions.session_id, 'visitor' as link_type
  from order_browsers
  inner join sessions on sessions.anonymous_key = order_browsers.anonymous_key
    and sessions.started_at <= order_browsers.created_at
    and sessions.started_at >= order_browsers.created_at - to_days(attribution_lookback_days())
),

linked_by_purchase as (
  select order_id, session_id, 'purchase' as link_type
  from purchase_sessions
  inner join orders using (order_id)
),

candidates as (
  select * from linked_by_customer
  union all
  select * from linked_by_browser
  union all
  select * from linked_by_purchase
),

linked as (
  select
    order_id,
    session_id,
    bool_or(link_type = 'purchase') as is_purchase_session,
    case
      when bool_or(link_type = 'purchase') then 'purchase'
      when bool_or(link_type = 'customer') then 'customer'
      else 'visitor'
    end as link_type
  from candidates
  group by order_id, session_id
),

in_window as (
  select
    linked.order_id,
    linked.session_id,
    linked.is_purchase_session,
    linked.link_type,
    orders.created_at as order_created_at,
    sessions.started_at as session_started_at,
    sessions.anonymous_key,
    sessions.source,
    sessions.medium,
    sessions.campaign,
    sessions.content,
    sessions.term,
    sessions.campaign_key,
    sessions.channel_group
  from linked
  inner join orders using (order_id)
  inner join sessions using (session_id)
  where linked.is_purchase_session
    or (sessions.started_at <= orders.created_at
      and sessions.started_at >= orders.created_at - to_days(attribution_lookback_days()))
),

final as (
  select
    order_id,
    session_id,
    anonymous_key,
    order_created_at,
    session_started_at,
    cast((epoch_us(order_created_at) - epoch_us(session_started_at)) / 86400e6 as double) as days_before_order,
    cast(row_number() over (partition by order_id order by session_started_at, session_id) as integer) as touchpoint_number,
    cast(count(*) over (partition by order_id) as integer) as touchpoints,
    is_purchase_session,
    link_type,
    source,
    medium,
    campaign,
    content,
    term,
    campaign_key,
    channel_group
  from in_window
)

select * from final
