/**
 * Intermediate models of the social area: the brand's own accounts and posts in one vocabulary,
 * every social text in one shape, and the brand beside its competitors.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from '../../staging/social/columns.ts';

const PLATFORMS = ['facebook', 'instagram', 'x', 'linkedin', 'youtube'] as const;

export const intSocialAccountDaily = defineModel({
  name: 'int_social_account_daily',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_social_account_daily.sql',
  materialized: 'table',
  grain: 'platform × account × day',
  uniqueKey: ['platform', 'account_id', 'day'],
  tags: ['social'],
  description:
    'The brand’s own account on each platform per day. Facebook: Page insights (page_follows, daily follows/unfollows, page_media_view → impressions, page_total_media_view_unique → reach, page_video_views). Instagram: insights (views → impressions, reach, follows/unfollows from follows_and_unfollows), followers rebuilt from the latest own snapshot: followers(d) = snapshot followers + Σ net follows of days after the snapshot’s day up to d − Σ net follows of days from d+1 to before the snapshot’s day. LinkedIn: share statistics (impressions, unique impressions → reach and reach_organic) and net follower gains; no follower total. X and YouTube: followers from the daily public snapshots only (on snapshot days).',
  columns: {
    platform: col('VARCHAR', 'facebook, instagram, x, linkedin or youtube.'),
    account_id: col('VARCHAR', 'The brand’s account id on the platform (Page id, IG user id, X user id, organization URN, channel id).'),
    day: col('DATE', 'Day.'),
    followers: nullable('BIGINT', 'Followers at the end of the day (NULL where the platform gives none that day; LinkedIn never).'),
    follows: nullable('BIGINT', 'New follows that day (Facebook, Instagram).'),
    unfollows: nullable('BIGINT', 'Unfollows that day (Facebook, Instagram).'),
    net_follows: nullable('BIGINT', 'follows − unfollows; LinkedIn: organic + paid net follower gain.'),
    impressions: nullable('BIGINT', 'Views of the account’s content (Facebook page_media_view, Instagram views, LinkedIn impressions).'),
    reach: nullable('BIGINT', 'Unique people/accounts reached, organic and paid together where the platform does not split them.'),
    reach_organic: nullable('BIGINT', 'Organic reach: LinkedIn only (its share statistics are organic); Facebook’s organic/paid split was retired.'),
    reach_paid: nullable('BIGINT', 'Paid reach: no platform reports it any more (Facebook page_impressions_paid_unique retired; take paid reach from meta_ads).'),
    video_views: nullable('BIGINT', 'Video views of 3 s or more (Facebook page_video_views).'),
  },
  tests: [{ kind: 'accepted_values', column: 'platform', values: PLATFORMS }],
});

export const intSocialPosts = defineModel({
  name: 'int_social_posts',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_social_posts.sql',
  materialized: 'table',
  grain: 'platform × post',
  uniqueKey: ['platform', 'post_id'],
  tags: ['social'],
  description:
    'The brand’s own posts on every platform with lifetime metrics (as of the latest extraction) in one vocabulary; engagements = likes + comments + shares + saves, components the platform does not report counting as 0 (Facebook and LinkedIn: saves; YouTube: shares and saves). See fct_post_engagement for the mapping of each platform.',
  columns: {
    platform: col('VARCHAR', 'facebook, instagram, x, linkedin or youtube.'),
    post_id: col('VARCHAR', 'Platform post id (Graph post id, IG media id, tweet id, post URN, video id).'),
    account_id: col('VARCHAR', 'The brand’s account id on the platform.'),
    published_at: col('TIMESTAMPTZ', 'When the post was published (UTC).'),
    day: col('DATE', 'report_date(published_at).'),
    likes: nullable('BIGINT', 'Likes (reactions of every type on Facebook).'),
    comments: nullable('BIGINT', 'Comments (X: replies).'),
    shares: nullable('BIGINT', 'Shares (X: retweets + quotes; NULL on YouTube).'),
    saves: nullable('BIGINT', 'Saves (Instagram), bookmarks (X); NULL elsewhere.'),
    clicks: nullable('BIGINT', 'Clicks (Facebook post_clicks, LinkedIn clickCount, X link + profile clicks when given).'),
    impressions: nullable('BIGINT', 'Impressions (Facebook post_media_view, Instagram views, X, LinkedIn); NULL on YouTube.'),
    reach: nullable('BIGINT', 'Unique reach (Facebook, Instagram, LinkedIn unique impressions); NULL on X and YouTube.'),
    views: nullable('BIGINT', 'YouTube views.'),
    video_views: nullable('BIGINT', 'Video views (Facebook post_video_views, YouTube views).'),
    engagements: nullable('BIGINT', 'likes + comments + shares + saves (unreported components as 0).'),
    link_url: nullable('VARCHAR', 'The post’s link, preferring one with utm_ tags.'),
  },
  tests: [{ kind: 'accepted_values', column: 'platform', values: PLATFORMS }],
});

export const intSocialTexts = defineModel({
  name: 'int_social_texts',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_social_texts.sql',
  materialized: 'table',
  grain: 'text',
  uniqueKey: ['text_id'],
  tags: ['social'],
  description:
    'Every social text in one shape: Facebook comments, replies and Messenger messages; Instagram comments, replies and tags (mentions); X replies and mentions (deduplicated by tweet id: a tweet answering a brand post — still listed, or deleted: a reply to the conversation root addressed to the brand — is a comment, one answering a reply under it a reply, any other a mention); LinkedIn comments and replies; YouTube comments and replies. People are pseudonymous keys; handles, e-mail addresses and (Facebook) names Graph gives are masked in the text. Ids read <source>:<object>:<platform id> with object comment, message, media (Instagram tags) or tweet (X).',
  columns: {
    text_id: col('VARCHAR', 'Unique id, e.g. facebook:comment:123, x:tweet:456, instagram:media:789.'),
    source: col('VARCHAR', 'Connector: facebook, instagram, x, linkedin or youtube.'),
    platform: col('VARCHAR', 'Platform (same values as source).'),
    kind: col('VARCHAR', 'comment, reply, mention or message.'),
    created_at: col('TIMESTAMPTZ', 'When it was written (UTC).'),
    text: col('VARCHAR', 'The text, personal details masked.'),
    lang: nullable('VARCHAR', 'Language the platform gives (X `lang`); NULL where the API gives none.'),
    author_key: nullable('VARCHAR', 'pseudonym(author id or handle).'),
    is_brand: col('BOOLEAN', 'Written by the brand’s own account.'),
    thread_id: nullable('VARCHAR', 'Post, media, video, conversation or X conversation id the text belongs to.'),
    parent_text_id: nullable('VARCHAR', 'text_id of the text it replies to.'),
    mentioned_brand: nullable('VARCHAR', 'For mentions: the brand label mentioned (the brand’s X label, or brand); else NULL.'),
  },
  tests: [
    { kind: 'accepted_values', column: 'source', values: PLATFORMS },
    { kind: 'accepted_values', column: 'kind', values: ['comment', 'reply', 'mention', 'message'] },
    { kind: 'expression', name: 'mentions_name_a_brand', expression: "(kind = 'mention') = (mentioned_brand is not null)" },
    // A parent outside the extraction window is not loaded: worth a look, not a failure.
    { kind: 'relationships', column: 'parent_text_id', to: 'intermediate.int_social_texts', field: 'text_id', severity: 'warn' },
  ],
});

export const intBrandDaily = defineModel({
  name: 'int_brand_daily',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_brand_daily.sql',
  materialized: 'table',
  grain: 'day × brand × platform',
  uniqueKey: ['day', 'brand', 'platform'],
  tags: ['social'],
  description:
    'The brand and its competitors side by side per day and platform. Own brand (is_own_brand): followers from int_social_account_daily, posts (0 on days without) and engagements from its own posts (int_social_posts, lifetime totals on the post day), mentions from X query counts (X) and tags (Instagram), NULL elsewhere. Competitors: X — followers of the daily user snapshots, posts from the change of the post counter between consecutive daily snapshots, mentions from the query counts, no engagements; Instagram — followers of business discovery snapshots, posts and engagements (likes + comments) of the recent media it lists, by publication day; YouTube — subscribers of the daily channel snapshots, posts from the change of the video count, no mentions or engagements. Labels: the X label of each tracked account; an Instagram or YouTube competitor whose handle matches a tracked X handle takes that label, else its handle. The brand is its X label, or brand without X.',
  columns: {
    day: col('DATE', 'Day (X counts: report_date of the UTC bucket start; snapshots: their day).'),
    brand: col('VARCHAR', 'Brand label (X config label), or competitor handle without a matching X label.'),
    is_own_brand: col('BOOLEAN', 'The brand itself rather than a competitor.'),
    platform: col('VARCHAR', 'facebook, instagram, x, linkedin or youtube.'),
    followers: nullable('BIGINT', 'Followers (subscribers on YouTube) at the end of the day; NULL on days without a count.'),
    posts: nullable('BIGINT', 'Posts published that day; NULL where not known.'),
    mentions: nullable('BIGINT', 'Mentions that day (X query counts; Instagram tags for the brand); NULL where the platform gives none.'),
    engagements: nullable('BIGINT', 'Engagements of the posts published that day; NULL where not known.'),
  },
  tests: [
    { kind: 'accepted_values', column: 'platform', values: PLATFORMS },
    { kind: 'expression', name: 'no_negative_counts', expression: 'coalesce(followers, 0) >= 0 and coalesce(mentions, 0) >= 0 and coalesce(engagements, 0) >= 0' },
  ],
});
