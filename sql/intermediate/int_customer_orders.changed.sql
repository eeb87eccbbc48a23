-- int_customer_orders is rebuilt per customer (incremental by customer_key): an order's number,
-- previous order, kept currency and new categories depend on every order of its customer.
-- Customers to rebuild: those of the orders loaded or restated since the last build (their lines
-- are rebuilt with them), as the order is now and as this table holds it, since an order can move to
-- another customer or drop out (cancelled, no customer any more).
with loaded as (
  select cast(id as varchar) as order_id
  from raw.shopify__orders
  where _loaded_at > pulse_loaded_after('raw.shopify__orders')
  union
  select key from pulse_upstream_keys where model = 'stg_shopify__order_lines'
)

select customer_key as key
from staging.stg_shopify__orders
where order_id in (select order_id from loaded)
  and customer_key is not null
union
select customer_key
from intermediate.int_customer_orders
where order_id in (select order_id from loaded)
