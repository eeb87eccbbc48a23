/**
 * The commerce marts: web sessions, order attribution, campaign performance, A/B tests and
 * influencer performance (DESIGN.md, Marts).
 */
import { defineModel } from '../../engine/index.ts';
import { WEB_LOOKBACK_DAYS } from '../../staging/commerce/web-events.ts';
import { abTestRows } from './ab-stats.ts';

/** The attribution models of fct_conversions and fct_campaign_performance. */
export const ATTRIBUTION_MODELS = ['first_touch', 'last_non_direct', 'linear', 'last_click'] as const;

export const fctWebSessions = defineModel({
  name: 'fct_web_sessions',
  layer: 'marts',
  sql: 'sql/marts/fct_web_sessions.sql',
  materialized: 'incremental',
  // A projection of int_sessions: the same window as int_sessions.
  incremental: { eventTime: 'started_at', lookbackDays: WEB_LOOKBACK_DAYS },
  grain: 'session',
  uniqueKey: ['session_id'],
  tags: ['commerce'],
  description:
    'One row per web session, rebuilt from web events (a gap of more than 30 minutes starts a new session, per browser). Source/medium/campaign/content/term from the landing URL\'s UTM tags ' +
    '(lower-cased), else gclid → google / cpc, fbclid → facebook / paid_social, else the external referrer (search engine → organic, other → referral), else (direct) / (none); ' +
    'channel_group = GA4 default channel group. engaged (GA4) = lasted ≥ 10 s, or ≥ 1 key event (purchase, newsletter_signup), or ≥ 2 page views. ' +
    'converted = holds a purchase; purchases are deduplicated by order id. Counts differ from GA4 (which samples consent, and splits sessions by its own client rules).',
  columns: {
    session_id: { type: 'VARCHAR', description: 'Session id: anonymous_key.epoch seconds of its first event.' },
    anonymous_key: { type: 'VARCHAR', description: 'Pseudonymous browser key.' },
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key when the visitor was logged in.', nullable: true },
    started_at: { type: 'TIMESTAMPTZ', description: 'First event of the session (UTC).' },
    session_date: { type: 'DATE', description: 'Day the session started, in the reporting time zone.' },
    duration_seconds: { type: 'DOUBLE', description: 'Last event − first event, in seconds.' },
    source: { type: 'VARCHAR', description: 'Traffic source, lower-case ((direct) when none).' },
    medium: { type: 'VARCHAR', description: 'Traffic medium, lower-case ((none) when none).' },
    campaign: { type: 'VARCHAR', description: 'Campaign (lower-cased utm_campaign; (direct), (organic), (referral), (not set) otherwise).' },
    content: { type: 'VARCHAR', description: 'utm_content, lower-case, or (not set).' },
    term: { type: 'VARCHAR', description: 'utm_term, lower-case, or (not set).' },
    channel_group: { type: 'VARCHAR', description: 'GA4 default channel group: channel_group(source, medium, campaign).' },
    landing_page: { type: 'VARCHAR', description: 'Path of the first page viewed.' },
    referrer_host: { type: 'VARCHAR', description: 'External referrer host (www. dropped).', nullable: true },
    pageviews: { type: 'BIGINT', description: 'Page views in the session.' },
    engaged: { type: 'BOOLEAN', description: 'GA4 engaged session: ≥ 10 s, or ≥ 1 key event, or ≥ 2 page views.' },
    converted: { type: 'BOOLEAN', description: 'The session holds a purchase.' },
    signed_up: { type: 'BOOLEAN', description: 'The session holds a newsletter signup.' },
    orders: { type: 'BIGINT', description: 'Distinct orders purchased in the session.' },
    revenue: { type: 'DECIMAL(18,2)', description: 'Purchase value of those orders, in currency.' },
    currency: { type: 'VARCHAR', description: 'Currency of revenue (NULL without purchases).', nullable: true },
  },
  tests: [
    { kind: 'expression', expression: 'pageviews >= 0 and orders >= 0 and revenue >= 0' },
    { kind: 'expression', name: 'converted sessions are engaged', expression: 'not converted or engaged' },
    { kind: 'expression', name: 'revenue has a currency', expression: 'revenue = 0 or currency is not null' },
  ],
});

export const fctConversions = defineModel({
  name: 'fct_conversions',
  layer: 'marts',
  sql: 'sql/marts/fct_conversions.sql',
  materialized: 'incremental',
  // Rebuilt per order: the orders whose touchpoints changed, and every order of customers with a new or restated order.
  incremental: { by: 'order_id', changed: 'sql/marts/fct_conversions.changed.sql' },
  grain: 'order × attribution model × credited touchpoint',
  uniqueKey: ['order_id', 'attribution_model', 'touchpoint_id'],
  tags: ['commerce'],
  description:
    'Credit for each non-cancelled order under four attribution models, one row per credited touchpoint; an order\'s credits sum to 1 per model. Touchpoints = sessions of the same visitor or ' +
    'customer within attribution_lookback_days() (default 30) before the order. first_touch: 1 to the earliest; last_non_direct: 1 to the latest non-Direct one (the latest when all are Direct); ' +
    'linear: 1/n to each of n; last_click: 1 to the order\'s own landing URL (Shopify landing_site / referring_site). Orders no session links to are credited to their landing URL in every model ' +
    '(touchpoint_type order_landing_site). attributed_revenue = credit × order net revenue (total − refunds), in the order currency.',
  columns: {
    order_id: { type: 'VARCHAR', description: 'Shop order id.' },
    attribution_model: { type: 'VARCHAR', description: 'first_touch, last_non_direct, linear or last_click.' },
    touchpoint_id: { type: 'VARCHAR', description: 'Session id, or order:<order_id> for the order\'s landing URL.' },
    touchpoint_type: { type: 'VARCHAR', description: 'session or order_landing_site.' },
    session_id: { type: 'VARCHAR', description: 'Credited session (NULL for the landing URL).', nullable: true },
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key of the order.', nullable: true },
    order_at: { type: 'TIMESTAMPTZ', description: 'When the order was placed.' },
    order_date: { type: 'DATE', description: 'Day of the order (reporting time zone).' },
    touchpoint_at: { type: 'TIMESTAMPTZ', description: 'Session start (or the order time for the landing URL).' },
    days_before_order: { type: 'DOUBLE', description: 'Days from touchpoint to order.' },
    source: { type: 'VARCHAR', description: 'Touchpoint source.' },
    medium: { type: 'VARCHAR', description: 'Touchpoint medium.' },
    campaign: { type: 'VARCHAR', description: 'Touchpoint campaign.' },
    content: { type: 'VARCHAR', description: 'Touchpoint content.' },
    term: { type: 'VARCHAR', description: 'Touchpoint term.' },
    campaign_key: { type: 'VARCHAR', description: 'lower(utm_campaign) of the touchpoint.', nullable: true },
    channel_group: { type: 'VARCHAR', description: 'GA4 default channel group of the touchpoint.' },
    credit: { type: 'DOUBLE', description: 'Share of the order credited to the touchpoint (0 < credit ≤ 1).' },
    credit_total_for_model: { type: 'DOUBLE', description: 'Sum of the order\'s credits under this model (always 1; tested).' },
    order_net_revenue: { type: 'DECIMAL(18,2)', description: 'Order total − refunds, in currency.' },
    attributed_revenue: { type: 'DECIMAL(18,4)', description: 'credit × order_net_revenue.' },
    currency: { type: 'VARCHAR', description: 'Order currency.' },
    is_new_customer: { type: 'BOOLEAN', description: 'The customer\'s first non-cancelled order.' },
    touchpoints_in_window: { type: 'INTEGER', description: 'Sessions linked to the order in the lookback (0 when credited to the landing URL).' },
    lookback_days: { type: 'INTEGER', description: 'attribution_lookback_days() of the build.' },
  },
  tests: [
    { kind: 'accepted_values', column: 'attribution_model', values: [...ATTRIBUTION_MODELS] },
    { kind: 'accepted_values', column: 'touchpoint_type', values: ['session', 'order_landing_site'] },
    { kind: 'expression', name: 'credit in (0, 1]', expression: 'credit > 0 and credit <= 1' },
    { kind: 'expression', name: 'credits of an order sum to 1 per model', expression: 'abs(credit_total_for_model - 1) < 1e-9' },
    { kind: 'relationships', column: 'session_id', to: 'intermediate.int_sessions', field: 'session_id' },
  ],
});

export const fctCampaignPerformance = defineModel({
  name: 'fct_campaign_performance',
  layer: 'marts',
  sql: 'sql/marts/fct_campaign_performance.sql',
  materialized: 'table',
  grain: 'campaign × day × attribution model',
  uniqueKey: ['campaign_key', 'date_day', 'attribution_model'],
  tags: ['commerce'],
  description:
    'Campaign performance per day and attribution model. campaign_key = lower-cased utm_campaign; Meta campaigns map to it through their ads\' url_tags (else their name lower-cased with "_"). ' +
    'ctr = clicks / impressions; cpc = spend / clicks; conversion_rate = converting sessions / sessions; roas = attributed revenue / spend; roi = (attributed revenue − spend) / spend; ' +
    'cac = spend / new customers (credit-weighted). Ratios are NULL when the denominator is 0. One currency per campaign (its spend currency, else the shop\'s main order currency); amounts in ' +
    'other currencies are converted with stg_fx_rates, and without a rate they are left out, has_unconverted_amounts is true and roas/roi/cac are NULL. Spend, clicks and sessions repeat on each model\'s row.',
  columns: {
    campaign_key: { type: 'VARCHAR', description: 'Lower-cased utm_campaign.' },
    date_day: { type: 'DATE', description: 'Day (ad account day for spend, session day for sessions, order day for attributed revenue).' },
    attribution_model: { type: 'VARCHAR', description: 'Attribution model of the attributed columns.' },
    campaign_name: { type: 'VARCHAR', description: 'Meta campaign name(s) when the campaign has Meta spend.', nullable: true },
    currency: { type: 'VARCHAR', description: 'Currency of spend and revenue columns.' },
    spend: { type: 'DECIMAL(18,2)', description: 'Meta spend.' },
    impressions: { type: 'BIGINT', description: 'Meta impressions.' },
    clicks: { type: 'BIGINT', description: 'Meta clicks (all).' },
    link_clicks: { type: 'BIGINT', description: 'Meta link clicks.' },
    ctr: { type: 'DOUBLE', description: 'clicks / impressions.', nullable: true },
    cpc: { type: 'DOUBLE', description: 'spend / clicks.', nullable: true },
    sessions: { type: 'BIGINT', description: 'Web sessions landing with the campaign.' },
    engaged_sessions: { type: 'BIGINT', description: 'Engaged sessions among them.' },
    conversions: { type: 'BIGINT', description: 'Converting sessions among them.' },
    conversion_rate: { type: 'DOUBLE', description: 'conversions / sessions.', nullable: true },
    signups: { type: 'BIGINT', description: 'Sessions with a newsletter signup.' },
    attributed_orders: { type: 'DOUBLE', description: 'Orders credited to the campaign (sum of credit).' },
    attributed_revenue: { type: 'DECIMAL(18,2)', description: 'Net revenue credited to the campaign, in currency.' },
    new_customers: { type: 'DOUBLE', description: 'First orders of customers credited to the campaign (sum of credit).' },
    roas: { type: 'DOUBLE', description: 'attributed_revenue / spend.', nullable: true },
    roi: { type: 'DOUBLE', description: '(attributed_revenue − spend) / spend.', nullable: true },
    cac: { type: 'DOUBLE', description: 'spend / new_customers.', nullable: true },
    platform_purchases: { type: 'BIGINT', description: 'Purchases Meta itself attributes (its own windows; not comparable to attributed_orders).' },
    platform_purchase_value: { type: 'DECIMAL(18,2)', description: 'Value of those purchases.' },
    has_unconverted_amounts: { type: 'BOOLEAN', description: 'Some amount had no FX rate to currency and was left out.' },
    is_provisional: { type: 'BOOLEAN', description: 'Within 7 days of the latest Meta insights day (Meta still restates conversions).' },
  },
  tests: [
    { kind: 'accepted_values', column: 'attribution_model', values: [...ATTRIBUTION_MODELS] },
    { kind: 'expression', expression: 'conversions <= sessions and spend >= 0 and clicks >= 0' },
  ],
});

export const fctAbTests = defineModel({
  name: 'fct_ab_tests',
  layer: 'marts',
  sql: 'sql/marts/fct_ab_tests.sql',
  materialized: 'table',
  grain: 'A/B test × variant',
  uniqueKey: ['test_id', 'variant'],
  tags: ['commerce'],
  description:
    'A/B tests of landing variants (stg_ab_test_variants: campaign pattern + utm_content). conversion_rate = converting sessions / sessions with its 95% Wilson score interval; ' +
    'lift = (rate − control rate) / control rate; p_value = two-sided pooled two-proportion z-test against the control; enough_sample = every variant has ≥ 100 sessions and ≥ 10 conversions; ' +
    'is_significant = enough_sample and p_value < 0.05.',
  columns: {
    test_id: { type: 'VARCHAR', description: 'Test id.' },
    test_name: { type: 'VARCHAR', description: 'Test name.' },
    variant: { type: 'VARCHAR', description: 'Variant name.' },
    utm_content: { type: 'VARCHAR', description: 'utm_content of the variant.' },
    is_control: { type: 'BOOLEAN', description: 'The control arm.' },
    sessions: { type: 'BIGINT', description: 'Sessions of the variant.' },
    conversions: { type: 'BIGINT', description: 'Converting sessions of the variant.' },
    conversion_rate: { type: 'DOUBLE', description: 'conversions / sessions.', nullable: true },
    ci_low: { type: 'DOUBLE', description: 'Lower bound of the 95% Wilson interval.', nullable: true },
    ci_high: { type: 'DOUBLE', description: 'Upper bound of the 95% Wilson interval.', nullable: true },
    control_conversion_rate: { type: 'DOUBLE', description: 'Conversion rate of the control.', nullable: true },
    lift: { type: 'DOUBLE', description: '(conversion_rate − control) / control; NULL for the control.', nullable: true },
    z_score: { type: 'DOUBLE', description: 'z of the pooled two-proportion test; NULL for the control.', nullable: true },
    p_value: { type: 'DOUBLE', description: 'Two-sided p-value; NULL for the control.', nullable: true },
    enough_sample: { type: 'BOOLEAN', description: 'Every variant has ≥ 100 sessions and ≥ 10 conversions.' },
    is_significant: { type: 'BOOLEAN', description: 'enough_sample and p_value < 0.05; NULL for the control.', nullable: true },
    first_session_date: { type: 'DATE', description: 'First session day of the variant.', nullable: true },
    last_session_date: { type: 'DATE', description: 'Last session day of the variant.', nullable: true },
  },
  tests: [{ kind: 'expression', expression: 'conversions <= sessions and (ci_low is null or ci_low <= conversion_rate and conversion_rate <= ci_high)' }],
  compute: { version: '1', run: (rows) => abTestRows(rows) },
});

export const fctInfluencerPerformance = defineModel({
  name: 'fct_influencer_performance',
  layer: 'marts',
  sql: 'sql/marts/fct_influencer_performance.sql',
  materialized: 'table',
  grain: 'influencer × day',
  uniqueKey: ['influencer_id', 'date_day'],
  tags: ['commerce'],
  description:
    'Influencer performance per day: sessions landing through the influencer\'s links (utm_content = their handle within their campaign, stg_influencers), conversions (converting sessions), ' +
    'revenue of those sessions, the fee (booked on the post date, else the first visit day), roi = (revenue − cost) / cost on the day and cumulative_roi to date. ' +
    'reach and engagements are NULL: the creators\' own post metrics are not in the sources.',
  columns: {
    influencer_id: { type: 'VARCHAR', description: 'Influencer id.' },
    date_day: { type: 'DATE', description: 'Day (reporting time zone).' },
    handle: { type: 'VARCHAR', description: 'Public creator handle.' },
    platform: { type: 'VARCHAR', description: 'Platform.' },
    followers: { type: 'BIGINT', description: 'Followers when contracted (seed).' },
    reach: { type: 'BIGINT', description: 'Not available from these sources.', nullable: true },
    engagements: { type: 'BIGINT', description: 'Not available from these sources.', nullable: true },
    sessions: { type: 'BIGINT', description: 'Sessions from the influencer\'s links.' },
    engaged_sessions: { type: 'BIGINT', description: 'Engaged sessions among them.' },
    conversions: { type: 'BIGINT', description: 'Converting sessions among them.' },
    orders: { type: 'BIGINT', description: 'Orders purchased in them.' },
    revenue: { type: 'DECIMAL(18,2)', description: 'Purchase revenue of those sessions, in currency.' },
    signups: { type: 'BIGINT', description: 'Newsletter signups in them.' },
    cost: { type: 'DECIMAL(18,2)', description: 'Fee booked on the day.' },
    currency: { type: 'VARCHAR', description: 'Currency of the fee and revenue.' },
    roi: { type: 'DOUBLE', description: '(revenue − cost) / cost; NULL without cost.', nullable: true },
    cumulative_revenue: { type: 'DECIMAL(18,2)', description: 'Revenue to date.' },
    cumulative_cost: { type: 'DECIMAL(18,2)', description: 'Cost to date.' },
    cumulative_roi: { type: 'DOUBLE', description: '(cumulative revenue − cumulative cost) / cumulative cost.', nullable: true },
    has_unconverted_revenue: { type: 'BOOLEAN', description: 'Some revenue had no FX rate to currency and was left out.' },
  },
  tests: [{ kind: 'expression', expression: 'conversions <= sessions and cost >= 0' }],
});
