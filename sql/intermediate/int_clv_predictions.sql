-- int_clv_predictions (compute): the order history the CLV model is fitted on; the rows are computed in
-- TypeScript (models/intermediate/customers/clv.ts): BG/NBD + Gamma-Gamma fitted per currency,
-- one prediction per customer.
-- grain of the output: one customer. primary key: customer_key.
-- Input: one row per counted order (int_customer_orders) with the as-of date; amounts are net of refunds.

with

customer_orders as (

    select * from intermediate.int_customer_orders

),

as_of as (

    select * from intermediate.int_customers_as_of

),

final as (

    select
        customer_orders.order_id,
        customer_orders.customer_key,
        customer_orders.currency,
        cast(customer_orders.order_date as varchar) as order_date,
        cast(customer_orders.net_revenue as double) as amount,
        cast(as_of.as_of_date as varchar) as as_of_date
    from customer_orders
    cross join as_of

)

select * from final
