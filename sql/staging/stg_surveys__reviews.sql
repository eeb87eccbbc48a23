-- stg_surveys__reviews: product reviews (1–5 stars with text); the reviewer as a pseudonymous
-- customer key.
-- grain: review · primary key: review_id
with source as (
    select * from raw.surveys__reviews
),

renamed as (
    select
        review_id,
        product_id,
        pseudonym(customer_id) as customer_key,
        nullif(trim(order_id), '') as order_id,
        rating::bigint as rating,
        nullif(trim(title), '') as title,
        nullif(trim(body), '') as body,
        nullif(trim(lang), '') as lang,
        created_at,
        verified_buyer as is_verified_buyer
    from source
),

final as (
    select * from renamed
)

select * from final
