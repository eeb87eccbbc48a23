/**
 * Late-arriving numbers: what an API reports for a day depends on when you ask. Post and
 * account insights keep growing for 28 days; Meta purchase conversions settle within the 7-day
 * attribution window. The world stores final values; these functions give the value reported as
 * of a date, so a fake can serve provisional numbers and a second extraction sees them restated.
 */
import { daysBetween } from './calendar.ts';
import type { AccountDaily, AdInsightDaily, PostDaily, PostMetrics } from './types.ts';

/** Days after which post and account insights stop changing. */
export const INSIGHTS_SETTLE_DAYS = 28;
/** Days after which ad conversions stop changing (7-day click attribution). */
export const ADS_ATTRIBUTION_DAYS = 7;

/** Returns the share of a day's final count an insights API reports `ageDays` after the day (1 once settled). */
export function insightsSettledShare(ageDays: number): number {
  if (ageDays >= INSIGHTS_SETTLE_DAYS) return 1;
  if (ageDays < 0) return 0;
  const remaining = (INSIGHTS_SETTLE_DAYS - ageDays) / INSIGHTS_SETTLE_DAYS;
  return 1 - 0.35 * remaining * remaining;
}

/** Returns the share of a day's final conversions Meta reports `ageDays` after the day. */
export function adsSettledShare(ageDays: number): number {
  if (ageDays >= ADS_ATTRIBUTION_DAYS) return 1;
  if (ageDays < 0) return 0;
  return 0.55 + (0.45 * ageDays) / ADS_ATTRIBUTION_DAYS;
}

/** Tells whether a day's numbers may still change when observed on `asOf` (inside the window). */
export function isProvisional(date: string, asOf: string, windowDays: number = INSIGHTS_SETTLE_DAYS): boolean {
  return daysBetween(date, asOf) < windowDays;
}

function scaleMetrics<T extends PostMetrics>(row: T, share: number): T {
  if (share === 1) return row;
  const f = (n: number) => Math.floor(n * share);
  const reactions = { like: f(row.reactions.like), love: f(row.reactions.love), haha: f(row.reactions.haha), wow: f(row.reactions.wow), sad: f(row.reactions.sad), angry: f(row.reactions.angry) };
  return {
    ...row,
    impressions: f(row.impressions),
    reach: f(row.reach),
    likes: reactions.like + reactions.love + reactions.haha + reactions.wow + reactions.sad + reactions.angry,
    reactions,
    comments: f(row.comments),
    shares: f(row.shares),
    saves: f(row.saves),
    clicks: f(row.clicks),
    videoViews: f(row.videoViews),
  };
}

/** Returns a post-day row as an insights API reports it on `asOf` (the same object once settled). */
export function postDailyAsOf(row: PostDaily, asOf: string): PostDaily {
  return scaleMetrics(row, insightsSettledShare(daysBetween(row.date, asOf)));
}

/** Returns an account-day row as reported on `asOf`: impressions, reach and views grow; follower counts do not. */
export function accountDailyAsOf(row: AccountDaily, asOf: string): AccountDaily {
  const share = insightsSettledShare(daysBetween(row.date, asOf));
  if (share === 1) return row;
  const f = (n: number) => Math.floor(n * share);
  return { ...row, impressions: f(row.impressions), reachOrganic: f(row.reachOrganic), reachPaid: f(row.reachPaid), profileViews: f(row.profileViews), videoViews: f(row.videoViews) };
}

/** Returns an ad-day row as Meta reports it on `asOf`: conversions and their value still grow. */
export function adInsightAsOf(row: AdInsightDaily, asOf: string): AdInsightDaily {
  const share = adsSettledShare(daysBetween(row.date, asOf));
  if (share === 1) return row;
  const conversions = Math.floor(row.conversions * share);
  const valueShare = row.conversions === 0 ? 0 : conversions / row.conversions;
  return { ...row, conversions, conversionValueCents: Math.round(row.conversionValueCents * valueShare) };
}
