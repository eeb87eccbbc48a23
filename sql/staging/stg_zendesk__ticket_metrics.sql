-- stg_zendesk__ticket_metrics: Zendesk's metric set per ticket (replies, reopens, solve time and
-- its own reply / resolution minutes, calendar and business hours).
-- grain: ticket · primary key: ticket_id
with source as (
    select * from raw.zendesk__ticket_metrics
),

renamed as (
    select
        ticket_id::varchar as ticket_id,
        replies::bigint as replies,
        reopens::bigint as reopens,
        solved_at,
        (reply_time_in_minutes ->> 'calendar')::double as first_reply_minutes,
        (reply_time_in_minutes ->> 'business')::double as first_reply_business_minutes,
        (first_resolution_time_in_minutes ->> 'calendar')::double as first_resolution_minutes,
        (full_resolution_time_in_minutes ->> 'calendar')::double as full_resolution_minutes,
        (full_resolution_time_in_minutes ->> 'business')::double as full_resolution_business_minutes
    from source
),

final as (
    select * from renamed
)

select * from final
