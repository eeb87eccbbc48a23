-- int_touchpoints is rebuilt per order (incremental by order_id): an order's touchpoints depend on
-- the order and on the sessions of its people and browsers. Orders to rebuild:
--   - orders loaded or restated since the last build (new, cancelled, moved to another customer);
--   - orders this table linked to a session int_sessions recomputed (started at or after the start
--     of the window it rebuilt, pulse_rebuilt_from('int_sessions')): the session may be gone or changed;
--   - every order of a person who has a recomputed session, or whose browser has one (a new
--     session can link a browser to a customer, which links that browser's older sessions to the
--     customer's older orders);
--   - orders whose purchase session's browser has a recomputed session, and orders purchased in one.
with recomputed_sessions as (
  select session_id, anonymous_key, customer_key, order_ids
  from intermediate.int_sessions
  where started_at >= pulse_rebuilt_from('int_sessions')
),

recomputed_browsers as (
  select distinct anonymous_key from recomputed_sessions
),

people as (
  select customer_key as person_key from recomputed_sessions where customer_key is not null
  union
  select distinct sessions.customer_key
  from intermediate.int_sessions as sessions
  inner join recomputed_browsers using (anonymous_key)
  where sessions.customer_key is not null
),

orders_of_people as (
  select order_id
  from staging.stg_shopify__orders
  where customer_key in (select person_key from people)
    or pseudonym(shopify_customer_id) in (select person_key from people)
),

purchases_of_browsers as (
  select unnest(sessions.order_ids) as order_id
  from intermediate.int_sessions as sessions
  inner join recomputed_browsers using (anonymous_key)
)

select cast(id as varchar) as key
from raw.shopify__orders
where _loaded_at > pulse_loaded_after('raw.shopify__orders')
union
select order_id from intermediate.int_touchpoints where session_started_at >= pulse_rebuilt_from('int_sessions')
union
select order_id from orders_of_people
union
select order_id from purchases_of_browsers
