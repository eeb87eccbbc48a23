-- stg_x__mention_counts: daily counts of each tracked brand's search query on X (share of voice),
-- with the configured brand label.
-- grain: tracked account × bucket; primary key: (user_id, bucket_start)
with

source as (
    select * from raw.x__mention_counts
),

latest as (
    -- the last bucket is partial and re-read: keep the latest load
    select *
    from source
    qualify row_number() over (partition by user_id, start order by _loaded_at desc) = 1
),

final as (
    select
        user_id,
        brand_label,
        query,
        start as bucket_start,
        "end" as bucket_end,
        tweet_count as mention_count
    from latest
)

select * from final
