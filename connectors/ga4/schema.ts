/**
 * GA4 Data API shapes: the source config, the two reports this connector runs (dimensions and
 * metrics in a fixed order, exported for the staging SQL), and the zod schema of a `runReport`
 * row: `{dimensionValues: [{value}], metricValues: [{value}]}`, both kept as JSON columns; values
 * line up with the report's dimension and metric lists by position.
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

/** The `ga4` source config. */
export const ga4ConfigSchema = z
  .object({
    type: z.literal('ga4'),
    propertyId: z.string().regex(/^\d+$/, 'the numeric property id').describe('the GA4 property id (Admin → Property details), e.g. 312345678'),
    accessToken: secret.describe('OAuth 2.0 access token with the analytics.readonly scope (e.g. a service account token from your token broker): env("GA4_ACCESS_TOKEN")'),
    startDate: z.iso.date().describe('first day to report on the first run (YYYY-MM-DD), in the property\'s time zone'),
    lookbackDays: z.number().int().nonnegative().default(3).describe('days re-requested on every run: GA4 keeps processing a day for up to 72 hours'),
    baseUrl: z.url().optional().describe('API root override, default https://analyticsdata.googleapis.com (tests and proxies)'),
    pageSize: z.number().int().min(1).max(250_000).default(10_000).describe('rows per runReport page (limit); GA4 allows up to 250,000'),
  })
  .strict();

/** A validated `ga4` source config. */
export type Ga4Config = z.output<typeof ga4ConfigSchema>;

/**
 * Dimensions of the `sessions` report, in request order: `dimensionValues[i]` is `SESSION_DIMENSIONS[i]`.
 * `date` is YYYYMMDD in the property's time zone; `landingPage` is the path without the query.
 */
export const SESSION_DIMENSIONS = ['date', 'sessionSource', 'sessionMedium', 'sessionCampaignName', 'sessionManualAdContent', 'sessionManualTerm', 'landingPage'] as const;
/** Metrics of the `sessions` report, in request order: `metricValues[i]` is `SESSION_METRICS[i]` (`keyEvents` is the former `conversions`). */
export const SESSION_METRICS = ['sessions', 'engagedSessions', 'keyEvents', 'purchaseRevenue'] as const;
/** Dimensions of the `transactions` report, in request order. */
export const TRANSACTION_DIMENSIONS = ['transactionId', 'date', 'sessionSource', 'sessionMedium', 'sessionCampaignName'] as const;
/** Metrics of the `transactions` report, in request order. */
export const TRANSACTION_METRICS = ['purchaseRevenue', 'transactions'] as const;

/** One row of a `runReport` response. */
export const ga4RowSchema = z.object({
  dimensionValues: z.array(z.object({ value: z.string() })).describe('one {value} per requested dimension, in request order'),
  metricValues: z.array(z.object({ value: z.string() })).describe('one {value} per requested metric, in request order; numbers as strings'),
});
