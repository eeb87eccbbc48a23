-- stg_facebook__page_insights: the Facebook Page's daily insights (Graph `/{page-id}/insights`,
-- period day), one metric per row, the day's single value taken out of the `values` array.
-- grain: metric × period × day; primary key: (metric_name, period, day)
with

source as (
    select * from raw.facebook__page_insights
),

latest as (
    -- Meta restates insights for 28 days: keep the latest load of each metric-day
    select *
    from source
    qualify row_number() over (partition by name, period, day order by _loaded_at desc) = 1
),

final as (
    select
        split_part(id, '/', 1) as page_id,
        name as metric_name,
        period,
        day,
        -- counts only; object values (reactions by type) stay out, their total is in other metrics
        try_cast(json_extract_string("values", '$[0].value') as bigint) as value
    from latest
)

select * from final
