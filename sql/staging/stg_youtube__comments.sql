-- stg_youtube__comments: the top-level comment of each comment thread and the replies inline in
-- `replies.comments[]`, one row each. Authors' channel ids become pseudonymous keys; @handles and
-- e-mail addresses are masked in the text.
-- grain: comment; primary key: comment_id
with

source as (
    select * from raw.youtube__comment_threads
    -- an incremental build reads only the groups being rebuilt (every row in a full build)
    where pulse_in_increment(id)
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

top_level as (
    select
        id as thread_id,
        json_extract(snippet, '$.topLevelComment') as comment,
        json_extract_string(snippet, '$.channelId') as channel_id,
        video_id
    from latest
),

replies as (
    select
        latest.id as thread_id,
        reply.value as comment,
        json_extract_string(latest.snippet, '$.channelId') as channel_id,
        latest.video_id
    from latest,
        json_each(latest.replies, '$.comments') as reply
),

comments as (
    select * from top_level
    union all
    select * from replies
),

final as (
    select
        json_extract_string(comment, '$.id') as comment_id,
        thread_id,
        coalesce(json_extract_string(comment, '$.snippet.videoId'), video_id) as video_id,
        channel_id,
        json_extract_string(comment, '$.snippet.parentId') as parent_comment_id,
        cast(json_extract_string(comment, '$.snippet.publishedAt') as timestamptz) as created_at,
        regexp_replace(
            regexp_replace(json_extract_string(comment, '$.snippet.textOriginal'), '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g'),
            '@[A-Za-z0-9._-]+', '@user', 'g'
        ) as text,
        pseudonym(json_extract_string(comment, '$.snippet.authorChannelId.value')) as author_key,
        coalesce(json_extract_string(comment, '$.snippet.authorChannelId.value') = channel_id, false) as is_from_channel,
        coalesce(cast(json_extract_string(comment, '$.snippet.likeCount') as bigint), 0) as like_count
    from comments
)

select * from final
