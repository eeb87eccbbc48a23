/**
 * The sample world: one deterministic, seeded generator of a brand's data across every source
 * (social, ads, web, shop, billing, service, surveys), coherent across them, with a scale knob.
 * The fakes serve it; tests, the demo and the benchmarks use it.
 *
 * @example
 * const world = generateWorld({ seed: 42, scale: 0.1 });
 * summarizeWorld(world).orders; // ≈ 2,000
 */
export { generateWorld, summarizeWorld, DEFAULT_START, DEFAULT_DAYS, BRAND_TIME_ZONE, GENERATOR_VERSION, type WorldSummary } from './world.ts';
export { postDailyAsOf, accountDailyAsOf, adInsightAsOf, isProvisional, insightsSettledShare, adsSettledShare, INSIGHTS_SETTLE_DAYS, ADS_ATTRIBUTION_DAYS } from './restatement.ts';
export { Rng, createRng } from './random.ts';
export { generateText, brandReplyText, pickLanguage, LANGUAGE_WEIGHTS, type TextKind, type TextLabel, type TextRequest, type TextSlots } from './texts.ts';
export { CHANNEL_GROUP_OF } from './web.ts';
export type * from './types.ts';
