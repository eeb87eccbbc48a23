/**
 * The brand's social presence: people who talk to it, posts with lifetime and daily metrics,
 * comments and brand replies, mentions of the brand and its competitors, direct conversations,
 * and the daily account insights (brand) and public metrics (competitors). Posting volume and
 * follower bases grow with √scale, so comment volume grows with scale.
 */
import { type Calendar, DAY_MS, HOUR_MS, MINUTE_MS, addDays, calendarEndMs, localDayIndex, localTimeOfDayMs, toIso } from './calendar.ts';
import { PLATFORMS, activeCampaigns, type Marketing } from './catalog.ts';
import { fakeHandle, fakeName } from './people.ts';
import type { Rng } from './random.ts';
import { brandReplyText, generateText, pickLabel, pickLanguage, type TextLabel, type TextSlots } from './texts.ts';
import type {
  AccountDaily,
  AdInsightDaily,
  Brand,
  Comment,
  Competitor,
  CompetitorDaily,
  Conversation,
  DirectMessage,
  MediaKind,
  Mention,
  PlatformId,
  Post,
  PostDaily,
  PostMetrics,
  Product,
  SocialUser,
  Theme,
} from './types.ts';
import { urlCampaignSpelling, utmQuery } from './web.ts';

/** Inputs shared by the social generators. */
export interface SocialInput {
  calendar: Calendar;
  brand: Brand;
  competitors: Competitor[];
  products: Product[];
  marketing: Marketing;
  scale: number;
}

/** Days a post keeps collecting metrics (and the window platforms restate). */
export const POST_METRIC_DAYS = 28;

const USER_POOL: Record<PlatformId, number> = { facebook: 4000, instagram: 5000, x: 3000, linkedin: 1000, youtube: 1500 };
const POSTS_PER_DAY: Record<PlatformId, number> = { facebook: 1.0, instagram: 1.2, x: 2.2, linkedin: 0.45, youtube: 0.12 };
const MEDIA_KINDS: Record<PlatformId, Partial<Record<MediaKind, number>>> = {
  facebook: { photo: 40, video: 15, link: 20, reel: 15, text: 10 },
  instagram: { photo: 35, carousel: 25, reel: 30, video: 5, story: 10 },
  x: { text: 45, photo: 35, video: 20 },
  linkedin: { text: 25, photo: 35, video: 15, article: 15, link: 10 },
  youtube: { video: 70, short: 30 },
};
const REACH_SHARE: Record<PlatformId, number> = { facebook: 0.06, instagram: 0.18, x: 0.05, linkedin: 0.12, youtube: 0.25 };
const LIKE_RATE: Record<PlatformId, number> = { facebook: 0.03, instagram: 0.06, x: 0.02, linkedin: 0.025, youtube: 0.04 };
const COMMENT_RATE: Record<PlatformId, number> = { facebook: 0.0011, instagram: 0.00056, x: 0.0022, linkedin: 0.0022, youtube: 0.0035 };
const DAILY_DECAY: Record<PlatformId, number> = { facebook: 0.5, instagram: 0.55, x: 0.35, linkedin: 0.6, youtube: 0.8 };
const VIDEO_KINDS: ReadonlySet<MediaKind> = new Set(['video', 'reel', 'short', 'story']);

/** Everything about posts: the people commenting, posts, daily metrics, comments. */
export interface PostsResult {
  users: SocialUser[];
  usersByPlatform: Record<PlatformId, SocialUser[]>;
  posts: Post[];
  postDaily: PostDaily[];
  comments: Comment[];
  /** `utm_content` of organic campaign posts by `campaignId|platform` (for the shop's sessions). */
  campaignPostContents: Map<string, Array<{ atMs: number; content: string }>>;
}

function twitterSnowflake(rng: Rng, atMs: number): string {
  return ((BigInt(Math.floor(atMs) - 1288834974657) << 22n) | BigInt(rng.int(0, 4_194_303))).toString();
}

function userId(rng: Rng, platform: PlatformId): string {
  switch (platform) {
    case 'facebook':
      return rng.digits(16);
    case 'instagram':
      return `1784${rng.digits(13)}`;
    case 'x':
      return rng.digits(rng.int(9, 19));
    case 'linkedin':
      return `urn:li:person:${rng.alphanumeric(10)}`;
    case 'youtube':
      return `UC${rng.base64url(22)}`;
  }
}

/** Builds the pool of private persons who comment, mention and message, per platform. */
export function buildUsers(rng: Rng, scale: number): Record<PlatformId, SocialUser[]> {
  const out = {} as Record<PlatformId, SocialUser[]>;
  for (const platform of PLATFORMS) {
    const count = Math.max(30, Math.round(USER_POOL[platform] * scale));
    const users: SocialUser[] = [];
    for (let i = 0; i < count; i++) {
      const lang = pickLanguage(rng);
      const name = fakeName(rng, lang);
      users.push({ id: userId(rng, platform), platform, handle: fakeHandle(rng, name), displayName: `${name.firstName} ${name.lastName}`, lang, customerId: null });
    }
    out[platform] = users;
  }
  return out;
}

/** Picks a user with a skew, so a few people comment a lot. */
function pickUser(rng: Rng, users: readonly SocialUser[]): SocialUser {
  const u = rng.next();
  return users[Math.floor(users.length * u * u)] as SocialUser;
}

function postId(rng: Rng, platform: PlatformId, accountId: string, atMs: number): string {
  switch (platform) {
    case 'facebook':
      return `${accountId}_${rng.digits(17)}`;
    case 'instagram':
      return `179${rng.digits(14)}`;
    case 'x':
      return twitterSnowflake(rng, atMs);
    case 'linkedin':
      return `urn:li:share:${rng.digits(19)}`;
    case 'youtube':
      return rng.base64url(11);
  }
}

function permalinkOf(rng: Rng, platform: PlatformId, id: string, handle: string, kind: MediaKind): string {
  switch (platform) {
    case 'facebook':
      return `https://www.facebook.com/${id.replace('_', '/posts/')}`;
    case 'instagram':
      return `https://www.instagram.com/${kind === 'reel' ? 'reel' : 'p'}/${rng.base64url(11)}/`;
    case 'x':
      return `https://x.com/${handle}/status/${id}`;
    case 'linkedin':
      return `https://www.linkedin.com/feed/update/${id}/`;
    case 'youtube':
      return kind === 'short' ? `https://www.youtube.com/shorts/${id}` : `https://www.youtube.com/watch?v=${id}`;
  }
}

function commentId(rng: Rng, platform: PlatformId, post: Post, parentId: string | null, atMs: number): string {
  switch (platform) {
    case 'facebook':
      return `${post.id.split('_')[1] ?? post.id}_${rng.digits(16)}`;
    case 'instagram':
      return `179${rng.digits(14)}`;
    case 'x':
      return twitterSnowflake(rng, atMs);
    case 'linkedin':
      return `urn:li:comment:(urn:li:activity:${rng.digits(19)},${rng.digits(19)})`;
    case 'youtube':
      return parentId ? `${parentId}.${rng.base64url(22)}` : `Ugz${rng.base64url(23)}`;
  }
}

const POST_TEXTS: Record<'product' | 'general' | 'campaign', readonly string[]> = {
  product: ['Meet the {product}. Built for long days and wet trails.', 'The {product} just got an upgrade. Same fit, lighter build.', 'Back in stock: the {product} in {color}.', 'Field-tested on the Appalachian Trail: the {product}.'],
  general: ['Sunrise at the trailhead. Where are you headed this weekend? 🌄', 'Behind the seams: how we test every {category} before it ships.', 'Tag someone who needs a new {product} 👇', 'Repair, don’t replace. Free repairs on anything we make.', 'Leave no trace. Pack it in, pack it out. 🌲'],
  campaign: ['{campaign} is on: {discount} {category} through {end} 👉', 'Our {campaign} picks are live. Which one is yours? 👉', 'Last call: {campaign} ends {end}.', 'New for {campaign}: the {product} 👉'],
};
const LINKEDIN_TEXTS = ['We’re hiring: Senior Product Designer, Outerwear. Join the team →', 'Proud to share our impact report: 62% of our materials are now recycled.', 'What we learned repairing 10,000 jackets last year.', 'Welcome to our new Head of Sustainability!'];
const YOUTUBE_TITLES = ['{product} | Field Test', 'How to pack a 65L backpack', 'Winter camping: 10 tips from our guides', '{campaign} — Official Film', 'Repairing a down jacket in 5 minutes'];

function fillPost(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? '');
}

function emptyMetrics(): PostMetrics {
  return { impressions: 0, reach: 0, likes: 0, reactions: { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 }, comments: 0, shares: 0, saves: 0, clicks: 0, videoViews: 0 };
}

/** Splits `total` over days by cumulative weights without randomness (floor differences). */
function splitByWeights(total: number, cumulative: readonly number[], day: number): number {
  const upTo = Math.floor(total * (cumulative[day] ?? 1));
  const before = day === 0 ? 0 : Math.floor(total * (cumulative[day - 1] ?? 1));
  return upTo - before;
}

function textSlots(rng: Rng, input: SocialInput, firstName?: string): TextSlots {
  const product = rng.choice(input.products);
  const campaign = rng.choice(input.marketing.campaigns);
  return { brand: input.brand.name, product: product.title, category: product.category.toLowerCase(), color: rng.choice(product.colors), campaign: campaign.name, competitor: rng.choice(input.competitors).name, ...(firstName ? { firstName } : {}) };
}

/** Generates posts with metrics, comments and brand replies, for every platform. */
export function generatePosts(rng: Rng, input: SocialInput, usersByPlatform: Record<PlatformId, SocialUser[]>): PostsResult {
  const { calendar, brand, marketing, scale } = input;
  const endMs = calendarEndMs(calendar);
  const days = calendar.dates.length;
  const postScale = Math.sqrt(scale);
  const posts: Post[] = [];
  const postDaily: PostDaily[] = [];
  const comments: Comment[] = [];
  const campaignPostContents = new Map<string, Array<{ atMs: number; content: string }>>();
  const abTests = new Map(marketing.abTests.map((t) => [t.id, t]));

  for (const platform of PLATFORMS) {
    const account = brand.accounts[platform];
    const users = usersByPlatform[platform];
    const decay = DAILY_DECAY[platform];
    const weights = Array.from({ length: POST_METRIC_DAYS }, (_, k) => Math.pow(decay, k));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    const cumulative = weights.map((w) => (acc += w / weightSum));
    const count = Math.max(3, rng.poisson(POSTS_PER_DAY[platform] * days * postScale));
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const day = rng.int(0, days - 1);
      // Brands post in office hours, 8:00–20:00 local.
      times.push((calendar.dayStartMs[day] as number) + (8 + rng.next() * 12) * HOUR_MS);
    }
    times.sort((a, b) => a - b);

    for (const createdMs of times) {
      const dayIndex = localDayIndex(calendar, createdMs);
      const date = calendar.dates[dayIndex] as string;
      const mediaKind = rng.weightedKey(MEDIA_KINDS[platform] as Record<MediaKind, number>);
      const id = postId(rng, platform, account.id, createdMs);
      const product = rng.choice(input.products);
      const running = activeCampaigns(marketing.campaigns, date);
      const campaign = running.length > 0 && rng.chance(0.55) ? rng.choice(running) : null;
      const links: string[] = [];
      let abVariant: 'A' | 'B' | null = null;
      let abTestId: string | null = null;
      const slots: Record<string, string> = {
        product: product.title,
        color: rng.choice(product.colors),
        category: product.category.toLowerCase(),
        campaign: campaign?.name ?? '',
        discount: campaign && campaign.discountPercent > 0 ? `${campaign.discountPercent}% off` : 'new',
        end: campaign ? campaign.end.slice(5).replace('-', '/') : '',
      };
      if (campaign && mediaKind !== 'story') {
        let content = `post_${id.slice(-6).replace(/[^A-Za-z0-9]/g, '')}`;
        let path = campaign.landingPath;
        const abTest = campaign.abTestId ? abTests.get(campaign.abTestId) : undefined;
        if (abTest) {
          const variant = rng.chance(0.5) ? abTest.variants[0] : abTest.variants[1];
          if (variant) {
            abVariant = variant.name;
            abTestId = abTest.id;
            content = variant.utmContent;
            path = variant.landingPath;
          }
        }
        links.push(`https://${brand.domain}${path}${utmQuery({ utm_source: platform, utm_medium: 'social', utm_campaign: urlCampaignSpelling(rng, campaign), utm_content: content })}`);
        const key = `${campaign.id}|${platform}`;
        const list = campaignPostContents.get(key) ?? [];
        list.push({ atMs: createdMs, content });
        campaignPostContents.set(key, list);
      } else if (rng.chance(0.4) && mediaKind !== 'story') {
        links.push(`https://${brand.domain}/products/${product.handle}`);
      }
      let text: string;
      let title: string | null = null;
      if (platform === 'linkedin' && !campaign) text = rng.choice(LINKEDIN_TEXTS);
      else text = fillPost(rng.choice(campaign ? POST_TEXTS.campaign : rng.chance(0.5) ? POST_TEXTS.product : POST_TEXTS.general), slots);
      if (platform === 'youtube' || mediaKind === 'article') title = fillPost(rng.choice(YOUTUBE_TITLES), { ...slots, campaign: campaign?.name ?? 'Northwind Outfitters' });
      if (links[0]) text = `${text} ${links[0]}`;
      if (platform === 'instagram' || platform === 'x') text += ` #${rng.choice(['getoutside', 'hiking', 'optoutside', 'trailready', 'northwind'])}`;

      const post: Post = {
        id,
        platform,
        accountId: account.id,
        createdAt: toIso(createdMs),
        date,
        mediaKind,
        title,
        text,
        links,
        permalink: permalinkOf(rng, platform, id, account.handle, mediaKind),
        campaignId: campaign?.id ?? null,
        abTestId,
        abVariant,
        deletedAt: null,
        lifetime: emptyMetrics(),
      };
      if (rng.chance(0.02)) {
        const deletedMs = createdMs + rng.float(1 * HOUR_MS, 20 * DAY_MS);
        if (deletedMs < endMs) post.deletedAt = toIso(deletedMs);
      }

      // Planned totals over the full 28 days; days past the world's end are simply not reached.
      const boost = (campaign ? 1.3 : 1) * (mediaKind === 'reel' || mediaKind === 'short' ? 1.8 : mediaKind === 'story' ? 0.5 : 1);
      const reachTotal = Math.round(account.followersAtStart * REACH_SHARE[platform] * boost * rng.logNormal(1, 0.6));
      const plan = {
        reach: reachTotal,
        impressions: Math.round(reachTotal * rng.float(1.15, 1.6)),
        likes: Math.round(reachTotal * LIKE_RATE[platform] * rng.logNormal(1, 0.3)),
        shares: mediaKind === 'story' ? 0 : Math.round(reachTotal * (platform === 'x' ? 0.008 : 0.004) * rng.logNormal(1, 0.4)),
        saves: platform === 'instagram' && mediaKind !== 'story' ? Math.round(reachTotal * 0.01 * rng.logNormal(1, 0.4)) : 0,
        clicks: Math.round(reachTotal * (links.length > 0 ? 0.012 : 0.002) * rng.logNormal(1, 0.4)),
        videoViews: VIDEO_KINDS.has(mediaKind) ? Math.round(reachTotal * rng.float(0.9, 1.4)) : 0,
      };
      const withReactions = platform === 'facebook' || platform === 'linkedin';
      const lastDay = Math.min(POST_METRIC_DAYS - 1, days - 1 - dayIndex, mediaKind === 'story' ? 0 : POST_METRIC_DAYS);

      // Comments first, so the comment counts in the metrics are the comments that exist.
      const commentCountByDay = new Array<number>(lastDay + 1).fill(0);
      if (mediaKind !== 'story') {
        const expected = reachTotal * COMMENT_RATE[platform] * rng.gamma(2, 0.5);
        const topLevel = rng.poisson(expected);
        for (let c = 0; c < topLevel; c++) {
          let k = 0;
          const u = rng.next();
          while (k < POST_METRIC_DAYS - 1 && u > (cumulative[k] ?? 1)) k++;
          const atMs = k === 0 ? createdMs + rng.exponential(2 * HOUR_MS) : createdMs + (k + rng.next() - 0.5) * DAY_MS;
          if (atMs >= endMs) continue;
          const added = addCommentThread(rng, input, post, pickUser(rng, users), atMs, endMs, users, comments);
          for (const commentMs of added) {
            // Late replies count on the last tracked day, so lifetime comments equal the comments that exist.
            const d = Math.min(lastDay, Math.max(0, localDayIndex(calendar, commentMs) - dayIndex));
            commentCountByDay[d] = (commentCountByDay[d] ?? 0) + 1;
          }
        }
      }

      const lifetime = emptyMetrics();
      let dailyReachSum = 0;
      let maxDailyReach = 0;
      for (let k = 0; k <= lastDay; k++) {
        const likes = splitByWeights(plan.likes, cumulative, k);
        const reactions = withReactions ? splitReactions(likes, k) : { like: likes, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 };
        const row: PostDaily = {
          postId: id,
          platform,
          date: calendar.dates[dayIndex + k] as string,
          impressions: splitByWeights(plan.impressions, cumulative, k),
          reach: splitByWeights(plan.reach, cumulative, k),
          likes,
          reactions,
          comments: commentCountByDay[k] ?? 0,
          shares: splitByWeights(plan.shares, cumulative, k),
          saves: splitByWeights(plan.saves, cumulative, k),
          clicks: splitByWeights(plan.clicks, cumulative, k),
          videoViews: splitByWeights(plan.videoViews, cumulative, k),
        };
        postDaily.push(row);
        lifetime.impressions += row.impressions;
        lifetime.likes += row.likes;
        for (const r of Object.keys(reactions) as Array<keyof PostMetrics['reactions']>) lifetime.reactions[r] += reactions[r];
        lifetime.comments += row.comments;
        lifetime.shares += row.shares;
        lifetime.saves += row.saves;
        lifetime.clicks += row.clicks;
        lifetime.videoViews += row.videoViews;
        dailyReachSum += row.reach;
        maxDailyReach = Math.max(maxDailyReach, row.reach);
      }
      // People reached on several days count once in lifetime reach.
      lifetime.reach = Math.max(maxDailyReach, Math.round(dailyReachSum * 0.82));
      post.lifetime = lifetime;
      posts.push(post);
    }
  }
  posts.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  comments.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const users = PLATFORMS.flatMap((p) => usersByPlatform[p]);
  return { users, usersByPlatform, posts, postDaily, comments, campaignPostContents };
}

function splitReactions(likes: number, salt: number): PostMetrics['reactions'] {
  const love = Math.floor(likes * 0.15);
  const haha = Math.floor(likes * 0.03);
  const wow = Math.floor(likes * 0.03);
  const sad = Math.floor(likes * (salt % 2 === 0 ? 0.02 : 0.01));
  const angry = Math.floor(likes * 0.015);
  return { like: likes - love - haha - wow - sad - angry, love, haha, wow, sad, angry };
}

const COMMENT_LABELS: Readonly<Record<TextLabel, number>> = { positive: 45, neutral: 30, negative: 17, mixed: 8 };

/** Adds a top-level comment, some replies by others and maybe a brand reply; returns their instants. */
function addCommentThread(rng: Rng, input: SocialInput, post: Post, author: SocialUser, atMs: number, endMs: number, users: readonly SocialUser[], out: Comment[]): number[] {
  const platform = post.platform;
  const account = input.brand.accounts[platform];
  const label = pickLabel(rng, COMMENT_LABELS);
  const firstName = author.displayName.split(' ')[0] ?? author.displayName;
  const generated = generateText(rng, { kind: 'comment', label, lang: author.lang, slots: textSlots(rng, input) });
  const top: Comment = {
    id: commentId(rng, platform, post, null, atMs),
    platform,
    postId: post.id,
    parentId: null,
    fromBrand: false,
    authorId: author.id,
    authorHandle: author.handle,
    authorName: author.displayName,
    createdAt: toIso(atMs),
    text: generated.text,
    lang: generated.lang,
    likeCount: rng.poisson(label === 'positive' ? 3 : 1.5),
    hidden: label === 'negative' && rng.chance(0.02),
    truth: generated.truth,
  };
  out.push(top);
  const instants = [atMs];
  if (rng.chance(0.2)) {
    for (let r = rng.int(1, 2); r > 0; r--) {
      const replyMs = atMs + rng.exponential(4 * HOUR_MS);
      if (replyMs >= endMs) continue;
      const replier = pickUser(rng, users);
      const reply = generateText(rng, { kind: 'comment', label: pickLabel(rng, COMMENT_LABELS), lang: replier.lang, slots: textSlots(rng, input) });
      out.push({ ...top, id: commentId(rng, platform, post, top.id, replyMs), parentId: top.id, authorId: replier.id, authorHandle: replier.handle, authorName: replier.displayName, createdAt: toIso(replyMs), text: reply.text, lang: reply.lang, likeCount: rng.poisson(0.8), hidden: false, truth: reply.truth });
      instants.push(replyMs);
    }
  }
  const needsAnswer = generated.truth.themes.includes('question') || label === 'negative' || label === 'mixed';
  if (rng.chance(needsAnswer ? 0.72 : 0.3)) {
    const replyMs = atMs + rng.logNormal(95 * MINUTE_MS, 1.0);
    if (replyMs < endMs) {
      const reply = brandReplyText(rng, generated.truth, { ...textSlots(rng, input), firstName });
      out.push({ ...top, id: commentId(rng, platform, post, top.id, replyMs), parentId: top.id, fromBrand: true, authorId: account.id, authorHandle: account.handle, authorName: account.displayName, createdAt: toIso(replyMs), text: reply.text, lang: reply.lang, likeCount: rng.poisson(1), hidden: false, truth: reply.truth });
      instants.push(replyMs);
    }
  }
  return instants;
}

const MENTION_PLATFORMS: Readonly<Record<PlatformId, number>> = { x: 40, instagram: 28, facebook: 10, linkedin: 10, youtube: 12 };

/** Generates public mentions of the brand and of each competitor. */
export function generateMentions(rng: Rng, input: SocialInput, usersByPlatform: Record<PlatformId, SocialUser[]>): Mention[] {
  const { calendar, brand, competitors, marketing, scale } = input;
  const endMs = calendarEndMs(calendar);
  const mentions: Mention[] = [];
  const targets = [
    { id: 'brand', handle: brand.handle, name: brand.name, weight: 1, bias: 0 },
    ...competitors.map((c) => ({ id: c.id, handle: c.handle, name: c.name, weight: c.mentionWeight, bias: c.sentimentBias })),
  ];
  const blackFriday = marketing.campaigns.find((c) => c.id === 'cmp_black_friday');
  // A shipping backlog after Black Friday: complaints about delivery spike for the brand.
  const incidentStart = blackFriday ? addDays(blackFriday.start, 4) : '';
  const incidentEnd = blackFriday ? addDays(blackFriday.start, 16) : '';
  for (let dayIndex = 0; dayIndex < calendar.dates.length; dayIndex++) {
    const date = calendar.dates[dayIndex] as string;
    const campaignActive = activeCampaigns(marketing.campaigns, date).length > 0;
    for (const target of targets) {
      const isBrand = target.id === 'brand';
      const incident = isBrand && date >= incidentStart && date <= incidentEnd;
      const expected = 8.5 * target.weight * scale * (calendar.seasonality[dayIndex] as number) * (isBrand && campaignActive ? 1.3 : 1) * (incident ? 1.8 : 1);
      const count = rng.poisson(expected);
      const labels: Record<TextLabel, number> = {
        positive: Math.max(5, 38 + target.bias * 60),
        neutral: 35,
        negative: Math.max(5, (20 - target.bias * 60) * (incident ? 2.5 : 1)),
        mixed: 7,
      };
      for (let m = 0; m < count; m++) {
        const platform = rng.weightedKey(MENTION_PLATFORMS);
        const author = pickUser(rng, usersByPlatform[platform]);
        const atMs = Math.min(endMs - 1000, (calendar.dayStartMs[dayIndex] as number) + localTimeOfDayMs(rng.next(), rng.next()));
        const label = pickLabel(rng, labels);
        const theme: Theme | undefined = incident && label === 'negative' ? 'delivery' : undefined;
        const generated = generateText(rng, { kind: 'mention', label, lang: author.lang, slots: { ...textSlots(rng, input), handle: target.handle, brand: target.name }, ...(theme ? { theme } : {}) });
        const id = postId(rng, platform, author.id.replace(/\D/g, '').slice(0, 15) || rng.digits(15), atMs);
        mentions.push({
          id,
          platform,
          target: target.id,
          targetHandle: target.handle,
          authorId: author.id,
          authorHandle: author.handle,
          authorName: author.displayName,
          createdAt: toIso(atMs),
          text: generated.text,
          lang: generated.lang,
          likeCount: Math.floor(rng.logNormal(3, 1.2)),
          shareCount: rng.poisson(0.6),
          permalink: permalinkOf(rng, platform, id, author.handle, 'text'),
          truth: generated.truth,
        });
      }
    }
  }
  mentions.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return mentions;
}

const DM_PLATFORMS = ['facebook', 'instagram', 'x'] as const;
const FIRST_MESSAGE_LABELS: Readonly<Record<TextLabel, number>> = { neutral: 45, negative: 35, positive: 12, mixed: 8 };

function messageId(rng: Rng, platform: Conversation['platform'], atMs: number): string {
  if (platform === 'facebook') return `m_${rng.base64url(40)}`;
  if (platform === 'instagram') return `aWdfZAG${rng.base64url(40)}`;
  return twitterSnowflake(rng, atMs);
}

/** Returns when the brand answers a message sent at `atMs`: fast in office hours, next morning at night. */
function brandReplyInstant(rng: Rng, calendar: Calendar, atMs: number): number {
  const dayIndex = localDayIndex(calendar, atMs);
  const dayStart = calendar.dayStartMs[dayIndex] as number;
  const localHour = (atMs - dayStart) / HOUR_MS;
  if (localHour < 8) return dayStart + 8 * HOUR_MS + rng.logNormal(40 * MINUTE_MS, 0.8);
  if (localHour >= 20) return dayStart + DAY_MS + 8 * HOUR_MS + rng.logNormal(40 * MINUTE_MS, 0.8);
  return atMs + rng.logNormal(50 * MINUTE_MS, 1.1);
}

/** Generates direct-message conversations with customer messages and brand replies. */
export function generateConversations(rng: Rng, input: SocialInput, usersByPlatform: Record<PlatformId, SocialUser[]>): Conversation[] {
  const { calendar, scale } = input;
  const endMs = calendarEndMs(calendar);
  const conversations: Conversation[] = [];
  for (let dayIndex = 0; dayIndex < calendar.dates.length; dayIndex++) {
    const count = rng.poisson(6 * scale * (calendar.seasonality[dayIndex] as number));
    for (let c = 0; c < count; c++) {
      const platform = rng.weighted(DM_PLATFORMS, [45, 40, 15]);
      const user = pickUser(rng, usersByPlatform[platform]);
      const firstName = user.displayName.split(' ')[0] ?? user.displayName;
      const startMs = (calendar.dayStartMs[dayIndex] as number) + localTimeOfDayMs(rng.next(), rng.next());
      if (startMs >= endMs) continue;
      const id = platform === 'facebook' ? `t_${rng.digits(16)}` : platform === 'instagram' ? `aWdfZAGFja${rng.base64url(30)}` : `${user.id}-${input.brand.accounts.x.id}-${rng.digits(6)}`;
      const messages: DirectMessage[] = [];
      let atMs = startMs;
      let label = pickLabel(rng, FIRST_MESSAGE_LABELS);
      const rounds = 1 + rng.poisson(0.8);
      for (let round = 0; round < rounds && atMs < endMs; round++) {
        const said = generateText(rng, { kind: 'message', label, lang: user.lang, slots: textSlots(rng, input) });
        messages.push({ id: messageId(rng, platform, atMs), conversationId: id, from: 'customer', createdAt: toIso(atMs), text: said.text, lang: said.lang, truth: said.truth });
        if (round === 0 && rng.chance(0.07)) break; // never answered
        const replyMs = brandReplyInstant(rng, calendar, atMs);
        if (replyMs >= endMs) break;
        const reply = brandReplyText(rng, said.truth, { ...textSlots(rng, input), firstName });
        messages.push({ id: messageId(rng, platform, replyMs), conversationId: id, from: 'brand', createdAt: toIso(replyMs), text: reply.text, lang: reply.lang, truth: reply.truth });
        atMs = replyMs + rng.logNormal(30 * MINUTE_MS, 1.2);
        label = rng.weighted(['positive', 'neutral', 'negative'] as const, [45, 40, 15]);
      }
      conversations.push({ id, platform, userId: user.id, userHandle: user.handle, userName: user.displayName, startedAt: toIso(startMs), updatedAt: messages[messages.length - 1]?.createdAt ?? toIso(startMs), messages });
    }
  }
  conversations.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  return conversations;
}

/** Builds the brand's daily account insights from its posts, its campaigns and its paid reach. */
export function generateAccountDaily(rng: Rng, input: SocialInput, posts: readonly Post[], postDaily: readonly PostDaily[], ads: readonly AdInsightDaily[]): AccountDaily[] {
  const { calendar, brand, marketing } = input;
  const byKey = new Map<string, { impressions: number; reach: number; videoViews: number; posts: number; paidReach: number }>();
  const bucket = (platform: string, date: string) => {
    const key = `${platform}|${date}`;
    let value = byKey.get(key);
    if (!value) byKey.set(key, (value = { impressions: 0, reach: 0, videoViews: 0, posts: 0, paidReach: 0 }));
    return value;
  };
  for (const row of postDaily) {
    const b = bucket(row.platform, row.date);
    b.impressions += row.impressions;
    b.reach += row.reach;
    b.videoViews += row.videoViews;
  }
  for (const post of posts) bucket(post.platform, post.date).posts++;
  for (const row of ads) bucket(row.platform, row.date).paidReach += row.reach;

  const out: AccountDaily[] = [];
  for (const platform of PLATFORMS) {
    const account = brand.accounts[platform];
    let followers = account.followersAtStart;
    for (let dayIndex = 0; dayIndex < calendar.dates.length; dayIndex++) {
      const date = calendar.dates[dayIndex] as string;
      const b = bucket(platform, date);
      const campaignBoost = activeCampaigns(marketing.campaigns, date).some((c) => c.channels.some((ch) => ch.platform === platform)) ? 1.6 : 1;
      const follows = rng.poisson(account.followersAtStart * 0.0011 * (calendar.seasonality[dayIndex] as number) * campaignBoost + b.posts * 2);
      const unfollows = rng.poisson(followers * 0.00045);
      followers = Math.max(0, followers + follows - unfollows);
      const impressions = b.impressions + b.paidReach + rng.poisson(followers * 0.03);
      out.push({
        date,
        platform,
        accountId: account.id,
        followers,
        follows,
        unfollows,
        impressions,
        reachOrganic: Math.round(b.reach * 0.85) + rng.poisson(followers * 0.01),
        reachPaid: b.paidReach,
        profileViews: rng.poisson(impressions * 0.004),
        videoViews: b.videoViews,
        postsPublished: b.posts,
      });
    }
  }
  return out;
}

/** Builds competitors' daily public metrics (followers, posts, engagements). */
export function generateCompetitorDaily(rng: Rng, input: SocialInput): CompetitorDaily[] {
  const { calendar, brand, competitors, scale } = input;
  const out: CompetitorDaily[] = [];
  for (const competitor of competitors) {
    for (const platform of PLATFORMS) {
      const account = competitor.accounts[platform];
      const size = account.followersAtStart / Math.max(1, brand.accounts[platform].followersAtStart);
      let followers = account.followersAtStart;
      for (let dayIndex = 0; dayIndex < calendar.dates.length; dayIndex++) {
        const seasonality = calendar.seasonality[dayIndex] as number;
        followers = Math.max(0, followers + rng.poisson(account.followersAtStart * 0.001 * seasonality) - rng.poisson(followers * 0.0004));
        const posts = rng.poisson(POSTS_PER_DAY[platform] * Math.sqrt(scale) * Math.sqrt(size));
        out.push({
          date: calendar.dates[dayIndex] as string,
          competitorId: competitor.id,
          platform,
          accountId: account.id,
          followers,
          posts,
          engagements: posts === 0 ? 0 : Math.round(posts * followers * REACH_SHARE[platform] * LIKE_RATE[platform] * 1.3 * rng.logNormal(1, 0.4)),
        });
      }
    }
  }
  return out;
}
