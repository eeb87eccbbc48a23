import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { adInsightAsOf, generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { createHttpClient } from '../../connectors/http/client.ts';
import { paginate } from '../../connectors/http/paginate.ts';
import { insightsParams, runAsyncInsightsReport } from '../../connectors/meta_ads/client.ts';
import { metaAdsConnector } from '../../connectors/meta_ads/index.ts';
import { metaAdsFake, sampleAdAccountId, type MetaAdsFakeOptions } from '../../connectors/meta_ads/fake.ts';
import { runExtract } from '../../jobs/steps.ts';
import { buildWith, graphErrorBody, paramsOf, recordingSleep, requestsTo, SAMPLE_ENV, tempWarehouse } from './meta-support.ts';

let world: World;
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

beforeAll(() => {
  world = generateWorld({ seed: 11, scale: 0.05, start: '2026-01-01', days: 45 });
});

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

const untilOf = (day: string) => new Date(`${day}T00:00:00Z`);

async function setup(options: MetaAdsFakeOptions = {}, config: Record<string, unknown> = {}) {
  fake = await startFakeServer({ routes: metaAdsFake(world, options) });
  ({ wh } = await tempWarehouse('pulse-meta-ads-'));
  const sample = metaAdsConnector.sample!.config({ baseUrl: fake.url }, world);
  const source = buildWith(metaAdsConnector, 'meta_ads', { ...sample, pageSize: 50, ...config });
  return { fake, wh: wh!, source };
}

const rowsBefore = (day: string) => world.ads.insightsDaily.filter((r) => r.date < day);

describe('meta_ads connector', () => {
  it('loads ad insights by ad, day and platform with spend as DECIMAL, and the campaign tree with UTM tags', async () => {
    const { fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(result.streams.map((s) => [s.stream, s.status])).toEqual([
      ['ad_insights', 'succeeded'],
      ['campaigns', 'succeeded'],
      ['adsets', 'succeeded'],
      ['ads', 'succeeded'],
    ]);
    // Conversions of the last 7 days are still provisional on the day the API is observed.
    const rows = rowsBefore(world.meta.asOf).map((r) => adInsightAsOf(r, world.meta.asOf));
    const [insights] = await wh.all<{ n: number; spend: string; impressions: number; purchases: number; value: string; spend_type: string; currency: string }>(
      `select count(*)::int as n, sum(spend)::varchar as spend, sum(impressions)::int as impressions,
              sum(coalesce((select sum((a->>'value')::int) from (select unnest(from_json(actions, '["json"]')) a) where a->>'action_type' = 'purchase'), 0))::int as purchases,
              sum(coalesce((select sum((a->>'value')::decimal(18,2)) from (select unnest(from_json(action_values, '["json"]')) a) where a->>'action_type' = 'purchase'), 0))::varchar as value,
              typeof(any_value(spend)) as spend_type, any_value(account_currency) as currency
       from raw.meta_ads__ad_insights`,
    );
    const cents = (n: number) => (n / 100).toFixed(2);
    expect(insights).toEqual({
      n: rows.length,
      spend: cents(rows.reduce((n, r) => n + r.spendCents, 0)),
      impressions: rows.reduce((n, r) => n + r.impressions, 0),
      purchases: rows.reduce((n, r) => n + r.conversions, 0),
      value: cents(rows.reduce((n, r) => n + r.conversionValueCents, 0)),
      spend_type: 'DECIMAL(18,2)',
      currency: 'USD',
    });
    const [platforms] = await wh.all<{ fb: number; ig: number }>(
      `select count(*) filter (where publisher_platform = 'facebook')::int fb, count(*) filter (where publisher_platform = 'instagram')::int ig from raw.meta_ads__ad_insights`,
    );
    expect(platforms).toEqual({ fb: rows.filter((r) => r.platform === 'facebook').length, ig: rows.filter((r) => r.platform === 'instagram').length });

    const metaCampaigns = world.campaigns.filter((c) => c.meta);
    const [tree] = await wh.all<{ campaigns: number; adsets: number; ads: number; tagged: number }>(
      `select (select count(*) from raw.meta_ads__campaigns)::int campaigns, (select count(*) from raw.meta_ads__adsets)::int adsets,
              (select count(*) from raw.meta_ads__ads)::int ads,
              (select count(*) from raw.meta_ads__ads where (creative->>'url_tags') like '%utm_campaign=%' and (creative->'object_story_spec'->'link_data'->>'link') like 'https://%')::int as tagged`,
    );
    const adCount = metaCampaigns.reduce((n, c) => n + c.meta!.adSets.reduce((m, s) => m + s.ads.length, 0), 0);
    expect(tree).toEqual({ campaigns: metaCampaigns.length, adsets: metaCampaigns.reduce((n, c) => n + c.meta!.adSets.length, 0), ads: adCount, tagged: adCount });
    const [campaign] = await wh.all<{ objective: string; budget: number }>(`select objective, daily_budget::int budget from raw.meta_ads__campaigns where id = '${metaCampaigns[0]!.meta!.campaignId}'`);
    expect(campaign).toEqual({ objective: metaCampaigns[0]!.meta!.objective, budget: metaCampaigns[0]!.meta!.dailyBudgetCents });

    // 45 days in windows of 14: four requests, each paged by cursor (50 rows a page).
    const insightRequests = requestsTo(fake.requests, '/insights');
    const firstPages = insightRequests.filter((e) => !paramsOf(e).has('after'));
    expect(firstPages.map((e) => JSON.parse(paramsOf(e).get('time_range')!))).toEqual([
      { since: '2026-01-01', until: '2026-01-14' },
      { since: '2026-01-15', until: '2026-01-28' },
      { since: '2026-01-29', until: '2026-02-11' },
      { since: '2026-02-12', until: '2026-02-14' },
    ]);
    expect(insightRequests.length).toBeGreaterThan(firstPages.length);
  });

  it('re-reads the attribution lookback on a rerun, picks up restated conversions, and adds no duplicates', async () => {
    const options: MetaAdsFakeOptions = { asOf: '2026-02-01' };
    const { fake, wh, source } = await setup(options);
    await runExtract(wh, [source], { log: silentLogger, until: untilOf('2026-02-01'), sleep: async () => {} });
    const purchasesOn = async (day: string) => {
      const [row] = await wh.all<{ n: number }>(
        `select coalesce(sum((select sum((a->>'value')::int) from (select unnest(from_json(actions, '["json"]')) a) where a->>'action_type' = 'purchase')), 0)::int n from raw.meta_ads__ad_insights where date_start = '${day}'`,
      );
      return row!.n;
    };
    const busiest = rowsBefore('2026-02-01').filter((r) => r.date >= '2026-01-26').sort((a, b) => b.conversions - a.conversions)[0]!.date;
    const early = await purchasesOn(busiest);

    options.asOf = world.meta.asOf;
    fake.requests.length = 0;
    const rerun = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(rerun.status).toBe('succeeded');
    const first = requestsTo(fake.requests, '/insights').find((e) => !paramsOf(e).has('after'))!;
    expect(JSON.parse(paramsOf(first).get('time_range')!)).toEqual({ since: '2026-01-25', until: '2026-02-07' }); // cursor 2026-02-01 minus 7 days
    expect(await purchasesOn(busiest)).toBe(world.ads.insightsDaily.filter((r) => r.date === busiest).reduce((n, r) => n + r.conversions, 0));
    expect(early).toBeLessThanOrEqual(await purchasesOn(busiest));
    const [counts] = await wh.all<{ n: number; keys: number }>(`select count(*)::int n, count(distinct (ad_id, date_start, publisher_platform))::int as keys from raw.meta_ads__ad_insights`);
    expect(counts).toEqual({ n: rowsBefore(world.meta.asOf).length, keys: rowsBefore(world.meta.asOf).length });
  });

  it('retries a user rate limit (code 17) after the usage header’s wait, and fails on an expired token (code 190)', async () => {
    const { fake, wh, source } = await setup();
    const usage = JSON.stringify({ [sampleAdAccountId(world).slice(4)]: [{ type: 'ads_insights', call_count: 96, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: 1 }] });
    fake.faults.add({ path: /\/insights$/, times: 1, fault: { kind: 'status', status: 400, body: graphErrorBody(17, 'User request limit reached', 2446079), headers: { 'x-business-use-case-usage': usage } } });
    fake.faults.add({ path: /\/ads$/, times: Infinity, fault: { kind: 'status', status: 400, body: graphErrorBody(190, 'Error validating access token: The session has been invalidated because the user changed their password.', 460) } });
    const { sleep, delays } = recordingSleep();
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep });
    expect(result.streams.find((s) => s.stream === 'ad_insights')?.status).toBe('succeeded');
    expect(delays).toContain(60_000);
    const ads = result.streams.find((s) => s.stream === 'ads')!;
    expect(ads.status).toBe('failed');
    expect(ads.error).toContain('Graph API error 190/460');
    expect(ads.error).toContain('sources.meta_ads.accessToken');
    expect(await wh.all(`select * from meta.stream_state where stream = 'ads'`)).toEqual([]);
  });

  it('quarantines a malformed insights row and reports a renamed field as drift', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.malformedRecord('spend', { path: /\/insights$/, value: 'twelve dollars' });
    fake.faults.mutateRecords(
      (records) => records.map((r) => {
        const { objective, ...rest } = r as Record<string, unknown>;
        return { ...rest, campaign_objective: objective };
      }),
      { path: /\/campaigns$/, times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {} });
    expect(result.streams.find((s) => s.stream === 'ad_insights')).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsLoaded: rowsBefore(world.meta.asOf).length - 1 });
    const [bad] = await wh.all<{ reason: string }>(`select reason from meta.quarantine where stream = 'ad_insights'`);
    expect(bad?.reason).toBe('spend: expected DECIMAL(18,2), got twelve dollars');
    expect(result.streams.find((s) => s.stream === 'campaigns')?.driftFields).toEqual(['campaign_objective']);
    const drift = await wh.all(`select field, change from meta.schema_drift where stream = 'campaigns' order by field`);
    expect(drift).toEqual([
      { field: 'campaign_objective', change: 'added' },
      { field: 'objective', change: 'removed' },
    ]);
  });

  it('runs an asynchronous report job: create, poll until completed, read the rows with cursor paging', async () => {
    fake = await startFakeServer({ routes: metaAdsFake(world, { pollsUntilDone: 3 }) });
    const { sleep, delays } = recordingSleep();
    const client = createHttpClient({ source: 'meta_ads', baseUrl: `${fake.url}/v23.0`, auth: { kind: 'bearer', token: SAMPLE_ENV.PULSE_SAMPLE_TOKEN }, sleep });
    const account = sampleAdAccountId(world);
    const params = insightsParams({ since: '2026-01-01T00:00:00Z', until: '2026-01-15T00:00:00Z' }, 40);
    const first = await runAsyncInsightsReport(client, account, params, { sleep, pollIntervalMs: 2000 });
    expect(first.path).toMatch(/^\/\d+\/insights$/);
    expect(delays).toEqual([2000, 2000]); // "Job Running" twice, then "Job Completed"
    let rows = 0;
    let pages = 0;
    for await (const page of paginate(client, first, { kind: 'nextUrl', path: ['paging', 'next'] }, ['data'])) {
      rows += page.count;
      pages++;
    }
    expect(rows).toBe(world.ads.insightsDaily.filter((r) => r.date >= '2026-01-01' && r.date <= '2026-01-14').length);
    expect(pages).toBeGreaterThan(1);
    expect(fake.requests.filter((e) => e.method === 'POST').map((e) => e.path)).toEqual([`/v23.0/${account}/insights`]);
  });

  it('reads insights through async report jobs when asyncReports is on, with the same rows as the synchronous endpoint', async () => {
    const sync = await setup();
    await runExtract(sync.wh, [sync.source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {}, streams: ['ad_insights'] });
    const expected = await sync.wh.all(`select ad_id, date_start, publisher_platform, spend::varchar s, impressions from raw.meta_ads__ad_insights order by all`);
    wh?.close();
    await fake?.close();
    const async_ = await setup({}, { asyncReports: true, asyncPollSeconds: 0.01 });
    const result = await runExtract(async_.wh, [async_.source], { log: silentLogger, until: untilOf(world.meta.asOf), sleep: async () => {}, streams: ['ad_insights'] });
    expect(result.status).toBe('succeeded');
    expect(requestsTo(async_.fake.requests, '/insights').some((r) => r.method === 'POST')).toBe(true);
    expect(await async_.wh.all(`select ad_id, date_start, publisher_platform, spend::varchar s, impressions from raw.meta_ads__ad_insights order by all`)).toEqual(expected);
  });
});
