/**
 * A tiny hand-made social world for the unit tests: one or two posts, comments and days per
 * platform, with the numbers the tests compute their expectations from.
 */
import type { Warehouse } from '../../../core/warehouse.ts';
import { insertRaw } from './helpers.ts';

const ms = (iso: string) => Date.parse(iso);
const graphValue = (value: unknown) => [{ value, end_time: '2026-03-02T08:00:00+0000' }];
const lifetime = (metrics: Record<string, unknown>) => ({ data: Object.entries(metrics).map(([name, value]) => ({ name, period: 'lifetime', values: [{ value }], id: `x/insights/${name}/lifetime` })) });

/** Loads the fixture into the raw tables of `wh`. */
export async function loadSocialFixture(wh: Warehouse): Promise<void> {
  // Facebook: Page P1, two days of insights (the first load of 03-02 restated by a later one), three posts.
  const pageDay = (day: string, values: Record<string, number>, loadedAt = '2026-03-09T00:00:00Z') =>
    Object.entries(values).map(([name, value]) => ({ name, period: 'day', values: graphValue(value), id: `P1/insights/${name}/day`, day, _loaded_at: loadedAt }));
  await insertRaw(wh, 'facebook__page_insights', [
    ...pageDay('2026-03-01', { page_follows: 1000, page_daily_follows_unique: 12, page_daily_unfollows_unique: 5, page_media_view: 800, page_total_media_view_unique: 400, page_video_views: 30 }),
    ...pageDay('2026-03-02', { page_follows: 1005 }, '2026-03-05T00:00:00Z'),
    ...pageDay('2026-03-02', { page_follows: 1010, page_daily_follows_unique: 20, page_daily_unfollows_unique: 10, page_media_view: 900, page_total_media_view_unique: 500, page_video_views: 40 }),
    { name: 'page_actions_post_reactions_total', period: 'day', values: graphValue({ like: 3, love: 1 }), id: 'P1/insights/page_actions_post_reactions_total/day', day: '2026-03-02' },
  ]);
  await insertRaw(wh, 'facebook__posts', [
    {
      id: 'P1_1', created_time: '2026-03-02T10:00:00Z', permalink_url: 'https://facebook.com/P1/posts/1', status_type: 'added_photos',
      message: 'Spring is here https://shop.example/p?utm_source=facebook&utm_medium=social&utm_campaign=Spring%20Sale&utm_content=post_1.',
      shares: { count: 3 }, comments: { data: [], summary: { total_count: 5 } }, reactions: { data: [], summary: { total_count: 30 } },
      insights: lifetime({ post_media_view: 600, post_total_media_view_unique: 300, post_clicks: 7, post_video_views: 50, post_reactions_by_type_total: { like: 25, love: 5 } }),
    },
    {
      id: 'P1_3', created_time: '2026-03-02T18:00:00Z', permalink_url: 'https://facebook.com/P1/posts/3', message: 'Second post',
      shares: { count: 1 }, comments: { data: [], summary: { total_count: 1 } }, reactions: { data: [], summary: { total_count: 20 } },
      insights: lifetime({ post_media_view: 200, post_total_media_view_unique: 100, post_clicks: 1, post_video_views: 0 }),
    },
    {
      // Graph leaves `shares` out when a post has none.
      id: 'P1_2', created_time: '2026-01-10T09:00:00Z', permalink_url: 'https://facebook.com/P1/posts/2', message: 'Old post',
      comments: { data: [], summary: { total_count: 2 } }, reactions: { data: [], summary: { total_count: 10 } },
      insights: lifetime({ post_media_view: 100, post_total_media_view_unique: 50, post_clicks: 0, post_video_views: 0 }),
    },
  ]);
  await insertRaw(wh, 'facebook__post_comments', [
    { id: 'C1', post_id: 'P1_1', message: 'Love it! mail me at ann.lee@example.com', created_time: '2026-03-02T11:00:00Z', from: { id: 'U1', name: 'Ann Lee' }, like_count: 2, comment_count: 1, is_hidden: false },
    { id: 'C2', post_id: 'P1_1', message: 'Thanks so much, Ann!', created_time: '2026-03-02T12:00:00Z', from: { id: 'P1', name: 'Brand' }, parent: { id: 'C1' }, like_count: 0, comment_count: 0 },
  ]);
  const person = (id: string, name: string) => ({ id, name, email: `${id}@facebook.com` });
  const page = person('P1', 'Brand');
  await insertRaw(wh, 'facebook__conversations', [
    {
      id: 't1', updated_time: '2026-03-01T11:00:00Z', participants: { data: [person('U2', 'Bob Stone'), page] },
      messages: { data: [
        { id: 'm2', created_time: '2026-03-01T11:00:00+0000', from: page, message: 'Hi Bob, sure' },
        { id: 'm1', created_time: '2026-03-01T10:00:00+0000', from: person('U2', 'Bob Stone'), message: 'Hi Brand team, do you ship to Canada?' },
      ] },
    },
    { id: 't2', updated_time: '2026-03-02T09:00:00Z', participants: { data: [person('U3', 'Cy Young'), page] }, messages: { data: [{ id: 'm3', created_time: '2026-03-02T09:00:00+0000', from: person('U3', 'Cy Young'), message: 'hello' }] } },
  ]);

  // Instagram: account IG1 (@brandig), two days, one media, a comment with the brand's reply, a tag, a competitor.
  await insertRaw(wh, 'instagram__account_insights', [
    { name: 'reach', period: 'day', values: graphValue(150), id: 'IG1/insights/reach/day', day: '2026-03-01' },
    { name: 'reach', period: 'day', values: graphValue(180), id: 'IG1/insights/reach/day', day: '2026-03-02' },
    { name: 'follower_count', period: 'day', values: graphValue(10), id: 'IG1/insights/follower_count/day', day: '2026-03-01' },
    { name: 'follower_count', period: 'day', values: graphValue(8), id: 'IG1/insights/follower_count/day', day: '2026-03-02' },
  ]);
  const followsAndUnfollows = (follows: number, unfollows: number) => ({
    value: follows + unfollows,
    breakdowns: [{ dimension_keys: ['follow_type'], results: [{ dimension_values: ['FOLLOWER'], value: follows }, { dimension_values: ['NON_FOLLOWER'], value: unfollows }] }],
  });
  await insertRaw(wh, 'instagram__account_totals', [
    { name: 'views', period: 'day', total_value: { value: 700 }, id: 'IG1/insights/views/day', day: '2026-03-01' },
    { name: 'views', period: 'day', total_value: { value: 750 }, id: 'IG1/insights/views/day', day: '2026-03-02' },
    { name: 'follows_and_unfollows', period: 'day', total_value: followsAndUnfollows(10, 4), id: 'IG1/insights/follows_and_unfollows/day', day: '2026-03-01' },
    { name: 'follows_and_unfollows', period: 'day', total_value: followsAndUnfollows(8, 3), id: 'IG1/insights/follows_and_unfollows/day', day: '2026-03-02' },
  ]);
  await insertRaw(wh, 'instagram__account_snapshots', [
    { code: 200, snapshot_at: '2026-03-03T06:00:00Z', body: JSON.stringify({ id: 'IG1', username: 'brandig', followers_count: 2011, follows_count: 100, media_count: 50 }) },
    {
      code: 200, snapshot_at: '2026-03-03T06:00:00Z',
      body: JSON.stringify({ business_discovery: { id: 'IGC1', username: 'rivalco', followers_count: 5000, follows_count: 10, media_count: 900, media: { data: [{ id: 'M9', timestamp: '2026-03-01T15:00:00+0000', like_count: 100, comments_count: 10 }] } }, id: 'IG1' }),
    },
  ]);
  await insertRaw(wh, 'instagram__media', [
    {
      id: 'M1', caption: 'New drop 🌲 https://shop.example/drop', media_type: 'IMAGE', media_product_type: 'FEED', timestamp: '2026-03-02T12:00:00Z', permalink: 'https://instagram.com/p/M1', like_count: 40, comments_count: 6,
      insights: lifetime({ reach: 200, views: 350, likes: 40, comments: 6, saved: 4, shares: 2, total_interactions: 52 }),
    },
  ]);
  await insertRaw(wh, 'instagram__media_comments', [
    {
      id: 'IC1', media_id: 'M1', text: '@brandig love this, says @jane_doe', timestamp: '2026-03-02T13:00:00Z', username: 'jane_doe', like_count: 1, from: { id: 'IGU1', username: 'jane_doe' }, hidden: false,
      replies: { data: [{ id: 'IC2', text: 'Thanks!', timestamp: '2026-03-02T14:00:00+0000', username: 'brandig', like_count: 0, from: { id: 'IG1', username: 'brandig' }, parent_id: 'IC1' }] },
    },
  ]);
  await insertRaw(wh, 'instagram__tags', [
    { id: 'T1', caption: 'Wearing @brandig today', media_type: 'IMAGE', media_product_type: 'FEED', timestamp: '2026-03-02T16:00:00Z', username: 'fan_01', like_count: 3, comments_count: 0 },
  ]);

  // X: the brand X1 (label acme) and a competitor X2 (label rival, @rivalco), one post, a reply thread, a mention.
  await insertRaw(wh, 'x__tweets', [
    {
      id: '100', text: 'Spring sale https://t.co/abc', created_at: '2026-03-02T08:00:00Z', author_id: 'X1', conversation_id: '100', lang: 'en',
      public_metrics: { like_count: 10, reply_count: 2, retweet_count: 3, quote_count: 1, bookmark_count: 4, impression_count: 500 },
      non_public_metrics: { impression_count: 520, url_link_clicks: 6, user_profile_clicks: 2 },
      entities: { urls: [{ start: 12, end: 28, url: 'https://t.co/abc', expanded_url: 'https://shop.example/x?utm_source=x&utm_medium=social&utm_campaign=spring', display_url: 'shop.example/x' }] },
    },
  ]);
  const tweet = (id: string, author: string, conversation: string, text: string, repliedTo: string | null) => ({
    id, author_id: author, conversation_id: conversation, text, created_at: '2026-03-02T09:00:00Z', lang: 'en',
    public_metrics: { like_count: 1, reply_count: 0, retweet_count: 0, quote_count: 0 },
    ...(repliedTo ? { referenced_tweets: [{ type: 'replied_to', id: repliedTo }], in_reply_to_user_id: 'X1' } : {}),
  });
  const r1 = tweet('201', 'XU1', '100', '@acme_brand great, cc @xu1handle', '100');
  await insertRaw(wh, 'x__replies', [r1, tweet('202', 'X1', '100', '@xu1handle thanks', '201')]);
  // 400 answers the brand's post 99, deleted since: only the mentions timeline still lists it.
  await insertRaw(wh, 'x__mentions', [r1, { ...tweet('300', 'XU2', '300', '@acme_brand where is my order?', null), lang: 'es' }, tweet('400', 'XU3', '99', '@acme_brand still no answer', '99')]);
  const user = (id: string, username: string, day: string, followers: number, tweets: number) => ({
    id, name: username, username, snapshot_date: day, public_metrics: { followers_count: followers, following_count: 1, tweet_count: tweets, listed_count: 0 },
  });
  await insertRaw(wh, 'x__users_daily', [
    user('X1', 'acme_brand', '2026-03-01', 800, 50), user('X1', 'acme_brand', '2026-03-02', 810, 51),
    user('X2', 'rivalco', '2026-03-01', 3000, 100), user('X2', 'rivalco', '2026-03-02', 3010, 103),
  ]);
  const bucket = (user: string, label: string, day: string, count: number) => ({ user_id: user, brand_label: label, query: `@${label}`, start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z`, tweet_count: count });
  await insertRaw(wh, 'x__mention_counts', [bucket('X1', 'acme', '2026-03-01', 5), bucket('X1', 'acme', '2026-03-02', 7), bucket('X2', 'rival', '2026-03-02', 9)]);

  // LinkedIn: organization 1, one post with lifetime statistics, one day of statistics, a comment and the page's reply.
  const org = 'urn:li:organization:1';
  const shareStats = (impressions: number, unique: number, clicks: number, likes: number, comments: number, shares: number) => ({
    impressionCount: impressions, uniqueImpressionsCount: unique, clickCount: clicks, likeCount: likes, commentCount: comments, shareCount: shares, engagement: 0.5,
  });
  await insertRaw(wh, 'linkedin__posts', [
    { id: 'urn:li:share:1', author: org, commentary: 'We are hiring', visibility: 'PUBLIC', lifecycleState: 'PUBLISHED', content: { article: { source: 'https://shop.example/jobs?utm_source=linkedin&utm_campaign=hiring' } }, createdAt: ms('2026-03-02T09:00:00Z'), publishedAt: ms('2026-03-02T09:00:00Z') },
  ]);
  await insertRaw(wh, 'linkedin__post_statistics', [{ organizationalEntity: org, share: 'urn:li:share:1', post_urn: 'urn:li:share:1', totalShareStatistics: shareStats(1000, 400, 12, 20, 3, 2) }]);
  await insertRaw(wh, 'linkedin__share_statistics_daily', [{ organizationalEntity: org, day: '2026-03-02', timeRange: { start: ms('2026-03-02T00:00:00Z'), end: ms('2026-03-03T00:00:00Z') }, totalShareStatistics: shareStats(1200, 450, 15, 22, 3, 2) }]);
  await insertRaw(wh, 'linkedin__follower_statistics_daily', [{ organizationalEntity: org, day: '2026-03-02', timeRange: { start: 0, end: 1 }, followerGains: { organicFollowerGain: 4, paidFollowerGain: 1 } }]);
  await insertRaw(wh, 'linkedin__comments', [
    { id: '11', commentUrn: 'urn:li:comment:(urn:li:activity:9,11)', actor: 'urn:li:person:abc', object: 'urn:li:activity:9', post_urn: 'urn:li:share:1', message: { text: 'Nice', attributes: [] }, created: { actor: 'urn:li:person:abc', time: ms('2026-03-02T10:00:00Z') }, likesSummary: { totalLikes: 2, likedByCurrentUser: false } },
    { id: '12', commentUrn: 'urn:li:comment:(urn:li:activity:9,12)', actor: org, object: 'urn:li:activity:9', post_urn: 'urn:li:share:1', parentComment: 'urn:li:comment:(urn:li:activity:9,11)', message: { text: 'Thank you!' }, created: { actor: org, time: ms('2026-03-02T11:00:00Z') } },
  ]);

  // YouTube: own channel UC_OWN, one video, a comment and the channel's reply, a competitor channel.
  await insertRaw(wh, 'youtube__videos', [
    {
      id: 'V1', snippet: { publishedAt: '2026-03-02T07:00:00Z', channelId: 'UC_OWN', title: 'How to pack', description: 'Watch https://shop.example/v?utm_source=youtube&utm_medium=video&utm_campaign=spring+launch', defaultAudioLanguage: 'en' },
      contentDetails: { duration: 'PT1M' }, statistics: { viewCount: '900', likeCount: '45', favoriteCount: '0', commentCount: '5' },
    },
  ]);
  await insertRaw(wh, 'youtube__playlist_items', [
    { id: 'PI1', snippet: { publishedAt: '2026-03-02T07:00:00Z', channelId: 'UC_OWN', title: 'How to pack', playlistId: 'UU_OWN', position: 0 }, contentDetails: { videoId: 'V1', videoPublishedAt: '2026-03-02T07:00:00Z' }, status: { privacyStatus: 'public' } },
  ]);
  const ytComment = (id: string, author: string, text: string, parentId?: string) => ({
    kind: 'youtube#comment', id, snippet: { channelId: 'UC_OWN', videoId: 'V1', textOriginal: text, textDisplay: text, authorDisplayName: '@fan', authorChannelId: { value: author }, likeCount: 1, publishedAt: '2026-03-02T12:00:00Z', ...(parentId ? { parentId } : {}) },
  });
  await insertRaw(wh, 'youtube__comment_threads', [
    { id: 'YC1', video_id: 'V1', snippet: { channelId: 'UC_OWN', videoId: 'V1', topLevelComment: ytComment('YC1', 'UC_FAN', 'great video @someone'), totalReplyCount: 1 }, replies: { comments: [ytComment('YC1.r', 'UC_OWN', 'Thanks!', 'YC1')] } },
  ]);
  await insertRaw(wh, 'youtube__channels_daily', [
    { id: 'UC_OWN', snapshot_date: '2026-03-02', snippet: { title: 'Brand', customUrl: '@brandyt' }, statistics: { viewCount: '5000', subscriberCount: '300', hiddenSubscriberCount: false, videoCount: '10' } },
    { id: 'UC_RIVAL', snapshot_date: '2026-03-02', snippet: { title: 'Rival Co', customUrl: '@rivalco' }, statistics: { viewCount: '9000', subscriberCount: '700', hiddenSubscriberCount: false, videoCount: '20' } },
  ]);
}
