/**
 * YouTube Data API v3 shapes: the source config, and zod schemas of the resources as YouTube
 * sends them (`youtube#playlistItem`, `youtube#video` with string-typed `statistics`,
 * `youtube#commentThread` with inline replies, `youtube#channel`). Nested parts stay JSON in raw.
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

/** A secret field: `env("NAME")` in the config, resolved to its value by the registry before validation. */
const secretField = secret;
const channelId = z.string().regex(/^UC[\w-]{22}$/, 'a channel id: UC followed by 22 characters');

/** Config of a `youtube` source. */
export const youtubeConfigSchema = z
  .object({
    type: z.literal('youtube'),
    baseUrl: z.url().default('https://www.googleapis.com/youtube/v3').describe('YouTube Data API v3 root; override only for a proxy or a fake'),
    apiKey: secretField.describe('Google Cloud API key with the YouTube Data API v3 enabled: env("YOUTUBE_API_KEY")'),
    channelId: channelId.describe("the brand's channel id (UC…), from YouTube Studio → Settings → Channel → Advanced"),
    uploadsPlaylistId: z
      .string()
      .regex(/^UU[\w-]{22}$/, 'an uploads playlist id: UU followed by 22 characters')
      .optional()
      .describe("the channel's uploads playlist (default: the channel id with UC replaced by UU, as channels.list contentDetails.relatedPlaylists.uploads gives it)"),
    competitorChannelIds: z.array(channelId).max(49).default([]).describe('competitor channels whose public subscriber, view and video counts are snapshotted daily'),
    retries: z.number().int().min(0).max(10).default(5).describe('retries of a request after a transient failure'),
    concurrency: z.number().int().positive().max(16).default(4).describe('requests in flight at once'),
  })
  .strict();

/** A validated `youtube` source config. */
export type YoutubeConfig = z.output<typeof youtubeConfigSchema>;

/** YouTube sends 64-bit counts as decimal strings. */
const countString = z.string().regex(/^\d+$/);
const thumbnails = z.record(z.string(), z.object({ url: z.string(), width: z.number().int().optional(), height: z.number().int().optional() }));

/** An item of the uploads playlist (`playlistItems?part=snippet,contentDetails,status`). */
export const playlistItemSchema = z.object({
  kind: z.literal('youtube#playlistItem'),
  etag: z.string(),
  id: z.string(),
  snippet: z.object({
    publishedAt: z.iso.datetime({ offset: true }),
    channelId: z.string(),
    title: z.string(),
    description: z.string(),
    thumbnails,
    channelTitle: z.string(),
    playlistId: z.string(),
    position: z.number().int(),
    resourceId: z.object({ kind: z.string(), videoId: z.string() }),
    videoOwnerChannelTitle: z.string().optional(),
    videoOwnerChannelId: z.string().optional(),
  }),
  contentDetails: z.object({ videoId: z.string(), videoPublishedAt: z.iso.datetime({ offset: true }).optional() }),
  status: z.object({ privacyStatus: z.enum(['public', 'unlisted', 'private', 'privacyStatusUnspecified']) }),
});

/** A video with `part=snippet,contentDetails,statistics`. */
export const videoSchema = z.object({
  kind: z.literal('youtube#video'),
  etag: z.string(),
  id: z.string(),
  snippet: z.object({
    publishedAt: z.iso.datetime({ offset: true }),
    channelId: z.string(),
    title: z.string(),
    description: z.string(),
    thumbnails,
    channelTitle: z.string(),
    tags: z.array(z.string()).optional(),
    categoryId: z.string(),
    liveBroadcastContent: z.enum(['none', 'upcoming', 'live']),
    defaultAudioLanguage: z.string().optional(),
  }),
  contentDetails: z.object({ duration: z.string(), dimension: z.string(), definition: z.string(), caption: z.string(), licensedContent: z.boolean(), projection: z.string() }),
  statistics: z.object({ viewCount: countString, likeCount: countString.optional(), favoriteCount: countString, commentCount: countString.optional() }),
});

const commentSnippet = z.object({
  channelId: z.string().optional(),
  videoId: z.string(),
  textDisplay: z.string(),
  textOriginal: z.string(),
  parentId: z.string().optional(),
  authorDisplayName: z.string(),
  authorProfileImageUrl: z.string(),
  authorChannelUrl: z.string(),
  authorChannelId: z.object({ value: z.string() }),
  canRate: z.boolean(),
  viewerRating: z.string(),
  likeCount: z.number().int().min(0),
  publishedAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
const comment = z.object({ kind: z.literal('youtube#comment'), etag: z.string(), id: z.string(), snippet: commentSnippet });

/** A comment thread with `part=snippet,replies`: the top-level comment and (some of) its replies. */
export const commentThreadSchema = z.object({
  kind: z.literal('youtube#commentThread'),
  etag: z.string(),
  id: z.string(),
  snippet: z.object({ channelId: z.string(), videoId: z.string(), topLevelComment: comment, canReply: z.boolean(), totalReplyCount: z.number().int().min(0), isPublic: z.boolean() }),
  replies: z.object({ comments: z.array(comment) }).optional(),
});

/** A channel with `part=snippet,statistics`. */
export const channelSchema = z.object({
  kind: z.literal('youtube#channel'),
  etag: z.string(),
  id: z.string(),
  snippet: z.object({ title: z.string(), description: z.string(), customUrl: z.string().optional(), publishedAt: z.iso.datetime({ offset: true }), thumbnails, country: z.string().optional() }),
  statistics: z.object({ viewCount: countString, subscriberCount: countString.optional(), hiddenSubscriberCount: z.boolean(), videoCount: countString }),
});
