-- stg_instagram__media_comments: top-level comments on the account's media and the replies nested
-- in `replies.data[]`, one row each. Authors become pseudonymous keys (of the user id where Graph
-- gives it, else of the username); @handles and e-mail addresses are masked in the text.
-- grain: comment or reply; primary key: comment_id
with

source as (
    select * from raw.instagram__media_comments
    -- an incremental build reads only the groups being rebuilt (every row in a full build)
    where pulse_in_increment(media_id)
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

top_level as (
    select
        id as comment_id,
        media_id,
        cast(null as varchar) as parent_comment_id,
        timestamp as created_at,
        text as raw_text,
        coalesce(json_extract_string("from", '$.id'), username) as author_id,
        username as author_username,
        like_count,
        coalesce(hidden, false) as is_hidden
    from latest
),

replies as (
    select
        json_extract_string(reply.value, '$.id') as comment_id,
        latest.media_id,
        coalesce(json_extract_string(reply.value, '$.parent_id'), latest.id) as parent_comment_id,
        cast(json_extract_string(reply.value, '$.timestamp') as timestamptz) as created_at,
        json_extract_string(reply.value, '$.text') as raw_text,
        coalesce(json_extract_string(reply.value, '$.from.id'), json_extract_string(reply.value, '$.username')) as author_id,
        json_extract_string(reply.value, '$.username') as author_username,
        cast(json_extract_string(reply.value, '$.like_count') as bigint) as like_count,
        false as is_hidden
    from latest,
        json_each(latest.replies, '$.data') as reply
),

unioned as (
    select * from top_level
    union all by name
    select * from replies
),

deduplicated as (
    -- a reply is nested under its comment in every load; keep one
    select *
    from unioned
    qualify row_number() over (partition by comment_id order by created_at) = 1
),

final as (
    select
        comment_id,
        media_id,
        parent_comment_id,
        created_at,
        regexp_replace(
            regexp_replace(raw_text, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g'),
            '@[A-Za-z0-9._]+', '@user', 'g'
        ) as text,
        pseudonym(author_id) as author_key,
        -- the username only as a key too: the account's own replies are recognised by either
        pseudonym(author_username) as author_username_key,
        coalesce(like_count, 0) as like_count,
        is_hidden
    from deduplicated
)

select * from final
