-- stg_instagram__account_insights: the Instagram account's daily time-series insights (`reach`,
-- `follower_count` = new followers that day), one metric per row, the value taken out of `values`.
-- grain: metric × period × day; primary key: (metric_name, period, day)
with

source as (
    select * from raw.instagram__account_insights
),

latest as (
    select *
    from source
    qualify row_number() over (partition by name, period, day order by _loaded_at desc) = 1
),

final as (
    select
        split_part(id, '/', 1) as account_id,
        name as metric_name,
        period,
        day,
        try_cast(json_extract_string("values", '$[0].value') as bigint) as value
    from latest
)

select * from final
