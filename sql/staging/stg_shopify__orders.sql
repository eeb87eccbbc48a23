-- stg_shopify__orders: Shopify orders, renamed and typed; people only as pseudonymous keys.
-- grain: one Shopify order. primary key: order_id.
-- Money is in the order's currency. refunded_amount sums the successful refund transactions;
-- net_revenue = total_price - refunded_amount. utm_* are parsed from the landing_site query string
-- (percent-decoded, '+' as space, empty as NULL). referral_code is the first discount code shaped
-- like a customer-referral code (FRIEND-…, REF-…, REFERRAL-…, case-insensitive).

with

source as (

    select * from raw.shopify__orders
    -- an incremental build reads only the orders being rebuilt (every order in a full build)
    where pulse_in_increment(cast(id as varchar))

),

parsed as (

    select
        *,
        from_json(
            coalesce(refunds, '[]'),
            '[{"transactions": [{"amount": "VARCHAR", "kind": "VARCHAR", "status": "VARCHAR"}]}]'
        ) as refund_list,
        from_json(coalesce(discount_codes, '[]'), '[{"code": "VARCHAR"}]') as code_list
    from source

),

amounts as (

    select
        *,
        coalesce(
            list_sum(
                list_transform(
                    list_filter(
                        flatten(list_transform(refund_list, r -> coalesce(r.transactions, []))),
                        t -> coalesce(t.kind, 'refund') = 'refund' and coalesce(t.status, 'success') = 'success'
                    ),
                    t -> cast(t.amount as decimal(18, 2))
                )
            ),
            0
        ) as refund_sum,
        nullif(array_to_string(list_filter(list_transform(code_list, c -> c.code), c -> c is not null), ','), '') as discount_code_list,
        list_filter(
            list_transform(code_list, c -> c.code),
            c -> regexp_matches(c, '^(friend|ref|referral)[-_]', 'i')
        )[1] as referral_code_found
    from parsed

),

renamed as (

    select
        cast(id as varchar) as order_id,
        name as order_name,
        pseudonym(cast(customer ->> '$.id' as varchar)) as customer_key,
        cast(customer ->> '$.id' as varchar) as shopify_customer_id,
        cast(created_at as timestamptz) as created_at,
        report_date(created_at) as order_date,
        upper(currency) as currency,
        cast(total_price as decimal(18, 2)) as total_price,
        cast(subtotal_price as decimal(18, 2)) as subtotal_price,
        cast(total_discounts as decimal(18, 2)) as total_discounts,
        cast(refund_sum as decimal(18, 2)) as refunded_amount,
        financial_status,
        nullif(landing_site, '') as landing_site,
        nullif(referring_site, '') as referring_site,
        discount_code_list as discount_codes,
        referral_code_found as referral_code,
        cancelled_at is not null as is_cancelled,
        cast(coalesce(json_array_length(line_items), 0) as integer) as line_item_count
    from amounts

),

utm as (

    select
        *,
        nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_source=([^&#]*)', 1), '+', ' ')), '') as utm_source,
        nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_medium=([^&#]*)', 1), '+', ' ')), '') as utm_medium,
        nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_campaign=([^&#]*)', 1), '+', ' ')), '') as utm_campaign,
        nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_content=([^&#]*)', 1), '+', ' ')), '') as utm_content,
        nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_term=([^&#]*)', 1), '+', ' ')), '') as utm_term
    from renamed

),

final as (

    select
        order_id,
        order_name,
        customer_key,
        shopify_customer_id,
        created_at,
        order_date,
        currency,
        total_price,
        subtotal_price,
        total_discounts,
        refunded_amount,
        cast(total_price - refunded_amount as decimal(18, 2)) as net_revenue,
        financial_status,
        landing_site,
        referring_site,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        discount_codes,
        referral_code,
        is_cancelled,
        line_item_count
    from utm

)

select * from final
