-- fct_churn_monthly: customers active, churned, reactivated and new, month by month.
-- grain: month. primary key: month.
-- A customer is active on a day when it is at most churn_window_days() (default 90) days after their
-- last order, and churns on the first day past that: last order day + window + 1, if they did not
-- order again before. Months run from the first order month to the as-of month (the latest order day);
-- churn after the as-of date is not counted yet.
-- active_at_start = customers whose last order before the month is within the window at the close of the
-- day before the month (so a customer churning on the month's first day is active at start and churns in
-- the month); churned = customers whose churn day falls in the month;
-- churn_rate = churned / active_at_start; retention_rate = 1 − churn_rate;
-- reactivated = customers ordering in the month more than the window after their previous order;
-- new_customers = customers whose first order is in the month.

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

order_days as (

    select distinct customer_key, order_date
    from customer_orders

),

order_spans as (

    select
        customer_key,
        order_date,
        lead(order_date) over (partition by customer_key order by order_date) as next_order_date
    from order_days

),

churn_events as (

    -- An order day not followed by another within the window: the customer churns the day after the window ends.
    select
        customer_key,
        cast(order_date + churn_window_days() + 1 as date) as churn_date
    from order_spans
    where next_order_date is null
        or next_order_date - order_date > churn_window_days()

),

active_at_start as (

    select
        months.month,
        count(*) as customers
    from months
    inner join order_spans
        on order_spans.order_date < months.month
        and (order_spans.next_order_date is null or order_spans.next_order_date >= months.month)
        and months.month - 1 - order_spans.order_date <= churn_window_days()
    group by 1

),

churned as (

    select
        cast(date_trunc('month', churn_events.churn_date) as date) as month,
        count(distinct churn_events.customer_key) as customers
    from churn_events
    cross join as_of
    where churn_events.churn_date <= as_of.as_of_date
    group by 1

),

reactivated as (

    select
        order_month as month,
        count(distinct customer_key) as customers
    from customer_orders
    where days_since_previous_order > churn_window_days()
    group by 1

),

new_customers as (

    select
        order_month as month,
        count(*) as customers
    from customer_orders
    where is_first_order
    group by 1

),

final as (

    select
        months.month,
        cast(coalesce(active_at_start.customers, 0) as integer) as active_at_start,
        cast(coalesce(churned.customers, 0) as integer) as churned,
        coalesce(churned.customers, 0) / nullif(active_at_start.customers, 0) as churn_rate,
        1 - coalesce(churned.customers, 0) / nullif(active_at_start.customers, 0) as retention_rate,
        cast(coalesce(reactivated.customers, 0) as integer) as reactivated,
        cast(coalesce(new_customers.customers, 0) as integer) as new_customers,
        months.month + interval 1 month > as_of.as_of_date + interval 1 day as is_partial_month
    from months
    cross join as_of
    left join active_at_start on active_at_start.month = months.month
    left join churned on churned.month = months.month
    left join reactivated on reactivated.month = months.month
    left join new_customers on new_customers.month = months.month

)

select * from final
