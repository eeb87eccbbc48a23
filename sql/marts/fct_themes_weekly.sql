-- fct_themes_weekly: the texts whose themes are ranked per week. The rows are computed in
-- TypeScript (models/marts/feedback/fct_themes_weekly.ts: topThemes and themeGrowth of
-- models/sentiment) from what this query selects. Competitor mentions are left out.
-- grain: week × theme · primary key: (week, theme)
with feedback as (
    select * from marts.fct_feedback
),

brand_daily as (
    select * from intermediate.int_brand_daily
),

own_brands as (
    select distinct brand from brand_daily where is_own_brand
),

weekly_texts as (
    select
        -- ISO weeks start on Monday; as text, so the compute step hands it back unchanged
        date_trunc('week', day)::date::varchar as week,
        text_id,
        themes,
        score
    from feedback
    where mentioned_brand is null
        or mentioned_brand in (select brand from own_brands)
),

final as (
    select * from weekly_texts
)

select * from final
