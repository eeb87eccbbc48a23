/**
 * A fake X API v2 serving the sample world: the brand's posts (`/2/users/:id/tweets`), mentions
 * (`/2/users/:id/mentions`), conversation search (`/2/tweets/search/{recent,all}`), user lookups
 * with `public_metrics`, and daily tweet counts. It pages with `next_token`, filters by
 * `start_time`/`end_time`, sends `x-rate-limit-*` headers (answering 429 once a 15-minute window is
 * spent) and answers errors in X's problem-details shape.
 */
import { cursorPage, type FakeRequest, type FakeResponse, type FakeRoute } from '../fakes/index.ts';
import type { Comment, Mention, Post, World } from '../../core/sample-world/types.ts';

const DAY_MS = 86_400_000;

/** Knobs of the fake: its clock, and the rate limit of each endpoint per window. */
export interface XFakeOptions {
  now?: () => number;
  /** Requests per endpoint per window (default 10,000 per 900 s, generous so the demo never waits). */
  rateLimit?: { limit: number; windowSeconds: number };
}

type Json = Record<string, unknown>;

const iso = (at: string | number) => new Date(at).toISOString();

function problem(status: number, title: string, detail: string, type = 'about:blank', extra: Json = {}): FakeResponse {
  return { status, body: { title, detail, type, status, ...extra } };
}

function invalidRequest(message: string, parameter: string, value: string): FakeResponse {
  return {
    status: 400,
    body: {
      errors: [{ parameters: { [parameter]: [value] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

/** Positions of `needle` occurrences in `text`, for `entities`. */
function spans(text: string, pattern: RegExp): Array<{ start: number; end: number; match: string; group: string }> {
  const out: Array<{ start: number; end: number; match: string; group: string }> = [];
  for (const m of text.matchAll(pattern)) out.push({ start: m.index, end: m.index + m[0].length, match: m[0], group: m[1] ?? m[0] });
  return out;
}

function entitiesOf(text: string, links: readonly string[], idOfHandle: (handle: string) => string | undefined): Json | undefined {
  const urls = links
    .map((link, i) => {
      const start = text.indexOf(link);
      if (start < 0) return undefined;
      const short = `https://t.co/${Buffer.from(link).toString('base64url').slice(-10)}${i}`;
      return { start, end: start + link.length, url: short, expanded_url: link, display_url: link.replace(/^https?:\/\//, '').slice(0, 26) + '…' };
    })
    .filter((u) => u !== undefined);
  const hashtags = spans(text, /#(\w+)/g).map((s) => ({ start: s.start, end: s.end, tag: s.group }));
  const mentions = spans(text, /@(\w+)/g).map((s) => {
    const id = idOfHandle(s.group);
    return { start: s.start, end: s.end, username: s.group, ...(id ? { id } : {}) };
  });
  const entities: Json = {};
  if (urls.length) entities.urls = urls;
  if (hashtags.length) entities.hashtags = hashtags;
  if (mentions.length) entities.mentions = mentions;
  return Object.keys(entities).length ? entities : undefined;
}

/** Index of the first of the ascending `sorted` that is `>= at` (its length when none is). */
function firstAtOrAfter(sorted: readonly number[], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A tweet plus what the fake filters on. */
interface Served {
  tweet: Json;
  authorId: string;
  createdMs: number;
  conversationId: string;
  /** Hidden from this instant on (deleted posts). */
  goneMs: number;
}

/** Builds the routes of the fake X API for `world`. */
export function xRoutes(world: World, options: XFakeOptions = {}): FakeRoute[] {
  const now = options.now ?? Date.now;
  const limit = options.rateLimit ?? { limit: 10_000, windowSeconds: 900 };
  const brand = world.brand.accounts.x;
  const users = new Map(world.social.users.filter((u) => u.platform === 'x').map((u) => [u.handle.toLowerCase(), u.id]));
  const accounts = [{ id: 'brand', name: world.brand.name, account: brand }, ...world.competitors.map((c) => ({ id: c.id, name: c.name, account: c.accounts.x }))];
  for (const a of accounts) users.set(a.account.handle.toLowerCase(), a.account.id);
  const idOfHandle = (handle: string) => users.get(handle.toLowerCase());

  const posts = world.social.posts.filter((p) => p.platform === 'x');
  const postById = new Map(posts.map((p) => [p.id, p]));
  const comments = world.social.comments.filter((c) => c.platform === 'x');
  const commentById = new Map(comments.map((c) => [c.id, c]));
  const replyCount = new Map<string, number>();
  for (const c of comments) replyCount.set(c.parentId ?? c.postId, (replyCount.get(c.parentId ?? c.postId) ?? 0) + 1);

  const ownTweet = (post: Post): Served => {
    const m = post.lifetime;
    const createdMs = Date.parse(post.createdAt);
    const entities = entitiesOf(post.text, post.links, idOfHandle);
    const tweet: Json = {
      id: post.id,
      text: post.text,
      created_at: iso(post.createdAt),
      author_id: brand.id,
      conversation_id: post.id,
      lang: 'en',
      edit_history_tweet_ids: [post.id],
      public_metrics: { retweet_count: m.shares, reply_count: m.comments, like_count: m.likes, quote_count: Math.floor(m.shares / 10), bookmark_count: m.saves, impression_count: m.impressions },
      ...(entities ? { entities } : {}),
    };
    return { tweet, authorId: brand.id, createdMs, conversationId: post.id, goneMs: post.deletedAt ? Date.parse(post.deletedAt) : Infinity };
  };

  const replyTweet = (comment: Comment): Served => {
    const parent = comment.parentId ? commentById.get(comment.parentId) : undefined;
    const repliedTo = parent ? { handle: parent.authorHandle, id: parent.authorId } : { handle: brand.handle, id: brand.id };
    const text = `@${repliedTo.handle} ${comment.text}`;
    const entities = entitiesOf(text, [], idOfHandle);
    const tweet: Json = {
      id: comment.id,
      text,
      created_at: iso(comment.createdAt),
      author_id: comment.authorId,
      conversation_id: comment.postId,
      in_reply_to_user_id: repliedTo.id,
      referenced_tweets: [{ type: 'replied_to', id: comment.parentId ?? comment.postId }],
      lang: comment.lang,
      edit_history_tweet_ids: [comment.id],
      public_metrics: { retweet_count: 0, reply_count: replyCount.get(comment.id) ?? 0, like_count: comment.likeCount, quote_count: 0, bookmark_count: 0, impression_count: comment.likeCount * 40 + 12 },
      ...(entities ? { entities } : {}),
    };
    const post = postById.get(comment.postId);
    return { tweet, authorId: comment.authorId, createdMs: Date.parse(comment.createdAt), conversationId: comment.postId, goneMs: post?.deletedAt ? Date.parse(post.deletedAt) : Infinity };
  };

  const mentionTweet = (mention: Mention): Served => {
    const entities = entitiesOf(mention.text, [], idOfHandle);
    const tweet: Json = {
      id: mention.id,
      text: mention.text,
      created_at: iso(mention.createdAt),
      author_id: mention.authorId,
      conversation_id: mention.id,
      lang: mention.lang,
      edit_history_tweet_ids: [mention.id],
      public_metrics: { retweet_count: mention.shareCount, reply_count: 0, like_count: mention.likeCount, quote_count: 0, bookmark_count: 0, impression_count: mention.likeCount * 35 + 20 },
      ...(entities ? { entities } : {}),
    };
    return { tweet, authorId: mention.authorId, createdMs: Date.parse(mention.createdAt), conversationId: mention.id, goneMs: Infinity };
  };

  const newestFirst = (a: Served, b: Served) => b.createdMs - a.createdMs || (a.tweet.id as string).localeCompare(b.tweet.id as string);
  const own = posts.map(ownTweet).sort(newestFirst);
  const replies = comments.map(replyTweet).sort(newestFirst);
  // The mentions timeline holds tweets mentioning the brand: mentions, and replies by others (X prefixes
  // @brand); a reply stays when the post it answered is deleted.
  const mentions = [...world.social.mentions.filter((m) => m.platform === 'x' && m.target === 'brand').map(mentionTweet), ...replies.filter((r) => r.authorId !== brand.id).map((r) => ({ ...r, goneMs: Infinity }))].sort(newestFirst);
  // A conversation search reads its own replies, not every reply of the world.
  const repliesByConversation = new Map<string, Served[]>();
  for (const r of replies) {
    const list = repliesByConversation.get(r.conversationId);
    if (list) list.push(r);
    else repliesByConversation.set(r.conversationId, [r]);
  }
  const mentionMs = new Map<string, number[]>();
  for (const m of world.social.mentions) {
    if (m.platform !== 'x') continue;
    const list = mentionMs.get(m.target);
    if (list) list.push(Date.parse(m.createdAt));
    else mentionMs.set(m.target, [Date.parse(m.createdAt)]);
  }

  // Rate limits: one window per endpoint, as X counts them.
  const windows = new Map<string, { startMs: number; used: number }>();
  const rateLimited = (endpoint: string, answer: () => FakeResponse): FakeResponse => {
    const at = now();
    let window = windows.get(endpoint);
    if (!window || at >= window.startMs + limit.windowSeconds * 1000) windows.set(endpoint, (window = { startMs: at, used: 0 }));
    const reset = String(Math.ceil((window.startMs + limit.windowSeconds * 1000) / 1000));
    if (window.used >= limit.limit) {
      return { ...problem(429, 'Too Many Requests', 'Too Many Requests'), headers: { 'x-rate-limit-limit': String(limit.limit), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset } };
    }
    window.used++;
    const response = answer();
    return { ...response, headers: { ...response.headers, 'x-rate-limit-limit': String(limit.limit), 'x-rate-limit-remaining': String(limit.limit - window.used), 'x-rate-limit-reset': reset } };
  };

  const authorized = (request: FakeRequest): boolean => /^Bearer \S+$/.test(String(request.headers.authorization ?? ''));
  const unauthorized = () => problem(401, 'Unauthorized', 'Unauthorized');

  /** Reads start_time / end_time, with X's defaults for search and counts. */
  const range = (request: FakeRequest, kind: 'timeline' | 'recent' | 'all'): { startMs: number; endMs: number } | { refused: FakeResponse } => {
    const at = now();
    const refuse = (...args: Parameters<typeof invalidRequest>) => ({ refused: invalidRequest(...args) });
    const parse = (name: string): number | FakeResponse | undefined => {
      const value = request.query.get(name);
      if (value === null) return undefined;
      const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(value) ? Date.parse(value) : Number.NaN;
      return Number.isNaN(ms) ? invalidRequest(`Invalid '${name}':'${value}'. '${name}' must be a valid RFC 3339 timestamp.`, name, value) : ms;
    };
    const end = parse('end_time');
    const start = parse('start_time');
    if (typeof end === 'object') return { refused: end };
    if (typeof start === 'object') return { refused: start };
    const endMs = end ?? at - 30_000;
    if (endMs > at - 10_000) return refuse(`Invalid 'end_time':'${request.query.get('end_time')}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`, 'end_time', String(request.query.get('end_time')));
    const startMs = start ?? (kind === 'timeline' ? 0 : kind === 'recent' ? at - 7 * DAY_MS : endMs - 30 * DAY_MS);
    if (kind === 'recent' && startMs < at - 7 * DAY_MS) {
      return refuse(`Invalid 'start_time':'${request.query.get('start_time')}'. 'start_time' must be on or after ${new Date(at - 7 * DAY_MS).toISOString()}`, 'start_time', String(request.query.get('start_time')));
    }
    if (startMs >= endMs) return refuse(`Invalid 'start_time'. 'start_time' must be before 'end_time'.`, 'start_time', String(request.query.get('start_time')));
    return { startMs, endMs };
  };

  /** One page of tweets, newest first, X's envelope. */
  const tweetPage = (request: FakeRequest, items: Served[], tokenParam: string, bounds: { min: number; max: number; fallback: number }): FakeResponse => {
    const max = Number(request.query.get('max_results') ?? bounds.fallback);
    if (!Number.isInteger(max) || max < bounds.min || max > bounds.max) {
      return invalidRequest(`The \`max_results\` query parameter value [${request.query.get('max_results')}] is not between ${bounds.min} and ${bounds.max}`, 'max_results', String(request.query.get('max_results')));
    }
    let page;
    try {
      page = cursorPage(items, request.query.get(tokenParam), max);
    } catch {
      return invalidRequest(`The \`${tokenParam}\` query parameter value [${request.query.get(tokenParam)}] is not valid`, tokenParam, String(request.query.get(tokenParam)));
    }
    const data = page.records.map((s) => s.tweet);
    const meta: Json = { result_count: data.length };
    if (data.length) Object.assign(meta, { newest_id: data[0]!.id, oldest_id: data[data.length - 1]!.id });
    if (page.nextCursor) meta.next_token = page.nextCursor;
    if (page.previousCursor) meta.previous_token = page.previousCursor;
    return { body: data.length ? { data, meta } : { meta } };
  };

  // A timeline is paged with the same range on every page; its selection holds until the clock
  // passes the next deletion inside it (or goes back before it was made), instead of being redone per page.
  const ranges = new WeakMap<Served[], Map<string, { madeMs: number; validUntilMs: number; selected: Served[] }>>();
  const inRange = (items: Served[], r: { startMs: number; endMs: number }) => {
    const at = now();
    let byRange = ranges.get(items);
    if (!byRange) ranges.set(items, (byRange = new Map()));
    const key = `${r.startMs} ${r.endMs}`;
    const kept = byRange.get(key);
    if (kept && at >= kept.madeMs && at < kept.validUntilMs) return kept.selected;
    let validUntilMs = Infinity;
    const selected = items.filter((s) => {
      if (s.createdMs < r.startMs || s.createdMs >= r.endMs) return false;
      if (s.goneMs > at) validUntilMs = Math.min(validUntilMs, s.goneMs);
      return s.goneMs > at;
    });
    // Searches read many small conversations: keep a few ranges per list only.
    if (byRange.size >= 8) byRange.delete(byRange.keys().next().value!);
    byRange.set(key, { madeMs: at, validUntilMs, selected });
    return selected;
  };

  const timeline = (items: () => Served[], endpoint: string) => (request: FakeRequest): FakeResponse => {
    if (!authorized(request)) return unauthorized();
    return rateLimited(endpoint, () => {
      if (request.params.id !== brand.id) {
        return problem(403, 'Forbidden', 'Sorry, you are not authorized to see this timeline.', 'https://api.twitter.com/2/problems/not-authorized-for-resource');
      }
      const r = range(request, 'timeline');
      if ('refused' in r) return r.refused;
      return tweetPage(request, inRange(items(), r), 'pagination_token', { min: 5, max: 100, fallback: 10 });
    });
  };

  const search = (kind: 'recent' | 'all') => (request: FakeRequest): FakeResponse => {
    if (!authorized(request)) return unauthorized();
    return rateLimited(`search/${kind}`, () => {
      const query = request.query.get('query') ?? '';
      const r = range(request, kind);
      if ('refused' in r) return r.refused;
      const conversation = /^conversation_id:(\d+)$/.exec(query.trim());
      // The fake understands conversation searches only; any other query finds nothing.
      const items = conversation ? repliesByConversation.get(conversation[1]!) ?? [] : [];
      return tweetPage(request, inRange(items, r), 'next_token', { min: 10, max: kind === 'all' ? 500 : 100, fallback: 10 });
    });
  };

  const counts = (kind: 'recent' | 'all') => (request: FakeRequest): FakeResponse => {
    if (!authorized(request)) return unauthorized();
    return rateLimited(`counts/${kind}`, () => {
      const query = request.query.get('query');
      if (!query) return invalidRequest('The `query` query parameter can not be empty', 'query', '');
      if ((request.query.get('granularity') ?? 'hour') !== 'day') return invalidRequest('The fake serves granularity=day only', 'granularity', String(request.query.get('granularity')));
      const r = range(request, kind);
      if ('refused' in r) return r.refused;
      // A query counts the mentions of every tracked account it names by @handle or "name".
      const lowered = query.toLowerCase();
      const targets = accounts.filter((a) => lowered.includes(`@${a.account.handle.toLowerCase()}`) || lowered.includes(`"${a.name.toLowerCase()}"`)).map((a) => a.id);
      const instants = targets.flatMap((t) => mentionMs.get(t) ?? []).sort((a, b) => a - b);
      const buckets: Json[] = [];
      for (let start = r.startMs; start < r.endMs; ) {
        const end = Math.min(r.endMs, Math.floor(start / DAY_MS) * DAY_MS + DAY_MS);
        buckets.push({ end: iso(end), start: iso(start), tweet_count: firstAtOrAfter(instants, end) - firstAtOrAfter(instants, start) });
        start = end;
      }
      // counts/all pages by 31 daily buckets; counts/recent fits one page.
      let offset = 0;
      const token = request.query.get('next_token');
      if (token) {
        const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
        if (!Number.isInteger(decoded) || decoded <= 0) return invalidRequest(`The \`next_token\` query parameter value [${token}] is not valid`, 'next_token', token);
        offset = decoded;
      }
      const data = buckets.slice(offset, offset + 31);
      const meta: Json = { total_tweet_count: data.reduce((n, b) => n + (b.tweet_count as number), 0) };
      if (offset + 31 < buckets.length) meta.next_token = Buffer.from(String(offset + 31)).toString('base64url');
      return { body: { data, meta } };
    });
  };

  const userObject = (id: string): Json | undefined => {
    const today = new Date(now()).toISOString().slice(0, 10);
    const found = accounts.find((a) => a.account.id === id);
    if (!found) return undefined;
    const rows =
      found.id === 'brand'
        ? world.social.accountDaily.filter((d) => d.platform === 'x' && d.date <= today)
        : world.social.competitorDaily.filter((d) => d.platform === 'x' && d.competitorId === found.id && d.date <= today);
    const followers = rows[rows.length - 1]?.followers ?? found.account.followersAtStart;
    const tweets = found.id === 'brand' ? posts.filter((p) => p.date <= today).length : rows.reduce((n, d) => n + ('posts' in d ? d.posts : 0), 0);
    return {
      id,
      name: found.account.displayName,
      username: found.account.handle,
      created_at: '2012-03-14T16:02:11.000Z',
      description: `${found.name} on X`,
      protected: false,
      verified: false,
      public_metrics: { followers_count: followers, following_count: 180 + (followers % 97), tweet_count: 2400 + tweets, listed_count: Math.floor(followers / 250), like_count: 900 + tweets * 3 },
    };
  };

  const userFields = (request: FakeRequest, user: Json): Json => {
    const wanted = new Set((request.query.get('user.fields') ?? '').split(',').filter(Boolean));
    // Without user.fields X sends id, name and username only.
    return Object.fromEntries(Object.entries(user).filter(([k]) => k === 'id' || k === 'name' || k === 'username' || wanted.has(k)));
  };

  return [
    { path: '/2/users/:id/tweets', recordsPath: ['data'], handler: timeline(() => own, 'users/tweets') },
    { path: '/2/users/:id/mentions', recordsPath: ['data'], handler: timeline(() => mentions, 'users/mentions') },
    { path: '/2/tweets/search/recent', recordsPath: ['data'], handler: search('recent') },
    { path: '/2/tweets/search/all', recordsPath: ['data'], handler: search('all') },
    { path: '/2/tweets/counts/recent', recordsPath: ['data'], handler: counts('recent') },
    { path: '/2/tweets/counts/all', recordsPath: ['data'], handler: counts('all') },
    {
      path: '/2/users',
      recordsPath: ['data'],
      handler: (request) => {
        if (!authorized(request)) return unauthorized();
        return rateLimited('users', () => {
          const ids = (request.query.get('ids') ?? '').split(',').filter(Boolean);
          if (ids.length === 0 || ids.length > 100) return invalidRequest('The `ids` query parameter must hold 1 to 100 user ids', 'ids', ids.join(','));
          const data: Json[] = [];
          const errors: Json[] = [];
          for (const id of ids) {
            const user = userObject(id);
            if (user) data.push(userFields(request, user));
            else errors.push({ value: id, detail: `Could not find user with ids: [${id}].`, title: 'Not Found Error', resource_type: 'user', parameter: 'ids', resource_id: id, type: 'https://api.twitter.com/2/problems/resource-not-found' });
          }
          return { body: { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) } };
        });
      },
    },
    {
      path: '/2/users/:id',
      recordsPath: ['data'],
      handler: (request) => {
        if (!authorized(request)) return unauthorized();
        return rateLimited('users', () => {
          const user = userObject(request.params.id ?? '');
          if (!user) return { body: { errors: [{ value: request.params.id, detail: `Could not find user with id: [${request.params.id}].`, title: 'Not Found Error', resource_type: 'user', parameter: 'id', resource_id: request.params.id, type: 'https://api.twitter.com/2/problems/resource-not-found' }] } };
          return { body: { data: userFields(request, user) } };
        });
      },
    },
  ];
}
