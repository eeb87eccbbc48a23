-- stg_instagram__discovery_media: recent media of competitors (and of the account itself) as
-- business discovery lists them in `media.data[]`, with the public like and comment counts of the
-- latest snapshot that listed each.
-- grain: media; primary key: media_id
with

source as (
    select * from raw.instagram__account_snapshots
),

answers as (
    select
        snapshot_at,
        _loaded_at,
        json_extract(cast(body as json), '$.business_discovery') as profile
    from source
    where code = 200
),

media as (
    select
        json_extract_string(item.value, '$.id') as media_id,
        json_extract_string(answers.profile, '$.id') as account_id,
        json_extract_string(answers.profile, '$.username') as username,
        cast(json_extract_string(item.value, '$.timestamp') as timestamptz) as created_at,
        try_cast(json_extract_string(item.value, '$.like_count') as bigint) as like_count,
        try_cast(json_extract_string(item.value, '$.comments_count') as bigint) as comments_count,
        answers.snapshot_at,
        answers._loaded_at
    from answers,
        json_each(answers.profile, '$.media.data') as item
    where answers.profile is not null
),

final as (
    select * exclude (_loaded_at)
    from media
    qualify row_number() over (partition by media_id order by snapshot_at desc, _loaded_at desc) = 1
)

select * from final
