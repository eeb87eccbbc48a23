-- fct_subscription_mrr: monthly recurring revenue and its movements, per currency.
-- grain: month × currency. primary key: (month, currency).
-- Months run from the first subscription change to the month of the data's latest day (the latest
-- subscription change or charge); the last month is partial when that day is not its last.
-- mrr_start = Σ customers' MRR before the month's first day; mrr_end = after its last day (or the
-- latest day); the movements sum the changes inside the month by their customer-level class, so
-- mrr_end = mrr_start + new + expansion − contraction − churned + reactivated.
-- subscriber_retention = subscribers at start still subscribed at end / subscribers at start.

with

changes as (

    select * from intermediate.int_subscription_mrr_changes

),

charges as (

    select * from staging.stg_stripe__charges

),

data_end as (

    select greatest(
        (select max(change_date) from changes),
        coalesce((select max(charge_date) from charges), (select max(change_date) from changes))
    ) as last_day

),

currency_months as (

    select
        changes.currency,
        cast(unnest(generate_series(min(changes.change_month), date_trunc('month', any_value(data_end.last_day)), interval 1 month)) as date) as month
    from changes
    cross join data_end
    group by changes.currency

),

months as (

    select
        currency_months.currency,
        currency_months.month,
        cast(currency_months.month + interval 1 month as date) as next_month,
        least(cast(currency_months.month + interval 1 month as date), cast(data_end.last_day + interval 1 day as date)) as end_boundary
    from currency_months
    cross join data_end

),

customer_days as (

    -- Each customer's MRR at the close of each day it changed.
    select
        customer_key,
        currency,
        change_date,
        arg_max(customer_mrr_after, (changed_at, change_id)) as mrr_close
    from changes
    group by 1, 2, 3

),

customers as (

    select distinct customer_key, currency from changes

),

customer_months as (

    select
        months.month,
        months.currency,
        months.end_boundary,
        customers.customer_key
    from months
    inner join customers on customers.currency = months.currency

),

customer_start as (

    select
        customer_months.month,
        customer_months.currency,
        customer_months.customer_key,
        customer_months.end_boundary,
        coalesce(customer_days.mrr_close, 0) as mrr_start
    from customer_months
    asof left join customer_days
        on customer_days.customer_key = customer_months.customer_key
        and customer_days.currency = customer_months.currency
        and customer_days.change_date < customer_months.month

),

customer_state as (

    select
        customer_start.month,
        customer_start.currency,
        customer_start.customer_key,
        customer_start.mrr_start,
        coalesce(customer_days.mrr_close, 0) as mrr_end
    from customer_start
    asof left join customer_days
        on customer_days.customer_key = customer_start.customer_key
        and customer_days.currency = customer_start.currency
        and customer_days.change_date < customer_start.end_boundary

),

balances as (

    select
        month,
        currency,
        sum(mrr_start) as mrr_start,
        sum(mrr_end) as mrr_end,
        count(*) filter (where mrr_start > 0) as subscribers_start,
        count(*) filter (where mrr_end > 0) as subscribers_end,
        count(*) filter (where mrr_start > 0 and mrr_end > 0) as subscribers_retained
    from customer_state
    group by 1, 2

),

movements as (

    select
        change_month as month,
        currency,
        coalesce(sum(mrr_delta) filter (where movement = 'new'), 0) as new_mrr,
        coalesce(sum(mrr_delta) filter (where movement = 'expansion'), 0) as expansion_mrr,
        coalesce(-sum(mrr_delta) filter (where movement = 'contraction'), 0) as contraction_mrr,
        coalesce(-sum(mrr_delta) filter (where movement = 'churn'), 0) as churned_mrr,
        coalesce(sum(mrr_delta) filter (where movement = 'reactivation'), 0) as reactivated_mrr,
        count(distinct customer_key) filter (where movement = 'new') as new_subscribers,
        count(distinct customer_key) filter (where movement = 'churn') as churned_subscribers,
        count(distinct customer_key) filter (where movement = 'reactivation') as reactivated_subscribers
    from changes
    group by 1, 2

),

final as (

    select
        balances.month,
        balances.currency,
        cast(balances.mrr_start as decimal(18, 2)) as mrr_start,
        cast(coalesce(movements.new_mrr, 0) as decimal(18, 2)) as new_mrr,
        cast(coalesce(movements.expansion_mrr, 0) as decimal(18, 2)) as expansion_mrr,
        cast(coalesce(movements.contraction_mrr, 0) as decimal(18, 2)) as contraction_mrr,
        cast(coalesce(movements.churned_mrr, 0) as decimal(18, 2)) as churned_mrr,
        cast(coalesce(movements.reactivated_mrr, 0) as decimal(18, 2)) as reactivated_mrr,
        cast(balances.mrr_end as decimal(18, 2)) as mrr_end,
        cast(balances.subscribers_start as integer) as subscribers_start,
        cast(coalesce(movements.new_subscribers, 0) as integer) as new_subscribers,
        cast(coalesce(movements.churned_subscribers, 0) as integer) as churned_subscribers,
        cast(coalesce(movements.reactivated_subscribers, 0) as integer) as reactivated_subscribers,
        cast(balances.subscribers_end as integer) as subscribers_end,
        cast(balances.subscribers_retained as integer) as subscribers_retained,
        balances.subscribers_retained / nullif(balances.subscribers_start, 0) as subscriber_retention,
        balances.month + interval 1 month > (select last_day + interval 1 day from data_end) as is_partial_month
    from balances
    left join movements
        on movements.month = balances.month
        and movements.currency = balances.currency

)

select * from final
