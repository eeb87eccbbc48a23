/**
 * Every number on the executive overview equals an independent query on the published
 * analytics.duckdb: the overview loader's output against hand-written SQL per KPI.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSafe, loaderContext, openAnalytics } from '../../reports/lib/analytics.ts';
import loadOverview from '../../reports/src/data/overview.json.ts';
import { runSmallDemo } from './support.ts';

interface Kpi {
  value: number | null;
  previous: number | null;
  from: string | null;
  to: string | null;
  series: { date: string; value: number | null }[];
}
type Part = { available: true; data: Kpi } | { available: false; reason: string };
interface Overview {
  currency: string | null;
  attributionModel: string;
  windowDays: number;
  kpis: Record<string, Part>;
}

let overview: Overview;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let cleanup = () => undefined as void;

/** Runs one scalar query. */
async function scalar(query: string, params: (string | number)[] = []): Promise<number | null> {
  const reader = await conn.runAndReadAll(query, params);
  const value = reader.getRowsJS()[0]?.[0];
  return value == null ? null : Number(value);
}

/** Computes `measure` over the 28 days ending at the latest day of `table` (where `where`), and the 28 before. */
async function windows(table: string, day: string, measure: string, where = 'true'): Promise<{ value: number | null; previous: number | null }> {
  const last = `(select max(${day}) from ${table} where ${where})`;
  return {
    value: await scalar(`select ${measure} from ${table} where ${where} and ${day} between ${last} - 27 and ${last}`),
    previous: await scalar(`select ${measure} from ${table} where ${where} and ${day} between ${last} - 55 and ${last} - 28`),
  };
}

function expectKpi(id: string, expected: { value: number | null; previous: number | null }): void {
  const part = overview.kpis[id];
  expect(part, id).toBeDefined();
  if (!part!.available) throw new Error(`overview KPI ${id} is not available: ${JSON.stringify(part)}`);
  const { value, previous } = part!.data;
  for (const [name, got, want] of [['value', value, expected.value], ['previous', previous, expected.previous]] as const) {
    if (want === null || Number.isNaN(want)) expect(got, `${id} ${name}`).toBeNull();
    else expect(got, `${id} ${name}`).toBeCloseTo(want, 6);
  }
}

describe('executive overview numbers', () => {
  beforeAll(async () => {
    const demo = await runSmallDemo();
    cleanup = demo.cleanup;
    const { db, tables } = await openAnalytics(demo.analytics);
    try {
      overview = jsonSafe(await loadOverview(loaderContext(db, tables))) as Overview;
    } finally {
      await db.destroy();
    }
    instance = await DuckDBInstance.create(demo.analytics, { access_mode: 'READ_ONLY' });
    conn = await instance.connect();
  }, 240_000);

  afterAll(() => {
    conn?.closeSync();
    instance?.closeSync();
    cleanup();
  });

  it('uses the currency with most ad spend and the last-non-direct model', async () => {
    const reader = await conn.runAndReadAll(`select currency from marts.fct_campaign_performance group by currency order by sum(spend) desc, currency limit 1`);
    expect(overview.currency).toBe(reader.getRowsJS()[0]?.[0]);
    expect(overview.attributionModel).toBe('last_non_direct');
    expect(overview.windowDays).toBe(28);
  });

  it('reach, engagement rate and followers match the social marts', async () => {
    expectKpi('reach', await windows('marts.fct_account_daily', 'day', 'sum(reach)', 'reach is not null'));
    expectKpi('engagementRate', await windows('marts.fct_post_engagement', 'day', 'sum(engagements) / sum(reach)', 'reach is not null'));
    const lastDay = `(select max(day) from marts.fct_account_daily where reach is not null)`;
    const followersOn = (offset: number) => scalar(`select sum(followers) from marts.fct_account_daily where followers is not null and day = (select max(day) from marts.fct_account_daily where followers is not null and day <= ${lastDay}) - ${offset}`);
    expectKpi('followers', { value: await followersOn(0), previous: await followersOn(28) });
  });

  it('sessions, conversions, revenue, ROAS, ROI and CAC match the commerce marts', async () => {
    const social = `channel_group in ('Organic Social', 'Paid Social')`;
    const model = `attribution_model = 'last_non_direct'`;
    const currency = `currency = '${overview.currency}'`;
    expectKpi('socialSessions', await windows('marts.fct_web_sessions', 'session_date', 'count(*)', social));
    expectKpi('conversions', await windows('marts.fct_conversions', 'order_date', 'count(distinct order_id)', model));
    expectKpi('socialRevenue', await windows('marts.fct_conversions', 'order_date', 'sum(attributed_revenue)', `${model} and ${social} and ${currency}`));
    expectKpi('roas', await windows('marts.fct_campaign_performance', 'date_day', 'sum(attributed_revenue) / nullif(sum(spend), 0)', `${model} and ${currency}`));
    expectKpi('roi', await windows('marts.fct_campaign_performance', 'date_day', '(sum(attributed_revenue) - sum(spend)) / nullif(sum(spend), 0)', `${model} and ${currency}`));
    expectKpi('cac', await windows('marts.fct_campaign_performance', 'date_day', 'sum(spend) / nullif(sum(new_customers), 0)', `${model} and ${currency}`));
  });

  it('CLV and churn match the customer marts', async () => {
    const currency = `currency = '${overview.currency}'`;
    const fitted = (await scalar(`select count(predicted_clv) from marts.dim_customers where ${currency}`)) ?? 0;
    const column = fitted > 0 ? 'predicted_clv' : 'historic_clv';
    expectKpi('clv', { value: await scalar(`select avg(${column}) from marts.dim_customers where ${currency}`), previous: null });
    const churn = (n: number) => scalar(`select churn_rate from marts.fct_churn_monthly where not is_partial_month and churn_rate is not null order by month desc limit 1 offset ${n}`);
    expectKpi('churnRate', { value: await churn(0), previous: await churn(1) });
  });

  it('net sentiment, first response time and NPS match the feedback marts', async () => {
    expectKpi('netSentiment', await windows('marts.fct_sentiment_daily', 'day', '(sum(positive) - sum(negative)) / sum(texts)'));
    expectKpi('firstResponse', await windows('marts.fct_service_daily', 'day', 'sum(first_response_minutes_mean * replied) / nullif(sum(replied) filter (where first_response_minutes_mean is not null), 0)'));
    expectKpi('nps', await windows('marts.fct_survey_daily', 'day', '100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(promoters) + sum(passives) + sum(detractors), 0)', 'promoters is not null'));
  });

  it('ends each sparkline on the latest day of its window', () => {
    for (const [id, part] of Object.entries(overview.kpis)) {
      if (!part.available || part.data.series.length === 0 || !part.data.to) continue;
      if (id === 'clv' || id === 'churnRate') continue; // monthly series
      expect(part.data.series.at(-1)!.date, id).toBe(part.data.to);
    }
  });
});
