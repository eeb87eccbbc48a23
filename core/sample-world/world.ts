/**
 * Builds the whole sample world from a seed: catalog and campaigns, social activity, the shop
 * (sessions, customers, orders), ad insights, memberships, service and feedback, in the order
 * their cross-references need. Deterministic: the same options give a deep-equal world; each
 * part draws from its own forked generator so parts do not disturb each other.
 */
import { generateAdInsights } from './ads.ts';
import { generateBilling } from './billing.ts';
import { addDays, buildCalendar } from './calendar.ts';
import { PLATFORMS, buildBrand, buildCompetitors, buildMarketing, buildProducts } from './catalog.ts';
import { generateCommerce } from './commerce.ts';
import { generateFeedback } from './feedback.ts';
import { createRng } from './random.ts';
import { generateService } from './service.ts';
import { buildUsers, generateAccountDaily, generateCompetitorDaily, generateConversations, generateMentions, generatePosts } from './social.ts';
import type { World, WorldOptions } from './types.ts';

/** First day of the default world. */
export const DEFAULT_START = '2025-11-01';
/** Days of the default world (so it ends 2026-10-31). */
export const DEFAULT_DAYS = 365;
/** Time zone the brand reports in. */
export const BRAND_TIME_ZONE = 'America/New_York';
/** Bumped whenever the same seed starts producing a different world. */
export const GENERATOR_VERSION = 1;

/** Generates the sample world: deterministic from `seed`, sized by `scale`. */
export function generateWorld(options: WorldOptions): World {
  const { seed, scale } = options;
  if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0 && scale <= 1000)) throw new Error(`scale must be a number in (0, 1000], got ${String(scale)}`);
  const start = options.start ?? DEFAULT_START;
  const days = options.days ?? DEFAULT_DAYS;
  const root = createRng(`brandpulse-sample-world/v${GENERATOR_VERSION}/${String(seed)}`);
  const calendar = buildCalendar(start, days, BRAND_TIME_ZONE);

  const catalogRng = root.fork('catalog');
  const brand = buildBrand(catalogRng, scale, BRAND_TIME_ZONE);
  const competitors = buildCompetitors(catalogRng, scale);
  const products = buildProducts(catalogRng);
  const marketing = buildMarketing(catalogRng, calendar, scale);
  const socialInput = { calendar, brand, competitors, products, marketing, scale };

  const usersByPlatform = buildUsers(root.fork('social-users'), scale);
  const postsResult = generatePosts(root.fork('posts'), socialInput, usersByPlatform);
  const mentions = generateMentions(root.fork('mentions'), socialInput, usersByPlatform);
  const conversations = generateConversations(root.fork('conversations'), socialInput, usersByPlatform);
  const competitorDaily = generateCompetitorDaily(root.fork('competitor-daily'), socialInput);

  const commerce = generateCommerce(root.fork('commerce'), { calendar, brand, products, marketing, scale, campaignPostContents: postsResult.campaignPostContents });
  const insightsDaily = generateAdInsights(root.fork('ads'), { calendar, campaigns: marketing.campaigns, sessions: commerce.sessions, orders: commerce.orders, scale });
  const accountDaily = generateAccountDaily(root.fork('account-daily'), socialInput, postsResult.posts, postsResult.postDaily, insightsDaily);
  linkSocialUsersToCustomers(root.fork('social-links'), postsResult.users, commerce.customers);

  const billing = generateBilling(root.fork('billing'), calendar, commerce.customers);
  const service = generateService(root.fork('service'), { calendar, brandName: brand.name, customers: commerce.customers, orders: commerce.orders, products });
  const feedback = generateFeedback(root.fork('feedback'), { calendar, brandName: brand.name, customers: commerce.customers, orders: commerce.orders, tickets: service.tickets, products });

  return {
    meta: { seed: String(seed), scale, start: calendar.start, end: calendar.end, days, asOf: addDays(calendar.end, 1), timeZone: BRAND_TIME_ZONE, currency: 'USD', generatorVersion: GENERATOR_VERSION },
    brand,
    competitors,
    platforms: PLATFORMS.slice(),
    products,
    campaigns: marketing.campaigns,
    influencers: marketing.influencers,
    abTests: marketing.abTests,
    social: {
      users: postsResult.users,
      accountDaily,
      competitorDaily,
      posts: postsResult.posts,
      postDaily: postsResult.postDaily,
      comments: postsResult.comments,
      mentions,
      conversations,
    },
    ads: { insightsDaily },
    web: { sessions: commerce.sessions },
    commerce: { customers: commerce.customers, orders: commerce.orders },
    billing,
    service,
    surveys: feedback.surveys,
    reviews: feedback.reviews,
  };
}

/** Marks about one social user in ten as a shop customer (customers acquired through social). */
function linkSocialUsersToCustomers(rng: ReturnType<typeof createRng>, users: World['social']['users'], customers: World['commerce']['customers']): void {
  if (customers.length === 0) return;
  for (const user of users) {
    if (!rng.chance(0.1)) continue;
    const customer = customers[rng.int(0, customers.length - 1)];
    if (!customer || customer.socialUserId !== null) continue;
    user.customerId = customer.id;
    customer.socialUserId = user.id;
  }
}

/** Counts of every entity in a world, for logs, demos and scale checks. */
export interface WorldSummary {
  days: number;
  scale: number;
  campaigns: number;
  influencers: number;
  products: number;
  socialUsers: number;
  posts: number;
  deletedPosts: number;
  postDailyRows: number;
  accountDailyRows: number;
  competitorDailyRows: number;
  comments: number;
  brandReplies: number;
  mentions: number;
  conversations: number;
  directMessages: number;
  adInsightRows: number;
  sessions: number;
  purchaseEvents: number;
  customers: number;
  orders: number;
  refundedOrders: number;
  eurOrders: number;
  subscriptions: number;
  subscriptionEvents: number;
  charges: number;
  tickets: number;
  ticketComments: number;
  surveyResponses: number;
  reviews: number;
  /** Every text with a sentiment truth: comments, mentions, messages, ticket comments, survey comments, reviews. */
  texts: number;
}

/** Returns the count of each entity in a world. */
export function summarizeWorld(world: World): WorldSummary {
  const directMessages = world.social.conversations.reduce((n, c) => n + c.messages.length, 0);
  const ticketComments = world.service.tickets.reduce((n, t) => n + t.comments.length, 0);
  const surveyComments = world.surveys.filter((s) => s.comment !== null).length;
  return {
    days: world.meta.days,
    scale: world.meta.scale,
    campaigns: world.campaigns.length,
    influencers: world.influencers.length,
    products: world.products.length,
    socialUsers: world.social.users.length,
    posts: world.social.posts.length,
    deletedPosts: world.social.posts.filter((p) => p.deletedAt !== null).length,
    postDailyRows: world.social.postDaily.length,
    accountDailyRows: world.social.accountDaily.length,
    competitorDailyRows: world.social.competitorDaily.length,
    comments: world.social.comments.length,
    brandReplies: world.social.comments.filter((c) => c.fromBrand).length,
    mentions: world.social.mentions.length,
    conversations: world.social.conversations.length,
    directMessages,
    adInsightRows: world.ads.insightsDaily.length,
    sessions: world.web.sessions.length,
    purchaseEvents: world.web.sessions.reduce((n, s) => n + s.events.filter((e) => e.name === 'purchase').length, 0),
    customers: world.commerce.customers.length,
    orders: world.commerce.orders.length,
    refundedOrders: world.commerce.orders.filter((o) => o.refunds.length > 0).length,
    eurOrders: world.commerce.orders.filter((o) => o.currency === 'EUR').length,
    subscriptions: world.billing.subscriptions.length,
    subscriptionEvents: world.billing.subscriptionEvents.length,
    charges: world.billing.charges.length,
    tickets: world.service.tickets.length,
    ticketComments,
    surveyResponses: world.surveys.length,
    reviews: world.reviews.length,
    texts: world.social.comments.length + world.social.mentions.length + directMessages + ticketComments + surveyComments + world.reviews.length,
  };
}
