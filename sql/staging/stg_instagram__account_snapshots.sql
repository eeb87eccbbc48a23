-- stg_instagram__account_snapshots: public counts of the account itself and of each competitor
-- (business discovery), out of the JSON body of each Graph batch answer.
-- grain: account × snapshot; primary key: (account_id, snapshot_at)
with

source as (
    select * from raw.instagram__account_snapshots
),

answers as (
    select
        snapshot_at,
        _loaded_at,
        cast(body as json) as body
    from source
    where code = 200
),

renamed as (
    select
        snapshot_at,
        _loaded_at,
        -- the account's own node answers flat; a competitor answers under `business_discovery`
        json_extract(body, '$.business_discovery') is null as is_own_account,
        coalesce(json_extract(body, '$.business_discovery'), body) as profile
    from answers
),

flattened as (
    select
        json_extract_string(profile, '$.id') as account_id,
        snapshot_at,
        _loaded_at,
        is_own_account,
        json_extract_string(profile, '$.username') as username,
        try_cast(json_extract_string(profile, '$.followers_count') as bigint) as followers,
        try_cast(json_extract_string(profile, '$.follows_count') as bigint) as follows_count,
        try_cast(json_extract_string(profile, '$.media_count') as bigint) as media_count
    from renamed
),

final as (
    select * exclude (_loaded_at)
    from flattened
    where account_id is not null
    qualify row_number() over (partition by account_id, snapshot_at order by _loaded_at desc) = 1
)

select * from final
