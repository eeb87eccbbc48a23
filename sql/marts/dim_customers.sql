-- dim_customers: one row per customer with order history, acquisition, churn status and CLV.
-- grain: one customer. primary key: customer_key.
-- Orders are int_customer_orders (cancelled excluded; money net of refunds, in the customer's currency).
-- aov = revenue / orders; tenure_days = as_of_date − first order day; purchase_frequency = orders per
-- month of tenure = orders / (greatest(tenure_days, 30.4375) / 30.4375), a first month counted whole.
-- historic_clv = revenue to date. churn_status: 'churned' when days_since_last_order > churn_window_days()
-- (default 90; exactly 90 days is still 'active'), as of as_of_date = the latest order day in the data.
-- Acquisition = the first order's landing attribution (UTM, else gclid / referrer / direct) through
-- channel_group(); referred = the first order used a referral code.
-- Predicted columns come from int_clv_predictions (BG/NBD + Gamma-Gamma per currency, weekly periods,
-- 52-week horizon, 10%/year discount); NULL when that currency's fit had insufficient data (see clv_model).

with

customer_orders as (

    select * from intermediate.int_customer_orders

),

predictions as (

    select * from intermediate.int_clv_predictions

),

as_of as (

    select * from intermediate.int_customers_as_of

),

first_orders as (

    select *
    from customer_orders
    where is_first_order

),

history as (

    select
        customer_key,
        any_value(currency) as currency,
        min(created_at) as first_order_at,
        max(created_at) as last_order_at,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as orders,
        sum(net_revenue) as revenue
    from customer_orders
    group by 1

),

joined as (

    select
        history.*,
        as_of.as_of_date,
        cast(as_of.as_of_date - history.first_order_date as integer) as tenure_days,
        cast(as_of.as_of_date - history.last_order_date as integer) as days_since_last_order,
        first_orders.channel_group as acquisition_channel,
        first_orders.source as acquisition_source,
        first_orders.medium as acquisition_medium,
        first_orders.campaign as acquisition_campaign,
        first_orders.is_referral as referred
    from history
    cross join as_of
    inner join first_orders on first_orders.customer_key = history.customer_key

),

final as (

    select
        joined.customer_key,
        joined.currency,
        joined.first_order_at,
        joined.last_order_at,
        joined.first_order_date,
        joined.last_order_date,
        cast(date_trunc('month', joined.first_order_date) as date) as cohort_month,
        cast(joined.orders as integer) as orders,
        cast(joined.revenue as decimal(18, 2)) as revenue,
        cast(joined.revenue / joined.orders as decimal(18, 2)) as aov,
        joined.tenure_days,
        joined.orders / (greatest(joined.tenure_days, 30.4375) / 30.4375) as purchase_frequency,
        joined.acquisition_channel,
        joined.acquisition_source,
        joined.acquisition_medium,
        joined.acquisition_campaign,
        joined.acquisition_channel in ('Paid Social', 'Organic Social') as acquired_via_social,
        joined.referred,
        cast(joined.revenue as decimal(18, 2)) as historic_clv,
        joined.days_since_last_order,
        case when joined.days_since_last_order > churn_window_days() then 'churned' else 'active' end as churn_status,
        joined.as_of_date,
        predictions.expected_purchases_52w,
        predictions.p_alive,
        cast(predictions.expected_value_per_purchase as decimal(18, 2)) as expected_value_per_purchase,
        cast(predictions.predicted_clv as decimal(18, 2)) as predicted_clv,
        coalesce(predictions.clv_status, 'insufficient_data') as clv_status
    from joined
    left join predictions on predictions.customer_key = joined.customer_key

)

select * from final
