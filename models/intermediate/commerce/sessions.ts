/**
 * Intermediate models of the commerce area: sessions rebuilt from web events, the sessions that
 * may take credit for each order, and Meta spend per campaign key and day.
 */
import { defineModel } from '../../engine/index.ts';
import { WEB_LOOKBACK_DAYS } from '../../staging/commerce/web-events.ts';

export const intSessions = defineModel({
  name: 'int_sessions',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_sessions.sql',
  materialized: 'incremental',
  // Sessions of the last week are rebuilt from the events (the same window as stg_web_events__events).
  incremental: { eventTime: 'started_at', lookbackDays: WEB_LOOKBACK_DAYS },
  grain: 'session',
  uniqueKey: ['session_id'],
  tags: ['commerce'],
  description:
    'Web sessions rebuilt from events: per browser, a gap of more than 30 minutes starts a new session. Traffic source from the landing page (first page_view): UTM tags, else gclid → google / cpc, ' +
    'else fbclid → facebook / paid_social, else an external referrer (search engine → organic, other → referral), else (direct) / (none); values lower-cased. ' +
    'engaged (GA4) = lasted ≥ 10 s, or ≥ 1 key event (purchase, newsletter_signup), or ≥ 2 page views. Purchases deduplicated by order id.',
  columns: {
    session_id: { type: 'VARCHAR', description: 'anonymous_key.epoch seconds of the first event.' },
    anonymous_key: { type: 'VARCHAR', description: 'Pseudonymous browser key.' },
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key when the visitor was logged in.', nullable: true },
    started_at: { type: 'TIMESTAMPTZ', description: 'First event.' },
    ended_at: { type: 'TIMESTAMPTZ', description: 'Last event.' },
    session_date: { type: 'DATE', description: 'report_date(started_at).' },
    duration_seconds: { type: 'DOUBLE', description: 'Last event − first event, seconds.' },
    source: { type: 'VARCHAR', description: 'Session source, lower-case.' },
    medium: { type: 'VARCHAR', description: 'Session medium, lower-case.' },
    campaign: { type: 'VARCHAR', description: 'Session campaign, lower-case; (direct), (organic), (referral), (not set) when none.' },
    content: { type: 'VARCHAR', description: 'utm_content, lower-case, or (not set).' },
    term: { type: 'VARCHAR', description: 'utm_term, lower-case, or (not set).' },
    campaign_key: { type: 'VARCHAR', description: 'lower(utm_campaign) of the landing URL.', nullable: true },
    channel_group: { type: 'VARCHAR', description: 'GA4 default channel group of source, medium, campaign.' },
    traffic_rule: { type: 'VARCHAR', description: 'Which rule set source/medium: utm, gclid, fbclid, referrer, none.' },
    landing_url: { type: 'VARCHAR', description: 'Full landing URL.', nullable: true },
    landing_page: { type: 'VARCHAR', description: 'Landing page path.' },
    referrer: { type: 'VARCHAR', description: 'Referrer of the landing page.', nullable: true },
    referrer_host: { type: 'VARCHAR', description: 'External referrer host without www. (NULL when none or internal).', nullable: true },
    events: { type: 'BIGINT', description: 'Events in the session.' },
    pageviews: { type: 'BIGINT', description: 'page_view events.' },
    key_events: { type: 'BIGINT', description: 'purchase and newsletter_signup events (before deduplication).' },
    engaged: { type: 'BOOLEAN', description: 'GA4 engaged session.' },
    converted: { type: 'BOOLEAN', description: 'Holds at least one (deduplicated) purchase.' },
    signed_up: { type: 'BOOLEAN', description: 'Holds a newsletter_signup.' },
    orders: { type: 'BIGINT', description: 'Distinct orders purchased.' },
    order_ids: { type: 'VARCHAR[]', description: 'Order ids purchased.' },
    revenue: { type: 'DECIMAL(18,2)', description: 'Purchase value of those orders.' },
    currency: { type: 'VARCHAR', description: 'Currency of revenue (NULL without purchases).', nullable: true },
  },
  tests: [
    { kind: 'expression', expression: 'started_at <= ended_at' },
    { kind: 'expression', expression: 'converted = (orders > 0)' },
    { kind: 'accepted_values', column: 'traffic_rule', values: ['utm', 'gclid', 'fbclid', 'referrer', 'none'] },
  ],
});

export const intTouchpoints = defineModel({
  name: 'int_touchpoints',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_touchpoints.sql',
  materialized: 'incremental',
  // Rebuilt per order: the orders whose record, people, browsers or linked sessions changed (see the changed SQL).
  incremental: { by: 'order_id', changed: 'sql/intermediate/int_touchpoints.changed.sql' },
  grain: 'order × linked session',
  uniqueKey: ['order_id', 'session_id'],
  tags: ['commerce'],
  description:
    'Sessions that may take credit for each non-cancelled order: same customer key, a browser that ever carried that customer key, or the session of the purchase event; started within ' +
    'attribution_lookback_days() before the order (the purchase session always counts).',
  columns: {
    order_id: { type: 'VARCHAR', description: 'Shop order id.' },
    session_id: { type: 'VARCHAR', description: 'Session id (int_sessions).' },
    anonymous_key: { type: 'VARCHAR', description: 'Browser of the session.' },
    order_created_at: { type: 'TIMESTAMPTZ', description: 'When the order was placed.' },
    session_started_at: { type: 'TIMESTAMPTZ', description: 'When the session started.' },
    days_before_order: { type: 'DOUBLE', description: 'Days from session start to order.' },
    touchpoint_number: { type: 'INTEGER', description: '1 = the earliest linked session.' },
    touchpoints: { type: 'INTEGER', description: 'Linked sessions of the order.' },
    is_purchase_session: { type: 'BOOLEAN', description: 'The session holds the order\'s purchase event.' },
    link_type: { type: 'VARCHAR', description: 'purchase, customer or visitor.' },
    source: { type: 'VARCHAR', description: 'Session source.' },
    medium: { type: 'VARCHAR', description: 'Session medium.' },
    campaign: { type: 'VARCHAR', description: 'Session campaign.' },
    content: { type: 'VARCHAR', description: 'Session content.' },
    term: { type: 'VARCHAR', description: 'Session term.' },
    campaign_key: { type: 'VARCHAR', description: 'lower(utm_campaign).', nullable: true },
    channel_group: { type: 'VARCHAR', description: 'GA4 default channel group.' },
  },
  tests: [
    { kind: 'relationships', column: 'session_id', to: 'intermediate.int_sessions', field: 'session_id' },
    { kind: 'expression', expression: 'touchpoint_number between 1 and touchpoints' },
  ],
});

export const intAdSpendDaily = defineModel({
  name: 'int_ad_spend_daily',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_ad_spend_daily.sql',
  materialized: 'table',
  grain: 'campaign key × day × currency',
  uniqueKey: ['campaign_key', 'date_day', 'currency'],
  tags: ['commerce'],
  description:
    'Meta delivery per campaign key and day. campaign_key = the lower-cased utm_campaign of the campaign\'s ads (url_tags or link; the most common when they differ), else the campaign name ' +
    'lower-cased with non-alphanumerics as "_".',
  columns: {
    campaign_key: { type: 'VARCHAR', description: 'Lower-cased utm_campaign the campaign\'s ads send.' },
    date_day: { type: 'DATE', description: 'Ad account day.' },
    currency: { type: 'VARCHAR', description: 'Ad account currency.' },
    campaign_names: { type: 'VARCHAR', description: 'Meta campaign name(s) mapped to the key.' },
    spend: { type: 'DECIMAL(18,2)', description: 'Spend in currency.' },
    impressions: { type: 'BIGINT', description: 'Impressions.' },
    clicks: { type: 'BIGINT', description: 'All clicks.' },
    link_clicks: { type: 'BIGINT', description: 'Link clicks.' },
    platform_purchases: { type: 'BIGINT', description: 'Purchases Meta attributes.' },
    platform_purchase_value: { type: 'DECIMAL(18,2)', description: 'Value of purchases Meta attributes.' },
  },
});
