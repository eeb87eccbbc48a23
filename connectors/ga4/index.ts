/**
 * The GA4 connector: two `runReport` reports, requested one property day at a time.
 *
 * Streams (raw table `raw.<source>__<stream>`):
 * | stream       | primary key                       | cursor (window end) | disposition | report |
 * |--------------|-----------------------------------|---------------------|-------------|--------|
 * | sessions     | report_date, dimensionValues      | one-day windows     | merge       | `SESSION_DIMENSIONS` × `SESSION_METRICS` |
 * | transactions | report_date, dimensionValues      | one-day windows     | merge       | `TRANSACTION_DIMENSIONS` × `TRANSACTION_METRICS` |
 *
 * Why this shape: a GA4 row has no id, only positional `dimensionValues` and `metricValues`
 * arrays, and the engine keys rows on top-level fields. Each request covers one day (windows of 1
 * day) and the engine injects that day as `report_date` (DATE); the dimension tuple, a JSON array
 * DuckDB stores in canonical form, completes the key. Re-reading a day (the lookback: GA4 keeps
 * processing a day for up to 72 hours) therefore updates every row GA4 still returns — but a row
 * whose dimension combination GA4 no longer returns for that day (a "(not set)" campaign
 * attributed later) would stay behind with a plain merge, so the streams declare
 * `replaceBy: ['report_date']`: a re-read day's rows replace that day's stored rows as a whole, in
 * the same transaction. (`GA4_LATEST_LOAD_FILTER` stays exported for older warehouses.)
 *
 * The transactions report keys on the same tuple; `transactionId` is its first dimension. A
 * purchase tag fired twice lands on one row with doubled revenue, as GA4 reports it.
 *
 * `cursor.field` is `dimensionValues` only because the source contract requires a schema field;
 * for windowed streams the engine saves the window end, never a record value.
 */
import type { ReadContext, SourceDef, StreamDef } from '../source.ts';
import { defineSource } from '../source.ts';
import type { Connector } from '../registry.ts';
import { ga4Http } from './client.ts';
import { ga4FakeRoutes } from './fake.ts';
import { SESSION_DIMENSIONS, SESSION_METRICS, TRANSACTION_DIMENSIONS, TRANSACTION_METRICS, ga4ConfigSchema, ga4RowSchema, type Ga4Config } from './schema.ts';

export { SESSION_DIMENSIONS, SESSION_METRICS, TRANSACTION_DIMENSIONS, TRANSACTION_METRICS } from './schema.ts';

/**
 * The `qualify` clause staging adds to a GA4 raw table: per `report_date`, only the rows of the
 * load that read that day last (rows of combinations GA4 stopped returning are dropped).
 */
export const GA4_LATEST_LOAD_FILTER = 'qualify _run_id = arg_max(_run_id, _loaded_at) over (partition by report_date)';

const SQL_TYPES: Record<string, string> = {
  sessions: 'bigint',
  engagedSessions: 'bigint',
  keyEvents: 'double',
  purchaseRevenue: 'decimal(18, 2)',
  transactions: 'bigint',
};

/** Turns `sessionManualAdContent` into `session_manual_ad_content`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Returns the select list that flattens a GA4 raw row by position, one typed column per dimension
 * and metric, e.g. `json_extract_string(dimensionValues, '$[1].value') as session_source`.
 */
export function ga4SelectList(dimensions: readonly string[], metrics: readonly string[]): string[] {
  return [
    ...dimensions.map((d, i) => (d === 'date' ? `strptime(json_extract_string("dimensionValues", '$[${i}].value'), '%Y%m%d')::date as date` : `json_extract_string("dimensionValues", '$[${i}].value') as ${snakeCase(d)}`)),
    ...metrics.map((m, i) => `try_cast(json_extract_string("metricValues", '$[${i}].value') as ${SQL_TYPES[m] ?? 'double'}) as ${snakeCase(m)}`),
  ];
}

/** Builds a `runReport` request for the window's day; the paginator adds `offset` and `limit`. */
function report(propertyId: string, dimensions: readonly string[], metrics: readonly string[]) {
  return (ctx: ReadContext) => {
    const day = reportDay(ctx);
    return {
      method: 'POST' as const,
      path: `/v1beta/properties/${propertyId}:runReport`,
      json: {
        dateRanges: [{ startDate: day, endDate: day }],
        dimensions: dimensions.map((name) => ({ name })),
        metrics: metrics.map((name) => ({ name })),
        // A stable order, so offset paging neither skips nor repeats rows.
        orderBys: dimensions.map((dimensionName) => ({ dimension: { dimensionName } })),
        keepEmptyRows: false,
      },
    };
  };
}

/** The property day a one-day window stands for: the date of its start. */
export function reportDay(ctx: ReadContext): string {
  return ctx.since.slice(0, 10);
}

/** Builds the GA4 `SourceDef` of a validated config. */
export function buildGa4Source(config: Ga4Config, name: string): SourceDef {
  const stream = (streamName: string, dimensions: readonly string[], metrics: readonly string[]): StreamDef => ({
    name: streamName,
    primaryKey: ['report_date', 'dimensionValues'],
    disposition: 'merge',
    // A re-read day replaces that day's rows as a whole: combinations GA4 no longer returns go.
    replaceBy: ['report_date'],
    schema: ga4RowSchema,
    cursor: { field: 'report_date', initial: new Date(`${config.startDate}T00:00:00Z`).toISOString(), lookbackDays: config.lookbackDays },
    read: {
      kind: 'http',
      request: report(config.propertyId, dimensions, metrics),
      paginator: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: config.pageSize, in: 'body', totalPath: ['rowCount'] },
      recordPath: ['rows'],
      windows: { days: 1 },
      inject: { fields: { report_date: 'DATE' }, values: (ctx) => ({ report_date: reportDay(ctx) }) },
    },
    freshnessHours: 30,
  });
  return defineSource({
    name,
    streams: [stream('sessions', SESSION_DIMENSIONS, SESSION_METRICS), stream('transactions', TRANSACTION_DIMENSIONS, TRANSACTION_METRICS)],
    http: ga4Http(config, name),
  });
}

/** The `ga4` connector for the registry. */
export const ga4Connector: Connector<Ga4Config> = {
  type: 'ga4',
  description: 'GA4 Data API: sessions by day, source/medium/campaign/content/term and landing page; purchases by transaction id',
  configSchema: ga4ConfigSchema,
  build: (config, ctx) => buildGa4Source(config, ctx.name),
  sample: {
    fake: (world) => ga4FakeRoutes(world),
    config: ({ baseUrl }, world) => ({
      type: 'ga4',
      propertyId: '312345678',
      accessToken: { $env: 'PULSE_SAMPLE_TOKEN' },
      startDate: world.meta.start,
      ...(baseUrl ? { baseUrl } : {}),
    }),
  },
};
