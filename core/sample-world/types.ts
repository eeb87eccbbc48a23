/**
 * The shape of the sample world: plain objects, platform-neutral but complete, which each fake
 * reshapes into its API's exact format. Timestamps are ISO-8601 UTC strings (second precision),
 * dates are local `YYYY-MM-DD` days in the brand's time zone, and money is integer minor units
 * (cents) with a currency beside it. Fields named `truth` hold what generated a record (intended
 * sentiment, latent purchase rates, expected channel group): no API returns them; tests use them.
 */

/** Social platforms the brand is active on. */
export type PlatformId = 'facebook' | 'instagram' | 'x' | 'linkedin' | 'youtube';

/** Languages of generated texts (ISO 639-1). */
export type Lang = 'en' | 'es' | 'fr' | 'de' | 'pt' | 'it' | 'nl' | 'id';

/** Topics a text talks about, for theme and complaint tests. */
export type Theme = 'product' | 'fit' | 'quality' | 'delivery' | 'billing' | 'service' | 'price' | 'returns' | 'campaign' | 'question' | 'praise';

/** Options of `generateWorld`. */
export interface WorldOptions {
  /** Any number or string; equal seeds (with equal options) give deep-equal worlds. */
  seed: number | string;
  /** Volume knob: 1 ≈ a mid-size brand (~100k sessions, ~20k orders a year), 0.01 for tiny tests. */
  scale: number;
  /** First local day, `YYYY-MM-DD` (default 2025-11-01). */
  start?: string;
  /** Number of days (default 365, so the default world ends 2026-10-31). */
  days?: number;
}

/** What a generated text was meant to say: the label a sentiment scorer is evaluated against. */
export interface TextTruth {
  /** Intended sentiment in −1..1 (positive ≥ 0.05, negative ≤ −0.05). */
  polarity: number;
  /** Intended label: `mixed` texts combine praise and complaint and sit near zero. */
  label: 'positive' | 'negative' | 'neutral' | 'mixed';
  themes: Theme[];
  isComplaint: boolean;
  /** Praise words meant negatively ("great, another delayed order 🙄"). */
  sarcastic: boolean;
}

/** A generated text with its language and truth. */
export interface GeneratedText {
  text: string;
  lang: Lang;
  truth: TextTruth;
}

/** Facts about the world run itself. */
export interface WorldMeta {
  seed: string;
  scale: number;
  /** First local day. */
  start: string;
  /** Last local day, included. */
  end: string;
  days: number;
  /** Date the world is observed at (the day after `end`): metrics of recent days are still provisional then. */
  asOf: string;
  timeZone: string;
  currency: 'USD';
  /** Bumped when the generator changes its output for the same seed. */
  generatorVersion: number;
}

/** The brand's own identity and accounts. */
export interface Brand {
  id: 'brand';
  name: string;
  /** Handle used on most platforms, without `@`. */
  handle: string;
  domain: string;
  currency: 'USD';
  timeZone: string;
  /** Platform account ids (page id, IG user id, X user id, LinkedIn organization URN, YouTube channel id). */
  accounts: Record<PlatformId, SocialAccount>;
}

/** One account of a brand or competitor on one platform. */
export interface SocialAccount {
  platform: PlatformId;
  id: string;
  handle: string;
  displayName: string;
  /** Followers (subscribers) on the world's first day. */
  followersAtStart: number;
}

/** A competing brand, tracked through public metrics and mentions. */
export interface Competitor {
  id: string;
  name: string;
  handle: string;
  accounts: Record<PlatformId, SocialAccount>;
  /** Relative size of the conversation about it (brand = 1). */
  mentionWeight: number;
  /** Average sentiment of what people say about it. */
  sentimentBias: number;
}

/** A product in the catalog (Shopify product with one default variant). */
export interface Product {
  id: number;
  variantId: number;
  sku: string;
  title: string;
  handle: string;
  category: string;
  priceCents: number;
  colors: string[];
}

/** How a campaign reaches people: one source/medium pair, optionally on a social platform. */
export interface CampaignChannel {
  kind: 'paid_social' | 'paid_search' | 'paid_video' | 'email' | 'sms' | 'organic_social' | 'influencer' | 'affiliate';
  utmSource: string;
  utmMedium: string;
  platform?: PlatformId;
  /** Sessions a day this channel brings at scale 1 while the campaign runs (before seasonality). */
  dailySessions: number;
  /** Share of its prospect sessions that end in a first order (truth). */
  conversionRate: number;
}

/** An influencer paid to promote a campaign. */
export interface Influencer {
  id: string;
  handle: string;
  displayName: string;
  platform: PlatformId;
  followers: number;
  /** Fee for the campaign, cents. */
  costCents: number;
  /** `utm_content` of the influencer's links (their handle, lower-cased). */
  utmContent: string;
  campaignId: string;
  /** Day the influencer posted. */
  postDate: string;
}

/** An A/B test run through a campaign's landing variants (`utm_content`). */
export interface AbTest {
  id: string;
  name: string;
  campaignId: string;
  /** Landing variants; `conversionRate` is the truth on Facebook paid social, other channels keep the B/A ratio. */
  variants: Array<{ name: 'A' | 'B'; utmContent: string; landingPath: string; conversionRate: number }>;
}

/** A marketing campaign: one `utm_campaign` across channels, with Meta ads for paid social. */
export interface Campaign {
  id: string;
  name: string;
  /** `utm_campaign` exactly as configured in the ad platform (may differ in case from URLs). */
  utmCampaign: string;
  /** Spellings of `utm_campaign` found in URLs (the canonical one, lower-cased variants). */
  utmCampaignVariants: string[];
  start: string;
  end: string;
  landingPath: string;
  /** Discount code promoted by the campaign, if any. */
  discountCode: string | null;
  discountPercent: number;
  channels: CampaignChannel[];
  influencerIds: string[];
  abTestId: string | null;
  /** Meta ads structure when the campaign has paid-social channels. */
  meta: MetaCampaign | null;
}

/** The Meta Marketing API view of a campaign: ids and the ad set / ad tree. */
export interface MetaCampaign {
  campaignId: string;
  objective: 'OUTCOME_SALES' | 'OUTCOME_TRAFFIC' | 'OUTCOME_AWARENESS';
  /** URL parameters set on the ads (`url_tags`). */
  urlTags: string;
  dailyBudgetCents: number;
  adSets: Array<{ id: string; name: string; ads: Array<{ id: string; name: string; utmContent: string }> }>;
}

/** One day of Meta ad insights for one ad (spend and delivery final; conversions settle over 7 days). */
export interface AdInsightDaily {
  date: string;
  campaignId: string;
  metaCampaignId: string;
  adSetId: string;
  adId: string;
  platform: 'facebook' | 'instagram';
  spendCents: number;
  impressions: number;
  reach: number;
  clicks: number;
  linkClicks: number;
  /** Purchases attributed by Meta (7-day click, 1-day view): final value, see `restatement.ts`. */
  conversions: number;
  conversionValueCents: number;
}

/** One day of a brand account's insights on one platform (impressions and reach settle over 28 days). */
export interface AccountDaily {
  date: string;
  platform: PlatformId;
  accountId: string;
  /** Followers at the end of the day. */
  followers: number;
  follows: number;
  unfollows: number;
  impressions: number;
  reachOrganic: number;
  reachPaid: number;
  profileViews: number;
  /** Video views (all platforms with video; YouTube's views). */
  videoViews: number;
  postsPublished: number;
}

/** One day of a competitor's public metrics on one platform. */
export interface CompetitorDaily {
  date: string;
  competitorId: string;
  platform: PlatformId;
  accountId: string;
  followers: number;
  posts: number;
  /** Likes + comments + shares on that day's posts (public counts). */
  engagements: number;
}

/** Media kind of a post, in neutral words (fakes map them: `IMAGE`, `CAROUSEL_ALBUM`, `REELS`…). */
export type MediaKind = 'text' | 'photo' | 'video' | 'reel' | 'carousel' | 'story' | 'link' | 'article' | 'short';

/** Counts of a post (lifetime) or of one post-day. */
export interface PostMetrics {
  impressions: number;
  reach: number;
  likes: number;
  /** Facebook/LinkedIn reaction breakdown; `likes` is their sum. */
  reactions: { like: number; love: number; haha: number; wow: number; sad: number; angry: number };
  comments: number;
  shares: number;
  saves: number;
  clicks: number;
  videoViews: number;
}

/** A brand post on one platform. */
export interface Post {
  id: string;
  platform: PlatformId;
  accountId: string;
  createdAt: string;
  /** Local day of `createdAt`. */
  date: string;
  mediaKind: MediaKind;
  /** Title (YouTube videos, LinkedIn articles), else null. */
  title: string | null;
  text: string;
  /** Links in the text (some carry campaign UTM parameters). */
  links: string[];
  permalink: string;
  campaignId: string | null;
  abTestId: string | null;
  abVariant: 'A' | 'B' | null;
  /** Set when the brand deleted the post (APIs stop returning it). */
  deletedAt: string | null;
  /** Settled lifetime totals (sum of `postDaily`; reach is de-duplicated so below the daily sum). */
  lifetime: PostMetrics;
}

/** One day of one post's metrics, final values (see `restatement.ts` for what an API reports earlier). */
export interface PostDaily extends PostMetrics {
  postId: string;
  platform: PlatformId;
  date: string;
}

/** A private person on a social platform (personal data: stays in `raw`). */
export interface SocialUser {
  id: string;
  platform: PlatformId;
  handle: string;
  displayName: string;
  lang: Lang;
  /** Set when the person is also a shop customer. */
  customerId: number | null;
}

/** A comment or reply on a brand post; brand replies have `fromBrand` set. */
export interface Comment {
  id: string;
  platform: PlatformId;
  postId: string;
  /** The comment replied to, or null for a top-level comment. */
  parentId: string | null;
  fromBrand: boolean;
  /** Author's platform user id (the brand's account id for brand replies). */
  authorId: string;
  authorHandle: string;
  authorName: string;
  createdAt: string;
  text: string;
  lang: Lang;
  likeCount: number;
  /** Hidden by moderation (still returned to the page owner). */
  hidden: boolean;
  truth: TextTruth;
}

/** A public post mentioning the brand or a competitor. */
export interface Mention {
  id: string;
  platform: PlatformId;
  /** `brand` or a competitor id. */
  target: string;
  targetHandle: string;
  authorId: string;
  authorHandle: string;
  authorName: string;
  createdAt: string;
  text: string;
  lang: Lang;
  likeCount: number;
  shareCount: number;
  permalink: string;
  truth: TextTruth;
}

/** One message in a direct conversation. */
export interface DirectMessage {
  id: string;
  conversationId: string;
  from: 'customer' | 'brand';
  createdAt: string;
  text: string;
  lang: Lang;
  truth: TextTruth;
}

/** A direct-message thread between a person and the brand. */
export interface Conversation {
  id: string;
  platform: 'facebook' | 'instagram' | 'x';
  userId: string;
  userHandle: string;
  userName: string;
  startedAt: string;
  updatedAt: string;
  messages: DirectMessage[];
}

/** A non-pageview analytics event inside a session. */
export interface WebEvent {
  name: 'add_to_cart' | 'begin_checkout' | 'purchase' | 'newsletter_signup';
  at: string;
  orderId: number | null;
  /** Event value in minor units (purchase revenue), else 0. */
  valueCents: number;
  currency: string | null;
  /** Set on a second copy of an event the tag fired twice (a real GA4 nuisance). */
  duplicate: boolean;
}

/** A web session, as analytics sees it (GA4 session / pageview export). */
export interface WebSession {
  id: string;
  /** Anonymous browser id (GA client id). */
  clientId: string;
  /** GA4 `ga_session_id`: session start in epoch seconds. */
  gaSessionId: number;
  customerId: number | null;
  startedAt: string;
  endedAt: string;
  /** Local day of `startedAt`; UTC day may differ near midnight. */
  date: string;
  landingUrl: string;
  landingPath: string;
  referrer: string | null;
  /** Session source / medium / campaign / content / term as analytics reports them. */
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
  device: 'desktop' | 'mobile' | 'tablet';
  country: string;
  pageviews: number;
  engaged: boolean;
  engagementSeconds: number;
  events: WebEvent[];
  /** False when the visitor refused analytics cookies: shops still see the order, GA does not. */
  trackedByAnalytics: boolean;
  truth: {
    /** GA4 default channel group the session should land in. */
    channelGroup: string;
    campaignId: string | null;
    abVariant: 'A' | 'B' | null;
    influencerId: string | null;
  };
}

/** A shop customer (Shopify customer; Stripe and Zendesk ids when they have them). */
export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  country: string;
  currency: 'USD' | 'EUR';
  createdAt: string;
  /** Browser ids the customer used (first is the acquisition device). */
  clientIds: string[];
  acceptsMarketing: boolean;
  stripeCustomerId: string | null;
  zendeskUserId: number | null;
  socialUserId: string | null;
  acquisition: { channelGroup: string; source: string; medium: string; campaignId: string | null; firstSessionId: string | null };
  truth: {
    /** BG/NBD latent purchase rate per day while alive. */
    purchaseRatePerDay: number;
    /** BG/NBD probability of dropping out after each purchase. */
    dropoutProbability: number;
    /** Day the customer silently stopped buying, or null if still alive at the end. */
    droppedOutAt: string | null;
    /** Gamma-Gamma latent mean order value, cents. */
    meanOrderValueCents: number;
  };
}

/** One order line. */
export interface OrderLine {
  id: number;
  productId: number;
  variantId: number;
  sku: string;
  title: string;
  category: string;
  quantity: number;
  priceCents: number;
}

/** A refund of some or all of an order. */
export interface Refund {
  id: number;
  createdAt: string;
  amountCents: number;
  lineIds: number[];
  reason: 'damaged' | 'wrong_size' | 'not_as_described' | 'late_delivery' | 'changed_mind';
}

/** A shop order (Shopify order vocabulary). */
export interface Order {
  id: number;
  /** Order number as shown to people (`#1001`). */
  name: string;
  customerId: number;
  email: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  currency: 'USD' | 'EUR';
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  lines: OrderLine[];
  discountCodes: string[];
  /** Customer-referral code used at checkout, if any. */
  referralCode: string | null;
  /** Path and query of the page the buyer landed on (`/collections/spring?utm_source=…`). */
  landingSite: string;
  referringSite: string;
  sourceName: 'web' | 'pos';
  financialStatus: 'paid' | 'pending' | 'partially_refunded' | 'refunded' | 'voided';
  fulfillmentStatus: 'fulfilled' | 'partial' | null;
  refunds: Refund[];
  tags: string[];
  /** First order of its customer. */
  isFirstOrder: boolean;
  truth: { sessionId: string; campaignId: string | null; channelGroup: string };
}

/** A membership plan price (Stripe price). */
export interface Plan {
  id: string;
  productName: string;
  nickname: string;
  amountCents: number;
  interval: 'month';
  tier: number;
}

/** A change in a subscription's life, with its MRR effect. */
export interface SubscriptionEvent {
  id: string;
  subscriptionId: string;
  stripeCustomerId: string;
  at: string;
  type: 'created' | 'upgraded' | 'downgraded' | 'canceled' | 'reactivated';
  fromPlanId: string | null;
  toPlanId: string | null;
  mrrDeltaCents: number;
}

/** A Stripe subscription (a reactivation is a new subscription of the same customer). */
export interface Subscription {
  id: string;
  stripeCustomerId: string;
  customerId: number;
  status: 'active' | 'canceled' | 'past_due';
  planId: string;
  createdAt: string;
  canceledAt: string | null;
  currentPeriodStart: string;
  currentPeriodEnd: string;
}

/** A Stripe charge (subscription invoice payment), with refunds. */
export interface Charge {
  id: string;
  stripeCustomerId: string;
  subscriptionId: string;
  amountCents: number;
  currency: 'usd';
  createdAt: string;
  status: 'succeeded' | 'failed';
  amountRefundedCents: number;
  refunds: Array<{ id: string; amountCents: number; createdAt: string }>;
  description: string;
}

/** A support agent. */
export interface Agent {
  id: number;
  name: string;
  email: string;
}

/** A public or internal comment on a ticket. */
export interface TicketComment {
  id: number;
  ticketId: number;
  authorKind: 'requester' | 'agent';
  authorId: number;
  createdAt: string;
  public: boolean;
  body: string;
  lang: Lang;
  truth: TextTruth;
}

/** A support ticket (Zendesk vocabulary). */
export interface Ticket {
  id: number;
  subject: string;
  requesterCustomerId: number;
  requesterId: number;
  assigneeId: number;
  orderId: number | null;
  channel: 'email' | 'web' | 'chat' | 'voice' | 'facebook' | 'instagram';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed';
  tags: string[];
  createdAt: string;
  updatedAt: string;
  firstReplyAt: string | null;
  solvedAt: string | null;
  reopens: number;
  comments: TicketComment[];
  satisfaction: { score: 'good' | 'bad'; comment: string | null; createdAt: string; truth: TextTruth | null } | null;
}

/** One survey answer (CSV/NDJSON survey export). */
export interface SurveyResponse {
  id: string;
  survey: 'nps' | 'csat' | 'ces';
  /** 0–10 for NPS, 1–5 for CSAT, 1–7 for CES. */
  score: number;
  customerId: number;
  respondedAt: string;
  date: string;
  /** What prompted it: an order (NPS, CES) or a ticket (CSAT). */
  orderId: number | null;
  ticketId: number | null;
  comment: GeneratedText | null;
}

/** A product review. */
export interface Review {
  id: number;
  productId: number;
  customerId: number;
  orderId: number;
  rating: number;
  title: string;
  body: string;
  lang: Lang;
  createdAt: string;
  verifiedBuyer: boolean;
  truth: TextTruth;
}

/** Everything the sample world holds. */
export interface World {
  meta: WorldMeta;
  brand: Brand;
  competitors: Competitor[];
  platforms: PlatformId[];
  products: Product[];
  campaigns: Campaign[];
  influencers: Influencer[];
  abTests: AbTest[];
  social: {
    users: SocialUser[];
    accountDaily: AccountDaily[];
    competitorDaily: CompetitorDaily[];
    posts: Post[];
    postDaily: PostDaily[];
    comments: Comment[];
    mentions: Mention[];
    conversations: Conversation[];
  };
  ads: { insightsDaily: AdInsightDaily[] };
  web: { sessions: WebSession[] };
  commerce: { customers: Customer[]; orders: Order[] };
  billing: { plans: Plan[]; subscriptions: Subscription[]; subscriptionEvents: SubscriptionEvent[]; charges: Charge[] };
  service: { agents: Agent[]; tickets: Ticket[] };
  surveys: SurveyResponse[];
  reviews: Review[];
}
