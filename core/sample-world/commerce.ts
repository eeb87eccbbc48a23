/**
 * The shop: visitors arrive day by day through always-on and campaign channels, some convert
 * into new customers, and each customer then buys again following a BG/NBD process (a Poisson
 * purchase rate drawn from a gamma, a dropout chance after each purchase drawn from a beta) with
 * order values around a per-customer mean (Gamma-Gamma style). Produces web sessions, customers
 * and orders that reference each other.
 */
import { activeCampaigns } from './catalog.ts';
import { type Calendar, DAY_MS, HOUR_MS, MINUTE_MS, calendarEndMs, localDayIndex, localTimeOfDayMs, toIso } from './calendar.ts';
import { EURO_COUNTRIES, countryFor, fakeEmail, fakeName } from './people.ts';
import type { Rng } from './random.ts';
import { pickLanguage } from './texts.ts';
import type { Brand, Campaign, CampaignChannel, Customer, Influencer, Order, OrderLine, Product, Refund, WebSession } from './types.ts';
import type { Marketing } from './catalog.ts';
import { type TrafficOrigin, buildSession, newClientId, webEvent } from './web.ts';

/** Inputs of the shop simulation. */
export interface CommerceInput {
  calendar: Calendar;
  brand: Brand;
  products: Product[];
  marketing: Marketing;
  scale: number;
  /** `utm_content` of organic campaign posts, by `campaignId|platform`, with their publish instant. */
  campaignPostContents: Map<string, Array<{ atMs: number; content: string }>>;
}

/** Sessions, customers and orders of the shop. */
export interface CommerceResult {
  sessions: WebSession[];
  customers: Customer[];
  orders: Order[];
}

interface AlwaysOnSpec {
  kind: TrafficOrigin['kind'];
  dailySessions: number;
  conversionRate: number;
}

// Always-on traffic at scale 1, before seasonality.
const ALWAYS_ON: readonly AlwaysOnSpec[] = [
  { kind: 'organic_search', dailySessions: 75, conversionRate: 0.09 },
  { kind: 'direct', dailySessions: 46, conversionRate: 0.1 },
  { kind: 'brand_search', dailySessions: 18, conversionRate: 0.14 },
  { kind: 'social_referral', dailySessions: 12, conversionRate: 0.035 },
  { kind: 'referral', dailySessions: 8, conversionRate: 0.065 },
  { kind: 'newsletter', dailySessions: 7, conversionRate: 0.1 },
  { kind: 'unassigned', dailySessions: 2, conversionRate: 0.03 },
];

// Where returning customers come from when they buy again.
const REPEAT_ORIGINS: Readonly<Record<'direct' | 'newsletter' | 'organic_search' | 'brand_search' | 'campaign', number>> = {
  direct: 34,
  newsletter: 22,
  organic_search: 18,
  brand_search: 12,
  campaign: 14,
};

// BG/NBD and spend parameters of the customer base (rates per day).
const PURCHASE_RATE_SHAPE = 0.8;
const PURCHASE_RATE_SCALE = 1 / 45;
const DROPOUT_A = 1.3;
const DROPOUT_B = 3.4;
const MEDIAN_ORDER_VALUE_CENTS = 9_500;
const EUR_PER_USD = 0.92;

interface Visitor {
  clientId: string;
  lastMs: number;
}

interface CampaignSlot {
  campaign: Campaign;
  channel: CampaignChannel;
  dailySessions: number;
  influencer: Influencer | null;
}

/** Allocates time-ordered, unique Shopify-style numeric ids (13 digits, growing with time). */
class TimeOrderedIds {
  private readonly used = new Set<number>();
  constructor(private readonly rng: Rng, private readonly base: number) {}
  next(atMs: number): number {
    const seconds = Math.floor((atMs - Date.UTC(2020, 0, 1)) / 1000);
    for (;;) {
      const id = this.base + seconds * 1000 + this.rng.int(0, 999);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

/** Runs the shop over the calendar. */
export function generateCommerce(rng: Rng, input: CommerceInput): CommerceResult {
  const { calendar, brand, products, marketing, scale } = input;
  const endMs = calendarEndMs(calendar);
  const sessions: WebSession[] = [];
  const customers: Customer[] = [];
  const orders: Order[] = [];
  const visitors: Visitor[] = [];
  const visitorCap = Math.max(200, Math.round(6000 * scale));
  const customerIds = new TimeOrderedIds(rng.fork('customer-ids'), 7_000_000_000_000);
  const orderIds = new TimeOrderedIds(rng.fork('order-ids'), 5_000_000_000_000);
  const lineIds = new TimeOrderedIds(rng.fork('line-ids'), 14_000_000_000_000);
  const refundIds = new TimeOrderedIds(rng.fork('refund-ids'), 900_000_000_000);
  const influencerById = new Map(marketing.influencers.map((i) => [i.id, i]));
  const abTestById = new Map(marketing.abTests.map((t) => [t.id, t]));
  const productsByPrice = products.slice().sort((a, b) => a.priceCents - b.priceCents);

  const landingForAlwaysOn = (kind: TrafficOrigin['kind']): string => {
    const roll = rng.next();
    if (kind === 'direct' || kind === 'brand_search') return roll < 0.6 ? '/' : `/products/${rng.choice(products).handle}`;
    if (roll < 0.55) return `/products/${rng.choice(products).handle}`;
    if (roll < 0.8) return '/';
    return `/collections/${rng.choice(products).category.toLowerCase()}`;
  };

  const campaignOrigin = (slot: CampaignSlot, atMs: number): TrafficOrigin => {
    const { campaign, channel } = slot;
    let content: string | null = null;
    let abVariant: 'A' | 'B' | null = null;
    let landingPath = campaign.landingPath;
    const abTest = campaign.abTestId ? abTestById.get(campaign.abTestId) : undefined;
    if (abTest && (channel.kind === 'paid_social' || channel.kind === 'email' || channel.kind === 'organic_social')) {
      const variant = rng.chance(0.5) ? abTest.variants[0] : abTest.variants[1];
      if (variant) {
        content = variant.utmContent;
        abVariant = variant.name;
        landingPath = variant.landingPath;
      }
    } else if (channel.kind === 'paid_social' && campaign.meta) {
      content = rng.choice(rng.choice(campaign.meta.adSets).ads).utmContent;
    } else if (channel.kind === 'influencer' && slot.influencer) {
      content = slot.influencer.utmContent;
    } else if (channel.kind === 'organic_social') {
      const posts = input.campaignPostContents.get(`${campaign.id}|${channel.platform}`)?.filter((p) => p.atMs <= atMs);
      content = posts && posts.length > 0 ? rng.choice(posts).content : 'bio_link';
    } else if (channel.kind === 'email' || channel.kind === 'sms') {
      content = rng.choice(['hero', 'cta_button', 'product_grid']);
    } else if (channel.kind === 'paid_video') {
      content = rng.choice(['bumper_6s', 'instream_30s']);
    }
    return { kind: channel.kind, campaign, channel, content, abVariant, influencerId: slot.influencer?.id ?? null, landingPath };
  };

  const alwaysOnOrigin = (kind: TrafficOrigin['kind']): TrafficOrigin => ({ kind, campaign: null, channel: null, content: null, abVariant: null, influencerId: null, landingPath: landingForAlwaysOn(kind) });

  const conversionRateOf = (origin: TrafficOrigin, base: number): number => {
    if (origin.abVariant && origin.campaign?.abTestId) {
      // Variant rates are stated for the test's reference channel; other channels keep the same ratio.
      const variants = abTestById.get(origin.campaign.abTestId)?.variants ?? [];
      const variant = variants.find((v) => v.name === origin.abVariant);
      const reference = variants[0]?.conversionRate;
      if (variant && reference) return (base * variant.conversionRate) / reference;
    }
    return base;
  };

  const addPurchaseEvents = (session: WebSession, order: Order, atMs: number) => {
    session.events.push(webEvent('add_to_cart', atMs - rng.int(3, 12) * MINUTE_MS));
    session.events.push(webEvent('begin_checkout', atMs - rng.int(1, 3) * MINUTE_MS));
    const purchase = webEvent('purchase', atMs, { orderId: order.id, valueCents: order.totalCents, currency: order.currency });
    session.events.push(purchase);
    if (rng.chance(0.015)) session.events.push({ ...purchase, at: toIso(atMs + rng.int(0, 2) * 1000), duplicate: true });
  };

  const newCustomer = (atMs: number, session: WebSession, origin: TrafficOrigin): Customer => {
    const lang = rng.chance(0.9) ? 'en' : pickLanguage(rng);
    const name = fakeName(rng, lang);
    const country = countryFor(rng, lang);
    const purchaseRatePerDay = rng.gamma(PURCHASE_RATE_SHAPE, PURCHASE_RATE_SCALE);
    const customer: Customer = {
      id: customerIds.next(atMs),
      email: fakeEmail(rng, name, customers.length + 1),
      firstName: name.firstName,
      lastName: name.lastName,
      country,
      currency: EURO_COUNTRIES.has(country) ? 'EUR' : 'USD',
      createdAt: toIso(atMs),
      clientIds: [session.clientId],
      acceptsMarketing: rng.chance(0.45),
      stripeCustomerId: null,
      zendeskUserId: null,
      socialUserId: null,
      acquisition: { channelGroup: session.truth.channelGroup, source: session.source, medium: session.medium, campaignId: origin.campaign?.id ?? null, firstSessionId: session.id },
      truth: {
        purchaseRatePerDay,
        dropoutProbability: rng.beta(DROPOUT_A, DROPOUT_B),
        droppedOutAt: null,
        meanOrderValueCents: Math.round(rng.logNormal(MEDIAN_ORDER_VALUE_CENTS, 0.35)),
      },
    };
    session.country = country;
    customers.push(customer);
    return customer;
  };

  const pickLines = (customer: Customer): OrderLine[] => {
    const target = rng.gamma(5, customer.truth.meanOrderValueCents / 5);
    const lines: OrderLine[] = [];
    let sum = 0;
    for (let attempt = 0; attempt < 5 && (lines.length === 0 || sum < target * 0.75); attempt++) {
      const remaining = Math.max(1_500, target - sum);
      // Cheapest products up to the remaining budget, with some headroom.
      let upper = 0;
      while (upper < productsByPrice.length - 1 && (productsByPrice[upper + 1]?.priceCents ?? Infinity) <= remaining * 1.25) upper++;
      const product = productsByPrice[rng.int(Math.max(0, upper - 6), upper)] as Product;
      const existing = lines.find((l) => l.productId === product.id);
      if (existing) {
        existing.quantity++;
      } else {
        lines.push({ id: 0, productId: product.id, variantId: product.variantId, sku: product.sku, title: product.title, category: product.category, quantity: product.priceCents < 3_000 && rng.chance(0.3) ? 2 : 1, priceCents: product.priceCents });
      }
      sum = lines.reduce((acc, l) => acc + l.priceCents * l.quantity, 0);
    }
    return lines;
  };

  const createOrder = (customer: Customer, session: WebSession, origin: TrafficOrigin, atMs: number, isFirstOrder: boolean): Order => {
    const id = orderIds.next(atMs);
    const currency = customer.currency;
    const lines = pickLines(customer).map((line) => ({
      ...line,
      id: lineIds.next(atMs),
      priceCents: currency === 'EUR' ? Math.round((line.priceCents * EUR_PER_USD) / 100) * 100 - 1 : line.priceCents,
    }));
    const subtotal = lines.reduce((acc, l) => acc + l.priceCents * l.quantity, 0);
    const discountCodes: string[] = [];
    let discount = 0;
    const campaign = origin.campaign;
    if (campaign?.discountCode && rng.chance(0.65)) {
      discountCodes.push(campaign.discountCode);
      discount = Math.round((subtotal * campaign.discountPercent) / 100);
    }
    let referralCode: string | null = null;
    if (isFirstOrder && discount === 0 && rng.chance(0.05)) {
      referralCode = `FRIEND-${rng.alphanumeric(6).toUpperCase()}`;
      discountCodes.push(referralCode);
      discount = Math.min(1_000, subtotal);
    }
    const shipping = subtotal - discount >= 7_500 ? 0 : currency === 'EUR' ? 995 : 795;
    const tax = currency === 'USD' ? Math.round((subtotal - discount) * 0.07) : 0; // EU prices include VAT
    const total = subtotal - discount + shipping + tax;

    const refunds: Refund[] = [];
    let financialStatus: Order['financialStatus'] = 'paid';
    let cancelledAt: string | null = null;
    let updatedMs = atMs + rng.int(1, 20) * MINUTE_MS;
    let fulfillmentStatus: Order['fulfillmentStatus'] = null;
    const fulfilledMs = atMs + rng.float(0.5, 3) * DAY_MS;
    const roll = rng.next();
    if (roll < 0.01) {
      financialStatus = 'voided';
      const cancelledMs = atMs + rng.int(10, 600) * MINUTE_MS;
      cancelledAt = toIso(Math.min(cancelledMs, endMs - 1000));
      updatedMs = Math.min(cancelledMs, endMs - 1000);
    } else {
      if (fulfilledMs < endMs) {
        fulfillmentStatus = 'fulfilled';
        updatedMs = fulfilledMs;
      } else if (endMs - atMs < 2 * HOUR_MS && rng.chance(0.5)) {
        financialStatus = 'pending';
      }
      if (roll < 0.08 && financialStatus === 'paid') {
        const refundMs = atMs + rng.float(3, 30) * DAY_MS;
        if (refundMs < endMs) {
          const full = roll < 0.035 || lines.length === 1;
          const refunded = full ? lines : [rng.choice(lines)];
          const amount = full ? total : refunded.reduce((acc, l) => acc + l.priceCents, 0);
          refunds.push({
            id: refundIds.next(refundMs),
            createdAt: toIso(refundMs),
            amountCents: Math.min(amount, total),
            lineIds: refunded.map((l) => l.id),
            reason: rng.weighted(['damaged', 'wrong_size', 'not_as_described', 'late_delivery', 'changed_mind'] as const, [20, 35, 15, 10, 20]),
          });
          financialStatus = full ? 'refunded' : 'partially_refunded';
          updatedMs = refundMs;
        }
      }
    }
    const landing = session.landingUrl.slice(session.landingUrl.indexOf('/', 8));
    const order: Order = {
      id,
      name: '',
      customerId: customer.id,
      email: customer.email,
      createdAt: toIso(atMs),
      updatedAt: toIso(Math.max(updatedMs, atMs)),
      processedAt: toIso(atMs),
      cancelledAt,
      currency,
      subtotalCents: subtotal,
      discountCents: discount,
      shippingCents: shipping,
      taxCents: tax,
      totalCents: total,
      lines,
      discountCodes,
      referralCode,
      landingSite: landing,
      referringSite: session.referrer ?? '',
      sourceName: 'web',
      financialStatus,
      fulfillmentStatus,
      refunds,
      tags: isFirstOrder ? ['first-order'] : [],
      isFirstOrder,
      truth: { sessionId: session.id, campaignId: campaign?.id ?? null, channelGroup: session.truth.channelGroup },
    };
    orders.push(order);
    addPurchaseEvents(session, order, atMs);
    return order;
  };

  const campaignSlotsOn = (date: string, dayIndex: number): CampaignSlot[] => {
    const slots: CampaignSlot[] = [];
    for (const campaign of activeCampaigns(marketing.campaigns, date)) {
      for (const channel of campaign.channels) {
        if (channel.kind === 'influencer') {
          for (const influencerId of campaign.influencerIds) {
            const influencer = influencerById.get(influencerId);
            if (!influencer || influencer.platform !== channel.platform) continue;
            const sincePost = dayIndex - calendar.dates.indexOf(influencer.postDate);
            if (sincePost < 0) continue;
            slots.push({ campaign, channel, dailySessions: channel.dailySessions * 4 * Math.exp(-sincePost / 2.5), influencer });
          }
        } else {
          slots.push({ campaign, channel, dailySessions: channel.dailySessions, influencer: null });
        }
      }
    }
    return slots;
  };

  // Prospects: visits that may turn into first orders.
  for (let dayIndex = 0; dayIndex < calendar.dates.length; dayIndex++) {
    const date = calendar.dates[dayIndex] as string;
    const dayStart = calendar.dayStartMs[dayIndex] as number;
    const seasonality = calendar.seasonality[dayIndex] as number;
    const isThursday = new Date(`${date}T12:00:00Z`).getUTCDay() === 4;
    const sources: Array<{ origin: () => TrafficOrigin; expected: number; conversionRate: number }> = [];
    for (const spec of ALWAYS_ON) {
      const boost = spec.kind === 'newsletter' && isThursday ? 3 : 1;
      sources.push({ origin: () => alwaysOnOrigin(spec.kind), expected: spec.dailySessions * boost, conversionRate: spec.conversionRate });
    }
    for (const slot of campaignSlotsOn(date, dayIndex)) {
      sources.push({ origin: () => campaignOrigin(slot, dayStart + 12 * HOUR_MS), expected: slot.dailySessions, conversionRate: slot.channel.conversionRate });
    }
    for (const source of sources) {
      const count = rng.poisson(source.expected * seasonality * scale);
      for (let k = 0; k < count; k++) {
        const startMs = dayStart + localTimeOfDayMs(rng.next(), rng.next());
        const origin = source.origin();
        let clientId: string | null = null;
        let returning = false;
        if (visitors.length > 20 && rng.chance(0.3)) {
          const visitor = visitors[rng.int(0, visitors.length - 1)] as Visitor;
          if (visitor.lastMs + 30 * MINUTE_MS < startMs) {
            clientId = visitor.clientId;
            visitor.lastMs = startMs;
            returning = true;
          }
        }
        clientId ??= newClientId(rng, startMs);
        const converted = rng.chance(conversionRateOf(origin, source.conversionRate) * (returning ? 1.4 : 0.9));
        const session = buildSession(rng, {
          origin,
          domain: brand.domain,
          clientId,
          customerId: null,
          startMs,
          date,
          engaged: rng.chance(0.6),
          converted,
          trackedByAnalytics: rng.chance(0.92),
        });
        sessions.push(session);
        if (converted) {
          const purchaseMs = Math.min(endMs - 1000, startMs + Math.min(session.engagementSeconds * 900, 40 * MINUTE_MS));
          const customer = newCustomer(purchaseMs, session, origin);
          session.customerId = customer.id;
          createOrder(customer, session, origin, purchaseMs, true);
        } else {
          if (rng.chance(0.07)) session.events.push(webEvent('add_to_cart', startMs + rng.int(30, 300) * 1000));
          if (rng.chance(0.022)) session.events.push(webEvent('newsletter_signup', startMs + rng.int(10, 200) * 1000));
          if (!returning) {
            const visitor = { clientId, lastMs: startMs };
            if (visitors.length < visitorCap) visitors.push(visitor);
            else visitors[rng.int(0, visitorCap - 1)] = visitor;
          }
        }
      }
    }
  }

  // Returning customers: BG/NBD repeat purchases, each with its session and some browsing before it.
  const firstCustomers = customers.slice();
  for (const customer of firstCustomers) {
    let atMs = Date.parse(customer.createdAt);
    for (;;) {
      if (rng.chance(customer.truth.dropoutProbability)) {
        customer.truth.droppedOutAt = toIso(atMs).slice(0, 10);
        break;
      }
      const previousMs = atMs;
      atMs += rng.exponential(1 / customer.truth.purchaseRatePerDay) * DAY_MS;
      if (atMs >= endMs) break;
      const dayIndex = localDayIndex(calendar, atMs);
      const date = calendar.dates[dayIndex] as string;
      let orderMs = (calendar.dayStartMs[dayIndex] as number) + localTimeOfDayMs(rng.next(), rng.next());
      // Re-drawing the hour may land before the previous purchase of the same day; keep time moving on.
      if (orderMs <= previousMs) orderMs = previousMs + rng.float(0.5, 6) * HOUR_MS;
      if (orderMs >= endMs) break;
      atMs = orderMs;
      const origin = repeatOrigin(dayIndex, date);
      let clientId = customer.clientIds[0] as string;
      if (rng.chance(0.2)) {
        clientId = newClientId(rng, orderMs);
        customer.clientIds.push(clientId);
      }
      for (let b = rng.poisson(0.5); b > 0; b--) {
        const browseMs = orderMs - rng.float(0.2, 7) * DAY_MS;
        if (browseMs <= Date.parse(customer.createdAt)) continue;
        const browseDay = localDayIndex(calendar, browseMs);
        sessions.push(
          buildSession(rng, {
            origin: alwaysOnOrigin(rng.choice(['organic_search', 'direct', 'social_referral', 'newsletter'] as const)),
            domain: brand.domain,
            clientId,
            customerId: rng.chance(0.5) ? customer.id : null,
            startMs: browseMs,
            date: calendar.dates[browseDay] as string,
            engaged: rng.chance(0.7),
            converted: false,
            trackedByAnalytics: rng.chance(0.92),
          }),
        );
      }
      const sessionStart = Math.max(calendar.dayStartMs[0] as number, orderMs - rng.int(4, 30) * MINUTE_MS);
      const sessionDate = calendar.dates[localDayIndex(calendar, sessionStart)] as string;
      const session = buildSession(rng, { origin, domain: brand.domain, clientId, customerId: customer.id, startMs: sessionStart, date: sessionDate, engaged: true, converted: true, trackedByAnalytics: rng.chance(0.92) });
      session.country = customer.country;
      sessions.push(session);
      createOrder(customer, session, origin, orderMs, false);
    }
  }

  function repeatOrigin(dayIndex: number, date: string): TrafficOrigin {
    const kind = rng.weightedKey(REPEAT_ORIGINS);
    if (kind === 'campaign') {
      const slots = campaignSlotsOn(date, dayIndex).filter((s) => s.channel.kind !== 'influencer');
      if (slots.length > 0) return campaignOrigin(rng.weighted(slots, slots.map((s) => s.dailySessions)), (calendar.dayStartMs[dayIndex] as number) + 12 * HOUR_MS);
      return alwaysOnOrigin('direct');
    }
    return alwaysOnOrigin(kind);
  }

  orders.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
  orders.forEach((order, i) => (order.name = `#${1001 + i}`));
  customers.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
  sessions.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  makeSessionIdsUnique(sessions, orders);
  return { sessions, customers, orders };
}

/** Bumps `ga_session_id` of the rare second session of a client starting in the same second. */
function makeSessionIdsUnique(sessions: WebSession[], orders: Order[]): void {
  let previous = '';
  const renamed = new Map<string, string>();
  for (const session of sessions) {
    if (session.id === previous) {
      const oldId = session.id;
      session.gaSessionId += 1;
      session.id = `${session.clientId}.${session.gaSessionId}`;
      renamed.set(oldId, session.id);
    }
    previous = session.id;
  }
  if (renamed.size === 0) return;
  // A renamed session may be a purchase session: the first of the pair keeps the old id, so only
  // orders whose purchase event sits in the renamed session need the new id.
  const byId = new Map(sessions.map((s) => [s.id, s]));
  for (const order of orders) {
    const newId = renamed.get(order.truth.sessionId);
    if (newId && byId.get(newId)?.events.some((e) => e.orderId === order.id)) order.truth.sessionId = newId;
  }
}
