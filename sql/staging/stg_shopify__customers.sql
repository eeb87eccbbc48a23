-- stg_shopify__customers: Shopify customers as pseudonymous keys (no email, name, phone, address or note).
-- grain: one Shopify customer. primary key: customer_key.

with

source as (

    select * from raw.shopify__customers

),

final as (

    select
        pseudonym(cast(id as varchar)) as customer_key,
        cast(id as varchar) as shopify_customer_id,
        cast(created_at as timestamptz) as created_at,
        cast(updated_at as timestamptz) as updated_at,
        state,
        cast(orders_count as integer) as orders_count,
        cast(total_spent as decimal(18, 2)) as total_spent,
        upper(currency) as currency,
        nullif(default_address ->> '$.country_code', '') as country_code,
        coalesce(email_marketing_consent ->> '$.state' = 'subscribed', false) as accepts_marketing
    from source

)

select * from final
