-- stg_x__tweets: the brand's own posts on X with `public_metrics` and (user context, posts of the
-- last 30 days) `non_public_metrics` flattened; the link is the expanded URL from `entities.urls`.
-- grain: tweet; primary key: tweet_id
with

source as (
    select * from raw.x__tweets
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

final as (
    select
        id as tweet_id,
        author_id as account_id,
        created_at,
        text,
        lang,
        cast(json_extract_string(public_metrics, '$.like_count') as bigint) as like_count,
        cast(json_extract_string(public_metrics, '$.reply_count') as bigint) as reply_count,
        cast(json_extract_string(public_metrics, '$.retweet_count') as bigint) as retweet_count,
        cast(json_extract_string(public_metrics, '$.quote_count') as bigint) as quote_count,
        cast(json_extract_string(public_metrics, '$.bookmark_count') as bigint) as bookmark_count,
        -- the private count when X gives it, else the public one
        coalesce(
            cast(json_extract_string(non_public_metrics, '$.impression_count') as bigint),
            cast(json_extract_string(public_metrics, '$.impression_count') as bigint)
        ) as impression_count,
        cast(json_extract_string(non_public_metrics, '$.url_link_clicks') as bigint) as url_link_clicks,
        cast(json_extract_string(non_public_metrics, '$.user_profile_clicks') as bigint) as user_profile_clicks,
        nullif(regexp_replace(coalesce(
            list_filter(json_extract_string(entities, '$.urls[*].expanded_url'), url -> url like '%utm\_%' escape '\')[1],
            json_extract_string(entities, '$.urls[0].expanded_url'),
            nullif(regexp_extract(text, 'https?://[^\s<>"]*[?&]utm_[^\s<>"]*', 0), ''),
            regexp_extract(text, 'https?://[^\s<>"]+', 0)
        ), '[.,!?)]+$', ''), '') as link_url
    from latest
)

select * from final
