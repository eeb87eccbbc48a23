/**
 * A fake Facebook Graph API serving the sample world's Page: `/{page-id}/insights` (period day,
 * `since`/`until` as dates or Unix seconds, at most 93 days), `/{page-id}/posts` with nested
 * lifetime insights and summaries, `/{post-id}/comments` (`filter=stream|toplevel`, `order`),
 * and `/{page-id}/conversations`. Lists page with `paging.cursors` and absolute `paging.next`;
 * errors are Graph error bodies; every answer carries the usage headers. Numbers are reported as
 * of `options.asOf` (default the world's observation day), so insights younger than 28 days are
 * provisional and grow when a later `asOf` is served.
 */
import { addDays } from '../../core/sample-world/calendar.ts';
import { accountDailyAsOf, postDailyAsOf } from '../../core/sample-world/restatement.ts';
import type { AccountDaily, Comment, Conversation, Post, PostMetrics, World } from '../../core/sample-world/types.ts';
import type { FakeRequest, FakeResponse, FakeRoute } from '../fakes/index.ts';
import { dailyRowsByDate, graphError, graphPage, graphPageOf, graphTime, lifetimeAsOf, localDayEndTime, parseGraphTime, pickFields, requestedFields, requireToken, requireVersion, usageHeaders } from './graph-fake.ts';

/** Options of the Facebook fake; read on every request, so a test may move `asOf` between runs. */
export interface FacebookFakeOptions {
  /** Day the API is observed on (`YYYY-MM-DD`); nothing at or after it exists yet. */
  asOf?: string;
}

const MAX_INSIGHTS_DAYS = 93;

const PAGE_METRIC_TITLES: Record<string, string> = {
  page_follows: 'Page follows',
  page_daily_follows_unique: 'Daily new follows',
  page_daily_unfollows_unique: 'Daily unfollows',
  page_media_view: 'Views',
  page_total_media_view_unique: 'Viewers',
  page_views_total: 'Page views',
  page_post_engagements: 'Post engagements',
  page_actions_post_reactions_total: 'Daily total post reactions',
  page_video_views: 'Daily total video views',
};

const POST_METRICS = new Set(['post_media_view', 'post_total_media_view_unique', 'post_clicks', 'post_reactions_by_type_total', 'post_video_views']);

type DayTotals = Pick<PostMetrics, 'likes' | 'comments' | 'shares' | 'clicks'> & { reactions: PostMetrics['reactions'] };

/** Graph's reaction keys (`sorry` and `anger` are its words for sad and angry). */
function reactionsByType(r: PostMetrics['reactions']): Record<string, number> {
  return { like: r.like, love: r.love, wow: r.wow, haha: r.haha, sorry: r.sad, anger: r.angry };
}

function statusType(post: Post): string {
  switch (post.mediaKind) {
    case 'photo':
    case 'carousel':
      return 'added_photos';
    case 'video':
    case 'reel':
    case 'short':
      return 'added_video';
    case 'link':
      return 'shared_story';
    default:
      return 'mobile_status_update';
  }
}

/** Routes of the fake Facebook Graph API over `world`. */
export function facebookFake(world: World, options: FacebookFakeOptions = {}): FakeRoute[] {
  const page = world.brand.accounts.facebook;
  const asOf = () => options.asOf ?? world.meta.asOf;
  const accountDays = new Map<string, AccountDaily>(world.social.accountDaily.filter((r) => r.platform === 'facebook').map((r) => [r.date, r]));
  const posts = world.social.posts.filter((p) => p.platform === 'facebook');
  const postsById = new Map(posts.map((p) => [p.id, p]));
  const dailyByPost = new Map<string, typeof world.social.postDaily>();
  for (const row of world.social.postDaily) {
    if (row.platform !== 'facebook') continue;
    const list = dailyByPost.get(row.postId) ?? [];
    list.push(row);
    dailyByPost.set(row.postId, list);
  }
  const commentsByPost = new Map<string, Comment[]>();
  for (const comment of world.social.comments) {
    if (comment.platform !== 'facebook') continue;
    const list = commentsByPost.get(comment.postId) ?? [];
    list.push(comment);
    commentsByPost.set(comment.postId, list);
  }
  const conversations = world.social.conversations.filter((c) => c.platform === 'facebook');
  const asOfMs = () => Date.parse(`${asOf()}T00:00:00Z`);
  const visible = (post: Post) => Date.parse(post.createdAt) < asOfMs() && (post.deletedAt === null || Date.parse(post.deletedAt) >= asOfMs());

  const dailyByDate = dailyRowsByDate(dailyByPost);

  const pageTotalsOn = (date: string): DayTotals => {
    const totals: DayTotals = { likes: 0, comments: 0, shares: 0, clicks: 0, reactions: { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 } };
    for (const raw of dailyByDate.get(date) ?? []) {
      const row = postDailyAsOf(raw, asOf());
      totals.likes += row.likes;
      totals.comments += row.comments;
      totals.shares += row.shares;
      totals.clicks += row.clicks;
      for (const key of Object.keys(totals.reactions) as (keyof PostMetrics['reactions'])[]) totals.reactions[key] += row.reactions[key];
    }
    return totals;
  };

  const pageMetricValue = (metric: string, raw: AccountDaily): number | Record<string, number> | undefined => {
    const row = accountDailyAsOf(raw, asOf());
    switch (metric) {
      case 'page_follows':
        return row.followers;
      case 'page_daily_follows_unique':
        return row.follows;
      case 'page_daily_unfollows_unique':
        return row.unfollows;
      case 'page_media_view':
        return row.impressions;
      case 'page_total_media_view_unique':
        return row.reachOrganic + row.reachPaid;
      case 'page_views_total':
        return row.profileViews;
      case 'page_video_views':
        return row.videoViews;
      case 'page_post_engagements': {
        const t = pageTotalsOn(row.date);
        return t.likes + t.comments + t.shares + t.clicks;
      }
      case 'page_actions_post_reactions_total':
        return reactionsByType(pageTotalsOn(row.date).reactions);
      default:
        return undefined;
    }
  };

  const lifetimeOf = (post: Post): PostMetrics => lifetimeAsOf(post, dailyByPost.get(post.id) ?? [], asOf());

  const postInsight = (post: Post, metric: string, m: PostMetrics) => {
    const value =
      metric === 'post_media_view' ? m.impressions
      : metric === 'post_total_media_view_unique' ? m.reach
      : metric === 'post_clicks' ? m.clicks
      : metric === 'post_video_views' ? m.videoViews
      : reactionsByType(m.reactions);
    return { name: metric, period: 'lifetime', values: [{ value }], title: metric, description: `Lifetime: ${metric}`, id: `${post.id}/insights/${metric}/lifetime` };
  };

  const visibleComments = (postId: string) => (commentsByPost.get(postId) ?? []).filter((c) => Date.parse(c.createdAt) < asOfMs());

  const guard = (req: FakeRequest): FakeResponse | undefined => requireVersion(req) ?? requireToken(req);
  const unknownObject = (id: string) =>
    graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 });

  const insights: FakeRoute = {
    path: '/:version/:pageId/insights',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      if (req.params['pageId'] !== page.id) return unknownObject(req.params['pageId'] ?? '');
      const metrics = (req.query.get('metric') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
      if (metrics.length === 0) return graphError(400, 3001, 'No metric was specified to be fetched. Please specify one or more metrics to be fetched and try again.', { subcode: 1504028, type: 'OAuthException' });
      const unknown = metrics.find((m) => !(m in PAGE_METRIC_TITLES));
      if (unknown) return graphError(400, 100, '(#100) The value must be a valid insights metric', { type: 'OAuthException' });
      const period = req.query.get('period') ?? 'day';
      if (period !== 'day') return graphError(400, 100, `(#100) period must be one of the following values: day (this fake serves daily values only)`, { type: 'OAuthException' });
      const sinceMs = parseGraphTime(req.query.get('since')) ?? asOfMs() - 2 * 86_400_000;
      const untilMs = parseGraphTime(req.query.get('until')) ?? asOfMs();
      if (untilMs - sinceMs > MAX_INSIGHTS_DAYS * 86_400_000) {
        return graphError(400, 100, `(#100) There cannot be more than ${MAX_INSIGHTS_DAYS} days (${MAX_INSIGHTS_DAYS * 86_400} s) between since and until`, { type: 'OAuthException' });
      }
      const days: AccountDaily[] = [];
      for (let day = new Date(sinceMs).toISOString().slice(0, 10); Date.parse(`${day}T00:00:00Z`) < untilMs; day = addDays(day, 1)) {
        const row = accountDays.get(day);
        if (row && day < asOf()) days.push(row);
      }
      const data =
        days.length === 0 ? [] : (
          metrics.map((name) => ({
            name,
            period: 'day',
            values: days.map((row) => ({ value: pageMetricValue(name, row), end_time: localDayEndTime(row.date, world.meta.timeZone) })),
            title: PAGE_METRIC_TITLES[name],
            description: `Daily: ${PAGE_METRIC_TITLES[name]}`,
            id: `${page.id}/insights/${name}/day`,
          }))
        );
      // Graph pages insights through time: `previous`/`next` are the same query one range earlier/later.
      const host = typeof req.headers.host === 'string' ? `http://${req.headers.host}` : req.baseUrl;
      const shifted = (by: number) => {
        const url = new URL(req.path, host);
        for (const [key, value] of req.query) url.searchParams.set(key, value);
        url.searchParams.set('since', String(Math.floor((sinceMs + by) / 1000)));
        url.searchParams.set('until', String(Math.floor((untilMs + by) / 1000)));
        return url.href;
      };
      return { headers: usageHeaders(page.id), body: { data, paging: { previous: shifted(sinceMs - untilMs), next: shifted(untilMs - sinceMs) } } };
    },
  };

  const postsRoute: FakeRoute = {
    path: '/:version/:pageId/posts',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      if (req.params['pageId'] !== page.id) return unknownObject(req.params['pageId'] ?? '');
      const fields = requestedFields(req.query.get('fields'));
      const metrics = /insights\.metric\(([^)]*)\)/.exec(req.query.get('fields') ?? '')?.[1]?.split(',').map((m) => m.trim()).filter(Boolean) ?? [];
      if (metrics.some((m) => !POST_METRICS.has(m))) return graphError(400, 100, '(#100) The value must be a valid insights metric', { type: 'OAuthException' });
      const sinceMs = parseGraphTime(req.query.get('since')) ?? Number.NEGATIVE_INFINITY;
      const untilMs = parseGraphTime(req.query.get('until')) ?? Number.POSITIVE_INFINITY;
      const selected = posts
        .filter((p) => visible(p) && Date.parse(p.createdAt) >= sinceMs && Date.parse(p.createdAt) < untilMs)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      return graphPageOf(req, selected, (post) => {
        const m = lifetimeOf(post);
        const topLevel = visibleComments(post.id).filter((c) => c.parentId === null).length;
        return pickFields(
          {
            id: post.id,
            created_time: graphTime(post.createdAt),
            updated_time: graphTime(post.createdAt),
            message: post.text,
            permalink_url: post.permalink,
            status_type: statusType(post),
            // Graph leaves `shares` out when a post has none.
            shares: m.shares > 0 ? { count: m.shares } : undefined,
            comments: { data: [], summary: { order: 'chronological', total_count: topLevel, can_comment: true } },
            reactions: { data: [], summary: { total_count: m.likes, viewer_reaction: 'NONE' } },
            insights: metrics.length ? { data: metrics.map((metric) => postInsight(post, metric, m)) } : undefined,
          },
          fields,
        );
      });
    },
  };

  const comments: FakeRoute = {
    path: '/:version/:postId/comments',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      const post = postsById.get(req.params['postId'] ?? '');
      if (!post || !visible(post)) return unknownObject(req.params['postId'] ?? '');
      const all = visibleComments(post.id);
      const stream = req.query.get('filter') === 'stream';
      const replies = new Map<string, number>();
      for (const c of all) if (c.parentId) replies.set(c.parentId, (replies.get(c.parentId) ?? 0) + 1);
      let list = all.filter((c) => stream || c.parentId === null);
      if (req.query.get('order') === 'reverse_chronological') list = list.slice().reverse();
      const fields = requestedFields(req.query.get('fields'));
      const data = list.map((c) =>
        pickFields(
          {
            id: c.id,
            message: c.text,
            created_time: graphTime(c.createdAt),
            from: { id: c.authorId, name: c.authorName },
            parent: c.parentId ? { id: c.parentId } : undefined,
            like_count: c.likeCount,
            comment_count: replies.get(c.id) ?? 0,
            is_hidden: c.hidden,
          },
          fields,
        ),
      );
      return graphPage(req, data);
    },
  };

  const inbox: FakeRoute = {
    path: '/:version/:pageId/conversations',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      if (req.params['pageId'] !== page.id) return unknownObject(req.params['pageId'] ?? '');
      const platform = req.query.get('platform') ?? 'messenger';
      if (platform !== 'messenger') return graphError(400, 100, '(#100) this fake serves platform=messenger only', { type: 'OAuthException' });
      const pageRef = { id: page.id, name: page.displayName, email: `${page.id}@facebook.com` };
      const cutoff = asOfMs();
      const threads = conversations
        .map((c): [Conversation, Conversation['messages']] => [c, c.messages.filter((m) => Date.parse(m.createdAt) < cutoff)])
        .filter(([, messages]) => messages.length > 0)
        .sort(([, a], [, b]) => (a.at(-1)!.createdAt < b.at(-1)!.createdAt ? 1 : -1));
      return graphPageOf(req, threads, ([c, messages]) => {
        const person = { id: c.userId, name: c.userName, email: `${c.userId}@facebook.com` };
        return {
          id: c.id,
          updated_time: graphTime(messages.at(-1)!.createdAt),
          message_count: messages.length,
          participants: { data: [person, pageRef] },
          messages: {
            // Graph lists a thread's messages newest first.
            data: messages
              .slice()
              .reverse()
              .map((m) => ({
                id: m.id,
                created_time: graphTime(m.createdAt),
                from: m.from === 'brand' ? pageRef : person,
                to: { data: [m.from === 'brand' ? person : pageRef] },
                message: m.text,
              })),
            paging: { cursors: { before: 'QVFI', after: 'QVFI' } },
          },
        };
      });
    },
  };

  return [insights, postsRoute, comments, inbox];
}
