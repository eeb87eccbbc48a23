/**
 * Staging models of the Facebook Pages source (`raw.facebook__*`): renamed, typed, nested Graph
 * JSON flattened, people as pseudonymous keys.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from './columns.ts';

export const stgFacebookPageInsights = defineModel({
  name: 'stg_facebook__page_insights',
  layer: 'staging',
  sql: 'sql/staging/stg_facebook__page_insights.sql',
  materialized: 'view',
  grain: 'metric × period × day',
  uniqueKey: ['metric_name', 'period', 'day'],
  tags: ['social', 'facebook'],
  description:
    'Daily Facebook Page insights (period day), one metric per row, the day value taken out of Graph `values[0].value`; the latest load of a restated day wins. Metrics after Meta’s 2025–2026 retirements: page_follows (followers at day end), page_daily_follows_unique, page_daily_unfollows_unique, page_media_view (views, replaces impressions), page_total_media_view_unique (reach, replaces page_impressions_unique; paid reach was retired without replacement), page_views_total, page_post_engagements, page_video_views.',
  columns: {
    page_id: col('VARCHAR', 'Facebook Page id.'),
    metric_name: col('VARCHAR', 'Graph insights metric name, e.g. page_follows.'),
    period: col('VARCHAR', 'Graph period of the metric (day).'),
    day: col('DATE', 'Day the value covers (the requested one-day window).'),
    value: nullable('BIGINT', 'The count; NULL for metrics whose value is an object (reactions by type).'),
  },
});

export const stgFacebookPosts = defineModel({
  name: 'stg_facebook__posts',
  layer: 'staging',
  sql: 'sql/staging/stg_facebook__posts.sql',
  materialized: 'view',
  grain: 'post',
  uniqueKey: ['post_id'],
  tags: ['social', 'facebook'],
  description:
    'The Page’s own posts with lifetime metrics flattened from `insights.data[]` (post_media_view → impressions, post_total_media_view_unique → reach, post_clicks → clicks, post_video_views → video_views) and the summary counts of reactions, top-level comments and shares (Graph omits `shares` when there are none: 0).',
  columns: {
    post_id: col('VARCHAR', 'Graph post id ({page id}_{post id}).'),
    page_id: col('VARCHAR', 'Facebook Page id (the prefix of the post id).'),
    created_at: col('TIMESTAMPTZ', 'When the post was published (UTC).'),
    text: nullable('VARCHAR', 'The post message.'),
    permalink_url: col('VARCHAR', 'Public URL of the post.'),
    status_type: nullable('VARCHAR', 'Graph status type (added_photos, added_video, shared_story, …).'),
    reactions: nullable('BIGINT', 'Reactions of every type, lifetime (`reactions.summary.total_count`).'),
    comments: nullable('BIGINT', 'Top-level comments, lifetime (`comments.summary.total_count`).'),
    shares: col('BIGINT', 'Shares, lifetime (`shares.count`, 0 when Graph leaves it out).'),
    clicks: nullable('BIGINT', 'Clicks on the post, lifetime (post_clicks).'),
    impressions: nullable('BIGINT', 'Views of the post, lifetime (post_media_view, Meta’s replacement of post_impressions).'),
    reach: nullable('BIGINT', 'People who saw the post, lifetime (post_total_media_view_unique).'),
    video_views: nullable('BIGINT', 'Video plays of 3 seconds or more, lifetime (post_video_views).'),
    link_url: nullable('VARCHAR', 'First URL in the message, preferring one with utm_ tags.'),
  },
});

export const stgFacebookPostComments = defineModel({
  name: 'stg_facebook__post_comments',
  layer: 'staging',
  sql: 'sql/staging/stg_facebook__post_comments.sql',
  // Incremental per post: a post's comments are masked together.
  materialized: 'incremental',
  incremental: { by: 'post_id', changed: 'sql/staging/stg_facebook__post_comments.changed.sql' },
  grain: 'comment or reply',
  uniqueKey: ['comment_id'],
  tags: ['social', 'facebook'],
  description:
    'Comments and replies on the Page’s posts. Authors are pseudonymous keys; the names Graph gives of the people commenting on the same post (which the Page’s replies use) are replaced by [name], e-mail addresses by [email].',
  columns: {
    comment_id: col('VARCHAR', 'Graph comment id.'),
    post_id: col('VARCHAR', 'Graph post id the comment is on.'),
    page_id: col('VARCHAR', 'Facebook Page id (the prefix of the post id).'),
    parent_comment_id: nullable('VARCHAR', 'Comment this one replies to; NULL for a top-level comment.'),
    created_at: col('TIMESTAMPTZ', 'When the comment was written (UTC).'),
    text: col('VARCHAR', 'Comment text, names and e-mail addresses masked.'),
    author_key: nullable('VARCHAR', 'pseudonym(author’s Graph id).'),
    is_from_page: col('BOOLEAN', 'Written by the Page itself (author id = page id).'),
    like_count: col('BIGINT', 'Likes of the comment.'),
    reply_count: col('BIGINT', 'Replies to the comment.'),
    is_hidden: col('BOOLEAN', 'Hidden by the Page.'),
  },
});

export const stgFacebookConversationMessages = defineModel({
  name: 'stg_facebook__conversation_messages',
  layer: 'staging',
  sql: 'sql/staging/stg_facebook__conversation_messages.sql',
  // A table, not a view: flattening the nested JSON (and masking) would otherwise run again for
  // its contract check, each of its tests and each model that reads it.
  materialized: 'table',
  grain: 'message',
  uniqueKey: ['message_id'],
  tags: ['social', 'facebook'],
  description:
    'Messenger messages flattened from each conversation’s `messages.data[]`. Senders are pseudonymous keys (compare with pseudonym(page id) to find the Page’s replies); participants’ names and e-mail addresses are masked in the text.',
  columns: {
    message_id: col('VARCHAR', 'Graph message id.'),
    conversation_id: col('VARCHAR', 'Graph conversation (thread) id.'),
    created_at: col('TIMESTAMPTZ', 'When the message was sent (UTC).'),
    text: col('VARCHAR', 'Message text, names and e-mail addresses masked.'),
    sender_key: col('VARCHAR', 'pseudonym(sender’s Graph id).'),
  },
});

/** The Facebook staging models. */
export const FACEBOOK_STAGING_MODELS = [stgFacebookPageInsights, stgFacebookPosts, stgFacebookPostComments, stgFacebookConversationMessages] as const;
