-- stg_instagram__account_totals: the Instagram account's daily total-value insights (`views`,
-- `profile_views`, `accounts_engaged`, `total_interactions`, `follows_and_unfollows`), with the
-- `follow_type` breakdown flattened into follows (FOLLOWER) and unfollows (NON_FOLLOWER).
-- grain: metric × period × day; primary key: (metric_name, period, day)
with

source as (
    select * from raw.instagram__account_totals
),

latest as (
    select *
    from source
    qualify row_number() over (partition by name, period, day order by _loaded_at desc) = 1
),

breakdown as (
    select
        latest.name,
        latest.period,
        latest.day,
        cast(sum(cast(json_extract_string(result.value, '$.value') as bigint)) filter (where json_extract_string(result.value, '$.dimension_values[0]') = 'FOLLOWER') as bigint) as follows,
        cast(sum(cast(json_extract_string(result.value, '$.value') as bigint)) filter (where json_extract_string(result.value, '$.dimension_values[0]') = 'NON_FOLLOWER') as bigint) as unfollows
    from latest,
        json_each(latest.total_value, '$.breakdowns[0].results') as result
    group by all
),

final as (
    select
        split_part(latest.id, '/', 1) as account_id,
        latest.name as metric_name,
        latest.period,
        latest.day,
        try_cast(json_extract_string(latest.total_value, '$.value') as bigint) as value,
        breakdown.follows,
        breakdown.unfollows
    from latest
    left join breakdown
        on breakdown.name = latest.name and breakdown.period = latest.period and breakdown.day = latest.day
)

select * from final
