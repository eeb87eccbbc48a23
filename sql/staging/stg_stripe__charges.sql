-- stg_stripe__charges: Stripe charges, renamed and typed; amounts in major units.
-- grain: one Stripe charge. primary key: charge_id.
-- Stripe amounts are in the currency's minor unit; zero-decimal currencies (JPY, KRW, …) are not divided.

with

source as (

    select * from raw.stripe__charges

),

typed as (

    select
        *,
        case
            when lower(currency) in ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf')
                then 1
            else 100
        end as minor_units
    from source

),

final as (

    select
        id as charge_id,
        pseudonym(customer) as customer_key,
        customer as stripe_customer_id,
        to_timestamp(created) as created_at,
        report_date(to_timestamp(created)) as charge_date,
        upper(currency) as currency,
        cast(amount / minor_units as decimal(18, 2)) as amount,
        cast(amount_refunded / minor_units as decimal(18, 2)) as amount_refunded,
        cast((amount_captured - amount_refunded) / minor_units as decimal(18, 2)) as net_amount,
        status,
        coalesce(paid, false) as is_paid,
        nullif(metadata ->> '$.subscription', '') as subscription_id,
        invoice as invoice_id
    from typed

)

select * from final
