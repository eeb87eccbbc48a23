/**
 * A fake LinkedIn Community Management API serving the sample world's company page: daily share
 * and follower statistics (`timeIntervals` in Rest.li syntax), per-post lifetime statistics
 * (`shares=List(…)`), the posts finder and comments, with `start`/`count` paging, the
 * `LinkedIn-Version` check and LinkedIn's `{status, serviceErrorCode, code, message}` errors.
 */
import { offsetPage, urlWith, type FakeRequest, type FakeResponse, type FakeRoute } from '../fakes/index.ts';
import type { Comment, Post, World } from '../../core/sample-world/types.ts';

const DAY_MS = 86_400_000;
type Json = Record<string, unknown>;

function error(status: number, message: string, code?: string, serviceErrorCode?: number): FakeResponse {
  return { status, body: { status, ...(serviceErrorCode === undefined ? {} : { serviceErrorCode }), ...(code ? { code } : {}), message } };
}

/** Options of the fake: its clock (posts deleted before it are gone). */
export interface LinkedinFakeOptions {
  now?: () => number;
}

/** Builds the routes of the fake LinkedIn API for `world`. */
export function linkedinRoutes(world: World, options: LinkedinFakeOptions = {}): FakeRoute[] {
  const now = options.now ?? Date.now;
  const orgUrn = world.brand.accounts.linkedin.id;
  const days = new Map(world.social.accountDaily.filter((d) => d.platform === 'linkedin').map((d) => [d.date, d]));
  const engagementByDay = new Map<string, { clicks: number; likes: number; comments: number; shares: number }>();
  for (const row of world.social.postDaily) {
    if (row.platform !== 'linkedin') continue;
    const e = engagementByDay.get(row.date) ?? { clicks: 0, likes: 0, comments: 0, shares: 0 };
    e.clicks += row.clicks;
    e.likes += row.likes;
    e.comments += row.comments;
    e.shares += row.shares;
    engagementByDay.set(row.date, e);
  }
  const posts = world.social.posts.filter((p) => p.platform === 'linkedin');
  const postById = new Map(posts.map((p) => [p.id, p]));
  // Comments by post, so a post's comments request reads its own comments only.
  const commentsByPost = new Map<string, Comment[]>();
  for (const c of world.social.comments) {
    if (c.platform !== 'linkedin') continue;
    const list = commentsByPost.get(c.postId);
    if (list) list.push(c);
    else commentsByPost.set(c.postId, [c]);
  }
  const visible = (post: Post | undefined) => post !== undefined && (post.deletedAt === null || Date.parse(post.deletedAt) > now());

  const check = (request: FakeRequest): FakeResponse | undefined => {
    const auth = String(request.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || auth.length <= 'Bearer '.length) return error(401, 'Empty oauth2 access token', 'EMPTY_ACCESS_TOKEN', 65604);
    const version = request.headers['linkedin-version'];
    if (version === undefined) return error(400, 'A version must be present. Please specify a version by adding the LinkedIn-Version header.', 'VERSION_MISSING');
    if (!/^\d{6}$/.test(String(version))) return error(426, `Requested version ${String(version)} is not active`, 'NONEXISTENT_VERSION');
    return undefined;
  };

  const ownOrganization = (request: FakeRequest): FakeResponse | undefined => {
    if (request.query.get('q') !== 'organizationalEntity') return error(400, 'Invalid finder: q must be organizationalEntity', 'ILLEGAL_ARGUMENT');
    const org = request.query.get('organizationalEntity');
    if (org !== orgUrn) return error(403, `Not enough permissions to access: GET /organizationalEntityShareStatistics for ${org}`, 'ACCESS_DENIED', 100);
    return undefined;
  };

  /** Parses `(timeRange:(start:…,end:…),timeGranularityType:DAY)` into UTC days. */
  const daysOf = (raw: string): string[] | FakeResponse => {
    const m = /^\(timeRange:\(start:(\d+),end:(\d+)\),timeGranularityType:DAY\)$/.exec(raw);
    if (!m) return error(400, `Invalid param: timeIntervals ${raw}`, 'PARAM_INVALID', 100);
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), now());
    const out: string[] = [];
    // Only days that have ended have statistics.
    for (let t = Math.floor(start / DAY_MS) * DAY_MS; t + DAY_MS <= end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  };
  const timeRange = (day: string) => {
    const start = Date.parse(`${day}T00:00:00Z`);
    return { start, end: start + DAY_MS };
  };

  const statisticsOf = (m: { impressions: number; reach: number; clicks: number; likes: number; comments: number; shares: number }) => ({
    uniqueImpressionsCount: m.reach,
    shareCount: m.shares,
    engagement: m.impressions === 0 ? 0 : (m.clicks + m.likes + m.comments + m.shares) / m.impressions,
    clickCount: m.clicks,
    likeCount: m.likes,
    impressionCount: m.impressions,
    commentCount: m.comments,
  });

  const paged = (request: FakeRequest, items: Json[], maxCount: number): FakeResponse => {
    const start = Number(request.query.get('start') ?? 0);
    const count = Math.min(Number(request.query.get('count') ?? 10), maxCount);
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(count) || count < 1) return error(400, 'Invalid paging: start and count must be non-negative integers', 'PARAM_INVALID', 100);
    const page = offsetPage(items, start, count);
    const next = page.nextOffset === null ? undefined : urlWith(request.baseUrl, request.path, { ...Object.fromEntries(request.query), start: page.nextOffset, count });
    const links = next ? [{ type: 'application/json', rel: 'next', href: next.slice(request.baseUrl.length) }] : [];
    return { body: { paging: { start, count, links, total: items.length }, elements: page.records } };
  };

  return [
    {
      path: '/rest/organizationalEntityShareStatistics',
      recordsPath: ['elements'],
      handler: (request) => {
        const refused = check(request) ?? ownOrganization(request);
        if (refused) return refused;
        const shares = request.query.get('shares');
        if (shares !== null) {
          const m = /^List\((.*)\)$/.exec(shares);
          if (!m) return error(400, `Invalid param: shares ${shares}`, 'PARAM_INVALID', 100);
          const elements = (m[1] ?? '').split(',').filter(Boolean).map(decodeURIComponent).flatMap((urn) => {
            const post = postById.get(urn);
            if (!visible(post)) return [];
            return [{ organizationalEntity: orgUrn, share: urn, totalShareStatistics: statisticsOf(post!.lifetime) }];
          });
          return { body: { paging: { start: 0, count: 10, links: [] }, elements } };
        }
        const intervals = request.query.get('timeIntervals');
        if (intervals === null) return error(400, 'The fake serves share statistics with timeIntervals or shares only', 'PARAM_INVALID', 100);
        const wanted = daysOf(intervals);
        if (!Array.isArray(wanted)) return wanted;
        const elements = wanted.flatMap((day) => {
          const d = days.get(day);
          if (!d) return [];
          const e = engagementByDay.get(day) ?? { clicks: 0, likes: 0, comments: 0, shares: 0 };
          return [{ organizationalEntity: orgUrn, totalShareStatistics: statisticsOf({ impressions: d.impressions, reach: d.reachOrganic + d.reachPaid, ...e }), timeRange: timeRange(day) }];
        });
        return { body: { paging: { start: 0, count: 10, links: [] }, elements } };
      },
    },
    {
      path: '/rest/organizationalEntityFollowerStatistics',
      recordsPath: ['elements'],
      handler: (request) => {
        const refused = check(request) ?? ownOrganization(request);
        if (refused) return refused;
        const intervals = request.query.get('timeIntervals');
        if (intervals === null) return error(400, 'The fake serves follower statistics with timeIntervals only', 'PARAM_INVALID', 100);
        const wanted = daysOf(intervals);
        if (!Array.isArray(wanted)) return wanted;
        const elements = wanted.flatMap((day) => {
          const d = days.get(day);
          // LinkedIn reports net gains; paid follows are not told apart in the sample world.
          return d ? [{ organizationalEntity: orgUrn, followerGains: { organicFollowerGain: d.follows - d.unfollows, paidFollowerGain: 0 }, timeRange: timeRange(day) }] : [];
        });
        return { body: { paging: { start: 0, count: 10, links: [] }, elements } };
      },
    },
    {
      path: '/rest/posts',
      recordsPath: ['elements'],
      handler: (request) => {
        const refused = check(request);
        if (refused) return refused;
        if (request.query.get('q') !== 'author') return error(400, 'Invalid finder: q must be author', 'ILLEGAL_ARGUMENT');
        if (request.query.get('author') !== orgUrn) return error(403, `Not enough permissions to access: GET-author /posts for ${request.query.get('author')}`, 'ACCESS_DENIED', 100);
        const elements = posts
          .filter(visible)
          .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
          .map((post) => {
            const createdAt = Date.parse(post.createdAt);
            const link = post.links[0];
            return {
              id: post.id,
              author: orgUrn,
              commentary: post.text,
              visibility: 'PUBLIC',
              lifecycleState: 'PUBLISHED',
              distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
              ...(link ? { content: { article: { source: link, title: post.title ?? world.brand.name } } } : {}),
              isReshareDisabledByAuthor: false,
              createdAt,
              publishedAt: createdAt,
              lastModifiedAt: createdAt,
              lifecycleStateInfo: { isEditedByAuthor: false },
            };
          });
        return paged(request, elements, 100);
      },
    },
    {
      path: '/rest/socialActions/:urn/comments',
      recordsPath: ['elements'],
      handler: (request) => {
        const refused = check(request);
        if (refused) return refused;
        const urn = request.params.urn ?? '';
        if (!visible(postById.get(urn))) return error(404, `Not Found: ${urn}`, 'NOT_FOUND');
        const elements = (commentsByPost.get(urn) ?? []).map((c) => {
            const m = /^urn:li:comment:\((urn:li:activity:\d+),(\d+)\)$/.exec(c.id);
            const created = { actor: c.fromBrand ? orgUrn : c.authorId, time: Date.parse(c.createdAt) };
            return {
              id: m?.[2] ?? c.id,
              commentUrn: c.id,
              actor: created.actor,
              ...(c.fromBrand ? { agent: 'urn:li:person:brandAdmin01' } : {}),
              object: m?.[1] ?? urn,
              message: { text: c.text, attributes: [] },
              created,
              lastModified: created,
              ...(c.parentId ? { parentComment: c.parentId } : {}),
              likesSummary: { totalLikes: c.likeCount, likedByCurrentUser: false },
            };
          });
        return paged(request, elements, 100);
      },
    },
  ];
}
