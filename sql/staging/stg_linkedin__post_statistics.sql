-- stg_linkedin__post_statistics: lifetime statistics of each post, `totalShareStatistics` flattened.
-- grain: post; primary key: post_urn
with

source as (
    select * from raw.linkedin__post_statistics
),

latest as (
    select *
    from source
    qualify row_number() over (partition by post_urn order by _loaded_at desc) = 1
),

final as (
    select
        post_urn,
        organizationalEntity as organization_urn,
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
