-- int_clv_summaries: what the CLV fit needs of each customer's order history, summarised in SQL so
-- the fit (models/intermediate/customers/clv.ts) reads one row per customer instead of every order.
-- grain: one customer (in the currency of their orders). primary key: customer_key.
-- The semantics are those of models/clv/rfm.ts summarizeOrders (the Python lifetimes library's
-- summary_data_from_transaction_data), which a test holds this SQL to:
--   periods are Monday-start weeks, numbered as days since 1970-01-01 plus 3, divided by 7, floored
--   (1970-01-01 was a Thursday); a customer's orders in one week are one purchase;
--   orders after the as-of day are left out (int_customers_as_of: the latest order day);
--   frequency = purchase weeks − 1; recency = last week − first week; T = as-of week − first week;
--   monetary_value = mean value of the repeat weeks (the first week excluded), 0 without repeats.
-- Amounts are net revenue (total − refunds), summed exactly as decimals before becoming doubles.

with

customer_orders as (

    select * from intermediate.int_customer_orders

),

as_of as (

    select * from intermediate.int_customers_as_of

),

weekly as (

    select
        customer_orders.customer_key,
        customer_orders.currency,
        as_of.as_of_date,
        cast(floor((date_diff('day', date '1970-01-01', customer_orders.order_date) + 3) / 7) as bigint) as week,
        sum(customer_orders.net_revenue) as amount
    from customer_orders
    cross join as_of
    where customer_orders.order_date <= as_of.as_of_date
    group by all

),

summarised as (

    select
        customer_key,
        currency,
        as_of_date,
        count(*) - 1 as frequency,
        max(week) - min(week) as recency_weeks,
        cast(floor((date_diff('day', date '1970-01-01', as_of_date) + 3) / 7) as bigint) - min(week) as t_weeks,
        sum(amount) as total_amount,
        arg_min(amount, week) as first_week_amount
    from weekly
    group by customer_key, currency, as_of_date

),

final as (

    select
        customer_key,
        currency,
        as_of_date,
        cast(frequency as integer) as frequency,
        cast(recency_weeks as double) as recency_weeks,
        cast(t_weeks as double) as t_weeks,
        case when frequency > 0 then cast(total_amount - first_week_amount as double) / frequency else 0 end as monetary_value,
        cast(total_amount as double) as total_amount
    from summarised

)

select * from final
