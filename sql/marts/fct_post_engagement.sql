-- fct_post_engagement: engagement of the brand's own posts on all five platforms, one vocabulary.
-- The APIs give lifetime totals per post (no daily breakdown), so a post has one row, on the day
-- it was published (report_date), holding its totals as of the latest extraction.
-- engagements = likes + comments + shares + saves (a component the platform does not report counts
-- as 0); rates divide engagements by reach, impressions, and the account's followers on the post
-- day (the latest follower count on or before it). is_provisional: the post day is within the
-- 28-day restatement window before the platform's latest loaded day.
-- grain: post × day; primary key: (platform, post_id, day)
with

posts as (
    select * from intermediate.int_social_posts
),

account_daily as (
    select * from intermediate.int_social_account_daily
),

followers_by_day as (
    select platform, account_id, day, followers
    from account_daily
    where followers is not null
),

latest_days as (
    -- the latest day with any data of the platform: posts, insights or snapshots
    select platform, max(day) as latest_day
    from (
        select platform, day from posts
        union all
        select platform, day from account_daily
    )
    group by platform
),

with_followers as (
    select
        posts.*,
        followers_by_day.followers
    from posts
    asof left join followers_by_day
        on followers_by_day.platform = posts.platform
        and followers_by_day.account_id = posts.account_id
        and followers_by_day.day <= posts.day
),

utm as (
    select
        *,
        nullif(url_decode(replace(regexp_extract(link_url, '[?&]utm_source=([^&#]*)', 1), '+', ' ')), '') as utm_source,
        nullif(url_decode(replace(regexp_extract(link_url, '[?&]utm_medium=([^&#]*)', 1), '+', ' ')), '') as utm_medium,
        nullif(url_decode(replace(regexp_extract(link_url, '[?&]utm_campaign=([^&#]*)', 1), '+', ' ')), '') as utm_campaign,
        nullif(url_decode(replace(regexp_extract(link_url, '[?&]utm_content=([^&#]*)', 1), '+', ' ')), '') as utm_content,
        nullif(url_decode(replace(regexp_extract(link_url, '[?&]utm_term=([^&#]*)', 1), '+', ' ')), '') as utm_term
    from with_followers
),

final as (
    select
        utm.post_id,
        utm.platform,
        utm.account_id,
        utm.day,
        utm.published_at,
        utm.likes,
        utm.comments,
        utm.shares,
        utm.saves,
        utm.clicks,
        utm.impressions,
        utm.reach,
        utm.views,
        utm.video_views,
        utm.engagements,
        utm.followers,
        utm.engagements / nullif(utm.reach, 0) as engagement_rate_by_reach,
        utm.engagements / nullif(utm.impressions, 0) as engagement_rate_by_impressions,
        utm.engagements / nullif(utm.followers, 0) as engagement_rate_by_followers,
        utm.day > latest_days.latest_day - 28 as is_provisional,
        utm.link_url,
        utm.utm_source,
        utm.utm_medium,
        utm.utm_campaign,
        utm.utm_content,
        utm.utm_term
    from utm
    join latest_days on latest_days.platform = utm.platform
)

select * from final
