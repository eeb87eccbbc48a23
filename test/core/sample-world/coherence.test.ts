import { beforeAll, describe, expect, it } from 'vitest';
import { adInsightAsOf, generateWorld, INSIGHTS_SETTLE_DAYS, isProvisional, postDailyAsOf, accountDailyAsOf, summarizeWorld, type World } from '../../../core/sample-world/index.ts';
import { addDays, daysBetween } from '../../../core/sample-world/calendar.ts';

let world: World;

beforeAll(() => {
  world = generateWorld({ seed: 2026, scale: 0.1 });
});

function unique<T>(values: readonly T[]): boolean {
  return new Set(values).size === values.length;
}

function utmCampaignOf(url: string): string | null {
  return new URL(url, 'https://shop.example').searchParams.get('utm_campaign');
}

describe('sample world coherence', () => {
  it('keeps ids unique', () => {
    expect(unique(world.web.sessions.map((s) => s.id))).toBe(true);
    expect(unique(world.commerce.orders.map((o) => o.id))).toBe(true);
    expect(unique(world.commerce.orders.map((o) => o.name))).toBe(true);
    expect(unique(world.commerce.customers.map((c) => c.id))).toBe(true);
    expect(unique(world.social.posts.map((p) => p.id))).toBe(true);
    expect(unique(world.social.comments.map((c) => c.id))).toBe(true);
    expect(unique(world.service.tickets.map((t) => t.id))).toBe(true);
    expect(unique(world.ads.insightsDaily.map((r) => `${r.adId}|${r.platform}|${r.date}`))).toBe(true);
  });

  it('gives every order an existing customer and an existing purchase session', () => {
    const customers = new Map(world.commerce.customers.map((c) => [c.id, c]));
    const sessions = new Map(world.web.sessions.map((s) => [s.id, s]));
    for (const order of world.commerce.orders) {
      const customer = customers.get(order.customerId);
      expect(customer, `order ${order.name}`).toBeDefined();
      expect(order.email).toBe(customer?.email);
      expect(order.createdAt >= (customer?.createdAt ?? '')).toBe(true);
      const session = sessions.get(order.truth.sessionId);
      expect(session?.events.some((e) => e.name === 'purchase' && e.orderId === order.id)).toBe(true);
      expect(session?.landingUrl.endsWith(order.landingSite)).toBe(true);
      expect(order.totalCents).toBe(order.subtotalCents - order.discountCents + order.shippingCents + order.taxCents);
    }
    const firstOrders = world.commerce.orders.filter((o) => o.isFirstOrder);
    expect(firstOrders.length).toBe(world.commerce.customers.length);
    const repeatShare = 1 - firstOrders.length / world.commerce.orders.length;
    expect(repeatShare).toBeGreaterThan(0.3);
  });

  it('uses the same campaigns in ads, posts, sessions and order landing URLs, in varying case', () => {
    const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
    const sessionCampaigns = new Set(world.web.sessions.map((s) => lower(s.campaign)));
    const orderCampaigns = new Set(world.commerce.orders.map((o) => lower(utmCampaignOf(o.landingSite))));
    const postCampaigns = new Set(world.social.posts.flatMap((p) => p.links.map((l) => lower(utmCampaignOf(l)))));
    let withOrders = 0;
    for (const campaign of world.campaigns) {
      expect(sessionCampaigns.has(lower(campaign.utmCampaign)), campaign.name).toBe(true);
      if (orderCampaigns.has(lower(campaign.utmCampaign))) withOrders++;
      if (campaign.meta) {
        expect(campaign.meta.urlTags).toContain(campaign.utmCampaign);
        expect(world.ads.insightsDaily.some((r) => r.campaignId === campaign.id)).toBe(true);
      }
    }
    expect(withOrders).toBeGreaterThanOrEqual(world.campaigns.length - 2);
    expect(world.campaigns.filter((c) => postCampaigns.has(lower(c.utmCampaign))).length).toBeGreaterThan(8);
    // Case differs between the ad platform and some URLs.
    const mixed = world.campaigns.filter((c) => c.utmCampaign !== c.utmCampaign.toLowerCase());
    expect(mixed.length).toBeGreaterThan(0);
    expect(world.web.sessions.some((s) => mixed.some((c) => s.campaign === c.utmCampaign.toLowerCase()))).toBe(true);
    expect(world.web.sessions.some((s) => mixed.some((c) => s.campaign === c.utmCampaign))).toBe(true);
  });

  it('ties ad clicks and conversions to paid-social sessions and orders', () => {
    const paidSessions = world.web.sessions.filter((s) => s.medium === 'paid_social').length;
    const linkClicks = world.ads.insightsDaily.reduce((n, r) => n + r.linkClicks, 0);
    expect(linkClicks).toBeGreaterThan(paidSessions);
    expect(linkClicks).toBeLessThan(paidSessions * 1.6 + 2 * world.ads.insightsDaily.length);
    const paidOrders = world.commerce.orders.filter((o) => o.truth.channelGroup === 'Paid Social').length;
    const conversions = world.ads.insightsDaily.reduce((n, r) => n + r.conversions, 0);
    expect(conversions).toBeGreaterThan(paidOrders);
  });

  it('tracks influencers and A/B variants through utm_content', () => {
    for (const influencer of world.influencers) {
      expect(world.web.sessions.some((s) => s.content === influencer.utmContent && s.truth.influencerId === influencer.id), influencer.handle).toBe(true);
    }
    const test = world.abTests[0];
    expect(test).toBeDefined();
    for (const variant of test?.variants ?? []) {
      expect(world.web.sessions.some((s) => s.content === variant.utmContent && s.truth.abVariant === variant.name)).toBe(true);
    }
    expect(world.social.posts.some((p) => p.abVariant !== null)).toBe(true);
  });

  it('keeps comments on existing posts and counts them in post metrics', () => {
    const posts = new Map(world.social.posts.map((p) => [p.id, p]));
    const comments = new Map(world.social.comments.map((c) => [c.id, c]));
    const perPost = new Map<string, number>();
    for (const comment of world.social.comments) {
      expect(posts.has(comment.postId)).toBe(true);
      if (comment.parentId !== null) {
        const parent = comments.get(comment.parentId);
        expect(parent?.postId).toBe(comment.postId);
        expect(comment.createdAt >= (parent?.createdAt ?? '')).toBe(true);
      }
      perPost.set(comment.postId, (perPost.get(comment.postId) ?? 0) + 1);
    }
    for (const post of world.social.posts) expect(post.lifetime.comments).toBe(perPost.get(post.id) ?? 0);
    expect(world.social.comments.some((c) => c.fromBrand)).toBe(true);
    expect(world.social.posts.some((p) => p.deletedAt !== null)).toBe(true);
  });

  it('restates post, account and ad metrics inside their windows only', () => {
    const asOf = world.meta.asOf;
    const recent = world.social.postDaily.filter((r) => isProvisional(r.date, asOf));
    const settled = world.social.postDaily.filter((r) => !isProvisional(r.date, asOf));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((r) => daysBetween(r.date, asOf) < INSIGHTS_SETTLE_DAYS)).toBe(true);
    expect(recent.some((r) => postDailyAsOf(r, asOf).impressions < r.impressions)).toBe(true);
    expect(settled.every((r) => postDailyAsOf(r, asOf) === r)).toBe(true);
    // A later extraction sees the same days grown (restated), never shrunk.
    const later = addDays(asOf, 5);
    for (const row of recent) {
      const first = postDailyAsOf(row, asOf);
      const second = postDailyAsOf(row, later);
      expect(second.impressions).toBeGreaterThanOrEqual(first.impressions);
      expect(second.likes).toBeGreaterThanOrEqual(first.likes);
    }
    const account = world.social.accountDaily.filter((r) => isProvisional(r.date, asOf));
    expect(account.some((r) => accountDailyAsOf(r, asOf).impressions < r.impressions)).toBe(true);
    expect(account.every((r) => accountDailyAsOf(r, asOf).followers === r.followers)).toBe(true);
    const withConversions = world.ads.insightsDaily.filter((r) => r.conversions >= 3);
    const row = withConversions[withConversions.length - 1];
    expect(row).toBeDefined();
    if (row) {
      expect(adInsightAsOf(row, addDays(row.date, 1)).conversions).toBeLessThan(row.conversions);
      expect(adInsightAsOf(row, addDays(row.date, 7))).toBe(row);
    }
  });

  it('includes the awkward bits: refunds, duplicate events, EUR orders, midnight edges', () => {
    const refunded = world.commerce.orders.filter((o) => o.refunds.length > 0);
    expect(refunded.length).toBeGreaterThan(0);
    for (const order of refunded) {
      expect(order.updatedAt >= (order.refunds[0]?.createdAt ?? '')).toBe(true);
      expect((order.refunds[0]?.createdAt ?? '') > order.createdAt).toBe(true);
      expect(['refunded', 'partially_refunded']).toContain(order.financialStatus);
    }
    expect(world.web.sessions.some((s) => s.events.some((e) => e.duplicate))).toBe(true);
    expect(world.commerce.orders.some((o) => o.currency === 'EUR')).toBe(true);
    expect(world.web.sessions.some((s) => s.date !== s.startedAt.slice(0, 10))).toBe(true);
    expect(world.web.sessions.some((s) => /[?&](gclid|fbclid)=/.test(s.landingUrl))).toBe(true);
    expect(world.web.sessions.some((s) => s.events.some((e) => e.name === 'newsletter_signup'))).toBe(true);
    expect(world.commerce.orders.some((o) => o.referralCode !== null)).toBe(true);
  });

  it('keeps service, billing and feedback on existing customers', () => {
    const customers = new Map(world.commerce.customers.map((c) => [c.id, c]));
    const orders = new Set(world.commerce.orders.map((o) => o.id));
    for (const ticket of world.service.tickets) {
      const requester = customers.get(ticket.requesterCustomerId);
      expect(requester?.zendeskUserId).toBe(ticket.requesterId);
      if (ticket.orderId !== null) expect(orders.has(ticket.orderId)).toBe(true);
      expect(ticket.comments[0]?.authorKind).toBe('requester');
      if (ticket.firstReplyAt) expect(ticket.firstReplyAt > ticket.createdAt).toBe(true);
      if (ticket.satisfaction) expect(ticket.solvedAt).not.toBeNull();
    }
    for (const sub of world.billing.subscriptions) expect(customers.get(sub.customerId)?.stripeCustomerId).toBe(sub.stripeCustomerId);
    const types = new Set(world.billing.subscriptionEvents.map((e) => e.type));
    for (const type of ['created', 'upgraded', 'canceled'] as const) expect(types.has(type)).toBe(true);
    for (const response of world.surveys) {
      expect(customers.has(response.customerId)).toBe(true);
      const [min, max] = response.survey === 'nps' ? [0, 10] : response.survey === 'csat' ? [1, 5] : [1, 7];
      expect(response.score).toBeGreaterThanOrEqual(min);
      expect(response.score).toBeLessThanOrEqual(max);
    }
    expect(new Set(world.surveys.map((s) => s.survey))).toEqual(new Set(['nps', 'csat', 'ces']));
    for (const review of world.reviews) expect(orders.has(review.orderId)).toBe(true);
  });

  it('labels texts in several languages with their truth', () => {
    const texts = [...world.social.comments, ...world.social.mentions];
    const langs = new Set(texts.map((t) => t.lang));
    for (const lang of ['en', 'es', 'fr', 'de', 'pt']) expect(langs.has(lang as never)).toBe(true);
    expect(texts.filter((t) => t.lang === 'en').length / texts.length).toBeGreaterThan(0.6);
    const labels = new Set(texts.map((t) => t.truth.label));
    expect(labels).toEqual(new Set(['positive', 'negative', 'neutral', 'mixed']));
    expect(world.social.mentions.some((m) => m.target !== 'brand')).toBe(true);
    expect(summarizeWorld(world).texts).toBeGreaterThan(texts.length);
  });

  it('links some customers to their social accounts and records BG/NBD truth', () => {
    const linked = world.social.users.filter((u) => u.customerId !== null);
    expect(linked.length).toBeGreaterThan(0);
    const customers = new Map(world.commerce.customers.map((c) => [c.id, c]));
    for (const user of linked) expect(customers.get(user.customerId as number)?.socialUserId).toBe(user.id);
    expect(world.commerce.customers.some((c) => c.truth.droppedOutAt !== null)).toBe(true);
    expect(world.commerce.customers.some((c) => c.acquisition.channelGroup === 'Paid Social')).toBe(true);
  });
});
