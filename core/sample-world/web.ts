/**
 * Web sessions as analytics records them: where a visit came from (UTM tags, click ids,
 * referrer), what GA4 would call its source/medium/campaign, the channel group it should land
 * in, and its events. `commerce.ts` decides who visits when; this file only shapes the visit.
 */
import { toIso } from './calendar.ts';
import type { Rng } from './random.ts';
import type { Campaign, CampaignChannel, WebEvent, WebSession } from './types.ts';

/** Where a session came from, before it becomes URL parameters and GA fields. */
export interface TrafficOrigin {
  /** Channel kind (campaign channel kinds plus always-on kinds). */
  kind: CampaignChannel['kind'] | 'organic_search' | 'direct' | 'brand_search' | 'social_referral' | 'referral' | 'newsletter' | 'unassigned';
  campaign: Campaign | null;
  channel: CampaignChannel | null;
  /** `utm_content` to use (ad creative, influencer handle, A/B landing variant). */
  content: string | null;
  abVariant: 'A' | 'B' | null;
  influencerId: string | null;
  landingPath: string;
}

/** GA4 default channel group each origin kind falls into (by its lower-cased source/medium). */
export const CHANNEL_GROUP_OF: Record<TrafficOrigin['kind'], string> = {
  paid_social: 'Paid Social',
  paid_search: 'Paid Search',
  brand_search: 'Paid Search',
  paid_video: 'Paid Video',
  email: 'Email',
  newsletter: 'Email',
  sms: 'SMS',
  organic_social: 'Organic Social',
  social_referral: 'Organic Social',
  influencer: 'Organic Social',
  affiliate: 'Affiliates',
  organic_search: 'Organic Search',
  direct: 'Direct',
  referral: 'Referral',
  unassigned: 'Unassigned',
};

const SEARCH_ENGINES = ['google', 'google', 'google', 'google', 'bing', 'duckduckgo', 'yahoo'];
const SOCIAL_REFERRERS: ReadonlyArray<readonly [host: string, source: string]> = [
  ['https://l.instagram.com/', 'l.instagram.com'],
  ['https://m.facebook.com/', 'm.facebook.com'],
  ['https://t.co/', 't.co'],
  ['https://www.reddit.com/', 'reddit.com'],
  ['https://www.pinterest.com/', 'pinterest.com'],
];
const REFERRAL_SITES = ['outdoorgearlab.example', 'trailforum.example', 'hikingblog.example', 'campingmag.example'];
const BRAND_TERMS = ['northwind outfitters', 'northwind jacket', 'northwind boots', 'northwind outfitters coupon'];
const GENERIC_TERMS = ['waterproof hiking boots', 'best rain jacket', 'lightweight tent 2 person', 'down parka women', 'hiking daypack'];

/** Values a session needs besides its origin. */
export interface SessionInput {
  origin: TrafficOrigin;
  domain: string;
  clientId: string;
  customerId: number | null;
  startMs: number;
  date: string;
  engaged: boolean;
  converted: boolean;
  trackedByAnalytics: boolean;
}

function randomClickId(rng: Rng, prefix: string, length: number): string {
  return prefix + rng.base64url(length);
}

function maybeCapitalize(rng: Rng, value: string): string {
  // Hand-typed links sometimes say "Facebook" where the ad platform says "facebook".
  return rng.chance(0.04) ? value.charAt(0).toUpperCase() + value.slice(1) : value;
}

/** Picks the spelling of a campaign's `utm_campaign` a URL carries (mostly lower case). */
export function urlCampaignSpelling(rng: Rng, campaign: Campaign): string {
  const variants = campaign.utmCampaignVariants;
  return variants.length > 1 && rng.chance(0.3) ? (variants[1] as string) : (variants[0] as string);
}

/** Builds a URL query string from UTM values, skipping empty ones. */
export function utmQuery(params: Record<string, string | null | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) if (value) parts.push(`${key}=${encodeURIComponent(value)}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Builds one web session (without events beyond those the caller adds). */
export function buildSession(rng: Rng, input: SessionInput): WebSession {
  const { origin } = input;
  let source: string;
  let medium: string;
  let campaignName = '(not set)';
  let content = '(not set)';
  let term = '(not set)';
  let referrer: string | null = null;
  let query = '';

  switch (origin.kind) {
    case 'organic_search': {
      source = rng.choice(SEARCH_ENGINES);
      medium = 'organic';
      campaignName = '(organic)';
      term = '(not provided)';
      referrer = `https://www.${source}.com/`;
      break;
    }
    case 'direct':
      source = '(direct)';
      medium = '(none)';
      campaignName = '(direct)';
      break;
    case 'brand_search': {
      source = 'google';
      medium = 'cpc';
      campaignName = 'Brand_Search_Always_On';
      term = rng.choice(BRAND_TERMS);
      referrer = 'https://www.google.com/';
      query = utmQuery({ gclid: randomClickId(rng, 'Cj0KCQ', 40) });
      break;
    }
    case 'social_referral': {
      const [host, src] = rng.choice(SOCIAL_REFERRERS);
      source = src;
      medium = 'referral';
      campaignName = '(referral)';
      referrer = host;
      break;
    }
    case 'referral': {
      const site = rng.choice(REFERRAL_SITES);
      source = site;
      medium = 'referral';
      campaignName = '(referral)';
      referrer = `https://${site}/reviews/best-outdoor-gear`;
      break;
    }
    case 'newsletter': {
      source = 'newsletter';
      medium = 'email';
      campaignName = 'weekly_digest';
      content = rng.choice(['hero', 'product_grid', 'footer']);
      query = utmQuery({ utm_source: source, utm_medium: medium, utm_campaign: campaignName, utm_content: content });
      break;
    }
    case 'unassigned': {
      source = 'qr';
      medium = 'print';
      campaignName = 'store_flyer';
      query = utmQuery({ utm_source: source, utm_medium: medium, utm_campaign: campaignName });
      break;
    }
    default: {
      const channel = origin.channel;
      const campaign = origin.campaign;
      if (!channel || !campaign) throw new Error(`origin ${origin.kind} needs a campaign channel`);
      source = channel.kind === 'paid_social' || channel.kind === 'organic_social' ? maybeCapitalize(rng, channel.utmSource) : channel.utmSource;
      medium = channel.utmMedium;
      campaignName = urlCampaignSpelling(rng, campaign);
      content = origin.content ?? '(not set)';
      if (channel.kind === 'paid_search') term = rng.choice(GENERIC_TERMS);
      const clickId =
        channel.kind === 'paid_social' && rng.chance(0.85) ? { fbclid: randomClickId(rng, 'IwAR', 44) }
        : channel.kind === 'paid_search' || channel.kind === 'paid_video' ? { gclid: randomClickId(rng, 'EAIaIQ', 40) }
        : {};
      query = utmQuery({ utm_source: source, utm_medium: medium, utm_campaign: campaignName, utm_content: origin.content, utm_term: term === '(not set)' ? null : term, ...clickId });
      referrer =
        channel.platform === 'facebook' ? 'https://l.facebook.com/'
        : channel.platform === 'instagram' ? 'https://l.instagram.com/'
        : channel.platform === 'x' ? 'https://t.co/'
        : channel.platform === 'linkedin' ? 'https://www.linkedin.com/'
        : channel.platform === 'youtube' ? 'https://www.youtube.com/'
        : channel.kind === 'paid_search' ? 'https://www.google.com/'
        : channel.kind === 'affiliate' ? `https://${channel.utmSource.replace(/_/g, '')}.example/`
        : null;
    }
  }

  const pageviews = input.converted ? rng.int(5, 14) : input.engaged ? rng.int(2, 8) : 1;
  const engagementSeconds = input.converted ? rng.int(180, 1500) : input.engaged ? Math.round(rng.logNormal(120, 0.7)) + 10 : rng.int(0, 9);
  const endMs = input.startMs + (engagementSeconds + rng.int(2, 30)) * 1000;
  const gaSessionId = Math.floor(input.startMs / 1000);
  return {
    id: `${input.clientId}.${gaSessionId}`,
    clientId: input.clientId,
    gaSessionId,
    customerId: input.customerId,
    startedAt: toIso(input.startMs),
    endedAt: toIso(endMs),
    date: input.date,
    landingUrl: `https://${input.domain}${origin.landingPath}${query}`,
    landingPath: origin.landingPath,
    referrer,
    source,
    medium,
    campaign: campaignName,
    content,
    term,
    device: rng.weighted(['mobile', 'desktop', 'tablet'] as const, [62, 33, 5]),
    country: 'US',
    pageviews,
    engaged: input.engaged || input.converted,
    engagementSeconds,
    events: [],
    trackedByAnalytics: input.trackedByAnalytics,
    truth: {
      channelGroup: origin.kind === 'influencer' && origin.channel?.platform === 'youtube' ? 'Organic Video' : CHANNEL_GROUP_OF[origin.kind],
      campaignId: origin.campaign?.id ?? null,
      abVariant: origin.abVariant,
      influencerId: origin.influencerId,
    },
  };
}

/** Returns the session's end instant in epoch milliseconds. */
export function sessionEndMs(session: WebSession): number {
  return Date.parse(session.endedAt);
}

/** Builds a non-pageview event. */
export function webEvent(name: WebEvent['name'], atMs: number, extra: Partial<Pick<WebEvent, 'orderId' | 'valueCents' | 'currency'>> = {}): WebEvent {
  return { name, at: toIso(atMs), orderId: extra.orderId ?? null, valueCents: extra.valueCents ?? 0, currency: extra.currency ?? null, duplicate: false };
}

/** Returns a new GA-style client id (`1234567890.1700000000`). */
export function newClientId(rng: Rng, firstSeenMs: number): string {
  return `${rng.digits(10)}.${Math.floor(firstSeenMs / 1000)}`;
}
