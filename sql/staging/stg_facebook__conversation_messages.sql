-- stg_facebook__conversation_messages: Messenger messages flattened out of each conversation's
-- `messages.data[]`. Senders become pseudonymous keys; the participants' names and e-mail
-- addresses are masked in the text (the Page's own name, told apart as the participant present in
-- the most conversations, is kept).
-- grain: message; primary key: message_id
with

source as (
    select * from raw.facebook__conversations
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

participants as (
    select
        latest.id as conversation_id,
        json_extract_string(person.value, '$.id') as participant_id,
        json_extract_string(person.value, '$.name') as participant_name
    from latest,
        json_each(latest.participants, '$.data') as person
),

participant_counts as (
    -- the Page takes part in every conversation of its inbox
    select
        *,
        count(*) over (partition by participant_id) as conversations_joined
    from participants
),

participant_reach as (
    select
        *,
        max(conversations_joined) over () as most_joined
    from participant_counts
),

people as (
    select
        conversation_id,
        name_pattern(list(participant_name)) as name_pattern
    from participant_reach
    where conversations_joined < most_joined or most_joined = 1
    group by conversation_id
),

messages as (
    select
        latest.id as conversation_id,
        json_extract_string(message.value, '$.id') as message_id,
        cast(json_extract_string(message.value, '$.created_time') as timestamptz) as created_at,
        json_extract_string(message.value, '$.message') as raw_text,
        json_extract_string(message.value, '$.from.id') as sender_id
    from latest,
        json_each(latest.messages, '$.data') as message
),

masked as (
    select
        messages.*,
        people.name_pattern,
        regexp_replace(messages.raw_text, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g') as text_without_emails
    from messages
    left join people on people.conversation_id = messages.conversation_id
),

final as (
    select
        message_id,
        conversation_id,
        created_at,
        mask_names(text_without_emails, name_pattern) as text,
        pseudonym(sender_id) as sender_key
    from masked
)

select * from final
