-- fct_account_daily: the brand's own account on each platform per day: audience (followers,
-- follows, unfollows, growth), reach and impressions, and the posts published that day with their
-- lifetime likes and engagements (from int_social_posts, the rows of fct_post_engagement).
-- follower_growth = (followers end − start) / start, start = the previous day's followers;
-- unfollow_rate = unfollows / followers at start; avg_likes_per_post = likes_total / posts;
-- engagement_rate_by_followers = engagements / followers (a ratio of sums over the day's posts).
-- is_provisional: the day is within the 28-day restatement window before the platform's latest loaded day.
-- grain: account × day; primary key: (platform, account_id, day)
with

account_daily as (
    select * from intermediate.int_social_account_daily
),

posts as (
    select * from intermediate.int_social_posts
),

posts_by_day as (
    select
        platform,
        account_id,
        day,
        count(*) as posts,
        cast(sum(likes) as bigint) as likes_total,
        cast(sum(engagements) as bigint) as engagements
    from posts
    group by platform, account_id, day
),

joined as (
    select
        coalesce(account_daily.platform, posts_by_day.platform) as platform,
        coalesce(account_daily.account_id, posts_by_day.account_id) as account_id,
        coalesce(account_daily.day, posts_by_day.day) as day,
        account_daily.followers,
        account_daily.follows,
        account_daily.unfollows,
        account_daily.net_follows,
        account_daily.impressions,
        account_daily.reach,
        account_daily.reach_organic,
        account_daily.reach_paid,
        account_daily.video_views,
        coalesce(posts_by_day.posts, 0) as posts,
        coalesce(posts_by_day.likes_total, 0) as likes_total,
        coalesce(posts_by_day.engagements, 0) as engagements
    from account_daily
    full outer join posts_by_day
        on posts_by_day.platform = account_daily.platform
        and posts_by_day.account_id = account_daily.account_id
        and posts_by_day.day = account_daily.day
),

with_start as (
    select
        *,
        -- followers at the start of the day = the end of the day before, when that day is known
        case
            when lag(day) over (partition by platform, account_id order by day) = day - 1
                then lag(followers) over (partition by platform, account_id order by day)
        end as followers_start,
        max(day) over (partition by platform) as latest_day
    from joined
),

final as (
    select
        platform,
        account_id,
        day,
        followers,
        followers_start,
        (followers - followers_start) / nullif(followers_start, 0) as follower_growth,
        follows,
        unfollows,
        net_follows,
        unfollows / nullif(followers_start, 0) as unfollow_rate,
        impressions,
        reach,
        reach_organic,
        reach_paid,
        video_views,
        posts,
        likes_total,
        likes_total / nullif(posts, 0) as avg_likes_per_post,
        engagements,
        engagements / nullif(followers, 0) as engagement_rate_by_followers,
        day > latest_day - 28 as is_provisional
    from with_start
)

select * from final
