-- stg_shopify__orders is rebuilt per order (incremental by order_id): a row comes from its own
-- record only. Orders to rebuild: those loaded or restated since the last build.
select cast(id as varchar) as key
from raw.shopify__orders
where _loaded_at > pulse_loaded_after('raw.shopify__orders')
