/**
 * Marts of the social area: post engagement and the brand's accounts per day, one vocabulary
 * over Facebook, Instagram, X, LinkedIn and YouTube.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from '../../staging/social/columns.ts';

const PLATFORMS = ['facebook', 'instagram', 'x', 'linkedin', 'youtube'] as const;

export const fctPostEngagement = defineModel({
  name: 'fct_post_engagement',
  layer: 'marts',
  sql: 'sql/marts/fct_post_engagement.sql',
  materialized: 'table',
  grain: 'post × day',
  uniqueKey: ['platform', 'post_id', 'day'],
  tags: ['social'],
  description:
    'Engagement of the brand’s own posts on all five platforms, in one vocabulary. The APIs give lifetime totals per post, not a daily breakdown, so each post has one row, on the day it was published (report_date), holding its totals as of the latest extraction. ' +
    'What each platform contributes — Facebook: likes = reactions of every type, comments = top-level comments, shares, clicks = post_clicks, impressions = post_media_view (Meta’s replacement of post_impressions), reach = post_total_media_view_unique, video_views; no saves. ' +
    'Instagram: likes, comments, shares, saves (insights), impressions = views (replaced impressions in 2025), reach; no clicks. ' +
    'X: likes, comments = replies, shares = retweets + quotes, saves = bookmarks, clicks = link + profile clicks (private metrics, own posts of the last 30 days; NULL otherwise), impressions; no reach. ' +
    'LinkedIn: likes (reactions), comments, shares, clicks, impressions, reach = unique impressions; no saves. ' +
    'YouTube: likes, comments, views (also in video_views); no shares, saves, clicks, impressions or reach. ' +
    'engagements = likes + comments + shares + saves; a component the platform does not report (Facebook/LinkedIn saves, YouTube shares and saves) counts as 0, one it reports but is missing makes engagements NULL. ' +
    'engagement_rate_by_reach = engagements / reach; by_impressions = engagements / impressions; by_followers = engagements / followers of the account on the post day (the latest count on or before it). ' +
    'A rate over many posts is sum(engagements) / sum(reach) (a ratio of sums), not the mean of these per-post rates. ' +
    'is_provisional: day > (the platform’s latest loaded day − 28), i.e. the post is inside the 28-day window in which platforms restate metrics; the latest loaded day is the latest day of any of the platform’s posts, insights or snapshots. ' +
    'utm_* are parsed from the post’s link (the first URL with utm_ tags, else the first URL).',
  columns: {
    post_id: col('VARCHAR', 'Platform post id (Graph post id, IG media id, tweet id, LinkedIn post URN, YouTube video id).'),
    platform: col('VARCHAR', 'facebook, instagram, x, linkedin or youtube.'),
    account_id: col('VARCHAR', 'The brand’s account on the platform.'),
    day: col('DATE', 'Day the post was published (report_date); the row holds lifetime totals.'),
    published_at: col('TIMESTAMPTZ', 'When the post was published (UTC).'),
    likes: nullable('BIGINT', 'Likes; Facebook: reactions of every type (reactions.summary.total_count); X like_count; LinkedIn likeCount; YouTube likeCount (NULL when hidden).'),
    comments: nullable('BIGINT', 'Comments; Facebook: top-level comments; X: replies (reply_count).'),
    shares: nullable('BIGINT', 'Shares; X: retweets + quotes; LinkedIn: reposts; NULL on YouTube (not reported).'),
    saves: nullable('BIGINT', 'Saves: Instagram saved, X bookmarks; NULL on Facebook, LinkedIn, YouTube (not reported).'),
    clicks: nullable('BIGINT', 'Clicks: Facebook post_clicks, LinkedIn clickCount, X url_link_clicks + user_profile_clicks (when given); NULL on Instagram and YouTube.'),
    impressions: nullable('BIGINT', 'Impressions: Facebook post_media_view, Instagram views, X impression_count, LinkedIn impressionCount; NULL on YouTube (see views).'),
    reach: nullable('BIGINT', 'Unique reach: Facebook post_total_media_view_unique, Instagram reach, LinkedIn uniqueImpressionsCount; NULL on X and YouTube.'),
    views: nullable('BIGINT', 'YouTube viewCount; NULL elsewhere.'),
    video_views: nullable('BIGINT', 'Video views: Facebook post_video_views (3 s+), YouTube viewCount; NULL elsewhere.'),
    engagements: nullable('BIGINT', 'likes + comments + shares + saves; components the platform does not report count as 0.'),
    followers: nullable('BIGINT', 'Followers of the account on the post day (latest count on or before it); NULL when none is known (LinkedIn; X and YouTube before their first snapshot).'),
    engagement_rate_by_reach: nullable('DOUBLE', 'engagements / reach. Can exceed 1: one person can like, comment, share and save.'),
    engagement_rate_by_impressions: nullable('DOUBLE', 'engagements / impressions.'),
    engagement_rate_by_followers: nullable('DOUBLE', 'engagements / followers at the time. Can exceed 1: non-followers engage too.'),
    is_provisional: col('BOOLEAN', 'The post day is within 28 days of the platform’s latest loaded day, so its totals may still grow or be restated.'),
    link_url: nullable('VARCHAR', 'The post’s link (first URL with utm_ tags, else the first URL).'),
    utm_source: nullable('VARCHAR', 'utm_source of the link.'),
    utm_medium: nullable('VARCHAR', 'utm_medium of the link.'),
    utm_campaign: nullable('VARCHAR', 'utm_campaign of the link.'),
    utm_content: nullable('VARCHAR', 'utm_content of the link.'),
    utm_term: nullable('VARCHAR', 'utm_term of the link.'),
  },
  tests: [
    { kind: 'accepted_values', column: 'platform', values: PLATFORMS },
    {
      kind: 'expression',
      name: 'no_negative_counts',
      expression:
        'coalesce(likes, 0) >= 0 and coalesce(comments, 0) >= 0 and coalesce(shares, 0) >= 0 and coalesce(saves, 0) >= 0 and coalesce(clicks, 0) >= 0 and coalesce(impressions, 0) >= 0 and coalesce(reach, 0) >= 0 and coalesce(views, 0) >= 0 and coalesce(video_views, 0) >= 0 and coalesce(engagements, 0) >= 0',
    },
    { kind: 'expression', name: 'rates_not_negative', expression: 'coalesce(engagement_rate_by_reach, 0) >= 0 and coalesce(engagement_rate_by_impressions, 0) >= 0 and coalesce(engagement_rate_by_followers, 0) >= 0' },
    // Engagements count actions, reach counts people: one person may act several times, so > 1 is possible but worth a look.
    { kind: 'expression', name: 'engagement_rate_by_reach_at_most_1', expression: 'engagement_rate_by_reach <= 1', severity: 'warn' },
    { kind: 'expression', name: 'engagement_rate_by_impressions_at_most_1', expression: 'engagement_rate_by_impressions <= 1', severity: 'warn' },
    // Non-followers engage too (viral posts): > 1 is possible.
    { kind: 'expression', name: 'engagement_rate_by_followers_at_most_1', expression: 'engagement_rate_by_followers <= 1', severity: 'warn' },
  ],
});

export const fctAccountDaily = defineModel({
  name: 'fct_account_daily',
  layer: 'marts',
  sql: 'sql/marts/fct_account_daily.sql',
  materialized: 'table',
  grain: 'account × day',
  uniqueKey: ['platform', 'account_id', 'day'],
  tags: ['social'],
  description:
    'The brand’s own account on each platform per day. Audience and reach from the platform’s daily account data (Facebook Page insights; Instagram insights, followers rebuilt from the latest account snapshot and the daily follows/unfollows; LinkedIn share and follower statistics — net gains only, no follower total; X and YouTube: public follower/subscriber snapshots, on snapshot days only). ' +
    'Posts, likes and engagements are those of the posts published that day, with their lifetime totals (the rows of fct_post_engagement). ' +
    'follower_growth = (followers end − followers start) / followers start, start = the previous day’s end; unfollow_rate = unfollows / followers at start; avg_likes_per_post = likes_total / posts; engagement_rate_by_followers = engagements / followers (end of day) — a ratio of sums over the day’s posts, not a mean of per-post rates. ' +
    'reach_organic is reported by LinkedIn only; reach_paid by none: Facebook retired Page paid (and organic) reach in 2026 without a replacement — take paid reach from the meta_ads marts. ' +
    'is_provisional: day > (the platform’s latest loaded day − 28), inside the 28-day restatement window.',
  columns: {
    platform: col('VARCHAR', 'facebook, instagram, x, linkedin or youtube.'),
    account_id: col('VARCHAR', 'The brand’s account id on the platform.'),
    day: col('DATE', 'Day.'),
    followers: nullable('BIGINT', 'Followers at the end of the day (Facebook page_follows; Instagram rebuilt; X/YouTube snapshot; NULL for LinkedIn and days without a count).'),
    followers_start: nullable('BIGINT', 'Followers at the start of the day = the previous day’s followers (NULL when that day has none).'),
    follower_growth: nullable('DOUBLE', '(followers − followers_start) / followers_start.'),
    follows: nullable('BIGINT', 'New follows that day (Facebook, Instagram).'),
    unfollows: nullable('BIGINT', 'Unfollows that day (Facebook, Instagram).'),
    net_follows: nullable('BIGINT', 'follows − unfollows; LinkedIn: net follower gain (organic + paid).'),
    unfollow_rate: nullable('DOUBLE', 'unfollows / followers_start.'),
    impressions: nullable('BIGINT', 'Facebook page_media_view, Instagram views, LinkedIn impressionCount; NULL for X and YouTube.'),
    reach: nullable('BIGINT', 'Unique reach, organic and paid together (Facebook page_total_media_view_unique, Instagram reach, LinkedIn unique impressions).'),
    reach_organic: nullable('BIGINT', 'Organic reach: LinkedIn only (organic share statistics); NULL where retired or not split (Facebook, Instagram) or not reported (X, YouTube).'),
    reach_paid: nullable('BIGINT', 'Paid reach: NULL — Facebook page_impressions_paid_unique was retired without a replacement; no other platform API here reports it.'),
    video_views: nullable('BIGINT', 'Facebook page_video_views (3 s+); NULL elsewhere.'),
    posts: col('BIGINT', 'Posts published that day.'),
    likes_total: nullable('BIGINT', 'Lifetime likes of the posts published that day (0 without posts).'),
    avg_likes_per_post: nullable('DOUBLE', 'likes_total / posts (NULL without posts).'),
    engagements: nullable('BIGINT', 'Lifetime engagements (likes + comments + shares + saves) of the posts published that day.'),
    engagement_rate_by_followers: nullable('DOUBLE', 'engagements / followers.'),
    is_provisional: col('BOOLEAN', 'Within 28 days of the platform’s latest loaded day: may still be restated.'),
  },
  tests: [
    { kind: 'accepted_values', column: 'platform', values: PLATFORMS },
    {
      kind: 'expression',
      name: 'no_negative_counts',
      expression:
        'coalesce(followers, 0) >= 0 and coalesce(follows, 0) >= 0 and coalesce(unfollows, 0) >= 0 and coalesce(impressions, 0) >= 0 and coalesce(reach, 0) >= 0 and coalesce(reach_organic, 0) >= 0 and coalesce(reach_paid, 0) >= 0 and coalesce(video_views, 0) >= 0 and posts >= 0 and coalesce(likes_total, 0) >= 0 and coalesce(engagements, 0) >= 0',
    },
    { kind: 'expression', name: 'unfollow_rate_between_0_and_1', expression: 'unfollow_rate between 0 and 1' },
    { kind: 'expression', name: 'follower_growth_at_least_minus_1', expression: 'follower_growth >= -1' },
    // Non-followers engage too: > 1 is possible.
    { kind: 'expression', name: 'engagement_rate_by_followers_between_0_and_1', expression: 'engagement_rate_by_followers between 0 and 1', severity: 'warn' },
  ],
});
