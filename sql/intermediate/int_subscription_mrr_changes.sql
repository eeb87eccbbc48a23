-- int_subscription_mrr_changes: every change of a subscription's MRR, with its effect on its customer's MRR.
-- grain: one subscription change (a Stripe event, or a start/end taken from the subscription itself).
-- primary key: change_id.
-- Subscriptions with events are followed through their events; those without any (Stripe keeps events
-- for 30 days) get a start at started_at with their monthly amount and, once ended, an end at 0.
-- MRR is summed per customer and currency; each change that moves it is classed at customer level:
--   new          customer MRR 0 → > 0 for the first time
--   reactivation customer MRR 0 → > 0 after having had MRR before
--   expansion    > 0 → higher;  contraction  > 0 → lower but > 0;  churn  > 0 → 0.
-- Changes on the same instant are ordered by change_id.

with

events as (

    select * from staging.stg_stripe__subscription_events

),

subscriptions as (

    select * from staging.stg_stripe__subscriptions

),

event_changes as (

    select
        event_id as change_id,
        subscription_id,
        customer_key,
        currency,
        created_at as changed_at,
        mrr_after as subscription_mrr_after
    from events
    where subscription_id is not null
        and customer_key is not null

),

subscriptions_without_events as (

    select *
    from subscriptions
    where subscription_id not in (select subscription_id from event_changes)
        and customer_key is not null

),

snapshot_starts as (

    select
        'start:' || subscription_id as change_id,
        subscription_id,
        customer_key,
        currency,
        started_at as changed_at,
        case
            when status in ('active', 'past_due', 'canceled', 'unpaid') then monthly_amount
            else cast(0 as decimal(18, 2))
        end as subscription_mrr_after
    from subscriptions_without_events

),

snapshot_ends as (

    select
        'end:' || subscription_id as change_id,
        subscription_id,
        customer_key,
        currency,
        coalesce(ended_at, canceled_at) as changed_at,
        cast(0 as decimal(18, 2)) as subscription_mrr_after
    from subscriptions_without_events
    where status in ('canceled', 'incomplete_expired')
        and coalesce(ended_at, canceled_at) is not null

),

all_changes as (

    select * from event_changes
    union all
    select * from snapshot_starts
    union all
    select * from snapshot_ends

),

subscription_deltas as (

    select
        *,
        subscription_mrr_after - coalesce(
            lag(subscription_mrr_after) over (partition by subscription_id order by changed_at, change_id),
            0
        ) as mrr_delta
    from all_changes

),

customer_running as (

    select
        *,
        sum(mrr_delta) over (
            partition by customer_key, currency
            order by changed_at, change_id
            rows between unbounded preceding and current row
        ) as customer_mrr_after
    from subscription_deltas

),

customer_history as (

    select
        *,
        customer_mrr_after - mrr_delta as customer_mrr_before,
        coalesce(
            max(customer_mrr_after) over (
                partition by customer_key, currency
                order by changed_at, change_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) > 0 as had_mrr_before
    from customer_running

),

final as (

    select
        change_id,
        subscription_id,
        customer_key,
        currency,
        changed_at,
        report_date(changed_at) as change_date,
        cast(date_trunc('month', report_date(changed_at)) as date) as change_month,
        cast(subscription_mrr_after as decimal(18, 2)) as subscription_mrr_after,
        cast(mrr_delta as decimal(18, 2)) as mrr_delta,
        cast(customer_mrr_before as decimal(18, 2)) as customer_mrr_before,
        cast(customer_mrr_after as decimal(18, 2)) as customer_mrr_after,
        case
            when mrr_delta = 0 then null
            when customer_mrr_before = 0 and customer_mrr_after > 0 and had_mrr_before then 'reactivation'
            when customer_mrr_before = 0 and customer_mrr_after > 0 then 'new'
            when customer_mrr_after = 0 then 'churn'
            when customer_mrr_after > customer_mrr_before then 'expansion'
            else 'contraction'
        end as movement
    from customer_history

)

select * from final
