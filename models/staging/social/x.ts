/**
 * Staging models of the X source (`raw.x__*`): renamed, typed, `public_metrics` and
 * `non_public_metrics` flattened, people as pseudonymous keys.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from './columns.ts';

export const stgXTweets = defineModel({
  name: 'stg_x__tweets',
  layer: 'staging',
  sql: 'sql/staging/stg_x__tweets.sql',
  materialized: 'view',
  grain: 'tweet',
  uniqueKey: ['tweet_id'],
  tags: ['social', 'x'],
  description:
    'The brand’s own posts on X with public_metrics (likes, replies, retweets, quotes, bookmarks, impressions) and non_public_metrics (impressions, link and profile clicks; user context, posts of the last 30 days only) flattened.',
  columns: {
    tweet_id: col('VARCHAR', 'Tweet id.'),
    account_id: col('VARCHAR', 'X user id of the brand account (the author).'),
    created_at: col('TIMESTAMPTZ', 'When it was posted (UTC).'),
    text: col('VARCHAR', 'Tweet text.'),
    lang: nullable('VARCHAR', 'Language X detected.'),
    like_count: col('BIGINT', 'Likes.'),
    reply_count: col('BIGINT', 'Replies.'),
    retweet_count: col('BIGINT', 'Retweets (reposts).'),
    quote_count: col('BIGINT', 'Quote posts.'),
    bookmark_count: nullable('BIGINT', 'Bookmarks.'),
    impression_count: nullable('BIGINT', 'Impressions: non_public_metrics when given, else public_metrics.'),
    url_link_clicks: nullable('BIGINT', 'Link clicks (non_public_metrics; NULL when X did not give them).'),
    user_profile_clicks: nullable('BIGINT', 'Profile clicks (non_public_metrics; NULL when X did not give them).'),
    link_url: nullable('VARCHAR', 'Expanded URL of the post’s link (entities.urls), preferring one with utm_ tags.'),
  },
});

const conversationColumns = {
  tweet_id: col('VARCHAR', 'Tweet id.'),
  created_at: col('TIMESTAMPTZ', 'When it was posted (UTC).'),
  text: col('VARCHAR', 'Tweet text, @handles → @user and e-mail addresses → [email].'),
  lang: nullable('VARCHAR', 'Language X detected (`lang`).'),
  author_key: col('VARCHAR', 'pseudonym(author’s X user id).'),
  conversation_id: col('VARCHAR', 'Conversation id (the id of the tweet that started the thread).'),
  replied_to_tweet_id: nullable('VARCHAR', 'Tweet it replies to (referenced_tweets type replied_to).'),
  in_reply_to_user_key: nullable('VARCHAR', 'pseudonym(X user id it replies to).'),
  like_count: col('BIGINT', 'Likes.'),
  retweet_count: col('BIGINT', 'Retweets.'),
  reply_count: col('BIGINT', 'Replies.'),
} as const;

export const stgXReplies = defineModel({
  name: 'stg_x__replies',
  layer: 'staging',
  sql: 'sql/staging/stg_x__replies.sql',
  // A table, incremental per tweet: its readers and its checks read stored rows instead of
  // running the view again, and a build recomputes only the tweets loaded since the last.
  materialized: 'incremental',
  incremental: { by: 'tweet_id', changed: 'sql/staging/stg_x__replies.changed.sql' },
  grain: 'tweet',
  uniqueKey: ['tweet_id'],
  tags: ['social', 'x'],
  description: 'Replies in the conversations under the brand’s posts (the brand’s own answers included). Authors are pseudonymous keys; handles and e-mail addresses are masked in the text.',
  columns: conversationColumns,
});

export const stgXMentions = defineModel({
  name: 'stg_x__mentions',
  layer: 'staging',
  sql: 'sql/staging/stg_x__mentions.sql',
  // A table, incremental per tweet: its readers and its checks read stored rows instead of
  // running the view again, and a build recomputes only the tweets loaded since the last.
  materialized: 'incremental',
  incremental: { by: 'tweet_id', changed: 'sql/staging/stg_x__mentions.changed.sql' },
  grain: 'tweet',
  uniqueKey: ['tweet_id'],
  tags: ['social', 'x'],
  description: 'The brand’s mentions timeline: posts mentioning the brand, and replies by others (which X prefixes with @brand, so they are also in stg_x__replies). Authors are pseudonymous keys; handles and e-mail addresses are masked.',
  columns: conversationColumns,
});

export const stgXUsersDaily = defineModel({
  name: 'stg_x__users_daily',
  layer: 'staging',
  sql: 'sql/staging/stg_x__users_daily.sql',
  materialized: 'view',
  grain: 'account × snapshot day',
  uniqueKey: ['user_id', 'snapshot_date'],
  tags: ['social', 'x'],
  description: 'Daily snapshots of the public counts of the brand’s and competitors’ X accounts (X tells only the current follower count: the history is one snapshot per extraction day).',
  columns: {
    user_id: col('VARCHAR', 'X user id.'),
    snapshot_date: col('DATE', 'Day the snapshot was taken.'),
    username: col('VARCHAR', 'Handle of the tracked business account (brand or competitor).'),
    followers: col('BIGINT', 'followers_count.'),
    following: col('BIGINT', 'following_count.'),
    tweet_count: col('BIGINT', 'Posts to date.'),
    listed_count: col('BIGINT', 'Lists the account is on.'),
  },
});

export const stgXMentionCounts = defineModel({
  name: 'stg_x__mention_counts',
  layer: 'staging',
  sql: 'sql/staging/stg_x__mention_counts.sql',
  materialized: 'view',
  grain: 'tracked account × day bucket',
  uniqueKey: ['user_id', 'bucket_start'],
  tags: ['social', 'x'],
  description: 'Daily counts (GET /2/tweets/counts, granularity day, UTC buckets) of each tracked brand’s search query, with the brand label from the config; the last bucket is partial and re-read.',
  columns: {
    user_id: col('VARCHAR', 'X user id of the tracked account.'),
    brand_label: nullable('VARCHAR', 'Label of the brand in share-of-voice marts (config `label`).'),
    query: nullable('VARCHAR', 'The search query counted.'),
    bucket_start: col('TIMESTAMPTZ', 'Start of the bucket (UTC).'),
    bucket_end: col('TIMESTAMPTZ', 'End of the bucket (UTC; earlier than a full day for the partial last bucket).'),
    mention_count: col('BIGINT', 'Posts matching the query in the bucket.'),
  },
});

/** The X staging models. */
export const X_STAGING_MODELS = [stgXTweets, stgXReplies, stgXMentions, stgXUsersDaily, stgXMentionCounts] as const;
