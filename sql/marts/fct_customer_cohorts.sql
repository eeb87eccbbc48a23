-- fct_customer_cohorts: retention and revenue of first-order cohorts, month by month, per currency.
-- grain: cohort month × months since first order × currency. primary key: (cohort_month, months_since_first_order, currency).
-- cohort_month = the month of a customer's first counted order; months run up to the as-of month.
-- active_customers = cohort customers with an order in that month; retention_rate = active_customers / cohort_size;
-- revenue = the cohort's net revenue in that month; cumulative_revenue_per_customer = revenue of months
-- 0..k / cohort_size.

with

customer_orders as (

    select * from intermediate.int_customer_orders

),

as_of as (

    select * from intermediate.int_customers_as_of

),

customers as (

    select
        customer_key,
        currency,
        min(order_month) as cohort_month
    from customer_orders
    group by 1, 2

),

cohorts as (

    select
        cohort_month,
        currency,
        count(*) as cohort_size
    from customers
    group by 1, 2

),

cohort_months as (

    select
        cohorts.cohort_month,
        cohorts.currency,
        cohorts.cohort_size,
        cast(unnest(range(0, datediff('month', cohorts.cohort_month, as_of.as_of_date) + 1)) as integer) as months_since_first_order
    from cohorts
    cross join as_of

),

activity as (

    select
        customers.cohort_month,
        customers.currency,
        cast(datediff('month', customers.cohort_month, customer_orders.order_month) as integer) as months_since_first_order,
        count(distinct customer_orders.customer_key) as active_customers,
        sum(customer_orders.net_revenue) as revenue
    from customer_orders
    inner join customers on customers.customer_key = customer_orders.customer_key
    group by 1, 2, 3

),

joined as (

    select
        cohort_months.cohort_month,
        cohort_months.months_since_first_order,
        cohort_months.currency,
        cohort_months.cohort_size,
        coalesce(activity.active_customers, 0) as active_customers,
        coalesce(activity.revenue, 0) as revenue
    from cohort_months
    left join activity
        on activity.cohort_month = cohort_months.cohort_month
        and activity.currency = cohort_months.currency
        and activity.months_since_first_order = cohort_months.months_since_first_order

),

final as (

    select
        cohort_month,
        months_since_first_order,
        currency,
        cast(cohort_size as integer) as cohort_size,
        cast(active_customers as integer) as active_customers,
        active_customers / cohort_size as retention_rate,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(
            sum(revenue) over (
                partition by cohort_month, currency
                order by months_since_first_order
                rows between unbounded preceding and current row
            ) / cohort_size as decimal(18, 2)
        ) as cumulative_revenue_per_customer
    from joined

)

select * from final
