-- fct_clv_by_channel: customer value by acquisition channel and cohort month, per currency.
-- grain: acquisition channel × cohort month × currency. primary key: (acquisition_channel, cohort_month, currency).
-- avg_historic_clv = mean revenue to date per customer; avg_predicted_clv = mean predicted CLV over
-- the customers that have one (NULL when none: that currency's fit had insufficient data).

with

customers as (

    select * from marts.dim_customers

),

final as (

    select
        acquisition_channel,
        cohort_month,
        currency,
        cast(count(*) as integer) as customers,
        cast(count(*) filter (where acquired_via_social) as integer) as social_customers,
        cast(sum(historic_clv) as decimal(18, 2)) as total_historic_clv,
        cast(avg(historic_clv) as decimal(18, 2)) as avg_historic_clv,
        cast(count(predicted_clv) as integer) as predicted_customers,
        cast(avg(predicted_clv) as decimal(18, 2)) as avg_predicted_clv,
        avg(p_alive) as avg_p_alive
    from customers
    group by 1, 2, 3

)

select * from final
