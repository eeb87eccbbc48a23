/**
 * Meta Marketing API requests: the insights query (synchronous, as the stream reads it today, or
 * as an asynchronous report job), and the campaign, ad set and ad lists.
 */
import { TerminalError, TransientError } from '../../core/errors.ts';
import type { HttpClient, RequestSpec } from '../http/types.ts';
import type { ReadContext } from '../source.ts';
import { utcDay, type GraphErrorHints } from '../facebook/graph.ts';
import { INSIGHTS_FIELDS } from './schema.ts';

/** The insights parameters for a window: ad level, one row per day and publisher platform. */
export function insightsParams(ctx: ReadContext, limit: number): Record<string, string | number> {
  // `time_range.until` is inclusive; a window is [since, until), so it ends the day before `until`'s instant.
  const until = utcDay(new Date(Date.parse(ctx.until) - 1).toISOString());
  const since = utcDay(ctx.since);
  return {
    level: 'ad',
    time_increment: 1,
    breakdowns: 'publisher_platform',
    fields: INSIGHTS_FIELDS.join(','),
    time_range: JSON.stringify({ since, until: until < since ? since : until }),
    limit,
  };
}

/** The synchronous insights request for a window (`GET /act_{id}/insights`), paged with cursors. */
export function insightsRequest(adAccountId: string, limit: number, ctx: ReadContext): RequestSpec {
  return { path: `/${adAccountId}/insights`, query: insightsParams(ctx, limit) };
}

/** Options of `runAsyncInsightsReport`. */
export interface AsyncReportOptions {
  sleep: (ms: number) => Promise<void>;
  /** Wait between status polls (default 5 s; Meta suggests polling no faster). */
  pollIntervalMs?: number;
  /** Polls before giving up with a `TransientError` (default 120, ten minutes at the default interval). */
  maxPolls?: number;
}

/** What a report run's status looks like (`GET /{report_run_id}`). */
interface ReportRunStatus {
  id?: string;
  async_status?: string;
  async_percent_completion?: number;
}

function parseJson<T>(body: Buffer, what: string): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (cause) {
    throw new TransientError(`${what}: the API answered with a body that is not JSON`, { cause });
  }
}

/**
 * Runs an asynchronous insights report: `POST /act_{id}/insights` with `params` creates the job
 * (`{report_run_id}`), `GET /{report_run_id}` is polled until `async_status` is "Job Completed"
 * (`async_percent_completion` 100), and the returned request reads its rows from
 * `GET /{report_run_id}/insights`, paged like any Graph list. A failed or skipped job, or one
 * still running after `maxPolls`, is a `TransientError`: retrying (with a smaller window) is
 * Meta's advice. Not wired into the stream yet — the engine has no async pre-step (see index.ts).
 */
export async function runAsyncInsightsReport(client: HttpClient, adAccountId: string, params: Record<string, string | number>, options: AsyncReportOptions): Promise<RequestSpec> {
  const context = { source: client.source, stream: 'ad_insights' };
  const created = await client.send({ method: 'POST', path: `/${adAccountId}/insights`, query: params }, context);
  const { report_run_id: reportRunId } = parseJson<{ report_run_id?: string }>(created.body, 'creating the insights report');
  if (!reportRunId) throw new TerminalError('creating the insights report returned no report_run_id', { context, hint: 'check the insights parameters and the ad account id' });
  const interval = options.pollIntervalMs ?? 5000;
  const maxPolls = options.maxPolls ?? 120;
  for (let poll = 1; poll <= maxPolls; poll++) {
    const status = parseJson<ReportRunStatus>((await client.send({ path: `/${reportRunId}`, query: { fields: 'id,async_status,async_percent_completion' } }, context)).body, 'polling the insights report');
    if (status.async_status === 'Job Completed' && status.async_percent_completion === 100) {
      return { path: `/${reportRunId}/insights`, query: { limit: params['limit'] ?? 500 } };
    }
    if (status.async_status === 'Job Failed' || status.async_status === 'Job Skipped') {
      throw new TransientError(`insights report ${reportRunId} ended with "${status.async_status}"`, { context, hint: 'Meta fails large reports at random; the next attempt retries, with a smaller windowDays if it keeps failing' });
    }
    await options.sleep(interval);
  }
  throw new TransientError(`insights report ${reportRunId} was not done after ${maxPolls} polls`, { context, hint: 'the next run asks again; lower windowDays for faster reports' });
}

/** Campaigns with objective, status and budget. */
export function campaignsRequest(adAccountId: string, limit: number): RequestSpec {
  return { path: `/${adAccountId}/campaigns`, query: { fields: 'id,name,objective,status,effective_status,daily_budget,start_time,stop_time,created_time,updated_time', limit } };
}

/** Ad sets with their campaign. */
export function adSetsRequest(adAccountId: string, limit: number): RequestSpec {
  return { path: `/${adAccountId}/adsets`, query: { fields: 'id,name,campaign_id,status,effective_status,created_time,updated_time', limit } };
}

/** Ads with the creative's landing link and URL tags. */
export function adsRequest(adAccountId: string, limit: number): RequestSpec {
  return {
    path: `/${adAccountId}/ads`,
    query: { fields: 'id,name,adset_id,campaign_id,status,effective_status,created_time,updated_time,creative{id,name,url_tags,object_story_spec}', limit },
  };
}

/** What the Graph error classifier tells a person about a Marketing API source. */
export function metaAdsErrorHints(sourceName: string): GraphErrorHints {
  return {
    tokenPath: `sources.${sourceName}.accessToken`,
    badParameter: `check sources.${sourceName}.adAccountId (with its act_ prefix) and that the token's user can read that ad account`,
  };
}
