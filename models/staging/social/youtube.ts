/**
 * Staging models of the YouTube source (`raw.youtube__*`): renamed, typed (statistics come as
 * strings), nested parts flattened, commenters as pseudonymous keys.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from './columns.ts';

export const stgYoutubePlaylistItems = defineModel({
  name: 'stg_youtube__playlist_items',
  layer: 'staging',
  sql: 'sql/staging/stg_youtube__playlist_items.sql',
  materialized: 'view',
  grain: 'playlist item',
  uniqueKey: ['playlist_item_id'],
  tags: ['social', 'youtube'],
  description: 'Items of the channel’s uploads playlist, one per uploaded video.',
  columns: {
    playlist_item_id: col('VARCHAR', 'Playlist item id.'),
    video_id: col('VARCHAR', 'Video id.'),
    channel_id: col('VARCHAR', 'Channel id (UC…).'),
    playlist_id: col('VARCHAR', 'Uploads playlist id (UU…).'),
    video_published_at: col('TIMESTAMPTZ', 'When the video was published (UTC).'),
    title: col('VARCHAR', 'Video title.'),
    position: col('BIGINT', 'Position in the playlist (0 = newest).'),
    privacy_status: col('VARCHAR', 'public, unlisted, private.'),
  },
});

export const stgYoutubeVideos = defineModel({
  name: 'stg_youtube__videos',
  layer: 'staging',
  sql: 'sql/staging/stg_youtube__videos.sql',
  materialized: 'view',
  grain: 'video',
  uniqueKey: ['video_id'],
  tags: ['social', 'youtube'],
  description: 'The channel’s videos with `statistics` typed from decimal strings to integers (lifetime to date); like and comment counts are NULL where the owner hid them.',
  columns: {
    video_id: col('VARCHAR', 'Video id.'),
    channel_id: col('VARCHAR', 'Channel id (UC…).'),
    published_at: col('TIMESTAMPTZ', 'When the video was published (UTC).'),
    title: col('VARCHAR', 'Title.'),
    description: col('VARCHAR', 'Description.'),
    audio_language: nullable('VARCHAR', 'defaultAudioLanguage.'),
    duration: col('VARCHAR', 'ISO 8601 duration.'),
    view_count: col('BIGINT', 'Views, lifetime.'),
    like_count: nullable('BIGINT', 'Likes, lifetime (NULL when hidden).'),
    favorite_count: col('BIGINT', 'favoriteCount (deprecated by YouTube, always 0).'),
    comment_count: nullable('BIGINT', 'Comments, lifetime (NULL when disabled).'),
    link_url: nullable('VARCHAR', 'First URL in the description, preferring one with utm_ tags.'),
  },
});

export const stgYoutubeComments = defineModel({
  name: 'stg_youtube__comments',
  layer: 'staging',
  sql: 'sql/staging/stg_youtube__comments.sql',
  // A table, not a view: flattening the nested JSON (and masking) would otherwise run again for
  // its contract check, each of its tests and each model that reads it.
  // Incremental per thread: a thread's comments come from its own record.
  materialized: 'incremental',
  incremental: { by: 'thread_id', changed: 'sql/staging/stg_youtube__comments.changed.sql' },
  grain: 'comment',
  uniqueKey: ['comment_id'],
  tags: ['social', 'youtube'],
  description: 'The top-level comment of each comment thread and the replies inline in it, one row each. Authors’ channel ids become pseudonymous keys; @handles → @user and e-mail addresses → [email] in the text.',
  columns: {
    comment_id: col('VARCHAR', 'Comment id.'),
    thread_id: col('VARCHAR', 'Comment thread id (= id of its top-level comment).'),
    video_id: col('VARCHAR', 'Video the thread is on.'),
    channel_id: col('VARCHAR', 'Channel the video belongs to.'),
    parent_comment_id: nullable('VARCHAR', 'Comment a reply answers; NULL for a top-level comment.'),
    created_at: col('TIMESTAMPTZ', 'When it was published (UTC).'),
    text: col('VARCHAR', 'textOriginal, handles and e-mail addresses masked.'),
    author_key: nullable('VARCHAR', 'pseudonym(author’s channel id).'),
    is_from_channel: col('BOOLEAN', 'Written by the channel itself (author channel = video channel).'),
    like_count: col('BIGINT', 'Likes of the comment.'),
  },
});

export const stgYoutubeChannelsDaily = defineModel({
  name: 'stg_youtube__channels_daily',
  layer: 'staging',
  sql: 'sql/staging/stg_youtube__channels_daily.sql',
  materialized: 'view',
  grain: 'channel × snapshot day',
  uniqueKey: ['channel_id', 'snapshot_date'],
  tags: ['social', 'youtube'],
  description: 'Daily snapshots of the public statistics of the brand’s and competitors’ channels (strings typed as integers; subscribers NULL when hidden).',
  columns: {
    channel_id: col('VARCHAR', 'Channel id (UC…).'),
    snapshot_date: col('DATE', 'Day the snapshot was taken.'),
    title: col('VARCHAR', 'Channel title.'),
    handle: nullable('VARCHAR', 'Channel handle (customUrl without @).'),
    view_count: col('BIGINT', 'Channel views, lifetime.'),
    subscriber_count: nullable('BIGINT', 'Subscribers (NULL when hidden).'),
    video_count: col('BIGINT', 'Public videos.'),
  },
});

/** The YouTube staging models. */
export const YOUTUBE_STAGING_MODELS = [stgYoutubePlaylistItems, stgYoutubeVideos, stgYoutubeComments, stgYoutubeChannelsDaily] as const;
