-- fct_share_of_voice: mentions, share of voice, audience and engagement of the brand and each
-- competitor per day, summed over platforms, with the sentiment of the texts that mention them.
-- grain: day × brand · primary key: (day, brand)
with brand_daily as (
    select * from intermediate.int_brand_daily
),

feedback as (
    select * from marts.fct_feedback
),

brand_totals as (
    select
        day,
        brand,
        bool_or(is_own_brand) as is_own_brand,
        count(distinct platform) as platforms,
        sum(mentions)::bigint as mentions,
        sum(followers)::bigint as followers,
        sum(posts)::bigint as posts,
        sum(engagements)::bigint as engagements,
        -- the engagement rate only counts platforms that report both numbers
        sum(engagements) filter (where followers is not null) as rated_engagements,
        sum(followers) filter (where engagements is not null) as rated_followers
    from brand_daily
    group by day, brand
),

day_totals as (
    select day, sum(mentions) as all_mentions
    from brand_totals
    group by day
),

mention_sentiment as (
    select
        day,
        mentioned_brand as brand,
        count(*) filter (where label <> 'unsupported') as mention_texts,
        avg(score) as mention_mean_score,
        (count(*) filter (where label = 'positive') - count(*) filter (where label = 'negative'))
            / nullif(count(*) filter (where label <> 'unsupported'), 0) as mention_net_sentiment
    from feedback
    where mentioned_brand is not null
    group by day, mentioned_brand
),

final as (
    select
        brand_totals.day,
        brand_totals.brand,
        brand_totals.is_own_brand,
        brand_totals.platforms,
        brand_totals.mentions,
        brand_totals.mentions / nullif(day_totals.all_mentions, 0) as share_of_voice,
        brand_totals.followers,
        brand_totals.posts,
        brand_totals.engagements,
        brand_totals.rated_engagements / nullif(brand_totals.rated_followers, 0) as engagement_rate,
        coalesce(mention_sentiment.mention_texts, 0) as mention_texts,
        mention_sentiment.mention_mean_score,
        mention_sentiment.mention_net_sentiment
    from brand_totals
    inner join day_totals on day_totals.day = brand_totals.day
    left join mention_sentiment
        on mention_sentiment.day = brand_totals.day
        and mention_sentiment.brand = brand_totals.brand
)

select * from final
