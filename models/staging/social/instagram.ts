/**
 * Staging models of the Instagram source (`raw.instagram__*`): renamed, typed, nested Graph JSON
 * flattened, people as pseudonymous keys.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from './columns.ts';

export const stgInstagramAccountInsights = defineModel({
  name: 'stg_instagram__account_insights',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__account_insights.sql',
  materialized: 'view',
  grain: 'metric × period × day',
  uniqueKey: ['metric_name', 'period', 'day'],
  tags: ['social', 'instagram'],
  description: 'Daily time-series insights of the Instagram account, one metric per row: reach (accounts reached, ads included) and follower_count (new followers that day, not a total).',
  columns: {
    account_id: col('VARCHAR', 'Instagram professional account id.'),
    metric_name: col('VARCHAR', 'Graph metric name (reach, follower_count).'),
    period: col('VARCHAR', 'Graph period (day).'),
    day: col('DATE', 'Day the value covers.'),
    value: nullable('BIGINT', 'The day’s value.'),
  },
});

export const stgInstagramAccountTotals = defineModel({
  name: 'stg_instagram__account_totals',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__account_totals.sql',
  materialized: 'view',
  grain: 'metric × period × day',
  uniqueKey: ['metric_name', 'period', 'day'],
  tags: ['social', 'instagram'],
  description:
    'Daily total-value insights of the Instagram account (views — the replacement of impressions —, profile_views, accounts_engaged, total_interactions, follows_and_unfollows), with the follow_type breakdown flattened: FOLLOWER → follows, NON_FOLLOWER → unfollows.',
  columns: {
    account_id: col('VARCHAR', 'Instagram professional account id.'),
    metric_name: col('VARCHAR', 'Graph metric name.'),
    period: col('VARCHAR', 'Graph period (day).'),
    day: col('DATE', 'Day the value covers.'),
    value: nullable('BIGINT', 'The day’s total (`total_value.value`).'),
    follows: nullable('BIGINT', 'follows_and_unfollows only: new follows (follow_type FOLLOWER).'),
    unfollows: nullable('BIGINT', 'follows_and_unfollows only: unfollows (follow_type NON_FOLLOWER).'),
  },
});

export const stgInstagramMedia = defineModel({
  name: 'stg_instagram__media',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__media.sql',
  materialized: 'view',
  grain: 'media',
  uniqueKey: ['media_id'],
  tags: ['social', 'instagram'],
  description: 'The account’s feed posts and reels with lifetime metrics flattened from `insights.data[]` (reach, views, likes, comments, saved → saves, shares, total_interactions).',
  columns: {
    media_id: col('VARCHAR', 'Instagram media id.'),
    created_at: col('TIMESTAMPTZ', 'When the media was published (UTC).'),
    text: nullable('VARCHAR', 'Caption.'),
    media_type: col('VARCHAR', 'IMAGE, VIDEO or CAROUSEL_ALBUM.'),
    media_product_type: col('VARCHAR', 'FEED, REELS, STORY or AD.'),
    permalink: col('VARCHAR', 'Public URL of the media.'),
    like_count: nullable('BIGINT', 'Public like count (NULL when the owner hides it).'),
    comments_count: col('BIGINT', 'Public comment count.'),
    reach: nullable('BIGINT', 'Accounts reached, lifetime.'),
    views: nullable('BIGINT', 'Views, lifetime (replaced impressions, plays and video_views in 2025).'),
    likes: nullable('BIGINT', 'Likes, lifetime (insights).'),
    comments: nullable('BIGINT', 'Comments, lifetime (insights).'),
    saves: nullable('BIGINT', 'Saves, lifetime (insights `saved`).'),
    shares: nullable('BIGINT', 'Shares, lifetime (insights).'),
    total_interactions: nullable('BIGINT', 'Instagram’s total interactions, lifetime.'),
    link_url: nullable('VARCHAR', 'First URL in the caption, preferring one with utm_ tags.'),
  },
});

export const stgInstagramMediaComments = defineModel({
  name: 'stg_instagram__media_comments',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__media_comments.sql',
  // A table, not a view: flattening the nested JSON (and masking) would otherwise run again for
  // its contract check, each of its tests and each model that reads it.
  // Incremental per media: a media's comments and replies come from its own records.
  materialized: 'incremental',
  incremental: { by: 'media_id', changed: 'sql/staging/stg_instagram__media_comments.changed.sql' },
  grain: 'comment or reply',
  uniqueKey: ['comment_id'],
  tags: ['social', 'instagram'],
  description: 'Top-level comments on the account’s media and their replies (nested in `replies.data[]`), one row each. Authors are pseudonymous keys; @handles become @user and e-mail addresses [email] in the text.',
  columns: {
    comment_id: col('VARCHAR', 'Instagram comment id.'),
    media_id: col('VARCHAR', 'Media the comment is on.'),
    parent_comment_id: nullable('VARCHAR', 'Comment a reply answers; NULL for a top-level comment.'),
    created_at: col('TIMESTAMPTZ', 'When the comment was written (UTC).'),
    text: col('VARCHAR', 'Comment text, handles and e-mail addresses masked.'),
    author_key: nullable('VARCHAR', 'pseudonym(author’s Instagram user id, else username).'),
    author_username_key: nullable('VARCHAR', 'pseudonym(author’s username), to recognise the account’s own replies.'),
    like_count: col('BIGINT', 'Likes of the comment.'),
    is_hidden: col('BOOLEAN', 'Hidden by the account.'),
  },
});

export const stgInstagramTags = defineModel({
  name: 'stg_instagram__tags',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__tags.sql',
  materialized: 'view',
  grain: 'tagged media',
  uniqueKey: ['media_id'],
  tags: ['social', 'instagram'],
  description: 'Public media in which others tagged the account (brand mentions). Authors are pseudonymous keys; @handles become @user and e-mail addresses [email] in the caption; the permalink is left out.',
  columns: {
    media_id: col('VARCHAR', 'Instagram media id of the tagging post.'),
    created_at: col('TIMESTAMPTZ', 'When it was published (UTC).'),
    text: col('VARCHAR', 'Caption, handles and e-mail addresses masked (empty when none).'),
    media_type: col('VARCHAR', 'IMAGE, VIDEO or CAROUSEL_ALBUM.'),
    media_product_type: nullable('VARCHAR', 'FEED, REELS, …'),
    author_key: nullable('VARCHAR', 'pseudonym(author’s username).'),
    like_count: nullable('BIGINT', 'Likes of the tagging post.'),
    comments_count: nullable('BIGINT', 'Comments on the tagging post.'),
  },
});

export const stgInstagramAccountSnapshots = defineModel({
  name: 'stg_instagram__account_snapshots',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__account_snapshots.sql',
  materialized: 'view',
  grain: 'account × snapshot',
  uniqueKey: ['account_id', 'snapshot_at'],
  tags: ['social', 'instagram'],
  description: 'Public counts of the account itself and of each competitor (business discovery), parsed from the JSON body of each successful Graph batch answer; one snapshot per extraction run.',
  columns: {
    account_id: col('VARCHAR', 'Instagram account id.'),
    snapshot_at: col('TIMESTAMPTZ', 'When the snapshot was taken (end of the extraction window).'),
    is_own_account: col('BOOLEAN', 'The brand’s own account (answered flat, not under business_discovery).'),
    username: nullable('VARCHAR', 'Business account username (brand or competitor, not a private person).'),
    followers: nullable('BIGINT', 'followers_count at the snapshot.'),
    follows_count: nullable('BIGINT', 'Accounts it follows.'),
    media_count: nullable('BIGINT', 'Media published to date.'),
  },
});

export const stgInstagramDiscoveryMedia = defineModel({
  name: 'stg_instagram__discovery_media',
  layer: 'staging',
  sql: 'sql/staging/stg_instagram__discovery_media.sql',
  materialized: 'view',
  grain: 'media',
  uniqueKey: ['media_id'],
  tags: ['social', 'instagram'],
  description: 'Recent media of competitor accounts as business discovery lists them (`business_discovery.media.data[]` of the account snapshots), with the public counts of the latest snapshot listing each.',
  columns: {
    media_id: col('VARCHAR', 'Instagram media id.'),
    account_id: col('VARCHAR', 'Competitor account id.'),
    username: nullable('VARCHAR', 'Competitor username.'),
    created_at: col('TIMESTAMPTZ', 'When the media was published (UTC).'),
    like_count: nullable('BIGINT', 'Public likes at the snapshot.'),
    comments_count: nullable('BIGINT', 'Public comments at the snapshot.'),
    snapshot_at: col('TIMESTAMPTZ', 'Snapshot the counts come from.'),
  },
});

/** The Instagram staging models. */
export const INSTAGRAM_STAGING_MODELS = [
  stgInstagramAccountInsights,
  stgInstagramAccountTotals,
  stgInstagramMedia,
  stgInstagramMediaComments,
  stgInstagramTags,
  stgInstagramAccountSnapshots,
  stgInstagramDiscoveryMedia,
] as const;
