-- fct_repeat_purchase_monthly: repeat purchases, upsell, cross-sell and referrals, month by month.
-- grain: month. primary key: month.
-- Over counted orders (int_customer_orders): repeat_orders = orders that are not a customer's first;
-- upsell_orders = repeat orders whose basket value (subtotal after discounts) exceeds the customer's
-- previous order's; cross_sell_orders = repeat orders holding a category the customer never bought before;
-- upsell_rate = upsell_orders / repeat_orders; cross_sell_rate = cross_sell_orders / repeat_orders;
-- referral_orders = orders using a referral code; referral_rate = referral_orders / orders;
-- new_customer_referral_rate = new customers whose first order used a referral code / new customers.

with

customer_orders as (

    select * from intermediate.int_customer_orders

),

as_of as (

    select * from intermediate.int_customers_as_of

),

months as (

    select
        cast(unnest(generate_series(min(customer_orders.order_month), date_trunc('month', any_value(as_of.as_of_date)), interval 1 month)) as date) as month
    from customer_orders
    cross join as_of

),

monthly as (

    select
        order_month as month,
        count(*) as orders,
        count(*) filter (where not is_first_order) as repeat_orders,
        count(*) filter (where not is_first_order and basket_value > previous_basket_value) as upsell_orders,
        count(*) filter (where not is_first_order and has_new_category) as cross_sell_orders,
        count(*) filter (where is_referral) as referral_orders,
        count(*) filter (where is_first_order) as new_customers,
        count(*) filter (where is_first_order and is_referral) as referred_new_customers
    from customer_orders
    group by 1

),

joined as (

    select
        months.month,
        coalesce(monthly.orders, 0) as orders,
        coalesce(monthly.repeat_orders, 0) as repeat_orders,
        coalesce(monthly.upsell_orders, 0) as upsell_orders,
        coalesce(monthly.cross_sell_orders, 0) as cross_sell_orders,
        coalesce(monthly.referral_orders, 0) as referral_orders,
        coalesce(monthly.new_customers, 0) as new_customers,
        coalesce(monthly.referred_new_customers, 0) as referred_new_customers
    from months
    left join monthly on monthly.month = months.month

),

final as (

    select
        month,
        cast(orders as integer) as orders,
        cast(repeat_orders as integer) as repeat_orders,
        cast(upsell_orders as integer) as upsell_orders,
        cast(cross_sell_orders as integer) as cross_sell_orders,
        upsell_orders / nullif(repeat_orders, 0) as upsell_rate,
        cross_sell_orders / nullif(repeat_orders, 0) as cross_sell_rate,
        cast(referral_orders as integer) as referral_orders,
        referral_orders / nullif(orders, 0) as referral_rate,
        cast(new_customers as integer) as new_customers,
        cast(referred_new_customers as integer) as referred_new_customers,
        referred_new_customers / nullif(new_customers, 0) as new_customer_referral_rate
    from joined

)

select * from final
