-- stg_linkedin__share_statistics_daily: the organization's daily (organic) share statistics,
-- `totalShareStatistics` flattened.
-- grain: organization × day; primary key: (organization_urn, day)
with

source as (
    select * from raw.linkedin__share_statistics_daily
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
        cast(json_extract_string(totalShareStatistics, '$.impressionCount') as bigint) as impressions,
        cast(json_extract_string(totalShareStatistics, '$.uniqueImpressionsCount') as bigint) as unique_impressions,
        cast(json_extract_string(totalShareStatistics, '$.clickCount') as bigint) as clicks,
        cast(json_extract_string(totalShareStatistics, '$.likeCount') as bigint) as likes,
        cast(json_extract_string(totalShareStatistics, '$.commentCount') as bigint) as comments,
        cast(json_extract_string(totalShareStatistics, '$.shareCount') as bigint) as shares,
        cast(json_extract_string(totalShareStatistics, '$.engagement') as double) as linkedin_engagement_rate
    from latest
)

select * from final
