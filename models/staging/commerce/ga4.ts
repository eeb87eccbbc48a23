/**
 * Staging of the GA4 Data API reports: positional dimension/metric arrays flattened into columns
 * in the order `connectors/ga4/schema.ts` requests them.
 */
import { defineModel } from '../../engine/index.ts';

export const stgGa4Sessions = defineModel({
  name: 'stg_ga4__sessions',
  layer: 'staging',
  sql: 'sql/staging/stg_ga4__sessions.sql',
  // A table, incremental per report day: its readers and its checks read stored rows instead of
  // running the view again, and a build recomputes only the report days loaded since the last.
  materialized: 'incremental',
  incremental: { by: 'report_date', changed: 'sql/staging/stg_ga4__sessions.changed.sql' },
  grain: 'property day × session source/medium/campaign/content/term × landing page',
  uniqueKey: ['report_date', 'session_source', 'session_medium', 'session_campaign_name', 'session_manual_ad_content', 'session_manual_term', 'landing_page'],
  tags: ['commerce', 'ga4'],
  description:
    'GA4 sessions report rows: dimensionValues[i] is SESSION_DIMENSIONS[i] and metricValues[i] is SESSION_METRICS[i] (connectors/ga4/schema.ts). ' +
    'Only the rows of the last load of each report_date are kept (GA4_LATEST_LOAD_FILTER). GA4 counts sessions with its own rules (client-side, consent-dependent), so its totals differ from fct_web_sessions.',
  columns: {
    report_date: { type: 'DATE', description: 'The property day requested.' },
    session_date: { type: 'DATE', description: 'GA4 `date` dimension (property time zone).' },
    session_source: { type: 'VARCHAR', description: 'GA4 sessionSource.' },
    session_medium: { type: 'VARCHAR', description: 'GA4 sessionMedium.' },
    session_campaign_name: { type: 'VARCHAR', description: 'GA4 sessionCampaignName.' },
    session_manual_ad_content: { type: 'VARCHAR', description: 'GA4 sessionManualAdContent (utm_content).' },
    session_manual_term: { type: 'VARCHAR', description: 'GA4 sessionManualTerm (utm_term).' },
    landing_page: { type: 'VARCHAR', description: 'GA4 landingPage (path without query).' },
    sessions: { type: 'BIGINT', description: 'GA4 sessions.' },
    engaged_sessions: { type: 'BIGINT', description: 'GA4 engagedSessions.' },
    key_events: { type: 'DOUBLE', description: 'GA4 keyEvents (formerly conversions).' },
    purchase_revenue: { type: 'DECIMAL(18,2)', description: 'GA4 purchaseRevenue in the property currency.' },
  },
  tests: [{ kind: 'expression', expression: 'engaged_sessions <= sessions' }],
});

export const stgGa4Transactions = defineModel({
  name: 'stg_ga4__transactions',
  layer: 'staging',
  sql: 'sql/staging/stg_ga4__transactions.sql',
  // A table, incremental per report day: its readers and its checks read stored rows instead of
  // running the view again, and a build recomputes only the report days loaded since the last.
  materialized: 'incremental',
  incremental: { by: 'report_date', changed: 'sql/staging/stg_ga4__transactions.changed.sql' },
  grain: 'property day × transaction × session source/medium/campaign',
  uniqueKey: ['report_date', 'transaction_id', 'session_source', 'session_medium', 'session_campaign_name'],
  tags: ['commerce', 'ga4'],
  description:
    'GA4 transactions report rows: dimensionValues[i] is TRANSACTION_DIMENSIONS[i], metricValues[i] is TRANSACTION_METRICS[i]. A purchase tag fired twice shows transactions = 2 with doubled revenue, as GA4 reports it.',
  columns: {
    report_date: { type: 'DATE', description: 'The property day requested.' },
    transaction_id: { type: 'VARCHAR', description: 'GA4 transactionId (the shop order id).' },
    transaction_date: { type: 'DATE', description: 'GA4 `date` dimension.' },
    session_source: { type: 'VARCHAR', description: 'GA4 sessionSource.' },
    session_medium: { type: 'VARCHAR', description: 'GA4 sessionMedium.' },
    session_campaign_name: { type: 'VARCHAR', description: 'GA4 sessionCampaignName.' },
    purchase_revenue: { type: 'DECIMAL(18,2)', description: 'GA4 purchaseRevenue.' },
    transactions: { type: 'BIGINT', description: 'GA4 transactions.' },
  },
});
