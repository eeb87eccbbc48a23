-- fct_conversions is rebuilt per order (incremental by order_id): an order's credits depend on the
-- order, its touchpoints, and (is_new_customer) on which of its customer's orders came first.
-- Orders to rebuild:
--   - the orders int_touchpoints rebuilt;
--   - orders loaded or restated since the last build, and every order of their customers, as the
--     order is now and as this table holds it (a new, moved or cancelled order can change which
--     order of a customer is the first).
with loaded as (
  select cast(id as varchar) as order_id
  from raw.shopify__orders
  where _loaded_at > pulse_loaded_after('raw.shopify__orders')
),

customers as (
  select customer_key from staging.stg_shopify__orders where order_id in (select order_id from loaded)
  union
  select customer_key from marts.fct_conversions where order_id in (select order_id from loaded)
)

select key from pulse_upstream_keys where model = 'int_touchpoints'
union
select order_id from loaded
union
select order_id from staging.stg_shopify__orders where customer_key in (select customer_key from customers)
