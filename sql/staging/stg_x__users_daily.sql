-- stg_x__users_daily: daily snapshots of the public counts of the brand's and competitors' X
-- accounts (X only tells the current count, so one snapshot a day builds the history).
-- grain: account × snapshot day; primary key: (user_id, snapshot_date)
with

source as (
    select * from raw.x__users_daily
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id, snapshot_date order by _loaded_at desc) = 1
),

final as (
    select
        id as user_id,
        snapshot_date,
        -- handles of the tracked business accounts, not of private persons
        username,
        cast(json_extract_string(public_metrics, '$.followers_count') as bigint) as followers,
        cast(json_extract_string(public_metrics, '$.following_count') as bigint) as following,
        cast(json_extract_string(public_metrics, '$.tweet_count') as bigint) as tweet_count,
        cast(json_extract_string(public_metrics, '$.listed_count') as bigint) as listed_count
    from latest
)

select * from final
