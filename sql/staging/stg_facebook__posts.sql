-- stg_facebook__posts: the Page's own posts with their lifetime metrics flattened out of
-- `insights.data[]` and the summary counts of `reactions`, `comments` and `shares`.
-- grain: post; primary key: post_id
with

source as (
    select * from raw.facebook__posts
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

insights as (
    -- one row per post × lifetime metric
    select
        latest.id as post_id,
        json_extract_string(metric.value, '$.name') as metric_name,
        try_cast(json_extract_string(metric.value, '$.values[0].value') as bigint) as metric_value
    from latest,
        json_each(latest.insights, '$.data') as metric
),

metrics as (
    select
        post_id,
        max(metric_value) filter (where metric_name = 'post_media_view') as impressions,
        max(metric_value) filter (where metric_name = 'post_total_media_view_unique') as reach,
        max(metric_value) filter (where metric_name = 'post_clicks') as clicks,
        max(metric_value) filter (where metric_name = 'post_video_views') as video_views
    from insights
    group by post_id
),

renamed as (
    select
        latest.id as post_id,
        split_part(latest.id, '_', 1) as page_id,
        latest.created_time as created_at,
        latest.message as text,
        latest.permalink_url,
        latest.status_type,
        cast(json_extract_string(latest.reactions, '$.summary.total_count') as bigint) as reactions,
        cast(json_extract_string(latest.comments, '$.summary.total_count') as bigint) as comments,
        -- Graph leaves `shares` out when a post has none
        coalesce(cast(json_extract_string(latest.shares, '$.count') as bigint), 0) as shares,
        metrics.clicks,
        metrics.impressions,
        metrics.reach,
        metrics.video_views,
        nullif(regexp_replace(coalesce(
            nullif(regexp_extract(latest.message, 'https?://[^\s<>"]*[?&]utm_[^\s<>"]*', 0), ''),
            regexp_extract(latest.message, 'https?://[^\s<>"]+', 0)
        ), '[.,!?)]+$', ''), '') as link_url
    from latest
    left join metrics on metrics.post_id = latest.id
),

final as (
    select * from renamed
)

select * from final
