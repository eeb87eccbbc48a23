/**
 * Meta Marketing API insights: one row per ad × placement × day for campaigns with paid-social
 * channels. Link clicks follow the paid-social sessions the shop received, conversions follow
 * the orders those sessions made (Meta over-counts with view-through), so ad spend, sessions and
 * orders tell one story.
 */
import { type Calendar } from './calendar.ts';
import type { Rng } from './random.ts';
import type { AdInsightDaily, Campaign, Order, WebSession } from './types.ts';

/** Inputs of the ads generator. */
export interface AdsInput {
  calendar: Calendar;
  campaigns: readonly Campaign[];
  sessions: readonly WebSession[];
  orders: readonly Order[];
  scale: number;
}

function paidSocialKey(campaignId: string, platform: string, date: string, content: string): string {
  return `${campaignId}|${platform}|${date}|${content}`;
}

/** Generates daily ad insights for every Meta campaign over its run. */
export function generateAdInsights(rng: Rng, input: AdsInput): AdInsightDaily[] {
  const sessionCounts = new Map<string, number>();
  const orderTotals = new Map<string, { count: number; valueCents: number }>();
  const sessionById = new Map<string, WebSession>();
  for (const session of input.sessions) {
    if (session.medium !== 'paid_social' || !session.truth.campaignId) continue;
    const key = paidSocialKey(session.truth.campaignId, session.source.toLowerCase(), session.date, session.content);
    sessionCounts.set(key, (sessionCounts.get(key) ?? 0) + 1);
    sessionById.set(session.id, session);
  }
  for (const order of input.orders) {
    const session = sessionById.get(order.truth.sessionId);
    if (!session || !session.truth.campaignId) continue;
    const key = paidSocialKey(session.truth.campaignId, session.source.toLowerCase(), session.date, session.content);
    const total = orderTotals.get(key) ?? { count: 0, valueCents: 0 };
    total.count++;
    total.valueCents += order.currency === 'USD' ? order.totalCents : Math.round(order.totalCents / 0.92);
    orderTotals.set(key, total);
  }

  const rows: AdInsightDaily[] = [];
  for (const campaign of input.campaigns) {
    const meta = campaign.meta;
    if (!meta) continue;
    const platforms = campaign.channels.filter((c) => c.kind === 'paid_social').map((c) => c.platform as 'facebook' | 'instagram');
    const ads = meta.adSets.flatMap((set) => set.ads.map((ad) => ({ ...ad, adSetId: set.id })));
    const sharing = new Map<string, number>();
    for (const ad of ads) sharing.set(ad.utmContent, (sharing.get(ad.utmContent) ?? 0) + 1);
    const startIndex = input.calendar.dates.indexOf(campaign.start);
    const endIndex = input.calendar.dates.indexOf(campaign.end);
    for (let dayIndex = startIndex; dayIndex >= 0 && dayIndex <= endIndex; dayIndex++) {
      const date = input.calendar.dates[dayIndex] as string;
      for (const platform of platforms) {
        for (const ad of ads) {
          const share = 1 / (sharing.get(ad.utmContent) ?? 1);
          const key = paidSocialKey(campaign.id, platform, date, ad.utmContent);
          const sessions = (sessionCounts.get(key) ?? 0) * share;
          const purchases = orderTotals.get(key);
          const linkClicks = Math.round(sessions / rng.float(0.72, 0.88)) + rng.poisson(0.5);
          const clicks = Math.round(linkClicks * rng.float(1.3, 1.8));
          const impressions = Math.max(Math.round(clicks / rng.float(0.008, 0.02)), rng.poisson(400 * input.scale + 20));
          const reach = Math.round(impressions / rng.float(1.2, 1.9));
          const spendCents = Math.max(Math.round(linkClicks * rng.float(60, 140)), Math.round((impressions * rng.float(700, 1300)) / 1000));
          const attributed = purchases ? purchases.count * share : 0;
          // Meta counts view-through and cross-device purchases the shop's sessions never show.
          const conversions = Math.round(attributed * 1.25) + rng.poisson(0.15);
          const averageValue = purchases && purchases.count > 0 ? purchases.valueCents / purchases.count : 11_000;
          rows.push({
            date,
            campaignId: campaign.id,
            metaCampaignId: meta.campaignId,
            adSetId: ad.adSetId,
            adId: ad.id,
            platform,
            spendCents,
            impressions,
            reach,
            clicks,
            linkClicks,
            conversions,
            conversionValueCents: Math.round(conversions * averageValue),
          });
        }
      }
    }
  }
  return rows;
}
