/**
 * The Meta Marketing API connector: ad-level daily insights (spend, impressions, reach, clicks,
 * conversions and their value, by publisher platform) and the campaign → ad set → ad tree with the
 * creatives' landing links and UTM tags.
 *
 * Streams (raw tables `raw.<source>__<stream>`):
 * - `ad_insights` — one row per ad × day × publisher platform; merge on (ad_id, date_start,
 *   publisher_platform); read in windows of `windowDays`; every run re-reads
 *   `attributionLookbackDays` (default 7) behind the saved cursor, because conversions are
 *   restated until the attribution window closes.
 * - `campaigns`, `adsets`, `ads` — the whole tree each run, merged on id (a few hundred rows).
 *
 * Insights are read from the synchronous `GET /act_{id}/insights` by default; with
 * `asyncReports: true` each window runs as an asynchronous report job (create, poll, download:
 * `runAsyncInsightsReport` in client.ts, run as the stream's `prepare` step), as Meta recommends
 * for large accounts.
 */
import { defineSource, type SourceDef } from '../source.ts';
import type { Connector } from '../registry.ts';
import { GRAPH_PAGING, SAMPLE_TOKEN_ENV, graphHttp } from '../facebook/graph.ts';
import { adSetsRequest, adsRequest, campaignsRequest, insightsParams, insightsRequest, metaAdsErrorHints, runAsyncInsightsReport } from './client.ts';
import { metaAdsFake, sampleAdAccountId } from './fake.ts';
import { adInsightRecord, adRecord, adSetRecord, campaignRecord, metaAdsConfigSchema, type MetaAdsConfig } from './schema.ts';

/** Builds the Meta Marketing API `SourceDef` of a validated config. */
export function buildMetaAdsSource(config: MetaAdsConfig, name: string): SourceDef {
  const account = config.adAccountId;
  const list = (streamName: string, schema: typeof campaignRecord | typeof adSetRecord | typeof adRecord, request: () => ReturnType<typeof campaignsRequest>) => ({
    name: streamName,
    primaryKey: ['id'],
    disposition: 'merge' as const,
    schema,
    read: { kind: 'http' as const, request, paginator: GRAPH_PAGING, recordPath: ['data'] },
    freshnessHours: 48,
  });
  return defineSource({
    name,
    http: graphHttp({ baseUrl: config.baseUrl, apiVersion: config.apiVersion, accessToken: config.accessToken, concurrency: config.concurrency, hints: metaAdsErrorHints(name) }),
    streams: [
      {
        name: 'ad_insights',
        primaryKey: ['ad_id', 'date_start', 'publisher_platform'],
        disposition: 'merge',
        schema: adInsightRecord,
        cursor: { field: 'date_start', initial: config.startDate, lookbackDays: config.attributionLookbackDays },
        read: {
          kind: 'http',
          request: (ctx) => insightsRequest(account, config.pageSize, ctx),
          ...(config.asyncReports
            ? { prepare: (ctx, client) => runAsyncInsightsReport(client, account, insightsParams(ctx, config.pageSize), { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), pollIntervalMs: config.asyncPollSeconds * 1000 }) }
            : {}),
          paginator: GRAPH_PAGING,
          recordPath: ['data'],
          windows: { days: config.windowDays },
        },
        freshnessHours: 36,
      },
      list('campaigns', campaignRecord, () => campaignsRequest(account, config.pageSize)),
      list('adsets', adSetRecord, () => adSetsRequest(account, config.pageSize)),
      list('ads', adRecord, () => adsRequest(account, config.pageSize)),
    ],
  });
}

/** The `meta_ads` connector for the registry. */
export const metaAdsConnector: Connector<MetaAdsConfig> = {
  type: 'meta_ads',
  description: 'Meta Marketing API: ad-level daily insights (spend, reach, clicks, conversions, value) and campaigns, ad sets, ads with UTM tags',
  configSchema: metaAdsConfigSchema,
  build: (config, ctx) => buildMetaAdsSource(config, ctx.name),
  sample: {
    fake: (world) => metaAdsFake(world),
    config: ({ baseUrl }, world) => ({
      type: 'meta_ads',
      adAccountId: sampleAdAccountId(world),
      accessToken: { $env: SAMPLE_TOKEN_ENV },

      ...(baseUrl ? { baseUrl } : {}),
      startDate: world.meta.start,
    }),
  },
};
