-- int_social_account_daily: the brand's own account on every platform per day, in one vocabulary.
-- Facebook: Page insights; Instagram: insights, with followers rebuilt backwards from the latest
-- own snapshot; LinkedIn: share and follower statistics; X and YouTube: daily public snapshots.
-- grain: platform × account × day; primary key: (platform, account_id, day)
with

facebook_insights as (
    select * from staging.stg_facebook__page_insights
),

instagram_insights as (
    select * from staging.stg_instagram__account_insights
),

instagram_totals as (
    select * from staging.stg_instagram__account_totals
),

instagram_snapshots as (
    select * from staging.stg_instagram__account_snapshots
),

linkedin_shares as (
    select * from staging.stg_linkedin__share_statistics_daily
),

linkedin_followers as (
    select * from staging.stg_linkedin__follower_statistics_daily
),

x_users as (
    select * from staging.stg_x__users_daily
),

x_tweets as (
    select * from staging.stg_x__tweets
),

youtube_channels as (
    select * from staging.stg_youtube__channels_daily
),

youtube_videos as (
    select * from staging.stg_youtube__videos
),

youtube_playlist_items as (
    select * from staging.stg_youtube__playlist_items
),

facebook as (
    select
        'facebook' as platform,
        page_id as account_id,
        day,
        max(value) filter (where metric_name = 'page_follows') as followers,
        max(value) filter (where metric_name = 'page_daily_follows_unique') as follows,
        max(value) filter (where metric_name = 'page_daily_unfollows_unique') as unfollows,
        max(value) filter (where metric_name = 'page_daily_follows_unique')
            - max(value) filter (where metric_name = 'page_daily_unfollows_unique') as net_follows,
        -- page_media_view replaced page_impressions (retired 2025-11-15)
        max(value) filter (where metric_name = 'page_media_view') as impressions,
        max(value) filter (where metric_name = 'page_total_media_view_unique') as reach,
        -- Graph no longer splits reach: organic and paid Page reach were retired (paid reach: see meta_ads)
        cast(null as bigint) as reach_organic,
        cast(null as bigint) as reach_paid,
        max(value) filter (where metric_name = 'page_video_views') as video_views
    from facebook_insights
    where period = 'day'
    group by page_id, day
),

instagram_series as (
    select
        account_id,
        day,
        max(value) filter (where metric_name = 'reach') as reach,
        max(value) filter (where metric_name = 'follower_count') as new_followers
    from instagram_insights
    where period = 'day'
    group by account_id, day
),

instagram_day_totals as (
    select
        account_id,
        day,
        max(value) filter (where metric_name = 'views') as impressions,
        max(follows) filter (where metric_name = 'follows_and_unfollows') as follows,
        max(unfollows) filter (where metric_name = 'follows_and_unfollows') as unfollows
    from instagram_totals
    where period = 'day'
    group by account_id, day
),

instagram_days as (
    select
        coalesce(instagram_series.account_id, instagram_day_totals.account_id) as account_id,
        coalesce(instagram_series.day, instagram_day_totals.day) as day,
        coalesce(instagram_day_totals.follows, instagram_series.new_followers) as follows,
        instagram_day_totals.unfollows,
        instagram_day_totals.impressions,
        instagram_series.reach
    from instagram_series
    full outer join instagram_day_totals
        on instagram_day_totals.account_id = instagram_series.account_id
        and instagram_day_totals.day = instagram_series.day
),

instagram_anchor as (
    -- the latest own snapshot's follower count, taken as the count at the start of its day
    select
        account_id,
        report_date(snapshot_at) as anchor_day,
        followers as anchor_followers
    from instagram_snapshots
    where is_own_account and followers is not null
    qualify row_number() over (partition by account_id order by snapshot_at desc) = 1
),

instagram_net as (
    select
        instagram_days.*,
        coalesce(follows, 0) - coalesce(unfollows, 0) as net_follows,
        sum(coalesce(follows, 0) - coalesce(unfollows, 0)) over (
            partition by instagram_days.account_id order by instagram_days.day rows between unbounded preceding and current row
        ) as cumulative_net_follows,
        sum(case when instagram_days.day < instagram_anchor.anchor_day then coalesce(follows, 0) - coalesce(unfollows, 0) else 0 end) over (
            partition by instagram_days.account_id
        ) as net_follows_before_anchor,
        instagram_anchor.anchor_followers
    from instagram_days
    left join instagram_anchor on instagram_anchor.account_id = instagram_days.account_id
),

instagram as (
    select
        'instagram' as platform,
        account_id,
        day,
        -- followers(d) = snapshot followers + net follows after the snapshot up to d − net follows from d to the snapshot
        anchor_followers + cumulative_net_follows - net_follows_before_anchor as followers,
        follows,
        unfollows,
        net_follows,
        impressions,
        reach,
        -- Instagram's reach counts ads too and is not split
        cast(null as bigint) as reach_organic,
        cast(null as bigint) as reach_paid,
        cast(null as bigint) as video_views
    from instagram_net
),

linkedin as (
    select
        'linkedin' as platform,
        coalesce(linkedin_shares.organization_urn, linkedin_followers.organization_urn) as account_id,
        coalesce(linkedin_shares.day, linkedin_followers.day) as day,
        -- LinkedIn gives net follower gains only, no follower total and no follows/unfollows split
        cast(null as bigint) as followers,
        cast(null as bigint) as follows,
        cast(null as bigint) as unfollows,
        linkedin_followers.organic_follower_gain + linkedin_followers.paid_follower_gain as net_follows,
        linkedin_shares.impressions,
        linkedin_shares.unique_impressions as reach,
        -- organization share statistics count organic activity only
        linkedin_shares.unique_impressions as reach_organic,
        cast(null as bigint) as reach_paid,
        cast(null as bigint) as video_views
    from linkedin_shares
    full outer join linkedin_followers
        on linkedin_followers.organization_urn = linkedin_shares.organization_urn
        and linkedin_followers.day = linkedin_shares.day
),

x_own_accounts as (
    select distinct account_id from x_tweets
),

x as (
    select
        'x' as platform,
        x_users.user_id as account_id,
        x_users.snapshot_date as day,
        x_users.followers,
        cast(null as bigint) as follows,
        cast(null as bigint) as unfollows,
        cast(null as bigint) as net_follows,
        cast(null as bigint) as impressions,
        cast(null as bigint) as reach,
        cast(null as bigint) as reach_organic,
        cast(null as bigint) as reach_paid,
        cast(null as bigint) as video_views
    from x_users
    where x_users.user_id in (select account_id from x_own_accounts)
),

youtube_own_channels as (
    select channel_id from youtube_videos
    union
    select channel_id from youtube_playlist_items
),

youtube as (
    select
        'youtube' as platform,
        channel_id as account_id,
        snapshot_date as day,
        subscriber_count as followers,
        cast(null as bigint) as follows,
        cast(null as bigint) as unfollows,
        cast(null as bigint) as net_follows,
        cast(null as bigint) as impressions,
        cast(null as bigint) as reach,
        cast(null as bigint) as reach_organic,
        cast(null as bigint) as reach_paid,
        cast(null as bigint) as video_views
    from youtube_channels
    where channel_id in (select channel_id from youtube_own_channels)
),

unioned as (
    select * from facebook
    union all by name
    select * from instagram
    union all by name
    select * from linkedin
    union all by name
    select * from x
    union all by name
    select * from youtube
),

final as (
    select
        platform,
        account_id,
        day,
        cast(followers as bigint) as followers,
        cast(follows as bigint) as follows,
        cast(unfollows as bigint) as unfollows,
        cast(net_follows as bigint) as net_follows,
        cast(impressions as bigint) as impressions,
        cast(reach as bigint) as reach,
        cast(reach_organic as bigint) as reach_organic,
        cast(reach_paid as bigint) as reach_paid,
        cast(video_views as bigint) as video_views
    from unioned
)

select * from final
