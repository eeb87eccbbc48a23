-- stg_youtube__channels_daily: daily snapshots of the public statistics of the brand's and the
-- competitors' channels (`statistics` strings typed as integers; subscribers NULL when hidden).
-- grain: channel × snapshot day; primary key: (channel_id, snapshot_date)
with

source as (
    select * from raw.youtube__channels_daily
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id, snapshot_date order by _loaded_at desc) = 1
),

final as (
    select
        id as channel_id,
        snapshot_date,
        json_extract_string(snippet, '$.title') as title,
        -- the channel's @handle without the @ (business channels, not private persons)
        ltrim(json_extract_string(snippet, '$.customUrl'), '@') as handle,
        cast(json_extract_string(statistics, '$.viewCount') as bigint) as view_count,
        case
            when coalesce(cast(json_extract_string(statistics, '$.hiddenSubscriberCount') as boolean), false) then null
            else cast(json_extract_string(statistics, '$.subscriberCount') as bigint)
        end as subscriber_count,
        cast(json_extract_string(statistics, '$.videoCount') as bigint) as video_count
    from latest
)

select * from final
