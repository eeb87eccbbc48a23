-- int_customer_orders: the orders that count for customer metrics, in order per customer, with the
-- attribution of each order's landing and what it added to the customer's basket history.
-- grain: one order. primary key: order_id.
-- Kept: orders with a customer, not cancelled, in the currency of the customer's first order (a
-- customer's money is never added across currencies). Refunded orders stay, at their net revenue.
-- Source/medium/campaign: the landing URL's UTM parameters; without them, a gclid is google/cpc, a
-- referring site is <host>/referral, and otherwise (direct)/(none), as GA4 does; channel_group() groups them.
-- basket_value = subtotal_price (merchandise after discounts, before shipping and tax).
-- has_new_category: the order holds a product category (or, without one, a product) the customer
-- had not bought in an earlier order.

with

orders as (

    select * from staging.stg_shopify__orders

),

order_lines as (

    select * from staging.stg_shopify__order_lines

),

customer_orders as (

    select
        *,
        first_value(currency) over (partition by customer_key order by created_at, order_id) as customer_currency
    from orders
    where customer_key is not null
        and not is_cancelled
        -- an incremental build reads only the customers being rebuilt (every customer in a full build)
        and pulse_in_increment(customer_key)

),

kept_orders as (

    select
        *,
        cast(row_number() over (partition by customer_key order by created_at, order_id) as integer) as customer_order_number
    from customer_orders
    where currency = customer_currency

),

sequenced as (

    select
        *,
        lag(order_date) over (partition by customer_key order by customer_order_number) as previous_order_date,
        lag(subtotal_price) over (partition by customer_key order by customer_order_number) as previous_basket_value
    from kept_orders

),

attributed as (

    select
        *,
        case
            when utm_source is not null or utm_medium is not null then utm_source
            when regexp_matches(coalesce(landing_site, ''), '[?&]gclid=') then 'google'
            when referring_site is not null then nullif(lower(regexp_extract(referring_site, '^(?:[a-z][a-z0-9+.-]*:)?//([^/:?#]+)', 1)), '')
            else '(direct)'
        end as source,
        case
            when utm_source is not null or utm_medium is not null then utm_medium
            when regexp_matches(coalesce(landing_site, ''), '[?&]gclid=') then 'cpc'
            when referring_site is not null then 'referral'
            else '(none)'
        end as medium,
        case
            when utm_source is not null or utm_medium is not null then utm_campaign
        end as campaign
    from sequenced

),

order_categories as (

    select distinct
        kept_orders.order_id,
        kept_orders.customer_key,
        kept_orders.customer_order_number,
        coalesce(order_lines.category, 'product:' || order_lines.product_id, 'title:' || order_lines.title) as category_key
    from kept_orders
    inner join order_lines on order_lines.order_id = kept_orders.order_id

),

first_category_orders as (

    select
        customer_key,
        category_key,
        min(customer_order_number) as first_order_number
    from order_categories
    group by 1, 2

),

new_category_orders as (

    select distinct order_categories.order_id
    from order_categories
    inner join first_category_orders
        on first_category_orders.customer_key = order_categories.customer_key
        and first_category_orders.category_key = order_categories.category_key
        and first_category_orders.first_order_number = order_categories.customer_order_number

),

final as (

    select
        attributed.order_id,
        attributed.customer_key,
        attributed.created_at,
        attributed.order_date,
        cast(date_trunc('month', attributed.order_date) as date) as order_month,
        attributed.currency,
        attributed.net_revenue,
        attributed.subtotal_price as basket_value,
        attributed.customer_order_number,
        attributed.customer_order_number = 1 as is_first_order,
        attributed.previous_order_date,
        cast(attributed.order_date - attributed.previous_order_date as integer) as days_since_previous_order,
        attributed.previous_basket_value,
        attributed.source,
        attributed.medium,
        attributed.campaign,
        channel_group(attributed.source, attributed.medium, attributed.campaign) as channel_group,
        attributed.referral_code,
        attributed.referral_code is not null as is_referral,
        new_category_orders.order_id is not null as has_new_category
    from attributed
    left join new_category_orders on new_category_orders.order_id = attributed.order_id

)

select * from final
