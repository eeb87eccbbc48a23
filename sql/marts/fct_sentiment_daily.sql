-- fct_sentiment_daily: sentiment of customer texts per day, platform and kind of text, with the
-- day's top themes. Mentions of competitors are left out (they are in fct_share_of_voice).
-- grain: day × platform × kind · primary key: (day, platform, kind)
with feedback as (
    select * from marts.fct_feedback
),

brand_daily as (
    select * from intermediate.int_brand_daily
),

own_brands as (
    select distinct brand from brand_daily where is_own_brand
),

brand_texts as (
    select feedback.*
    from feedback
    where feedback.mentioned_brand is null
        or feedback.mentioned_brand in (select brand from own_brands)
),

daily_counts as (
    select
        day,
        platform,
        kind,
        count(*) filter (where label <> 'unsupported') as texts,
        count(*) filter (where label = 'positive') as positive,
        count(*) filter (where label = 'neutral') as neutral,
        count(*) filter (where label = 'negative') as negative,
        count(*) filter (where label = 'unsupported') as unsupported,
        avg(score) as mean_score,
        count(*) filter (where is_complaint) as complaints
    from brand_texts
    group by day, platform, kind
),

-- Top themes by TF-IDF: a group's documents are its texts, a term's weight is the number of the
-- group's texts listing it (its themes) × the smoothed IDF over all of that day's texts,
-- ln((1 + texts that day) / (1 + texts that day listing the term)) + 1, so words every text
-- shares (the brand's name) sink. A theme needs at least 2 texts; the 5 heaviest are kept,
-- ties broken by term.
text_terms as (
    select distinct day, platform, kind, text_id, unnest(themes) as term
    from brand_texts
),

day_texts as (
    select day, count(*) as day_texts
    from brand_texts
    group by day
),

day_term_texts as (
    select day, term, count(distinct text_id) as term_texts
    from text_terms
    group by day, term
),

group_terms as (
    select day, platform, kind, term, count(*) as volume
    from text_terms
    group by day, platform, kind, term
),

weighted_terms as (
    select
        group_terms.day,
        group_terms.platform,
        group_terms.kind,
        group_terms.term,
        group_terms.volume * (ln((1 + day_texts.day_texts) / (1 + day_term_texts.term_texts)) + 1) as weight
    from group_terms
    inner join day_texts on day_texts.day = group_terms.day
    inner join day_term_texts on day_term_texts.day = group_terms.day and day_term_texts.term = group_terms.term
    where group_terms.volume >= 2
),

ranked_terms as (
    select
        *,
        row_number() over (partition by day, platform, kind order by weight desc, term) as theme_rank
    from weighted_terms
),

top_themes as (
    select day, platform, kind, list(term order by theme_rank) as top_themes
    from ranked_terms
    where theme_rank <= 5
    group by day, platform, kind
),

final as (
    select
        daily_counts.day,
        daily_counts.platform,
        daily_counts.kind,
        daily_counts.texts,
        daily_counts.positive,
        daily_counts.neutral,
        daily_counts.negative,
        daily_counts.unsupported,
        (daily_counts.positive - daily_counts.negative) / nullif(daily_counts.texts, 0) as net_sentiment,
        daily_counts.mean_score,
        daily_counts.complaints,
        daily_counts.complaints / nullif(daily_counts.texts, 0) as complaint_rate,
        coalesce(top_themes.top_themes, []::varchar[]) as top_themes
    from daily_counts
    left join top_themes
        on top_themes.day = daily_counts.day
        and top_themes.platform = daily_counts.platform
        and top_themes.kind = daily_counts.kind
)

select * from final
