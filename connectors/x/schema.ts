/**
 * X API v2 shapes: the source config, and zod schemas of the records exactly as X sends them
 * (tweets with `public_metrics` / `non_public_metrics` / `entities`, users with `public_metrics`,
 * tweet-count buckets). Staging renames to the warehouse vocabulary; nested objects stay JSON in raw.
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

/**
 * A secret field: written `env("NAME")` in the config; the registry resolves it to the value
 * before validation, so the resolved string is accepted too.
 */
export const secretField = secret;

const trackedAccount = z
  .object({
    label: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _').describe('name of the brand in share-of-voice marts, e.g. summit_pine'),
    userId: z.string().regex(/^\d+$/, 'a numeric X user id').describe('numeric X user id of the account (not the @handle); look it up with GET /2/users/by/username/:username'),
    query: z.string().min(1).max(1024).describe('X search query counted for this brand, e.g. @summitandpine OR "Summit & Pine"'),
  })
  .strict();

/** Config of an `x` source. */
export const xConfigSchema = z
  .object({
    type: z.literal('x'),
    baseUrl: z.url().default('https://api.x.com/2').describe('X API v2 root; override only for a proxy or a fake'),
    bearerToken: secretField.describe('OAuth 2.0 bearer token: env("X_BEARER_TOKEN"); a user-context token of the brand account (scopes tweet.read users.read) for non_public_metrics'),
    brand: trackedAccount.describe("the brand's own account: its posts, mentions and replies are read, and `query` is counted for share of voice"),
    competitors: z.array(trackedAccount).default([]).describe('competitor accounts: public follower counts and mention counts of their queries'),
    startDate: z.iso.date().describe('first day read on the first run (YYYY-MM-DD)'),
    lookbackDays: z
      .object({
        tweets: z.number().int().min(0).max(30).default(28).describe('days of own posts (and their replies) re-read each run: X keeps updating engagement counts'),
        mentions: z.number().int().min(0).max(30).default(2).describe('days of mentions re-read each run, for late-indexed tweets'),
        counts: z.number().int().min(0).max(30).default(2).describe('days of mention counts re-read each run; the last day is partial'),
      })
      .strict()
      .default({ tweets: 28, mentions: 2, counts: 2 })
      .describe('restatement windows re-read on every run'),
    fullArchive: z
      .boolean()
      .default(false)
      .describe('use /tweets/search/all and /tweets/counts/all (Pro or Enterprise access) instead of the last-7-days /recent endpoints'),
    privateMetrics: z
      .boolean()
      .default(true)
      .describe('request non_public_metrics (impressions, link and profile clicks); needs a user-context token, X returns them for posts of the last 30 days'),
    maxRateLimitWaitSeconds: z
      .number()
      .int()
      .positive()
      .default(960)
      .describe('longest wait for an x-rate-limit-reset within a run (X windows are 15 minutes); a longer wait fails the stream as transient'),
    retries: z.number().int().min(0).max(10).default(5).describe('retries of a request after a transient failure'),
    concurrency: z.number().int().positive().max(16).default(2).describe('requests in flight at once'),
  })
  .strict();

/** A validated `x` source config. */
export type XConfig = z.output<typeof xConfigSchema>;

const count = z.number().int().min(0);

/** `public_metrics` of a tweet. */
export const tweetPublicMetrics = z.object({
  retweet_count: count,
  reply_count: count,
  like_count: count,
  quote_count: count,
  bookmark_count: count.optional(),
  impression_count: count.optional(),
});

/** `non_public_metrics` of an own tweet (user context, tweets of the last 30 days). */
export const tweetNonPublicMetrics = z.object({
  impression_count: count,
  url_link_clicks: count.optional(),
  user_profile_clicks: count,
});

/** `entities` of a tweet: links (with `expanded_url`, where UTM tags live), hashtags, mentions. */
export const tweetEntities = z.object({
  urls: z
    .array(z.object({ start: z.number().int(), end: z.number().int(), url: z.string(), expanded_url: z.string(), display_url: z.string(), unwound_url: z.string().optional() }))
    .optional(),
  hashtags: z.array(z.object({ start: z.number().int(), end: z.number().int(), tag: z.string() })).optional(),
  mentions: z.array(z.object({ start: z.number().int(), end: z.number().int(), username: z.string(), id: z.string().optional() })).optional(),
});

const tweetBase = {
  id: z.string().regex(/^\d+$/),
  text: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  author_id: z.string(),
  conversation_id: z.string(),
  lang: z.string().nullish(),
  edit_history_tweet_ids: z.array(z.string()).optional(),
  public_metrics: tweetPublicMetrics,
  entities: tweetEntities.optional(),
};

/** An own post from `GET /2/users/:id/tweets` (replies excluded, so no reply fields). */
export function ownTweetSchema(privateMetrics: boolean): z.ZodObject {
  return z.object({ ...tweetBase, ...(privateMetrics ? { non_public_metrics: tweetNonPublicMetrics.optional() } : {}) });
}

/** A mention or reply: someone else's tweet, with what it replies to. */
export const conversationTweetSchema = z.object({
  ...tweetBase,
  in_reply_to_user_id: z.string().optional(),
  referenced_tweets: z.array(z.object({ type: z.enum(['retweeted', 'quoted', 'replied_to']), id: z.string() })).optional(),
});

/** A user from `GET /2/users?ids=…` with `user.fields=public_metrics,…`. */
export const userSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string(),
  username: z.string(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  description: z.string().optional(),
  protected: z.boolean().optional(),
  verified: z.boolean().optional(),
  public_metrics: z.object({ followers_count: count, following_count: count, tweet_count: count, listed_count: count, like_count: count.optional() }),
});

/** One bucket of `GET /2/tweets/counts/{recent,all}` (`granularity=day`). */
export const tweetCountSchema = z.object({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  tweet_count: count,
});
