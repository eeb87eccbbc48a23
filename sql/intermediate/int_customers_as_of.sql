-- int_customers_as_of: the as-of date of the customer marts, the data's own clock.
-- grain: one row. primary key: as_of_date.
-- as_of_date = the latest order day (reporting time zone) among all Shopify orders, so rebuilding the
-- same data gives the same statuses, tenures and predictions whenever it runs.

with

orders as (

    select * from staging.stg_shopify__orders

),

final as (

    select max(order_date) as as_of_date
    from orders
    having count(*) > 0

)

select * from final
