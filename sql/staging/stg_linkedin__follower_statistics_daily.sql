-- stg_linkedin__follower_statistics_daily: the organization's daily follower gains (LinkedIn
-- reports net gains, organic and paid; it gives no follower total per day).
-- grain: organization × day; primary key: (organization_urn, day)
with

source as (
    select * from raw.linkedin__follower_statistics_daily
),

latest as (
    select *
    from source
    qualify row_number() over (partition by organizationalEntity, day order by _loaded_at desc) = 1
),

final as (
    select
        organizationalEntity as organization_urn,
        day,
        cast(json_extract_string(followerGains, '$.organicFollowerGain') as bigint) as organic_follower_gain,
        cast(json_extract_string(followerGains, '$.paidFollowerGain') as bigint) as paid_follower_gain
    from latest
)

select * from final
