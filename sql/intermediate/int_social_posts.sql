-- int_social_posts: the brand's own posts on every platform with their lifetime metrics (as of
-- the latest extraction) in one vocabulary. What each platform contributes:
--   facebook  likes = reactions of every type; comments = top-level comments; shares; clicks;
--             impressions = post_media_view (views); reach; video_views; no saves
--   instagram likes, comments, shares, saves (insights); impressions = views; reach; no clicks
--   x         likes; comments = replies; shares = retweets + quotes; saves = bookmarks;
--             clicks = link + profile clicks (private metrics, when given); impressions; no reach
--   linkedin  likes (reactions), comments, shares, clicks, impressions, reach = unique impressions; no saves
--   youtube   likes, comments, views (= video_views); no shares, saves, clicks, impressions or reach
-- engagements = likes + comments + shares + saves, a component the platform does not report
-- counting as 0, one it reports but left NULL making engagements NULL.
-- grain: platform × post; primary key: (platform, post_id)
with

facebook_posts as (
    select * from staging.stg_facebook__posts
),

instagram_media as (
    select * from staging.stg_instagram__media
),

instagram_insights as (
    select * from staging.stg_instagram__account_insights
),

instagram_snapshots as (
    select * from staging.stg_instagram__account_snapshots
),

x_tweets as (
    select * from staging.stg_x__tweets
),

linkedin_posts as (
    select * from staging.stg_linkedin__posts
),

linkedin_post_statistics as (
    select * from staging.stg_linkedin__post_statistics
),

youtube_videos as (
    select * from staging.stg_youtube__videos
),

facebook as (
    select
        'facebook' as platform,
        post_id,
        page_id as account_id,
        created_at as published_at,
        reactions as likes,
        comments,
        shares,
        cast(null as bigint) as saves,
        clicks,
        impressions,
        reach,
        cast(null as bigint) as views,
        video_views,
        -- Facebook reports no saves: they count as 0
        reactions + comments + shares as engagements,
        link_url
    from facebook_posts
),

instagram_account as (
    -- the media edge names no account: the account is the one the insights and own snapshots are of
    select max(account_id) as account_id
    from (
        select account_id from instagram_insights
        union all
        select account_id from instagram_snapshots where is_own_account
    )
),

instagram as (
    select
        'instagram' as platform,
        instagram_media.media_id as post_id,
        coalesce(instagram_account.account_id, '(not set)') as account_id,
        instagram_media.created_at as published_at,
        coalesce(instagram_media.likes, instagram_media.like_count) as likes,
        coalesce(instagram_media.comments, instagram_media.comments_count) as comments,
        instagram_media.shares,
        instagram_media.saves,
        cast(null as bigint) as clicks,
        -- views replaced impressions in 2025
        instagram_media.views as impressions,
        instagram_media.reach,
        cast(null as bigint) as views,
        cast(null as bigint) as video_views,
        coalesce(instagram_media.likes, instagram_media.like_count) + coalesce(instagram_media.comments, instagram_media.comments_count)
            + instagram_media.shares + instagram_media.saves as engagements,
        instagram_media.link_url
    from instagram_media
    cross join instagram_account
),

x as (
    select
        'x' as platform,
        tweet_id as post_id,
        account_id,
        created_at as published_at,
        like_count as likes,
        reply_count as comments,
        retweet_count + quote_count as shares,
        bookmark_count as saves,
        url_link_clicks + user_profile_clicks as clicks,
        impression_count as impressions,
        cast(null as bigint) as reach,
        cast(null as bigint) as views,
        cast(null as bigint) as video_views,
        like_count + reply_count + retweet_count + quote_count + bookmark_count as engagements,
        link_url
    from x_tweets
),

linkedin as (
    select
        'linkedin' as platform,
        linkedin_posts.post_urn as post_id,
        linkedin_posts.organization_urn as account_id,
        linkedin_posts.published_at,
        linkedin_post_statistics.likes,
        linkedin_post_statistics.comments,
        linkedin_post_statistics.shares,
        cast(null as bigint) as saves,
        linkedin_post_statistics.clicks,
        linkedin_post_statistics.impressions,
        linkedin_post_statistics.unique_impressions as reach,
        cast(null as bigint) as views,
        cast(null as bigint) as video_views,
        -- LinkedIn reports no saves: they count as 0
        linkedin_post_statistics.likes + linkedin_post_statistics.comments + linkedin_post_statistics.shares as engagements,
        linkedin_posts.link_url
    from linkedin_posts
    left join linkedin_post_statistics on linkedin_post_statistics.post_urn = linkedin_posts.post_urn
),

youtube as (
    select
        'youtube' as platform,
        video_id as post_id,
        channel_id as account_id,
        published_at,
        like_count as likes,
        comment_count as comments,
        cast(null as bigint) as shares,
        cast(null as bigint) as saves,
        cast(null as bigint) as clicks,
        cast(null as bigint) as impressions,
        cast(null as bigint) as reach,
        view_count as views,
        view_count as video_views,
        -- the Data API reports no shares or saves: they count as 0
        like_count + comment_count as engagements,
        link_url
    from youtube_videos
),

unioned as (
    select * from facebook
    union all by name
    select * from instagram
    union all by name
    select * from x
    union all by name
    select * from linkedin
    union all by name
    select * from youtube
),

final as (
    select
        platform,
        post_id,
        account_id,
        published_at,
        report_date(published_at) as day,
        cast(likes as bigint) as likes,
        cast(comments as bigint) as comments,
        cast(shares as bigint) as shares,
        cast(saves as bigint) as saves,
        cast(clicks as bigint) as clicks,
        cast(impressions as bigint) as impressions,
        cast(reach as bigint) as reach,
        cast(views as bigint) as views,
        cast(video_views as bigint) as video_views,
        cast(engagements as bigint) as engagements,
        link_url
    from unioned
)

select * from final
