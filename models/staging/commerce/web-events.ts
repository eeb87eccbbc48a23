/**
 * Staging of the web event exports: the NDJSON and CSV streams unioned and deduplicated, people
 * as pseudonymous keys, URL host/path and UTM / click-id parameters parsed from the page URL.
 */
import { defineModel } from '../../engine/index.ts';

/**
 * Days of web events re-read by every incremental build of the web models (staging events,
 * sessions, session facts): one window for all three, so a late event reaches each of them.
 */
export const WEB_LOOKBACK_DAYS = 7;

export const stgWebEventsEvents = defineModel({
  name: 'stg_web_events__events',
  layer: 'staging',
  sql: 'sql/staging/stg_web_events__events.sql',
  materialized: 'incremental',
  // The largest model: a scheduled build re-parses only the last week of events (tags send events within
  // minutes, the daily exports within a day or two; anything older is final).
  incremental: { eventTime: 'event_at', lookbackDays: WEB_LOOKBACK_DAYS },
  grain: 'event',
  uniqueKey: ['event_id'],
  tags: ['commerce', 'web_events'],
  description:
    'Web events (page views, add_to_cart, begin_checkout, purchase, newsletter_signup) from the NDJSON and CSV exports, one row per event_id (NDJSON preferred, then the latest load). ' +
    'Visitors and customers are pseudonymous keys; UTM parameters (utm_source, utm_medium, utm_campaign, utm_content, utm_term) and click ids (gclid, fbclid) are parsed from page_url ' +
    '(parameter names case-insensitive, values URL-decoded and kept as sent).',
  columns: {
    event_id: { type: 'VARCHAR', description: 'Event id as sent by the tag.' },
    event_name: { type: 'VARCHAR', description: 'Event name, lower-case (page_view, add_to_cart, begin_checkout, purchase, newsletter_signup).' },
    event_at: { type: 'TIMESTAMPTZ', description: 'When the event happened (UTC).' },
    event_date: { type: 'DATE', description: 'Day of the event in the reporting time zone (report_date).' },
    anonymous_key: { type: 'VARCHAR', description: 'Pseudonymous key of the browser (pseudonym of the anonymous id).' },
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous key of the logged-in customer (pseudonym of the shop customer id).', nullable: true },
    page_url: { type: 'VARCHAR', description: 'Full page URL.', nullable: true },
    url_host: { type: 'VARCHAR', description: 'Host of page_url, lower-case.', nullable: true },
    url_path: { type: 'VARCHAR', description: 'Path of page_url without query or fragment ("/" when empty).' },
    utm_source: { type: 'VARCHAR', description: 'utm_source of page_url, URL-decoded, as sent.', nullable: true },
    utm_medium: { type: 'VARCHAR', description: 'utm_medium of page_url, URL-decoded, as sent.', nullable: true },
    utm_campaign: { type: 'VARCHAR', description: 'utm_campaign of page_url, URL-decoded, as sent.', nullable: true },
    utm_content: { type: 'VARCHAR', description: 'utm_content of page_url, URL-decoded, as sent.', nullable: true },
    utm_term: { type: 'VARCHAR', description: 'utm_term of page_url, URL-decoded, as sent.', nullable: true },
    gclid: { type: 'VARCHAR', description: 'Google Ads click id of page_url.', nullable: true },
    fbclid: { type: 'VARCHAR', description: 'Meta click id of page_url.', nullable: true },
    referrer: { type: 'VARCHAR', description: 'Referrer URL.', nullable: true },
    referrer_host: { type: 'VARCHAR', description: 'Host of the referrer, lower-case.', nullable: true },
    order_id: { type: 'VARCHAR', description: 'Shop order id on purchase events.', nullable: true },
    event_value: { type: 'DECIMAL(18,2)', description: 'Event value (purchase revenue), in currency.', nullable: true },
    currency: { type: 'VARCHAR', description: 'ISO currency of event_value, upper-case.', nullable: true },
    export_format: { type: 'VARCHAR', description: 'Export the row came from: ndjson or csv.' },
  },
  tests: [{ kind: 'accepted_values', column: 'export_format', values: ['ndjson', 'csv'] }],
});
