-- stg_shopify__order_lines: the line items of Shopify orders, one row per line, renamed and typed.
-- grain: one order line. primary key: line_id.
-- category is the product category code carried in the SKU ('NW-JAC-001' -> 'JAC') when the SKU
-- has that three-part shape; NULL otherwise (Shopify's line items do not carry product_type).

with

source as (

    select * from raw.shopify__orders
    -- an incremental build reads only the orders being rebuilt (every order in a full build)
    where pulse_in_increment(cast(id as varchar))

),

lines as (

    select
        id as order_id,
        unnest(
            from_json(
                coalesce(line_items, '[]'),
                '[{"id": "BIGINT", "product_id": "BIGINT", "variant_id": "BIGINT", "sku": "VARCHAR", "title": "VARCHAR", "quantity": "BIGINT", "price": "VARCHAR"}]'
            )
        ) as line
    from source

),

renamed as (

    select
        cast(line.id as varchar) as line_id,
        cast(order_id as varchar) as order_id,
        cast(line.product_id as varchar) as product_id,
        cast(line.variant_id as varchar) as variant_id,
        nullif(line.sku, '') as sku,
        line.title as title,
        case
            when regexp_matches(line.sku, '^[A-Za-z0-9]+-[A-Za-z]+-[A-Za-z0-9]+$')
                then upper(split_part(line.sku, '-', 2))
        end as category,
        cast(coalesce(line.quantity, 0) as integer) as quantity,
        cast(line.price as decimal(18, 2)) as price
    from lines

),

final as (

    select
        line_id,
        order_id,
        product_id,
        variant_id,
        sku,
        title,
        category,
        quantity,
        price,
        cast(price * quantity as decimal(18, 2)) as line_amount
    from renamed

)

select * from final
