/**
 * A fake Instagram Graph API serving the sample world's brand account: `/{ig-user-id}/insights`
 * (time series and `metric_type=total_value` with the `follow_type` breakdown), `/media` with
 * nested lifetime insights, `/{ig-media-id}/comments` with nested replies, `/tags`, the user node
 * (own counts and `business_discovery.username(...)` for competitors) and Graph batch requests
 * (`POST /` with `batch`). Lists page like Graph; errors are Graph error bodies; every answer
 * carries the usage headers. Numbers are reported as of `options.asOf` (default the world's
 * observation day).
 */
import { createHash } from 'node:crypto';
import { addDays } from '../../core/sample-world/calendar.ts';
import { accountDailyAsOf, postDailyAsOf } from '../../core/sample-world/restatement.ts';
import type { AccountDaily, Comment, Post, World } from '../../core/sample-world/types.ts';
import type { FakeRequest, FakeResponse, FakeRoute } from '../fakes/index.ts';
import {
  dailyRowsByDate,
  dailyRowsByPost,
  graphError,
  graphPage,
  graphPageOf,
  graphTime,
  lifetimeAsOf,
  localDayEndTime,
  parseGraphTime,
  pickFields,
  requestedFields,
  requireToken,
  requireVersion,
  usageHeaders,
} from '../facebook/graph-fake.ts';

/** Options of the Instagram fake; read on every request, so a test may move `asOf` between runs. */
export interface InstagramFakeOptions {
  /** Day the API is observed on (`YYYY-MM-DD`); nothing at or after it exists yet. */
  asOf?: string;
}

const SERIES_METRICS = new Set(['reach', 'follower_count']);
const TOTAL_METRICS = new Set(['reach', 'views', 'profile_views', 'accounts_engaged', 'total_interactions', 'follows_and_unfollows']);
const MEDIA_METRICS = new Set(['reach', 'views', 'likes', 'comments', 'saved', 'shares', 'total_interactions']);

function mediaTypes(post: Post): { media_type: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM'; media_product_type: 'FEED' | 'REELS' } {
  if (post.mediaKind === 'carousel') return { media_type: 'CAROUSEL_ALBUM', media_product_type: 'FEED' };
  if (post.mediaKind === 'reel') return { media_type: 'VIDEO', media_product_type: 'REELS' };
  if (post.mediaKind === 'video') return { media_type: 'VIDEO', media_product_type: 'FEED' };
  return { media_type: 'IMAGE', media_product_type: 'FEED' };
}

/** A stable media id from any text (competitors' media are not in the world, only their daily counts). */
function mediaIdOf(text: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 14)}`).toString().padStart(17, '0').slice(-14);
  return `179${digits}`;
}

/** One public profile as business discovery shows it. */
interface PublicProfile {
  id: string;
  username: string;
  name: string;
  followers: number;
  follows: number;
  media: Array<{ id: string; timestamp: string; media_type: string; media_product_type: string; like_count: number; comments_count: number }>;
  mediaCount: number;
}

/** Routes of the fake Instagram Graph API over `world`. */
/**
 * Minute of the day a competitor's i-th post of the day went out: hourly from 15:00 on a day of up
 * to nine posts; spread over 06:00–24:00 on busier days (larger worlds), so every time is valid.
 */
function postMinute(i: number, posts: number): number {
  return posts <= 9 ? (15 + i) * 60 : 360 + Math.floor((i * 18 * 60) / posts);
}

export function instagramFake(world: World, options: InstagramFakeOptions = {}): FakeRoute[] {
  const account = world.brand.accounts.instagram;
  const asOf = () => options.asOf ?? world.meta.asOf;
  const asOfMs = () => Date.parse(`${asOf()}T00:00:00Z`);
  const accountDays = new Map<string, AccountDaily>(world.social.accountDaily.filter((r) => r.platform === 'instagram').map((r) => [r.date, r]));
  const media = world.social.posts.filter((p) => p.platform === 'instagram' && p.mediaKind !== 'story');
  const mediaById = new Map(media.map((p) => [p.id, p]));
  const dailyByPost = dailyRowsByPost(world.social.postDaily, 'instagram');
  const commentsByMedia = new Map<string, Comment[]>();
  for (const c of world.social.comments) {
    if (c.platform !== 'instagram') continue;
    const list = commentsByMedia.get(c.postId) ?? [];
    list.push(c);
    commentsByMedia.set(c.postId, list);
  }
  const tagged = world.social.mentions.filter((m) => m.platform === 'instagram' && m.target === 'brand');
  const visible = (post: Post) => Date.parse(post.createdAt) < asOfMs() && (post.deletedAt === null || Date.parse(post.deletedAt) >= asOfMs());
  const visibleComments = (mediaId: string) => (commentsByMedia.get(mediaId) ?? []).filter((c) => Date.parse(c.createdAt) < asOfMs());
  const lastDayBefore = <T extends { date: string }>(rows: readonly T[]) => rows.filter((r) => r.date < asOf()).at(-1);

  const dailyByDate = dailyRowsByDate(dailyByPost);

  const interactionsOn = (date: string) => {
    let total = 0;
    for (const raw of dailyByDate.get(date) ?? []) {
      const r = postDailyAsOf(raw, asOf());
      total += r.likes + r.comments + r.saves + r.shares;
    }
    return total;
  };

  const dayValue = (metric: string, raw: AccountDaily): number => {
    const row = accountDailyAsOf(raw, asOf());
    switch (metric) {
      case 'reach':
        return row.reachOrganic + row.reachPaid;
      case 'follower_count':
        return row.follows;
      case 'views':
        return row.impressions;
      case 'profile_views':
        return row.profileViews;
      case 'total_interactions':
        return interactionsOn(row.date);
      case 'accounts_engaged':
        return Math.round(interactionsOn(row.date) * 0.7);
      default:
        return row.follows + row.unfollows;
    }
  };

  const profiles = (): Map<string, PublicProfile> => {
    const out = new Map<string, PublicProfile>();
    const own = media.filter(visible).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const ownDay = lastDayBefore(world.social.accountDaily.filter((r) => r.platform === 'instagram'));
    out.set(account.handle.toLowerCase(), {
      id: account.id,
      username: account.handle,
      name: account.displayName,
      followers: ownDay?.followers ?? account.followersAtStart,
      follows: 180,
      mediaCount: own.length,
      media: own.map((p) => {
        const m = lifetimeAsOf(p, dailyByPost.get(p.id) ?? [], asOf());
        return { id: p.id, timestamp: graphTime(p.createdAt), ...mediaTypes(p), like_count: m.likes, comments_count: visibleComments(p.id).length };
      }),
    });
    for (const competitor of world.competitors) {
      const ig = competitor.accounts.instagram;
      const days = world.social.competitorDaily.filter((r) => r.competitorId === competitor.id && r.platform === 'instagram' && r.date < asOf());
      const recent: PublicProfile['media'] = [];
      for (const day of days.slice().reverse()) {
        for (let i = 0; i < day.posts; i++) {
          const likes = Math.floor((day.engagements / day.posts) * 0.92);
          recent.push({ id: mediaIdOf(`${ig.id}|${day.date}|${i}`), timestamp: graphTime(new Date(Date.parse(`${day.date}T00:00:00Z`) + postMinute(i, day.posts) * 60_000).toISOString()), media_type: 'IMAGE', media_product_type: 'FEED', like_count: likes, comments_count: Math.floor((day.engagements / day.posts) * 0.08) });
        }
      }
      out.set(ig.handle.toLowerCase(), {
        id: ig.id,
        username: ig.handle,
        name: ig.displayName,
        followers: days.at(-1)?.followers ?? ig.followersAtStart,
        follows: 240,
        mediaCount: 600 + days.reduce((n, d) => n + d.posts, 0),
        media: recent,
      });
    }
    return out;
  };

  /** Reads the user node: own counts, or a competitor through `business_discovery`; status and JSON body. */
  const readUserNode = (id: string, fields: string): { status: number; body: unknown } => {
    if (id !== account.id) return { status: 400, body: unknownObject(id).body };
    const discovery = /business_discovery\.username\(([^)]*)\)/.exec(fields);
    if (!discovery) {
      const own = profiles().get(account.handle.toLowerCase())!;
      return { status: 200, body: pickFields({ id: own.id, username: own.username, name: own.name, followers_count: own.followers, follows_count: own.follows, media_count: own.mediaCount }, requestedFields(fields)) };
    }
    const profile = profiles().get((discovery[1] ?? '').toLowerCase());
    if (!profile) {
      return { status: 400, body: graphError(400, 110, 'Invalid user id', { type: 'OAuthException', subcode: 2207013 }).body };
    }
    const limit = Math.min(100, Number(/media\.limit\((\d+)\)/.exec(fields)?.[1] ?? 25));
    return {
      status: 200,
      body: {
        business_discovery: {
          id: profile.id,
          username: profile.username,
          name: profile.name,
          followers_count: profile.followers,
          follows_count: profile.follows,
          media_count: profile.mediaCount,
          media: { data: profile.media.slice(0, limit), paging: { cursors: { after: 'QVFIUmx1' } } },
        },
        id: account.id,
      },
    };
  };

  const guard = (req: FakeRequest): FakeResponse | undefined => requireVersion(req) ?? requireToken(req);
  function unknownObject(id: string): FakeResponse {
    return graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 });
  }
  const ownAccount = (req: FakeRequest) => (req.params['igUserId'] === account.id ? undefined : unknownObject(req.params['igUserId'] ?? ''));

  const insights: FakeRoute = {
    path: '/:version/:igUserId/insights',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req) ?? ownAccount(req);
      if (refused) return refused;
      const metrics = (req.query.get('metric') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
      const totals = req.query.get('metric_type') === 'total_value';
      const allowed = totals ? TOTAL_METRICS : SERIES_METRICS;
      if (metrics.length === 0) return graphError(400, 100, '(#100) The parameter metric is required', { type: 'OAuthException' });
      const wrong = metrics.filter((m) => !allowed.has(m));
      if (wrong.length) {
        return totals || !wrong.every((m) => TOTAL_METRICS.has(m)) ?
            graphError(400, 100, `(#100) metric[0] must be one of the following values: ${[...allowed].join(', ')}`, { type: 'OAuthException' })
          : graphError(400, 100, `(#100) The following metrics (${wrong.join(', ')}) should be specified with parameter metric_type=total_value`, { type: 'OAuthException' });
      }
      if ((req.query.get('period') ?? 'day') !== 'day') return graphError(400, 100, '(#100) this fake serves period=day only', { type: 'OAuthException' });
      const sinceMs = parseGraphTime(req.query.get('since')) ?? asOfMs() - 86_400_000;
      const untilMs = parseGraphTime(req.query.get('until')) ?? asOfMs();
      if (untilMs - sinceMs > 30 * 86_400_000) return graphError(400, 100, '(#100) There cannot be more than 30 days (2592000 s) between since and until', { type: 'OAuthException' });
      const days: AccountDaily[] = [];
      for (let day = new Date(sinceMs).toISOString().slice(0, 10); Date.parse(`${day}T00:00:00Z`) < untilMs; day = addDays(day, 1)) {
        const row = accountDays.get(day);
        if (row && day < asOf()) days.push(row);
      }
      if (days.length === 0) return { headers: usageHeaders(account.id, 'instagram'), body: { data: [] } };
      const data = metrics.map((name) => {
        const base = { name, period: 'day', title: name.replace(/_/g, ' '), description: `Daily ${name.replace(/_/g, ' ')}`, id: `${account.id}/insights/${name}/day` };
        if (!totals) return { ...base, values: days.map((row) => ({ value: dayValue(name, row), end_time: localDayEndTime(row.date, world.meta.timeZone) })) };
        const value = days.reduce((n, row) => n + dayValue(name, row), 0);
        if (name !== 'follows_and_unfollows' || req.query.get('breakdown') !== 'follow_type') return { ...base, total_value: { value } };
        const follows = days.reduce((n, row) => n + row.follows, 0);
        const unfollows = days.reduce((n, row) => n + row.unfollows, 0);
        return {
          ...base,
          total_value: {
            value,
            breakdowns: [{ dimension_keys: ['follow_type'], results: [{ dimension_values: ['FOLLOWER'], value: follows }, { dimension_values: ['NON_FOLLOWER'], value: unfollows }] }],
          },
        };
      });
      return { headers: usageHeaders(account.id, 'instagram'), body: { data } };
    },
  };

  const mediaRoute: FakeRoute = {
    path: '/:version/:igUserId/media',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req) ?? ownAccount(req);
      if (refused) return refused;
      const fieldsParam = req.query.get('fields') ?? '';
      const metrics = /insights\.metric\(([^)]*)\)/.exec(fieldsParam)?.[1]?.split(',').map((m) => m.trim()).filter(Boolean) ?? [];
      if (metrics.some((m) => !MEDIA_METRICS.has(m))) return graphError(400, 100, `(#100) metric[0] must be one of the following values: ${[...MEDIA_METRICS].join(', ')}`, { type: 'OAuthException' });
      const sinceMs = parseGraphTime(req.query.get('since')) ?? Number.NEGATIVE_INFINITY;
      const untilMs = parseGraphTime(req.query.get('until')) ?? Number.POSITIVE_INFINITY;
      const fields = requestedFields(fieldsParam);
      const data = media
        .filter((p) => visible(p) && Date.parse(p.createdAt) >= sinceMs && Date.parse(p.createdAt) < untilMs)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      return graphPageOf(req, data, (p) => {
        const m = lifetimeAsOf(p, dailyByPost.get(p.id) ?? [], asOf());
        const values: Record<string, number> = { reach: m.reach, views: m.impressions, likes: m.likes, comments: m.comments, saved: m.saves, shares: m.shares, total_interactions: m.likes + m.comments + m.saves + m.shares };
        return pickFields(
          {
            id: p.id,
            caption: p.text,
            ...mediaTypes(p),
            timestamp: graphTime(p.createdAt),
            permalink: p.permalink,
            like_count: m.likes,
            comments_count: visibleComments(p.id).length,
            insights: metrics.length ? { data: metrics.map((name) => ({ name, period: 'lifetime', values: [{ value: values[name] ?? 0 }], title: name, description: `Lifetime ${name}`, id: `${p.id}/insights/${name}/lifetime` })) } : undefined,
          },
          fields,
        );
      });
    },
  };

  const comments: FakeRoute = {
    path: '/:version/:mediaId/comments',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      const post = mediaById.get(req.params['mediaId'] ?? '');
      if (!post || !visible(post)) return unknownObject(req.params['mediaId'] ?? '');
      const all = visibleComments(post.id);
      const fields = requestedFields(req.query.get('fields'));
      const shape = (c: Comment) => ({ id: c.id, text: c.text, timestamp: graphTime(c.createdAt), username: c.authorHandle, like_count: c.likeCount, from: { id: c.authorId, username: c.authorHandle } });
      // Instagram lists top-level comments newest first, each reply under its comment.
      const data = all
        .filter((c) => c.parentId === null)
        .reverse()
        .map((c) => {
          const replies = all.filter((r) => r.parentId === c.id).map((r) => ({ ...shape(r), parent_id: c.id }));
          return pickFields({ ...shape(c), hidden: c.hidden, replies: replies.length ? { data: replies } : undefined }, fields);
        });
      return graphPage(req, data);
    },
  };

  const tags: FakeRoute = {
    path: '/:version/:igUserId/tags',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req) ?? ownAccount(req);
      if (refused) return refused;
      const fields = requestedFields(req.query.get('fields'));
      const newestFirst = tagged.filter((m) => Date.parse(m.createdAt) < asOfMs()).reverse();
      return graphPageOf(req, newestFirst, (m) =>
        pickFields(
          { id: m.id, caption: m.text, media_type: 'IMAGE', media_product_type: 'FEED', timestamp: graphTime(m.createdAt), permalink: m.permalink, username: m.authorHandle, like_count: m.likeCount, comments_count: m.shareCount },
          fields,
        ),
      );
    },
  };

  const userNode: FakeRoute = {
    path: '/:version/:igUserId',
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      const { status, body } = readUserNode(req.params['igUserId'] ?? '', req.query.get('fields') ?? '');
      return { status, headers: usageHeaders(account.id, 'instagram'), body };
    },
  };

  const batch: FakeRoute = {
    method: 'POST',
    path: '/:version',
    recordsPath: [],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      const body = (req.body ?? {}) as { batch?: unknown; include_headers?: unknown };
      let items: unknown = body.batch ?? req.query.get('batch');
      if (typeof items === 'string') {
        try {
          items = JSON.parse(items);
        } catch {
          items = undefined;
        }
      }
      if (!Array.isArray(items) || items.length === 0) return graphError(400, 100, '(#100) The parameter batch is required and must be a JSON array', { type: 'OAuthException' });
      if (items.length > 50) return graphError(400, 1, 'Batch requests cannot contain more than 50 requests');
      const withHeaders = body.include_headers !== false && body.include_headers !== 'false';
      const answers = items.map((item) => {
        const relative = String((item as { relative_url?: unknown }).relative_url ?? '').replace(/^\/+/, '').replace(/^v\d+\.\d+\//, '');
        const [path = '', query = ''] = relative.split('?');
        const fields = new URLSearchParams(query).get('fields') ?? '';
        const answer = path.includes('/') ? { status: 400, body: unknownObject(path).body } : readUserNode(path, fields);
        return { code: answer.status, ...(withHeaders ? { headers: [{ name: 'Content-Type', value: 'application/json; charset=UTF-8' }] } : {}), body: JSON.stringify(answer.body) };
      });
      return { headers: usageHeaders(account.id, 'instagram'), body: answers };
    },
  };

  return [insights, mediaRoute, comments, tags, userNode, batch];
}
