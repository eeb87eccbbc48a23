-- stg_youtube__videos: the channel's videos with `statistics` (sent as decimal strings) typed as
-- integers; like and comment counts are NULL where the owner hid them.
-- grain: video; primary key: video_id
with

source as (
    select * from raw.youtube__videos
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

renamed as (
    select
        id as video_id,
        json_extract_string(snippet, '$.channelId') as channel_id,
        cast(json_extract_string(snippet, '$.publishedAt') as timestamptz) as published_at,
        json_extract_string(snippet, '$.title') as title,
        json_extract_string(snippet, '$.description') as description,
        json_extract_string(snippet, '$.defaultAudioLanguage') as audio_language,
        json_extract_string(contentDetails, '$.duration') as duration,
        cast(json_extract_string(statistics, '$.viewCount') as bigint) as view_count,
        cast(json_extract_string(statistics, '$.likeCount') as bigint) as like_count,
        cast(json_extract_string(statistics, '$.favoriteCount') as bigint) as favorite_count,
        cast(json_extract_string(statistics, '$.commentCount') as bigint) as comment_count
    from latest
),

final as (
    select
        *,
        nullif(regexp_replace(coalesce(
            nullif(regexp_extract(description, 'https?://[^\s<>"]*[?&]utm_[^\s<>"]*', 0), ''),
            regexp_extract(description, 'https?://[^\s<>"]+', 0)
        ), '[.,!?)]+$', ''), '') as link_url
    from renamed
)

select * from final
