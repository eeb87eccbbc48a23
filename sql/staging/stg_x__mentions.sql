-- stg_x__mentions: posts mentioning the brand (the mentions timeline: mentions, and replies by others, which X prefixes with @brand).
-- Authors become pseudonymous keys; @handles and e-mail addresses are masked in the text.
-- grain: tweet; primary key: tweet_id
with

source as (
    select * from raw.x__mentions
    -- an incremental build reads only the tweets being rebuilt (every tweet in a full build)
    where pulse_in_increment(id)
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

final as (
    select
        id as tweet_id,
        created_at,
        regexp_replace(
            regexp_replace(text, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g'),
            '@[A-Za-z0-9_]+', '@user', 'g'
        ) as text,
        lang,
        pseudonym(author_id) as author_key,
        conversation_id,
        list_filter(
            cast(coalesce(referenced_tweets, '[]') as json[]),
            ref -> json_extract_string(ref, '$.type') = 'replied_to'
        )[1] ->> '$.id' as replied_to_tweet_id,
        pseudonym(in_reply_to_user_id) as in_reply_to_user_key,
        cast(json_extract_string(public_metrics, '$.like_count') as bigint) as like_count,
        cast(json_extract_string(public_metrics, '$.retweet_count') as bigint) as retweet_count,
        cast(json_extract_string(public_metrics, '$.reply_count') as bigint) as reply_count
    from latest
)

select * from final
