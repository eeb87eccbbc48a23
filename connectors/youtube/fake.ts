/**
 * A fake YouTube Data API v3 (and Analytics API v2 `reports`) serving the sample world's channel:
 * uploads playlist, videos with string statistics, comment threads with inline replies, channel
 * statistics, `pageToken` paging, the `key` check, a daily quota in units, and Google's
 * `{error: {code, message, errors: [{reason}]}}` bodies.
 *
 * `GET /v2/reports` answers the Analytics shape (`columnHeaders` + `rows` of arrays). The connector
 * does not read it yet: the engine loads records that are JSON objects only. It is served so the
 * stream can be added, and tested, once the engine can zip rows with their column headers.
 */
import { cursorPage, type FakeRequest, type FakeResponse, type FakeRoute } from '../fakes/index.ts';
import type { Comment, Post, World } from '../../core/sample-world/types.ts';

type Json = Record<string, unknown>;

/** Knobs of the fake: its clock and the project's daily quota in units (every list call costs 1). */
export interface YoutubeFakeOptions {
  now?: () => number;
  quotaPerDay?: number;
}

function googleError(code: number, message: string, reason: string, extra: Json = {}, domain = 'youtube.api'): FakeResponse {
  return { status: code, body: { error: { code, message, errors: [{ message, domain, reason }], ...extra } } };
}

const etag = (seed: string) => Buffer.from(seed).toString('base64url').slice(0, 27);
const thumbs = (id: string) => ({ default: { url: `https://i.ytimg.com/vi/${id}/default.jpg`, width: 120, height: 90 }, high: { url: `https://i.ytimg.com/vi/${id}/hqdefault.jpg`, width: 480, height: 360 } });

/** Builds the routes of the fake YouTube APIs for `world`. */
export function youtubeRoutes(world: World, options: YoutubeFakeOptions = {}): FakeRoute[] {
  const now = options.now ?? Date.now;
  const quotaPerDay = options.quotaPerDay ?? 1_000_000;
  const brand = world.brand.accounts.youtube;
  const uploads = `UU${brand.id.slice(2)}`;
  const posts = world.social.posts.filter((p) => p.platform === 'youtube');
  const postById = new Map(posts.map((p) => [p.id, p]));
  const comments = world.social.comments.filter((c) => c.platform === 'youtube');
  const visible = (post: Post | undefined): post is Post => post !== undefined && (post.deletedAt === null || Date.parse(post.deletedAt) > now());
  const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

  let quotaDay = '';
  let quotaUsed = 0;
  /** Checks the key and charges the quota; returns an error response or undefined. */
  const admit = (request: FakeRequest): FakeResponse | undefined => {
    if (!request.query.get('key') && !/^Bearer \S+/.test(String(request.headers.authorization ?? ''))) {
      return googleError(403, 'The request is missing a valid API key.', 'forbidden', { status: 'PERMISSION_DENIED' }, 'global');
    }
    // Quota resets at midnight Pacific time; the fake keys it by the UTC-8 day.
    const day = new Date(now() - 8 * 3_600_000).toISOString().slice(0, 10);
    if (day !== quotaDay) [quotaDay, quotaUsed] = [day, 0];
    if (quotaUsed >= quotaPerDay) {
      return googleError(403, 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', 'quotaExceeded', {}, 'youtube.quota');
    }
    quotaUsed++;
    return undefined;
  };

  const maxResults = (request: FakeRequest, fallback: number, max: number): number | FakeResponse => {
    const value = Number(request.query.get('maxResults') ?? fallback);
    if (!Number.isInteger(value) || value < 0 || value > max) return googleError(400, `Invalid value '${request.query.get('maxResults')}'. Values must be within the range: [0, ${max}]`, 'invalidParameter', {}, 'global');
    return value;
  };

  const listPage = (request: FakeRequest, kind: string, items: Json[], limit: number): FakeResponse => {
    let page;
    try {
      page = cursorPage(items, request.query.get('pageToken'), limit);
    } catch {
      return googleError(400, "The request specifies an invalid page token.", 'invalidPageToken');
    }
    return {
      body: {
        kind: `youtube#${kind}ListResponse`,
        etag: etag(`${kind}${request.query.toString()}`),
        ...(page.nextCursor ? { nextPageToken: page.nextCursor } : {}),
        ...(page.previousCursor ? { prevPageToken: page.previousCursor } : {}),
        pageInfo: { totalResults: items.length, resultsPerPage: limit },
        items: page.records,
      },
    };
  };

  const video = (post: Post): Json => ({
    kind: 'youtube#video',
    etag: etag(`v${post.id}`),
    id: post.id,
    snippet: {
      publishedAt: post.createdAt,
      channelId: brand.id,
      title: post.title ?? post.text.slice(0, 60),
      description: post.text,
      thumbnails: thumbs(post.id),
      channelTitle: brand.displayName,
      tags: ['outdoors', 'hiking'],
      categoryId: '19',
      liveBroadcastContent: 'none',
      defaultAudioLanguage: 'en',
    },
    contentDetails: { duration: post.mediaKind === 'short' ? 'PT45S' : 'PT6M12S', dimension: '2d', definition: 'hd', caption: 'false', licensedContent: true, projection: 'rectangular' },
    statistics: { viewCount: String(post.lifetime.videoViews), likeCount: String(post.lifetime.likes), favoriteCount: '0', commentCount: String(post.lifetime.comments) },
  });

  const commentResource = (c: Comment): Json => ({
    kind: 'youtube#comment',
    etag: etag(`c${c.id}`),
    id: c.id,
    snippet: {
      channelId: brand.id,
      videoId: c.postId,
      textDisplay: c.text,
      textOriginal: c.text,
      ...(c.parentId ? { parentId: c.parentId } : {}),
      authorDisplayName: c.fromBrand ? brand.displayName : `@${c.authorHandle}`,
      authorProfileImageUrl: `https://yt3.ggpht.com/${c.authorId.slice(2, 12)}=s48-c-k-c0x00ffffff-no-rj`,
      authorChannelUrl: `http://www.youtube.com/@${c.authorHandle}`,
      authorChannelId: { value: c.authorId },
      canRate: true,
      viewerRating: 'none',
      likeCount: c.likeCount,
      publishedAt: c.createdAt,
      updatedAt: c.createdAt,
    },
  });

  const channel = (id: string): Json | undefined => {
    const today = new Date(now()).toISOString().slice(0, 10);
    const competitor = world.competitors.find((c) => c.accounts.youtube.id === id);
    const account = id === brand.id ? brand : competitor?.accounts.youtube;
    if (!account) return undefined;
    const rows = competitor
      ? world.social.competitorDaily.filter((d) => d.platform === 'youtube' && d.competitorId === competitor.id && d.date <= today)
      : world.social.accountDaily.filter((d) => d.platform === 'youtube' && d.date <= today);
    const subscribers = rows.at(-1)?.followers ?? account.followersAtStart;
    const videoCount = competitor ? rows.reduce((n, d) => n + ('posts' in d ? d.posts : 0), 0) : posts.filter((p) => visible(p) && p.date <= today).length;
    const views = competitor ? subscribers * 41 : posts.filter((p) => p.date <= today).reduce((n, p) => n + p.lifetime.videoViews, 0);
    return {
      kind: 'youtube#channel',
      etag: etag(`ch${id}${today}`),
      id,
      snippet: { title: account.displayName, description: `${account.displayName} on YouTube`, customUrl: `@${account.handle}`, publishedAt: '2014-05-02T15:20:11Z', thumbnails: thumbs(id), country: 'US' },
      statistics: { viewCount: String(views), subscriberCount: String(subscribers), hiddenSubscriberCount: false, videoCount: String(videoCount) },
    };
  };

  return [
    {
      path: '/youtube/v3/playlistItems',
      recordsPath: ['items'],
      handler: (request) => {
        const refused = admit(request);
        if (refused) return refused;
        if (request.query.get('playlistId') !== uploads) {
          return googleError(404, "The playlist identified with the request's <code>playlistId</code> parameter cannot be found.", 'playlistNotFound');
        }
        const limit = maxResults(request, 5, 50);
        if (typeof limit !== 'number') return limit;
        const items = posts.filter(visible).sort(newestFirst).map((post, position) => ({
          kind: 'youtube#playlistItem',
          etag: etag(`p${post.id}`),
          id: Buffer.from(`${uploads}.${post.id}`).toString('base64url'),
          snippet: {
            publishedAt: post.createdAt,
            channelId: brand.id,
            title: post.title ?? post.text.slice(0, 60),
            description: post.text,
            thumbnails: thumbs(post.id),
            channelTitle: brand.displayName,
            playlistId: uploads,
            position,
            resourceId: { kind: 'youtube#video', videoId: post.id },
            videoOwnerChannelTitle: brand.displayName,
            videoOwnerChannelId: brand.id,
          },
          contentDetails: { videoId: post.id, videoPublishedAt: post.createdAt },
          status: { privacyStatus: 'public' },
        }));
        return listPage(request, 'playlistItem', items, limit);
      },
    },
    {
      path: '/youtube/v3/videos',
      recordsPath: ['items'],
      handler: (request) => {
        const refused = admit(request);
        if (refused) return refused;
        const ids = (request.query.get('id') ?? '').split(',').filter(Boolean);
        if (ids.length === 0) return googleError(400, 'No filter selected. Expected one of: myRating, id, chart', 'missingRequiredParameter');
        if (ids.length > 50) return googleError(400, 'The request specifies too many video ids (at most 50).', 'invalidParameter');
        const items = ids.map((id) => postById.get(id)).filter(visible).map(video);
        return { body: { kind: 'youtube#videoListResponse', etag: etag(ids.join()), items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } } };
      },
    },
    {
      path: '/youtube/v3/commentThreads',
      recordsPath: ['items'],
      handler: (request) => {
        const refused = admit(request);
        if (refused) return refused;
        const videoId = request.query.get('videoId') ?? '';
        if (!visible(postById.get(videoId))) {
          return googleError(404, "The video identified by the <code><a href=\"/youtube/v3/docs/commentThreads/list#videoId\">videoId</a></code> parameter could not be found.", 'videoNotFound');
        }
        const limit = maxResults(request, 20, 100);
        if (typeof limit !== 'number') return limit;
        const onVideo = comments.filter((c) => c.postId === videoId);
        const items = onVideo
          .filter((c) => c.parentId === null)
          .sort(newestFirst)
          .map((top) => {
            const replies = onVideo.filter((c) => c.parentId === top.id).sort((a, b) => -newestFirst(a, b));
            return {
              kind: 'youtube#commentThread',
              etag: etag(`t${top.id}`),
              id: top.id,
              snippet: { channelId: brand.id, videoId, topLevelComment: commentResource(top), canReply: true, totalReplyCount: replies.length, isPublic: true },
              ...(replies.length ? { replies: { comments: replies.map(commentResource) } } : {}),
            };
          });
        return listPage(request, 'commentThread', items, limit);
      },
    },
    {
      path: '/youtube/v3/channels',
      recordsPath: ['items'],
      handler: (request) => {
        const refused = admit(request);
        if (refused) return refused;
        const ids = (request.query.get('id') ?? '').split(',').filter(Boolean);
        if (ids.length === 0) return googleError(400, 'No filter selected. Expected one of: forUsername, managedByMe, categoryId, mine, mySubscribers, id, idParam', 'missingRequiredParameter');
        const items = ids.map(channel).filter((c) => c !== undefined);
        return { body: { kind: 'youtube#channelListResponse', etag: etag(ids.join()), pageInfo: { totalResults: items.length, resultsPerPage: 5 }, items } };
      },
    },
    {
      // YouTube Analytics API v2 (its own host in reality: youtubeanalytics.googleapis.com).
      path: '/v2/reports',
      handler: (request) => {
        if (!/^Bearer \S+/.test(String(request.headers.authorization ?? ''))) {
          return { status: 401, body: { error: { code: 401, message: 'Request is missing required authentication credential. Expected OAuth 2 access token.', errors: [{ message: 'Login Required.', domain: 'global', reason: 'required', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' } } };
        }
        const ids = request.query.get('ids');
        const startDate = request.query.get('startDate') ?? '';
        const endDate = request.query.get('endDate') ?? '';
        if (ids !== 'channel==MINE' && ids !== `channel==${brand.id}`) return googleError(403, 'Forbidden', 'forbidden', {}, 'global');
        if (request.query.get('dimensions') !== 'day') return googleError(400, 'The fake serves dimensions=day only', 'badRequest', {}, 'global');
        const metrics = (request.query.get('metrics') ?? '').split(',').filter(Boolean);
        const byDay = new Map<string, { likes: number; comments: number; shares: number }>();
        for (const row of world.social.postDaily) {
          if (row.platform !== 'youtube') continue;
          const e = byDay.get(row.date) ?? { likes: 0, comments: 0, shares: 0 };
          e.likes += row.likes;
          e.comments += row.comments;
          e.shares += row.shares;
          byDay.set(row.date, e);
        }
        const rows = world.social.accountDaily
          .filter((d) => d.platform === 'youtube' && d.date >= startDate && d.date <= endDate)
          .map((d) => {
            const e = byDay.get(d.date) ?? { likes: 0, comments: 0, shares: 0 };
            const values: Record<string, number> = { views: d.videoViews, estimatedMinutesWatched: Math.round(d.videoViews * 2.3), likes: e.likes, comments: e.comments, shares: e.shares, subscribersGained: d.follows, subscribersLost: d.unfollows };
            return [d.date, ...metrics.map((m) => values[m] ?? 0)];
          });
        return {
          body: {
            kind: 'youtubeAnalytics#resultTable',
            columnHeaders: [{ name: 'day', columnType: 'DIMENSION', dataType: 'STRING' }, ...metrics.map((name) => ({ name, columnType: 'METRIC', dataType: 'INTEGER' }))],
            rows,
          },
        };
      },
    },
  ];
}
