/**
 * The product's DuckDB macros, defined once here: created in the warehouse before every build (so
 * staging and mart SQL can call them) and shipped in `analytics.duckdb` through publish's `extraSql`
 * (so analysts can call them too).
 *
 * - `channel_group(source, medium, campaign)` → Google Analytics 4's "Default channel group".
 * - `channel_source_categories()` → table of (source, category) behind the source-list rules.
 * - `channel_group_rules()` → table of (position, channel_group, definition), the rules in order.
 * - `name_words(full_names)`, `name_pattern(full_names)`, `mask_names(text, pattern)` → masking of
 *   people's names in texts.
 */
import { literal } from '../core/sql.ts';

/** A GA4 source category: the lists Google keeps of social, search, video and shopping sites. */
export type SourceCategory = 'social' | 'search' | 'video' | 'shopping';

/**
 * Social sites (GA4's SOURCE_CATEGORY_SOCIAL, its common entries), plus `x` and `x.com` beside
 * GA4's `twitter` entries, since campaigns now tag X as `utm_source=x`. YouTube is a video site,
 * not a social one: Paid/Organic Social are checked before Paid/Organic Video, so listing it here
 * would steal its traffic.
 */
export const SOCIAL_SOURCES: readonly string[] = [
  'facebook', 'facebook.com', 'fb', 'fb.me', 'm.facebook.com', 'l.facebook.com', 'lm.facebook.com', 'web.facebook.com',
  'mobile.facebook.com', 'touch.facebook.com', 'business.facebook.com', 'apps.facebook.com', 'free.facebook.com',
  'instagram', 'instagram.com', 'ig', 'l.instagram.com',
  'messenger', 'messenger.com', 'l.messenger.com', 'whatsapp', 'whatsapp.com',
  'linkedin', 'linkedin.com', 'lnkd.in',
  't.co', 'twitter', 'twitter.com', 'x', 'x.com', 'tweetdeck', 'tweetdeck.com',
  'pinterest', 'pinterest.com', 'pinterest.co.uk', 'pinterest.de', 'pinterest.fr', 'pinterest.ca', 'pinterest.com.au',
  'reddit', 'reddit.com', 'old.reddit.com', 'out.reddit.com', 'amp.reddit.com',
  'tiktok', 'tiktok.com', 'snapchat', 'snapchat.com', 'quora', 'quora.com', 'tumblr', 'tumblr.com',
  't.me', 'line', 'line.me', 'wechat', 'wechat.com', 'weibo', 'weibo.com', 'vk.com', 'm.vk.com', 'away.vk.com',
  'kakao', 'kakao.com', 'douban', 'douban.com', 'xing', 'xing.com', 'medium.com', 'news.ycombinator.com',
  'flickr', 'flickr.com', 'flipboard', 'flipboard.com', 'meetup', 'meetup.com', 'glassdoor', 'glassdoor.com',
  'yelp', 'yelp.com', 'm.yelp.com', 'tripadvisor', 'tripadvisor.com', 'trustpilot', 'stackoverflow', 'stackoverflow.com',
  'blogger', 'blogger.com', 'wordpress', 'wordpress.com', 'hootsuite', 'hootsuite.com', 'groups.google.com', 'sites.google.com',
];

/**
 * Search sites (GA4's SOURCE_CATEGORY_SEARCH, its common entries), plus the bare domains of the
 * big engines, because referrer hosts from web event files arrive as domains (`google.com`).
 */
export const SEARCH_SOURCES: readonly string[] = [
  'google', 'google.com', 'search.google.com', 'lens.google.com', 'news.google.com', 'play.google.com', 'google-play',
  'bing', 'bing.com', 'cn.bing.com', 'msn', 'msn.com', 'ntp.msn.com',
  'yahoo', 'yahoo.com', 'yahoo.co.jp', 'search.yahoo.com', 'us.search.yahoo.com', 'uk.search.yahoo.com', 'de.search.yahoo.com',
  'fr.search.yahoo.com', 'ca.search.yahoo.com',
  'duckduckgo', 'duckduckgo.com', 'baidu', 'baidu.com', 'm.baidu.com',
  'yandex', 'yandex.ru', 'yandex.com', 'yandex.com.tr', 'yandex.ua', 'yandex.by', 'yandex.kz',
  'ecosia.org', 'qwant', 'qwant.com', 'naver', 'naver.com', 'm.naver.com', 'm.search.naver.com', 'daum', 'daum.net',
  'seznam', 'seznam.cz', 'sogou', 'sogou.com', 'so.com', '360.cn', 'aol', 'search.aol.com', 'ask', 'dogpile', 'dogpile.com',
  'rambler', 'rambler.ru', 'onet', 'onet.pl', 'lycos', 'excite.com', 'rakuten', 'rakuten.co.jp',
];

/** Video sites (GA4's SOURCE_CATEGORY_VIDEO, its common entries). */
export const VIDEO_SOURCES: readonly string[] = [
  'youtube', 'youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtu.be',
  'vimeo', 'vimeo.com', 'player.vimeo.com',
  'twitch', 'twitch.tv', 'm.twitch.tv', 'player.twitch.tv', 'dashboard.twitch.tv',
  'dailymotion', 'dailymotion.com', 'netflix', 'netflix.com', 'hulu', 'hulu.com', 'disneyplus', 'disneyplus.com',
  'ted', 'ted.com', 'wistia', 'wistia.com', 'fast.wistia.net', 'youku', 'youku.com', 'iqiyi', 'iqiyi.com',
  'crackle', 'crackle.com', 'veoh', 'veoh.com', 'curiositystream', 'curiositystream.com',
];

/** Shopping sites (GA4's SOURCE_CATEGORY_SHOPPING, its common entries; lower-cased like the inputs). */
export const SHOPPING_SOURCES: readonly string[] = [
  'amazon', 'amazon.com', 'amazon.co.uk', 'ebay', 'ebay.com', 'ebay.co.uk', 'ebay.de', 'ebay.com.au',
  'etsy', 'etsy.com', 'shopify', 'shopify.com', 'apps.shopify.com', 'checkout.shopify.com', 'partners.shopify.com', 'shop.app',
  'walmart', 'walmart.com', 'one.walmart.com', 'alibaba', 'alibaba.com', 'm.alibaba.com',
  'mercadolibre', 'mercadolibre.com', 'google shopping', 'igshopping',
  'shopping.yahoo.com', 'shopping.naver.com', 'm.shopping.naver.com', 'shopzilla', 'shopzilla.com',
  'stripe', 'stripe.com', 'checkout.stripe.com',
];

/** The source lists by category. */
export const SOURCE_CATEGORIES: Readonly<Record<SourceCategory, readonly string[]>> = {
  social: SOCIAL_SOURCES,
  search: SEARCH_SOURCES,
  video: VIDEO_SOURCES,
  shopping: SHOPPING_SOURCES,
};

/** GA4's paid-medium pattern: any medium containing "cp" (cpc, cpm, cpa, cpv …), ppc, retargeting, paid… */
export const PAID_MEDIUM_PATTERN = '^(.*cp.*|ppc|retargeting|paid.*)$';

/** GA4's shopping-campaign pattern: "shop" at a word start (or after "e", as in "eshop") or "shopping". */
export const SHOPPING_CAMPAIGN_PATTERN = '^(.*(([^a-df-z]|^)shop|shopping).*)$';

/** The channel groups, in the order their rules are tried. */
export const CHANNEL_GROUPS = [
  'Direct', 'Cross-network', 'Paid Shopping', 'Paid Search', 'Paid Social', 'Paid Video', 'Display', 'Paid Other',
  'Organic Shopping', 'Organic Social', 'Organic Video', 'Organic Search', 'Referral', 'Email', 'Affiliates', 'Audio',
  'SMS', 'Mobile Push Notifications', 'Unassigned',
] as const;

/** One of GA4's default channel groups. */
export type ChannelGroup = (typeof CHANNEL_GROUPS)[number];

/** One rule: the group it assigns, Google's definition in words, and the SQL condition over `s`, `m`, `c`. */
export interface ChannelRule {
  readonly group: ChannelGroup;
  readonly definition: string;
  /** A SQL boolean over the placeholders `{s}`, `{m}`, `{c}` (normalised source, medium, campaign). */
  readonly when: string;
}

const list = (values: readonly string[]) => `[${values.map(literal).join(', ')}]`;
const inList = (placeholder: string, values: readonly string[]) => `list_contains(${list(values)}, ${placeholder})`;
const matches = (placeholder: string, pattern: string) => `regexp_matches(${placeholder}, ${literal(pattern)})`;
const paidMedium = matches('{m}', PAID_MEDIUM_PATTERN);
const shoppingCampaign = matches('{c}', SHOPPING_CAMPAIGN_PATTERN);

/**
 * GA4's "Default channel group" rules, in order; the first that matches wins
 * (https://support.google.com/analytics/answer/9756891).
 */
export const CHANNEL_RULES: readonly ChannelRule[] = [
  // Direct: no campaign data and no referrer.
  {
    group: 'Direct',
    definition: 'Source exactly matches "(direct)" AND Medium is one of ("(not set)", "(none)")',
    when: `{s} = '(direct)' and {m} in ('(not set)', '(none)')`,
  },
  // Cross-network: Google Ads campaigns that run across networks (Performance Max, Demand Gen, Smart).
  {
    group: 'Cross-network',
    definition: 'Campaign Name contains "cross-network"',
    when: `contains({c}, 'cross-network')`,
  },
  // Paid Shopping: a paid medium from a shopping site or a shopping campaign.
  {
    group: 'Paid Shopping',
    definition: `(Source matches a list of shopping sites OR Campaign Name matches regex ${SHOPPING_CAMPAIGN_PATTERN}) AND Medium matches regex ${PAID_MEDIUM_PATTERN}`,
    when: `(${inList('{s}', SHOPPING_SOURCES)} or ${shoppingCampaign}) and ${paidMedium}`,
  },
  // Paid Search: a paid medium from a search engine.
  {
    group: 'Paid Search',
    definition: `Source matches a list of search sites AND Medium matches regex ${PAID_MEDIUM_PATTERN}`,
    when: `${inList('{s}', SEARCH_SOURCES)} and ${paidMedium}`,
  },
  // Paid Social: a paid medium from a social site.
  {
    group: 'Paid Social',
    definition: `Source matches a list of social sites AND Medium matches regex ${PAID_MEDIUM_PATTERN}`,
    when: `${inList('{s}', SOCIAL_SOURCES)} and ${paidMedium}`,
  },
  // Paid Video: a paid medium from a video site.
  {
    group: 'Paid Video',
    definition: `Source matches a list of video sites AND Medium matches regex ${PAID_MEDIUM_PATTERN}`,
    when: `${inList('{s}', VIDEO_SOURCES)} and ${paidMedium}`,
  },
  // Display: banner-style media ("cpm" is paid too, but from search/social/video sites those rules win first).
  {
    group: 'Display',
    definition: 'Medium is one of ("display", "banner", "expandable", "interstitial", "cpm")',
    when: `{m} in ('display', 'banner', 'expandable', 'interstitial', 'cpm')`,
  },
  // Paid Other: any other paid medium.
  {
    group: 'Paid Other',
    definition: `Medium matches regex ${PAID_MEDIUM_PATTERN}`,
    when: paidMedium,
  },
  // Organic Shopping: unpaid traffic from a shopping site or a shopping campaign.
  {
    group: 'Organic Shopping',
    definition: `Source matches a list of shopping sites OR Campaign Name matches regex ${SHOPPING_CAMPAIGN_PATTERN}`,
    when: `${inList('{s}', SHOPPING_SOURCES)} or ${shoppingCampaign}`,
  },
  // Organic Social: unpaid traffic from a social site, or a social medium.
  {
    group: 'Organic Social',
    definition: 'Source matches a list of social sites OR Medium is one of ("social", "social-network", "social-media", "sm", "social network", "social media")',
    when: `${inList('{s}', SOCIAL_SOURCES)} or {m} in ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media')`,
  },
  // Organic Video: unpaid traffic from a video site, or a medium mentioning video.
  {
    group: 'Organic Video',
    definition: 'Source matches a list of video sites OR Medium matches regex ^(.*video.*)$',
    when: `${inList('{s}', VIDEO_SOURCES)} or ${matches('{m}', '^(.*video.*)$')}`,
  },
  // Organic Search: unpaid traffic from a search engine, or medium "organic".
  {
    group: 'Organic Search',
    definition: 'Source matches a list of search sites OR Medium exactly matches "organic"',
    when: `${inList('{s}', SEARCH_SOURCES)} or {m} = 'organic'`,
  },
  // Referral: a link from another site or app.
  {
    group: 'Referral',
    definition: 'Medium is one of ("referral", "app", "link")',
    when: `{m} in ('referral', 'app', 'link')`,
  },
  // Email: source or medium spelled as one of the usual ways of writing "email".
  {
    group: 'Email',
    definition: 'Source = email|e-mail|e_mail|e mail OR Medium = email|e-mail|e_mail|e mail',
    when: `{s} in ('email', 'e-mail', 'e_mail', 'e mail') or {m} in ('email', 'e-mail', 'e_mail', 'e mail')`,
  },
  // Affiliates: affiliate links.
  {
    group: 'Affiliates',
    definition: 'Medium = affiliate',
    when: `{m} = 'affiliate'`,
  },
  // Audio: audio ads (podcasts, streaming radio).
  {
    group: 'Audio',
    definition: 'Medium exactly matches "audio"',
    when: `{m} = 'audio'`,
  },
  // SMS: text-message links.
  {
    group: 'SMS',
    definition: 'Source exactly matches "sms" OR Medium exactly matches "sms"',
    when: `{s} = 'sms' or {m} = 'sms'`,
  },
  // Mobile Push Notifications: app push messages.
  {
    group: 'Mobile Push Notifications',
    definition: 'Medium ends with "push" OR Medium contains "mobile" or "notification" OR Source exactly matches "firebase"',
    when: `suffix({m}, 'push') or contains({m}, 'mobile') or contains({m}, 'notification') or {s} = 'firebase'`,
  },
];

/**
 * Normalises one input as GA4 compares it: lower-cased; NULL or empty is GA4's "(not set)"; a
 * leading "www." is dropped so referrer hosts (`www.google.com`) meet the site lists.
 */
function normalized(param: string, stripWww: boolean): string {
  const lowered = stripWww ? `regexp_replace(lower(${param}), '^www\\.', '')` : `lower(${param})`;
  return `coalesce(nullif(${lowered}, ''), '(not set)')`;
}

/** Renders the `channel_group` macro: one `case` over the rules, falling through to 'Unassigned'. */
function channelGroupMacro(): string {
  const fill = (when: string) =>
    when.replaceAll('{s}', normalized('source', true)).replaceAll('{m}', normalized('medium', false)).replaceAll('{c}', normalized('campaign', false));
  const branches = CHANNEL_RULES.map((rule) => `    when ${fill(rule.when)}\n      then ${literal(rule.group)}`);
  return [
    'create or replace macro channel_group(source, medium, campaign) as',
    '  case',
    ...branches,
    `    else 'Unassigned'`,
    '  end',
  ].join('\n');
}

/** Renders `channel_source_categories()`: the site lists as a table, for joins and for reading. */
function sourceCategoriesMacro(): string {
  const rows = (Object.entries(SOURCE_CATEGORIES) as [SourceCategory, readonly string[]][]).flatMap(([category, sources]) =>
    sources.map((source) => `(${literal(source)}, ${literal(category)})`),
  );
  return `create or replace macro channel_source_categories() as table\n  select * from (values\n    ${rows.join(',\n    ')}\n  ) as t(source, category)`;
}

/** Renders `channel_group_rules()`: the rules in order with Google's definitions, as documentation. */
function channelRulesMacro(): string {
  const rows = [...CHANNEL_RULES.map((r) => [r.group, r.definition] as const), ['Unassigned', 'No rule above matched'] as const].map(
    ([group, definition], i) => `(${i + 1}, ${literal(group)}, ${literal(definition)})`,
  );
  return `create or replace macro channel_group_rules() as table\n  select * from (values\n    ${rows.join(',\n    ')}\n  ) as t(position, channel_group, definition)`;
}

/**
 * What counts as a letter when masking names: ASCII letters, digits and `_` plus U+0080..U+1FFF
 * (accented Latin, Greek, Cyrillic, combining marks and more). RE2's `\b` knows only ASCII, so
 * "Chloé" never matched it; the Unicode classes `\pL\pM` made masking five times slower.
 * Punctuation, curly quotes and emoji (U+2000 on) are not letters.
 */
const NAME_LETTER = String.raw`0-9A-Z_a-z\x{80}-\x{1FFF}`;

/**
 * Name masking, shared by every model that masks the names of the people in a thread:
 * - `name_words(full_names)`: the distinct words (2+ letters, punctuation at their ends dropped,
 *   so "J.R." gives "J.R") of a list of full names, in reverse alphabetical order, which puts a
 *   word before any prefix of it, so "Jean-Luc" wins over "Jean" in the alternation;
 * - `name_pattern(full_names)`: one RE2 pattern matching any of those words between non-letters or
 *   a text's ends, or NULL when there is none (an empty alternation would match everywhere);
 * - `mask_names(text, pattern)`: the text with every match replaced by `[name]`. It runs twice: a
 *   match takes the character after the name with it, so of two names one character apart ("Ann
 *   Lee") the first pass masks the first and the second pass the other.
 */
function nameMaskingMacros(): string[] {
  const notLetter = `[^${NAME_LETTER}]`;
  return [
    `create or replace macro name_words(full_names) as list_sort(list_distinct(list_filter(
      list_transform(flatten(list_transform(full_names, full_name -> string_split(full_name, ' '))), word -> regexp_replace(word, ${literal(`^${notLetter}+|${notLetter}+$`)}, '', 'g')),
      word -> length(word) >= 2)), 'DESC')`,
    `create or replace macro name_pattern(full_names) as case when len(name_words(full_names)) > 0 then
      ${literal(`(^|${notLetter})(`)} || array_to_string(list_transform(name_words(full_names), word -> regexp_replace(word, ${literal(String.raw`([.^$|()\[\]{}*+?\\])`)}, ${literal(String.raw`\\\1`)}, 'g')), '|') || ${literal(`)($|${notLetter})`)} end`,
    `create or replace macro mask_names(text, pattern) as case when pattern is null then text
      else regexp_replace(regexp_replace(text, pattern, ${literal(String.raw`\1[name]\3`)}, 'g'), pattern, ${literal(String.raw`\1[name]\3`)}, 'g') end`,
  ];
}

/** The product's macros as `create or replace macro` statements, in creation order. */
export const MACROS: readonly string[] = [channelGroupMacro(), sourceCategoriesMacro(), channelRulesMacro(), ...nameMaskingMacros()];

/** Settings the models read through macros (from the `models` section of the config). */
export interface ModelSettings {
  /** IANA zone daily grains are cut in. */
  reportingTimeZone: string;
  /** Days without an order after which a customer counts as churned. */
  churnWindowDays: number;
  /** Days before an order in which sessions get attribution credit. */
  attributionLookbackDays: number;
}

/** The defaults of `ModelSettings` (those of the config schema). */
export const DEFAULT_MODEL_SETTINGS: ModelSettings = { reportingTimeZone: 'UTC', churnWindowDays: 90, attributionLookbackDays: 30 };

/**
 * Macros that carry the settings and the warehouse's conventions into plain SQL:
 * - `report_date(ts)`: the calendar day of a timestamp in the reporting time zone;
 * - `reporting_time_zone()`, `churn_window_days()`, `attribution_lookback_days()`;
 * - `pseudonym(value)`: a stable pseudonymous key for a person (from staging on, people are keys,
 *   never emails, names or handles): 'p_' + 16 hex digits of a SHA-256 of the normalised value.
 */
export function settingsMacros(settings: ModelSettings = DEFAULT_MODEL_SETTINGS): string[] {
  const zone = literal(settings.reportingTimeZone);
  return [
    `create or replace macro reporting_time_zone() as ${zone}`,
    `create or replace macro report_date(ts) as cast(timezone(${zone}, ts::timestamptz) as date)`,
    `create or replace macro churn_window_days() as ${Math.trunc(settings.churnWindowDays)}`,
    `create or replace macro attribution_lookback_days() as ${Math.trunc(settings.attributionLookbackDays)}`,
    `create or replace macro pseudonym(value) as case when value is null or trim(value::varchar) = '' then null else 'p_' || left(sha256('brandpulse:' || lower(trim(value::varchar))), 16) end`,
  ];
}

/** Creates (or replaces) the product's macros in the open database. */
export async function createMacros(db: { run(sql: string): Promise<unknown> }, settings: ModelSettings = DEFAULT_MODEL_SETTINGS): Promise<void> {
  for (const sql of [...MACROS, ...settingsMacros(settings)]) await db.run(sql);
}
