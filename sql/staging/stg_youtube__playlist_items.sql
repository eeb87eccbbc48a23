-- stg_youtube__playlist_items: the items of the channel's uploads playlist (one per video).
-- grain: playlist item; primary key: playlist_item_id
with

source as (
    select * from raw.youtube__playlist_items
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

final as (
    select
        id as playlist_item_id,
        json_extract_string(contentDetails, '$.videoId') as video_id,
        json_extract_string(snippet, '$.channelId') as channel_id,
        json_extract_string(snippet, '$.playlistId') as playlist_id,
        cast(coalesce(json_extract_string(contentDetails, '$.videoPublishedAt'), json_extract_string(snippet, '$.publishedAt')) as timestamptz) as video_published_at,
        json_extract_string(snippet, '$.title') as title,
        cast(json_extract_string(snippet, '$.position') as bigint) as position,
        json_extract_string(status, '$.privacyStatus') as privacy_status
    from latest
)

select * from final
