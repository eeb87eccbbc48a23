-- stg_zendesk__tickets: Zendesk tickets, renamed and typed; the requester and assignee as
-- pseudonymous keys (subject and description stay in raw: they are free text that names people).
-- grain: ticket · primary key: ticket_id
with source as (
    select * from raw.zendesk__tickets
),

renamed as (
    select
        id::varchar as ticket_id,
        created_at,
        updated_at,
        lower(via ->> 'channel') as channel,
        status,
        status in ('solved', 'closed') as is_resolved,
        priority,
        type as ticket_type,
        pseudonym('zendesk:' || requester_id::varchar) as requester_key,
        pseudonym('zendesk:' || assignee_id::varchar) as assignee_key,
        satisfaction_rating ->> 'score' as satisfaction_score,
        coalesce(from_json(tags, '["VARCHAR"]'), []::varchar[]) as tags
    from source
),

final as (
    select * from renamed
)

select * from final
