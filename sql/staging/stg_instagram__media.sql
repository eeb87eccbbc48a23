-- stg_instagram__media: the account's feed posts and reels with their lifetime metrics flattened
-- out of `insights.data[]` (`views` replaced `impressions` in 2025).
-- grain: media; primary key: media_id
with

source as (
    select * from raw.instagram__media
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

insights as (
    select
        latest.id as media_id,
        json_extract_string(metric.value, '$.name') as metric_name,
        try_cast(json_extract_string(metric.value, '$.values[0].value') as bigint) as metric_value
    from latest,
        json_each(latest.insights, '$.data') as metric
),

metrics as (
    select
        media_id,
        max(metric_value) filter (where metric_name = 'reach') as reach,
        max(metric_value) filter (where metric_name = 'views') as views,
        max(metric_value) filter (where metric_name = 'likes') as likes,
        max(metric_value) filter (where metric_name = 'comments') as comments,
        max(metric_value) filter (where metric_name = 'saved') as saves,
        max(metric_value) filter (where metric_name = 'shares') as shares,
        max(metric_value) filter (where metric_name = 'total_interactions') as total_interactions
    from insights
    group by media_id
),

final as (
    select
        latest.id as media_id,
        latest.timestamp as created_at,
        latest.caption as text,
        latest.media_type,
        latest.media_product_type,
        latest.permalink,
        latest.like_count,
        latest.comments_count,
        metrics.reach,
        metrics.views,
        metrics.likes,
        metrics.comments,
        metrics.saves,
        metrics.shares,
        metrics.total_interactions,
        nullif(regexp_replace(coalesce(
            nullif(regexp_extract(latest.caption, 'https?://[^\s<>"]*[?&]utm_[^\s<>"]*', 0), ''),
            regexp_extract(latest.caption, 'https?://[^\s<>"]+', 0)
        ), '[.,!?)]+$', ''), '') as link_url
    from latest
    left join metrics on metrics.media_id = latest.id
)

select * from final
