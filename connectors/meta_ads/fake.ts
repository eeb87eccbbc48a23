/**
 * A fake Meta Marketing API serving the sample world's paid-social campaigns: ad-level insights
 * (`GET /act_{id}/insights`, `level=ad`, `time_increment=1`, `time_range`, optional
 * `breakdowns=publisher_platform`, metrics as strings), the asynchronous report flow
 * (`POST /act_{id}/insights` → `{report_run_id}`, `GET /{report_run_id}` status,
 * `GET /{report_run_id}/insights`), and the campaign, ad set and ad lists with creatives. Lists
 * page like Graph; errors are Graph error bodies; every answer carries the usage headers.
 * Conversions are reported as of `options.asOf` (default the world's observation day), so the last
 * 7 days grow when a later `asOf` is served.
 */
import { adInsightAsOf } from '../../core/sample-world/restatement.ts';
import type { AdInsightDaily, Campaign, World } from '../../core/sample-world/types.ts';
import type { FakeRequest, FakeResponse, FakeRoute } from '../fakes/index.ts';
import { graphError, graphPage, graphTime, localDayEndTime, pickFields, requestedFields, requireToken, requireVersion, usageHeaders } from '../facebook/graph-fake.ts';

/** Options of the Marketing API fake; read on every request. */
export interface MetaAdsFakeOptions {
  /** Day the API is observed on (`YYYY-MM-DD`). */
  asOf?: string;
  /** Status polls an async report job answers "Job Running" before it completes (default 1). */
  pollsUntilDone?: number;
}

/** The sample world's ad account id (the world has none of its own; derived from the Page id). */
export function sampleAdAccountId(world: World): string {
  return `act_10${world.brand.accounts.facebook.id.slice(0, 13)}`;
}

const money = (cents: number) => (cents / 100).toFixed(2);

/** Routes of the fake Marketing API over `world`. */
export function metaAdsFake(world: World, options: MetaAdsFakeOptions = {}): FakeRoute[] {
  const accountId = sampleAdAccountId(world);
  const asOf = () => options.asOf ?? world.meta.asOf;
  const tz = world.meta.timeZone;
  const metaCampaigns = world.campaigns.filter((c): c is Campaign & { meta: NonNullable<Campaign['meta']> } => c.meta !== null);
  const adIndex = new Map<string, { campaign: (typeof metaCampaigns)[number]; adSet: { id: string; name: string }; ad: { id: string; name: string; utmContent: string } }>();
  for (const campaign of metaCampaigns) for (const adSet of campaign.meta.adSets) for (const ad of adSet.ads) adIndex.set(ad.id, { campaign, adSet, ad });
  const jobs = new Map<string, { params: URLSearchParams; polls: number }>();
  let nextJob = 1;

  const usage = () => ({
    ...usageHeaders(accountId.slice(4), 'ads_insights'),
    'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 1, reset_time_duration: 0, ads_api_access_tier: 'standard_access' }),
    'x-fb-ads-insights-throttle': JSON.stringify({ app_id_util_pct: 1, acc_id_util_pct: 1, ads_api_access_tier: 'standard_access' }),
  });
  const guard = (req: FakeRequest): FakeResponse | undefined => requireVersion(req) ?? requireToken(req);
  const unknownObject = (id: string) =>
    graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 });
  const withUsage = (answer: FakeResponse): FakeResponse => ({ ...answer, headers: { ...answer.headers, ...usage() } });

  /** The insights rows a query asks for, or a Graph error. */
  const insightRows = (params: URLSearchParams): Record<string, unknown>[] | FakeResponse => {
    const level = params.get('level') ?? 'account';
    if (level !== 'ad') return graphError(400, 100, '(#100) this fake serves level=ad only', { type: 'OAuthException' });
    if ((params.get('time_increment') ?? 'all_days') !== '1') return graphError(400, 100, '(#100) this fake serves time_increment=1 only', { type: 'OAuthException' });
    let range: { since?: unknown; until?: unknown };
    try {
      range = JSON.parse(params.get('time_range') ?? '{}') as typeof range;
    } catch {
      return graphError(400, 100, '(#100) param time_range must be a JSON object with since and until', { type: 'OAuthException' });
    }
    const since = String(range.since ?? '');
    const until = String(range.until ?? '');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || !/^\d{4}-\d{2}-\d{2}$/.test(until) || until < since) {
      return graphError(400, 100, '(#100) time_range must have since and until dates (YYYY-MM-DD) with since <= until', { type: 'OAuthException' });
    }
    const breakdowns = (params.get('breakdowns') ?? '').split(',').filter(Boolean);
    if (breakdowns.some((b) => b !== 'publisher_platform')) return graphError(400, 100, '(#100) this fake serves breakdowns=publisher_platform only', { type: 'OAuthException' });
    const byPlatform = breakdowns.includes('publisher_platform');
    const fields = requestedFields(params.get('fields'));
    const grouped = new Map<string, AdInsightDaily>();
    for (const raw of world.ads.insightsDaily) {
      if (raw.date < since || raw.date > until || raw.date >= asOf()) continue;
      const row = adInsightAsOf(raw, asOf());
      const key = `${row.date}|${row.adId}|${byPlatform ? row.platform : ''}`;
      const seen = grouped.get(key);
      if (!seen) grouped.set(key, { ...row });
      else {
        for (const k of ['spendCents', 'impressions', 'reach', 'clicks', 'linkClicks', 'conversions', 'conversionValueCents'] as const) seen[k] += row[k];
      }
    }
    return [...grouped.values()]
      .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.adId !== b.adId ? (a.adId < b.adId ? -1 : 1) : a.platform < b.platform ? -1 : 1))
      .map((row) => {
        const { campaign, adSet, ad } = adIndex.get(row.adId)!;
        // Meta leaves out actions that did not happen.
        const actions = [
          ...(row.linkClicks > 0 ? [{ action_type: 'link_click', value: String(row.linkClicks) }] : []),
          ...(row.conversions > 0 ? [{ action_type: 'purchase', value: String(row.conversions) }, { action_type: 'offsite_conversion.fb_pixel_purchase', value: String(row.conversions) }] : []),
        ];
        const values = row.conversionValueCents > 0 ? [{ action_type: 'purchase', value: money(row.conversionValueCents) }, { action_type: 'offsite_conversion.fb_pixel_purchase', value: money(row.conversionValueCents) }] : [];
        const record = pickFields(
          {
            account_id: accountId.slice(4),
            account_currency: world.meta.currency,
            campaign_id: campaign.meta.campaignId,
            campaign_name: campaign.name,
            adset_id: adSet.id,
            adset_name: adSet.name,
            ad_id: ad.id,
            ad_name: ad.name,
            spend: money(row.spendCents),
            impressions: String(row.impressions),
            reach: String(row.reach),
            clicks: String(row.clicks),
            inline_link_clicks: String(row.linkClicks),
            actions: actions.length ? actions : undefined,
            action_values: values.length ? values : undefined,
          },
          fields,
        );
        return { ...record, date_start: row.date, date_stop: row.date, ...(byPlatform ? { publisher_platform: row.platform } : {}) };
      });
  };

  const ownAccount = (req: FakeRequest) => (req.params['id'] === accountId ? undefined : unknownObject(req.params['id'] ?? ''));

  const insights: FakeRoute = {
    path: '/:version/:id/insights',
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      const id = req.params['id'] ?? '';
      const job = jobs.get(id);
      if (!id.startsWith('act_') && job) {
        // A completed report's rows: the job's parameters with this request's paging.
        if (job.polls < (options.pollsUntilDone ?? 1)) return graphError(400, 100, '(#100) the report is not completed yet', { type: 'OAuthException' });
        const rows = insightRows(job.params);
        return Array.isArray(rows) ? withUsage(graphPage(req, rows)) : rows;
      }
      const refusedAccount = ownAccount(req);
      if (refusedAccount) return refusedAccount;
      const rows = insightRows(req.query);
      return Array.isArray(rows) ? withUsage(graphPage(req, rows)) : rows;
    },
  };

  const createReport: FakeRoute = {
    method: 'POST',
    path: '/:version/:id/insights',
    handler: (req) => {
      const refused = guard(req) ?? ownAccount(req);
      if (refused) return refused;
      const params = new URLSearchParams(req.query);
      if (req.body && typeof req.body === 'object') for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      const check = insightRows(params);
      if (!Array.isArray(check)) return check;
      const reportRunId = String(6_120_000_000_000 + nextJob++);
      jobs.set(reportRunId, { params, polls: 0 });
      return { headers: usage(), body: { report_run_id: reportRunId } };
    },
  };

  const reportStatus: FakeRoute = {
    path: '/:version/:id',
    handler: (req) => {
      const refused = guard(req);
      if (refused) return refused;
      const id = req.params['id'] ?? '';
      const job = jobs.get(id);
      if (!job) return unknownObject(id);
      job.polls++;
      const done = job.polls >= (options.pollsUntilDone ?? 1);
      const body = { id, account_id: accountId.slice(4), async_status: done ? 'Job Completed' : 'Job Running', async_percent_completion: done ? 100 : Math.min(99, job.polls * 30) };
      return { headers: usage(), body: pickFields(body, requestedFields(req.query.get('fields'))) };
    },
  };

  const startOf = (day: string) => localDayEndTime(new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10), tz);
  const statusOf = (campaign: Campaign) => (campaign.end < asOf() ? 'PAUSED' : 'ACTIVE');
  const createdOf = (campaign: Campaign) => graphTime(`${new Date(Date.parse(`${campaign.start}T16:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10)}T16:00:00Z`);
  const visibleCampaigns = () => metaCampaigns.filter((c) => Date.parse(`${c.start}T00:00:00Z`) - 3 * 86_400_000 < Date.parse(`${asOf()}T00:00:00Z`));

  const list = (path: string, rows: () => Record<string, unknown>[]): FakeRoute => ({
    path: `/:version/:id/${path}`,
    recordsPath: ['data'],
    handler: (req) => {
      const refused = guard(req) ?? ownAccount(req);
      if (refused) return refused;
      const fields = requestedFields(req.query.get('fields'));
      return withUsage(graphPage(req, rows().map((r) => pickFields(r, fields))));
    },
  });

  const campaigns = list('campaigns', () =>
    visibleCampaigns().map((c) => ({
      id: c.meta.campaignId,
      name: c.name,
      objective: c.meta.objective,
      status: statusOf(c),
      effective_status: statusOf(c),
      daily_budget: String(c.meta.dailyBudgetCents),
      start_time: startOf(c.start),
      stop_time: localDayEndTime(c.end, tz),
      created_time: createdOf(c),
      updated_time: createdOf(c),
    })),
  );
  const adSets = list('adsets', () =>
    visibleCampaigns().flatMap((c) =>
      c.meta.adSets.map((s) => ({ id: s.id, name: s.name, campaign_id: c.meta.campaignId, status: statusOf(c), effective_status: statusOf(c), created_time: createdOf(c), updated_time: createdOf(c) })),
    ),
  );
  const ads = list('ads', () =>
    visibleCampaigns().flatMap((c) =>
      c.meta.adSets.flatMap((s) =>
        s.ads.map((ad) => {
          const variant = world.abTests.find((t) => t.campaignId === c.id)?.variants.find((v) => v.utmContent === ad.utmContent);
          const link = `https://${world.brand.domain}${variant?.landingPath ?? c.landingPath}`;
          return {
            id: ad.id,
            name: ad.name,
            adset_id: s.id,
            campaign_id: c.meta.campaignId,
            status: statusOf(c),
            effective_status: statusOf(c),
            created_time: createdOf(c),
            updated_time: createdOf(c),
            creative: {
              id: `${ad.id}0`,
              name: `${ad.name} creative`,
              url_tags: c.meta.urlTags,
              object_story_spec: { page_id: world.brand.accounts.facebook.id, link_data: { link, message: `${c.name} — shop now`, call_to_action: { type: 'SHOP_NOW', value: { link } } } },
            },
          };
        }),
      ),
    ),
  );

  return [createReport, insights, campaigns, adSets, ads, reportStatus];
}
