/**
 * What the brand sells and how it markets: the brand and its accounts, three competitors, the
 * product catalog, and the year's campaigns (UTM tags, channels, Meta ad trees, influencers and
 * an A/B test). Campaign dates are placed as fractions of the world's period, so a short world
 * still has every campaign.
 */
import { addDays, type Calendar } from './calendar.ts';
import type { Rng } from './random.ts';
import type { AbTest, Brand, Campaign, CampaignChannel, Competitor, Influencer, MetaCampaign, PlatformId, Product, SocialAccount } from './types.ts';

/** Platforms, in a fixed order. */
export const PLATFORMS: readonly PlatformId[] = ['facebook', 'instagram', 'x', 'linkedin', 'youtube'];

const BRAND_FOLLOWERS: Record<PlatformId, number> = { facebook: 120_000, instagram: 85_000, x: 40_000, linkedin: 15_000, youtube: 12_000 };

function platformAccount(rng: Rng, platform: PlatformId, handle: string, displayName: string, followers: number): SocialAccount {
  const id =
    platform === 'facebook' ? rng.digits(15)
    : platform === 'instagram' ? `1784${rng.digits(13)}`
    : platform === 'x' ? rng.digits(18)
    : platform === 'linkedin' ? `urn:li:organization:${rng.digits(8)}`
    : `UC${rng.base64url(22)}`;
  return { platform, id, handle, displayName, followersAtStart: Math.max(50, Math.round(followers)) };
}

function accountsFor(rng: Rng, handle: string, displayName: string, followers: Record<PlatformId, number>): Record<PlatformId, SocialAccount> {
  const out = {} as Record<PlatformId, SocialAccount>;
  for (const platform of PLATFORMS) {
    const platformHandle = platform === 'linkedin' ? handle.replace(/_/g, '-') : handle;
    out[platform] = platformAccount(rng, platform, platformHandle, displayName, followers[platform]);
  }
  return out;
}

/** Builds the brand, its accounts and follower bases (followers grow with √scale). */
export function buildBrand(rng: Rng, scale: number, timeZone: string): Brand {
  const followers = {} as Record<PlatformId, number>;
  for (const p of PLATFORMS) followers[p] = BRAND_FOLLOWERS[p] * Math.sqrt(scale);
  return {
    id: 'brand',
    name: 'Northwind Outfitters',
    handle: 'northwindoutfitters',
    domain: 'northwind-outfitters.example',
    currency: 'USD',
    timeZone,
    accounts: accountsFor(rng, 'northwindoutfitters', 'Northwind Outfitters', followers),
  };
}

/** Builds the three competitors, sized relative to the brand. */
export function buildCompetitors(rng: Rng, scale: number): Competitor[] {
  const specs = [
    { id: 'summit_pine', name: 'Summit & Pine', handle: 'summitandpine', size: 1.6, mentionWeight: 1.5, sentimentBias: 0.1 },
    { id: 'ridgeline', name: 'Ridgeline Supply Co.', handle: 'ridgelinesupply', size: 0.8, mentionWeight: 0.9, sentimentBias: -0.15 },
    { id: 'boreal_trail', name: 'Boreal Trail', handle: 'borealtrail', size: 0.45, mentionWeight: 0.5, sentimentBias: 0.05 },
  ];
  return specs.map((s) => {
    const followers = {} as Record<PlatformId, number>;
    for (const p of PLATFORMS) followers[p] = BRAND_FOLLOWERS[p] * Math.sqrt(scale) * s.size * rng.float(0.7, 1.3);
    return { id: s.id, name: s.name, handle: s.handle, accounts: accountsFor(rng, s.handle, s.name, followers), mentionWeight: s.mentionWeight, sentimentBias: s.sentimentBias };
  });
}

const PRODUCT_LINES: ReadonlyArray<readonly [category: string, names: readonly string[], minDollars: number, maxDollars: number]> = [
  ['Jackets', ['Ridgeway Rain Jacket', 'Cascade Down Parka', 'Switchback Softshell', 'Tundra Insulated Jacket', 'Drizzle Packable Shell', 'Fireside Fleece'], 89, 349],
  ['Footwear', ['Granite Hiking Boot', 'Trailblazer Runner', 'Basecamp Mule', 'Alpine GTX Boot', 'Riverbed Sandal'], 59, 229],
  ['Backpacks', ['Summit 28L Daypack', 'Expedition 65L Pack', 'Commuter 20L Pack', 'Hydration Vest 8L'], 49, 279],
  ['Tents', ['Lakeside 2P Tent', 'Highland 4P Tent', 'Ultralight 1P Shelter'], 179, 549],
  ['Sleeping', ['Glacier 15° Sleeping Bag', 'Nimbus Sleeping Pad', 'Camp Pillow'], 29, 299],
  ['Apparel', ['Merino Base Layer', 'Trail Shorts', 'Hiking Pants', 'Sun Hoodie', 'Wool Beanie', 'Logo Tee'], 19, 119],
  ['Accessories', ['Trekking Poles', 'Headlamp 400', 'Insulated Bottle', 'Trail Socks 3-Pack', 'Camp Mug', 'Dry Bag 10L'], 12, 129],
];
const COLORS = ['black', 'forest green', 'navy', 'rust', 'sand', 'slate', 'ochre', 'red'];

/** Builds the product catalog with Shopify-style numeric ids. */
export function buildProducts(rng: Rng): Product[] {
  const products: Product[] = [];
  let id = 8_012_345_600_000 + rng.int(0, 99_999);
  let variantId = 45_012_345_600_000 + rng.int(0, 99_999);
  for (const [category, names, min, max] of PRODUCT_LINES) {
    for (const title of names) {
      id += rng.int(1_000, 90_000);
      variantId += rng.int(1_000, 90_000);
      const dollars = Math.round(rng.float(min, max)) - 0.01;
      const handle = title.toLowerCase().replace(/°/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      products.push({
        id,
        variantId,
        sku: `NW-${category.slice(0, 3).toUpperCase()}-${String(products.length + 1).padStart(3, '0')}`,
        title,
        handle,
        category,
        priceCents: Math.round(dollars * 100),
        colors: rng.sample(COLORS, rng.int(2, 4)),
      });
    }
  }
  return products;
}

/** A channel shorthand: kind, platform and the UTM source/medium it uses. */
const CHANNELS: Record<string, Omit<CampaignChannel, 'dailySessions' | 'conversionRate'> & { dailySessions: number; conversionRate: number }> = {
  fbPaid: { kind: 'paid_social', utmSource: 'facebook', utmMedium: 'paid_social', platform: 'facebook', dailySessions: 26, conversionRate: 0.08 },
  igPaid: { kind: 'paid_social', utmSource: 'instagram', utmMedium: 'paid_social', platform: 'instagram', dailySessions: 24, conversionRate: 0.072 },
  search: { kind: 'paid_search', utmSource: 'google', utmMedium: 'cpc', dailySessions: 22, conversionRate: 0.128 },
  ytVideo: { kind: 'paid_video', utmSource: 'youtube', utmMedium: 'cpv', platform: 'youtube', dailySessions: 10, conversionRate: 0.032 },
  email: { kind: 'email', utmSource: 'newsletter', utmMedium: 'email', dailySessions: 30, conversionRate: 0.144 },
  sms: { kind: 'sms', utmSource: 'attentive', utmMedium: 'sms', dailySessions: 10, conversionRate: 0.16 },
  igOrganic: { kind: 'organic_social', utmSource: 'instagram', utmMedium: 'social', platform: 'instagram', dailySessions: 8, conversionRate: 0.048 },
  fbOrganic: { kind: 'organic_social', utmSource: 'facebook', utmMedium: 'social', platform: 'facebook', dailySessions: 6, conversionRate: 0.048 },
  xOrganic: { kind: 'organic_social', utmSource: 'x', utmMedium: 'social', platform: 'x', dailySessions: 4, conversionRate: 0.032 },
  liOrganic: { kind: 'organic_social', utmSource: 'linkedin', utmMedium: 'social', platform: 'linkedin', dailySessions: 3, conversionRate: 0.024 },
  influencerIg: { kind: 'influencer', utmSource: 'instagram', utmMedium: 'influencer', platform: 'instagram', dailySessions: 14, conversionRate: 0.08 },
  influencerYt: { kind: 'influencer', utmSource: 'youtube', utmMedium: 'influencer', platform: 'youtube', dailySessions: 10, conversionRate: 0.064 },
  affiliate: { kind: 'affiliate', utmSource: 'trailgear_reviews', utmMedium: 'affiliate', dailySessions: 6, conversionRate: 0.096 },
};

interface CampaignTemplate {
  key: string;
  name: string;
  /** Start as a fraction of the period, and length in days for a one-year world. */
  startFraction: number;
  lengthDays: number;
  landingPath: string;
  channels: (keyof typeof CHANNELS)[];
  discount: number;
  /** Spell `utm_campaign` in Title_Case in the ad platform while URLs often use lower case. */
  mixedCase: boolean;
  influencers?: ReadonlyArray<readonly [handle: string, name: string, platform: PlatformId, followers: number, feeDollars: number]>;
  abTest?: boolean;
}

const CAMPAIGN_TEMPLATES: readonly CampaignTemplate[] = [
  { key: 'fall_launch', name: 'Fall Launch', startFraction: 0.0, lengthDays: 20, landingPath: '/collections/fall', channels: ['fbPaid', 'igPaid', 'email', 'igOrganic'], discount: 0, mixedCase: true },
  { key: 'black_friday', name: 'Black Friday', startFraction: 0.06, lengthDays: 12, landingPath: '/collections/black-friday', channels: ['fbPaid', 'igPaid', 'search', 'email', 'sms', 'fbOrganic', 'xOrganic'], discount: 30, mixedCase: false },
  { key: 'holiday_gift_guide', name: 'Holiday Gift Guide', startFraction: 0.1, lengthDays: 24, landingPath: '/pages/gift-guide', channels: ['fbPaid', 'igPaid', 'email', 'influencerIg', 'igOrganic'], discount: 0, mixedCase: true, influencers: [['alpine.ava', 'Ava Lindqvist', 'instagram', 240_000, 6_500]] },
  { key: 'new_year_reset', name: 'New Year Reset', startFraction: 0.17, lengthDays: 14, landingPath: '/collections/new-year', channels: ['email', 'igOrganic', 'liOrganic'], discount: 10, mixedCase: false },
  { key: 'winter_clearance', name: 'Winter Clearance', startFraction: 0.23, lengthDays: 21, landingPath: '/collections/clearance', channels: ['search', 'email', 'sms'], discount: 40, mixedCase: true },
  { key: 'valentines', name: 'Valentines Adventure', startFraction: 0.27, lengthDays: 10, landingPath: '/collections/for-two', channels: ['igPaid', 'influencerIg', 'igOrganic'], discount: 15, mixedCase: true, influencers: [['campwithkeisha', 'Keisha Brooks', 'instagram', 95_000, 2_800]] },
  { key: 'spring_sale', name: 'Spring Sale', startFraction: 0.37, lengthDays: 28, landingPath: '/collections/spring', channels: ['fbPaid', 'igPaid', 'email', 'fbOrganic', 'igOrganic', 'xOrganic'], discount: 20, mixedCase: true, abTest: true },
  { key: 'earth_day', name: 'Earth Day Repair', startFraction: 0.47, lengthDays: 7, landingPath: '/pages/repair', channels: ['igOrganic', 'liOrganic', 'xOrganic', 'affiliate'], discount: 0, mixedCase: false },
  { key: 'trail_season', name: 'Trail Season', startFraction: 0.52, lengthDays: 30, landingPath: '/collections/trail', channels: ['fbPaid', 'igPaid', 'ytVideo', 'influencerYt', 'influencerIg', 'affiliate'], discount: 0, mixedCase: true, influencers: [['peakbaggerpaul', 'Paul Okafor', 'youtube', 410_000, 9_000], ['trailrunner_marco', 'Marco Ricci', 'instagram', 120_000, 3_500]] },
  { key: 'summer_collection', name: 'Summer Collection', startFraction: 0.61, lengthDays: 30, landingPath: '/collections/summer', channels: ['fbPaid', 'igPaid', 'email', 'igOrganic'], discount: 0, mixedCase: false },
  { key: 'fourth_of_july', name: 'Fourth of July', startFraction: 0.67, lengthDays: 6, landingPath: '/collections/summer-sale', channels: ['sms', 'email', 'fbPaid'], discount: 25, mixedCase: true },
  { key: 'back_to_school', name: 'Back to School', startFraction: 0.78, lengthDays: 21, landingPath: '/collections/packs', channels: ['fbPaid', 'igPaid', 'search'], discount: 15, mixedCase: false },
  { key: 'fall_preview', name: 'Fall Preview', startFraction: 0.86, lengthDays: 14, landingPath: '/collections/fall-preview', channels: ['influencerIg', 'igOrganic', 'liOrganic', 'email'], discount: 0, mixedCase: true, influencers: [['nordic.nina', 'Nina Visser', 'instagram', 60_000, 1_900]] },
  { key: 'anniversary_week', name: 'Anniversary Week', startFraction: 0.94, lengthDays: 8, landingPath: '/pages/anniversary', channels: ['fbPaid', 'igPaid', 'email', 'sms', 'fbOrganic', 'xOrganic'], discount: 20, mixedCase: true },
];

/** Campaigns, influencers and A/B tests, built together because they reference each other. */
export interface Marketing {
  campaigns: Campaign[];
  influencers: Influencer[];
  abTests: AbTest[];
}

function titleSnake(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Builds the year's campaigns from templates, placed within the calendar's period. */
export function buildMarketing(rng: Rng, calendar: Calendar, scale: number): Marketing {
  const days = calendar.dates.length;
  const campaigns: Campaign[] = [];
  const influencers: Influencer[] = [];
  const abTests: AbTest[] = [];
  let metaId = BigInt(`1202${rng.digits(14)}`);
  const nextMetaId = () => {
    metaId += BigInt(rng.int(1_000, 9_999_999));
    return metaId.toString();
  };

  for (const template of CAMPAIGN_TEMPLATES) {
    const startOffset = Math.min(days - 1, Math.floor(template.startFraction * days));
    const length = Math.max(2, Math.round((template.lengthDays * days) / 365));
    const start = addDays(calendar.start, startOffset);
    const end = addDays(calendar.start, Math.min(days - 1, startOffset + length - 1));
    const year = start.slice(0, 4);
    const id = `cmp_${template.key}`;
    const utmCampaign = template.mixedCase ? `${titleSnake(template.name)}_${year}` : `${template.key}_${year}`;
    const lower = utmCampaign.toLowerCase();
    const utmCampaignVariants = template.mixedCase ? [lower, utmCampaign] : [lower];
    const channels = template.channels.map((key) => ({ ...(CHANNELS[key] as CampaignChannel) }));
    const discountCode = template.discount > 0 ? `${template.key.replace(/_/g, '').toUpperCase().slice(0, 10)}${template.discount}` : null;

    const influencerIds: string[] = [];
    for (const [handle, displayName, platform, followers, feeDollars] of template.influencers ?? []) {
      const influencerId = `inf_${handle.replace(/[^a-z0-9]/g, '_')}`;
      influencerIds.push(influencerId);
      influencers.push({
        id: influencerId,
        handle,
        displayName,
        platform,
        followers,
        costCents: Math.round(feeDollars * 100 * Math.max(0.05, scale)),
        utmContent: handle.toLowerCase(),
        campaignId: id,
        postDate: addDays(start, Math.min(length - 1, rng.int(0, 3))),
      });
    }

    let abTestId: string | null = null;
    if (template.abTest) {
      abTestId = `ab_${template.key}_landing`;
      abTests.push({
        id: abTestId,
        name: `${template.name} landing page`,
        campaignId: id,
        variants: [
          { name: 'A', utmContent: 'landing_a', landingPath: template.landingPath, conversionRate: 0.08 },
          { name: 'B', utmContent: 'landing_b', landingPath: `${template.landingPath}-b`, conversionRate: 0.099 },
        ],
      });
    }

    let meta: MetaCampaign | null = null;
    const paidSocial = channels.filter((c) => c.kind === 'paid_social');
    if (paidSocial.length > 0) {
      const adSets: MetaCampaign['adSets'] = [];
      const audiences = ['Lookalike 1%', 'Retargeting 30d', 'Interest: Hiking', 'Broad US 25-54'];
      const setCount = abTestId ? 2 : rng.int(2, 3);
      for (let s = 0; s < setCount; s++) {
        const audience = audiences[s % audiences.length] ?? 'Broad';
        const creatives = abTestId ? ['landing_a', 'landing_b'] : rng.sample(['carousel', 'video_15s', 'static_photo', 'ugc_reel'], 2);
        adSets.push({
          id: nextMetaId(),
          name: `${template.name} | ${audience}`,
          ads: creatives.map((creative) => ({ id: nextMetaId(), name: `${template.name} - ${creative}`, utmContent: creative })),
        });
      }
      meta = {
        campaignId: nextMetaId(),
        objective: template.key === 'fall_launch' ? 'OUTCOME_TRAFFIC' : 'OUTCOME_SALES',
        urlTags: `utm_source={{site_source_name}}&utm_medium=paid_social&utm_campaign=${utmCampaign}&utm_content={{ad.name}}`,
        dailyBudgetCents: Math.round(rng.float(120, 260) * 100 * scale) || 100,
        adSets,
      };
    }

    campaigns.push({
      id,
      name: `${template.name} ${year}`,
      utmCampaign,
      utmCampaignVariants,
      start,
      end,
      landingPath: template.landingPath,
      discountCode,
      discountPercent: template.discount,
      channels,
      influencerIds,
      abTestId,
      meta,
    });
  }
  return { campaigns, influencers, abTests };
}

/** Returns the campaigns running on a date. */
export function activeCampaigns(campaigns: readonly Campaign[], date: string): Campaign[] {
  return campaigns.filter((c) => c.start <= date && date <= c.end);
}
