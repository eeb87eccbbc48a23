-- stg_stripe__subscriptions: Stripe subscriptions (current state), renamed and typed.
-- grain: one Stripe subscription. primary key: subscription_id.
-- monthly_amount = Σ over items of unit price × quantity, normalised to a month
-- (year ÷ 12, week × 52 ÷ 12, day × 365 ÷ 12, each ÷ interval_count), in major units. It is the
-- plan's amount whatever the status; MRR counts it only while the status is active or past_due.

with

source as (

    select * from raw.stripe__subscriptions

),

parsed as (

    select
        *,
        from_json(
            coalesce(items, '{"data": []}'),
            '{"data": [{"quantity": "BIGINT", "price": {"unit_amount": "BIGINT", "recurring": {"interval": "VARCHAR", "interval_count": "BIGINT"}}, "plan": {"amount": "BIGINT", "interval": "VARCHAR", "interval_count": "BIGINT"}}]}'
        ).data as item_list,
        case
            when lower(currency) in ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf')
                then 1
            else 100
        end as minor_units
    from source

),

amounts as (

    select
        *,
        coalesce(
            list_sum(
                list_transform(
                    item_list,
                    i -> cast(coalesce(i.price.unit_amount, i.plan.amount, 0) as double)
                        * coalesce(i.quantity, 1)
                        * case coalesce(i.price.recurring.interval, i.plan.interval, 'month')
                            when 'year' then 1.0 / 12
                            when 'week' then 52.0 / 12
                            when 'day' then 365.0 / 12
                            else 1.0
                        end
                        / greatest(coalesce(i.price.recurring.interval_count, i.plan.interval_count, 1), 1)
                )
            ),
            0
        ) as monthly_minor

    from parsed

),

final as (

    select
        id as subscription_id,
        pseudonym(customer) as customer_key,
        customer as stripe_customer_id,
        status,
        to_timestamp(created) as created_at,
        to_timestamp(coalesce(start_date, created)) as started_at,
        to_timestamp(canceled_at) as canceled_at,
        to_timestamp(ended_at) as ended_at,
        to_timestamp(current_period_start) as current_period_start,
        to_timestamp(current_period_end) as current_period_end,
        upper(currency) as currency,
        cast(round(monthly_minor / minor_units, 2) as decimal(18, 2)) as monthly_amount
    from amounts

)

select * from final
