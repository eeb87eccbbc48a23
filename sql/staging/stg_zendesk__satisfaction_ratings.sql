-- stg_zendesk__satisfaction_ratings: CSAT ratings of solved tickets (good / bad, or offered and
-- not answered); the requester as a pseudonymous key.
-- grain: rating · primary key: rating_id
with source as (
    select * from raw.zendesk__satisfaction_ratings
),

renamed as (
    select
        id::varchar as rating_id,
        ticket_id::varchar as ticket_id,
        score,
        nullif(trim(comment), '') as comment,
        pseudonym('zendesk:' || requester_id::varchar) as requester_key,
        created_at
    from source
),

final as (
    select * from renamed
)

select * from final
