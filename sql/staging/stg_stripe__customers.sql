-- stg_stripe__customers: Stripe customers as pseudonymous keys (no email, name, phone or address).
-- grain: one Stripe customer. primary key: customer_key.
-- shop_customer_key links to the Shopify customer when the Stripe customer's metadata carries
-- `shop_customer_id` (as the shop's checkout integration sets it).

with

source as (

    select * from raw.stripe__customers

),

final as (

    select
        pseudonym(id) as customer_key,
        id as stripe_customer_id,
        to_timestamp(created) as created_at,
        upper(currency) as currency,
        delinquent as is_delinquent,
        nullif(address ->> '$.country', '') as country_code,
        pseudonym(metadata ->> '$.shop_customer_id') as shop_customer_key
    from source

)

select * from final
