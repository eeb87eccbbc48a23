-- stg_stripe__subscription_events: `customer.subscription.*` events with the subscription's state after each.
-- grain: one Stripe event. primary key: event_id.
-- mrr_after is the subscription's monthly amount after the event (unit price × quantity normalised
-- to a month, in major units) while its status is active or past_due, and 0 once it is deleted,
-- canceled, incomplete, trialing, unpaid or paused.

with

source as (

    select * from raw.stripe__subscription_events
    where type like 'customer.subscription.%'
        -- an incremental build reads only the events being rebuilt (every event in a full build)
        and pulse_in_increment(id)

),

parsed as (

    select
        *,
        data -> '$.object' as subscription,
        from_json(
            coalesce(data -> '$.object.items', '{"data": []}'),
            '{"data": [{"quantity": "BIGINT", "price": {"unit_amount": "BIGINT", "recurring": {"interval": "VARCHAR", "interval_count": "BIGINT"}}, "plan": {"amount": "BIGINT", "interval": "VARCHAR", "interval_count": "BIGINT"}}]}'
        ).data as item_list,
        lower(data ->> '$.object.currency') as currency_code
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
        ) as monthly_minor,
        case
            when currency_code in ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf')
                then 1
            else 100
        end as minor_units
    from parsed

),

final as (

    select
        id as event_id,
        type as event_type,
        to_timestamp(created) as created_at,
        report_date(to_timestamp(created)) as event_date,
        subscription ->> '$.id' as subscription_id,
        pseudonym(subscription ->> '$.customer') as customer_key,
        subscription ->> '$.customer' as stripe_customer_id,
        subscription ->> '$.status' as status,
        upper(currency_code) as currency,
        cast(round(monthly_minor / minor_units, 2) as decimal(18, 2)) as monthly_amount,
        cast(
            case
                when type = 'customer.subscription.deleted' then 0
                when subscription ->> '$.status' in ('active', 'past_due') then round(monthly_minor / minor_units, 2)
                else 0
            end as decimal(18, 2)
        ) as mrr_after
    from amounts

)

select * from final
