-- int_brand_daily: the brand and its competitors side by side per day and platform: followers,
-- posts, mentions and engagements. Competitors come from public data (X user snapshots and query
-- counts, YouTube channel snapshots, Instagram business discovery); the brand's own rows from its
-- own account metrics (int_social_account_daily, int_social_posts), X query counts and Instagram tags.
-- Labels: the X label of each tracked account (config `label`); an Instagram or YouTube competitor
-- whose handle matches a tracked X handle takes that label, else its handle. The brand is its X
-- label, or 'brand' without X.
-- grain: day × brand × platform; primary key: (day, brand, platform)
with

account_daily as (
    select * from intermediate.int_social_account_daily
),

own_posts as (
    select * from intermediate.int_social_posts
),

x_users as (
    select * from staging.stg_x__users_daily
),

x_mention_counts as (
    select * from staging.stg_x__mention_counts
),

x_tweets as (
    select * from staging.stg_x__tweets
),

instagram_snapshots as (
    select * from staging.stg_instagram__account_snapshots
),

instagram_discovery_media as (
    select * from staging.stg_instagram__discovery_media
),

instagram_tags as (
    select * from staging.stg_instagram__tags
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

x_own_accounts as (
    select distinct account_id as user_id from x_tweets
),

own_brand as (
    select coalesce(max(brand_label) filter (where user_id in (select user_id from x_own_accounts)), 'brand') as label
    from x_mention_counts
),

x_labels as (
    -- the latest label and handle of each tracked X account
    select
        accounts.user_id,
        coalesce(labels.brand_label, handles.username, accounts.user_id) as label,
        handles.username,
        accounts.user_id in (select user_id from x_own_accounts) as is_own
    from (select user_id from x_mention_counts union select user_id from x_users) as accounts
    left join (
        select user_id, brand_label from x_mention_counts
        where brand_label is not null
        qualify row_number() over (partition by user_id order by bucket_start desc) = 1
    ) as labels on labels.user_id = accounts.user_id
    left join (
        select user_id, username from x_users
        qualify row_number() over (partition by user_id order by snapshot_date desc) = 1
    ) as handles on handles.user_id = accounts.user_id
),

competitor_handles as (
    select lower(username) as handle, label
    from x_labels
    where not is_own and username is not null
),

-- own brand: every platform from its own account metrics

own_account_days as (
    select platform, day, followers
    from account_daily
),

own_post_days as (
    select platform, day, count(*) as posts, sum(engagements) as engagements
    from own_posts
    group by platform, day
),

own_tag_days as (
    select 'instagram' as platform, report_date(created_at) as day, count(*) as mentions
    from instagram_tags
    group by all
),

own_x_mention_days as (
    select 'x' as platform, report_date(bucket_start) as day, sum(mention_count) as mentions
    from x_mention_counts
    where user_id in (select user_id from x_own_accounts)
    group by all
),

own_facts as (
    select platform, day, followers, null as posts, null as mentions, null as engagements from own_account_days
    union all
    select platform, day, null, posts, null, engagements from own_post_days
    union all
    select platform, day, null, null, mentions, null from own_tag_days
    union all
    select platform, day, null, null, mentions, null from own_x_mention_days
),

own_rows as (
    select
        day,
        (select label from own_brand) as brand,
        true as is_own_brand,
        platform,
        max(followers) as followers,
        -- the brand's own posts are all read: a day without one has 0
        coalesce(max(posts), 0) as posts,
        case
            when platform = 'instagram' then coalesce(max(mentions), 0)
            when platform = 'x' then max(mentions)
        end as mentions,
        coalesce(max(engagements), 0) as engagements
    from own_facts
    group by day, platform
),

-- competitors: public data only

x_competitor_snapshots as (
    select
        x_users.user_id,
        x_users.snapshot_date as day,
        x_users.followers,
        -- posts of the day from the change of the post counter between consecutive daily snapshots
        case
            when lag(x_users.snapshot_date) over (partition by x_users.user_id order by x_users.snapshot_date) = x_users.snapshot_date - 1
                then x_users.tweet_count - lag(x_users.tweet_count) over (partition by x_users.user_id order by x_users.snapshot_date)
        end as posts
    from x_users
    where x_users.user_id not in (select user_id from x_own_accounts)
),

x_competitor_mentions as (
    select user_id, report_date(bucket_start) as day, sum(mention_count) as mentions
    from x_mention_counts
    where user_id not in (select user_id from x_own_accounts)
    group by all
),

x_competitor_rows as (
    select
        coalesce(snapshots.day, mentions.day) as day,
        x_labels.label as brand,
        false as is_own_brand,
        'x' as platform,
        snapshots.followers,
        snapshots.posts,
        mentions.mentions,
        -- X gives no engagement counts of competitors' posts without reading their timelines
        cast(null as bigint) as engagements
    from x_competitor_snapshots as snapshots
    full outer join x_competitor_mentions as mentions
        on mentions.user_id = snapshots.user_id and mentions.day = snapshots.day
    join x_labels on x_labels.user_id = coalesce(snapshots.user_id, mentions.user_id)
),

instagram_competitors as (
    select
        account_id,
        coalesce(competitor_handles.label, any_value(username) over (partition by account_id)) as label
    from (select distinct account_id, username from instagram_snapshots where not is_own_account) as accounts
    left join competitor_handles on competitor_handles.handle = lower(accounts.username)
),

instagram_competitor_snapshots as (
    select account_id, report_date(snapshot_at) as day, followers
    from instagram_snapshots
    where not is_own_account
    qualify row_number() over (partition by account_id, report_date(snapshot_at) order by snapshot_at desc) = 1
),

instagram_competitor_posts as (
    -- likes + comments: the public counts business discovery gives of each recent media
    select account_id, report_date(created_at) as day, count(*) as posts, sum(coalesce(like_count, 0) + coalesce(comments_count, 0)) as engagements
    from instagram_discovery_media
    group by all
),

instagram_competitor_rows as (
    select
        coalesce(snapshots.day, posts.day) as day,
        instagram_competitors.label as brand,
        false as is_own_brand,
        'instagram' as platform,
        snapshots.followers,
        posts.posts,
        cast(null as bigint) as mentions,
        posts.engagements
    from instagram_competitor_snapshots as snapshots
    full outer join instagram_competitor_posts as posts
        on posts.account_id = snapshots.account_id and posts.day = snapshots.day
    join instagram_competitors on instagram_competitors.account_id = coalesce(snapshots.account_id, posts.account_id)
),

youtube_own_channels as (
    select channel_id from youtube_videos
    union
    select channel_id from youtube_playlist_items
),

youtube_competitor_rows as (
    select
        youtube_channels.snapshot_date as day,
        coalesce(competitor_handles.label, youtube_channels.handle, youtube_channels.title) as brand,
        false as is_own_brand,
        'youtube' as platform,
        youtube_channels.subscriber_count as followers,
        case
            when lag(youtube_channels.snapshot_date) over (partition by youtube_channels.channel_id order by youtube_channels.snapshot_date) = youtube_channels.snapshot_date - 1
                then youtube_channels.video_count - lag(youtube_channels.video_count) over (partition by youtube_channels.channel_id order by youtube_channels.snapshot_date)
        end as posts,
        cast(null as bigint) as mentions,
        cast(null as bigint) as engagements
    from youtube_channels
    left join competitor_handles on competitor_handles.handle = lower(youtube_channels.handle)
    where youtube_channels.channel_id not in (select channel_id from youtube_own_channels)
),

unioned as (
    select * from own_rows
    union all by name
    select * from x_competitor_rows
    union all by name
    select * from instagram_competitor_rows
    union all by name
    select * from youtube_competitor_rows
),

final as (
    select
        day,
        brand,
        is_own_brand,
        platform,
        cast(followers as bigint) as followers,
        cast(posts as bigint) as posts,
        cast(mentions as bigint) as mentions,
        cast(engagements as bigint) as engagements
    from unioned
)

select * from final
