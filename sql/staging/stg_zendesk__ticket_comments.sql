-- stg_zendesk__ticket_comments: public and internal ticket comments, the author as a
-- pseudonymous key (the same key as stg_zendesk__users.user_key).
-- grain: comment · primary key: comment_id
with source as (
    select * from raw.zendesk__ticket_comments
    -- an incremental build reads only the comments being rebuilt (every comment in a full build)
    where pulse_in_increment(id::varchar)
),

renamed as (
    select
        id::varchar as comment_id,
        ticket_id::varchar as ticket_id,
        pseudonym('zendesk:' || author_id::varchar) as author_key,
        coalesce(plain_body, body) as body,
        public as is_public,
        type as comment_type,
        lower(via ->> 'channel') as via_channel,
        created_at
    from source
),

final as (
    select * from renamed
)

select * from final
