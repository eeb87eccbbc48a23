-- stg_linkedin__posts: the organization's posts; millisecond times typed as timestamps, the link
-- taken from the article content or the commentary.
-- grain: post; primary key: post_urn
with

source as (
    select * from raw.linkedin__posts
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

final as (
    select
        id as post_urn,
        author as organization_urn,
        to_timestamp(createdAt / 1000.0) as created_at,
        to_timestamp(coalesce(publishedAt, createdAt) / 1000.0) as published_at,
        commentary as text,
        visibility,
        lifecycleState as lifecycle_state,
        nullif(regexp_replace(coalesce(
            nullif(regexp_extract(commentary, 'https?://[^\s<>"]*[?&]utm_[^\s<>"]*', 0), ''),
            json_extract_string(content, '$.article.source'),
            regexp_extract(commentary, 'https?://[^\s<>"]+', 0)
        ), '[.,!?)]+$', ''), '') as link_url
    from latest
)

select * from final
