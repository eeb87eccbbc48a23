-- fct_themes_weekly: the top themes of each week's customer texts (fct_feedback.themes), ranked by
-- summed TF-IDF, with volume, sentiment and growth against the previous calendar week. Competitor
-- mentions are left out.
-- grain: week × theme · primary key: (week, theme)
-- Weighting (the same as the sentiment library's topThemes in models/sentiment/themes.ts, which a
-- test holds this SQL to):
--   a text's term frequency is the term's count in the text ÷ the text's number of terms (long
--   texts do not dominate); a theme's weight is the sum over the week's texts × the smoothed IDF
--   ln((1 + texts of the week) / (1 + texts listing the term)) + 1; a theme needs 2 texts; ties go
--   to the term that sorts first (weights compared to 9 decimals, so the order of a floating-point
--   sum cannot break a tie).
-- Growth (as themeGrowth): ((v + 1) / (N + 1)) / ((v' + 1) / (N' + 1)) − 1 with v, v' the texts
-- listing the theme and N, N' the texts of this week and the week before; NULL when the week
-- before has no texts.
with feedback as (
    select * from marts.fct_feedback
),

brand_daily as (
    select * from intermediate.int_brand_daily
),

own_brands as (
    select distinct brand from brand_daily where is_own_brand
),

texts as (
    select
        -- ISO weeks start on Monday
        cast(date_trunc('week', day) as date) as week,
        text_id,
        coalesce(themes, []) as themes,
        score
    from feedback
    where mentioned_brand is null
        or mentioned_brand in (select brand from own_brands)
),

week_texts as (
    select week, count(*) as texts
    from texts
    group by week
),

text_terms as (
    -- each distinct term of a text, how often the text lists it, and the text's length
    select week, text_id, score, term, count(*) as occurrences, any_value(text_length) as text_length
    from (select week, text_id, score, len(themes) as text_length, unnest(themes) as term from texts)
    group by week, text_id, score, term
),

term_stats as (
    select
        week,
        term,
        count(*) as volume,
        sum(occurrences / text_length) as term_frequency,
        sum(score) as score_sum,
        count(score) as scored,
        count(*) filter (where score <= -0.05) as negative
    from text_terms
    group by week, term
),

ranked as (
    select
        term_stats.*,
        week_texts.texts,
        term_stats.term_frequency * (ln((1 + week_texts.texts) / (1 + term_stats.volume)) + 1) as weight,
        cast(row_number() over (partition by week order by round(weight, 9) desc, term) as integer) as theme_rank
    from term_stats
    inner join week_texts using (week)
    where term_stats.volume >= 2
    -- 20 themes a week: THEMES_PER_WEEK in models/marts/feedback/fct_themes_weekly.ts (its data test checks the ranks)
    qualify theme_rank <= 20
),

final as (
    select
        ranked.week,
        ranked.term as theme,
        ranked.theme_rank,
        ranked.texts,
        ranked.volume,
        ranked.volume / ranked.texts as share,
        ranked.weight,
        case when ranked.scored > 0 then ranked.score_sum / ranked.scored end as mean_score,
        case when ranked.scored > 0 then ranked.negative / ranked.scored end as negative_share,
        case when previous_week.texts is not null then coalesce(previous_term.volume, 0) end as previous_volume,
        case when previous_week.texts is not null then
            ((ranked.volume + 1) / (ranked.texts + 1)) / ((coalesce(previous_term.volume, 0) + 1) / (previous_week.texts + 1)) - 1
        end as growth
    from ranked
    left join week_texts as previous_week
        on previous_week.week = ranked.week - 7
    left join term_stats as previous_term
        on previous_term.week = ranked.week - 7
        and previous_term.term = ranked.term
)

select * from final
