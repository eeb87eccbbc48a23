/**
 * The executive overview's headline KPIs: each over the last 28 days of its mart (ending at that
 * mart's latest day) against the 28 days before, with a daily (or monthly) series for the sparkline.
 * Ratios are ratios of sums, as the marts define them; money is in the currency with most spend.
 */
import { sql, type RawBuilder } from 'kysely';
import { isMain, runLoader, type Loader, type LoaderContext } from '../../lib/analytics.ts';

/** The comparison window in days. */
const WINDOW_DAYS = 28;
/** Days of daily history behind each sparkline. */
const SERIES_DAYS = 91;
const SOCIAL = sql`('Organic Social', 'Paid Social')`;
const MODEL = 'last_non_direct';

interface PeriodKpiSpec {
  table: string;
  day: string;
  /** An aggregate over the table's rows, e.g. sum(reach). */
  measure: RawBuilder<unknown>;
  where?: RawBuilder<unknown>;
}

/** Computes `measure` over the current and previous windows ending at the table's latest day, and per day. */
async function periodKpi(ctx: LoaderContext, spec: PeriodKpiSpec) {
  const table = sql.table(spec.table);
  const day = sql.ref(spec.day);
  const where = spec.where ?? sql`true`;
  const { rows } = await sql<{ from: string; to: string; value: number | null; previous: number | null; previous_from: string }>`
    with bounds as (select max(${day}) as last_day from ${table} where ${where})
    select strftime(last_day - ${WINDOW_DAYS - 1}::integer, '%Y-%m-%d') as "from", strftime(last_day, '%Y-%m-%d') as "to",
      strftime(last_day - ${2 * WINDOW_DAYS - 1}::integer, '%Y-%m-%d') as previous_from,
      (select cast(${spec.measure} as double) from ${table} where ${where} and ${day} between last_day - ${WINDOW_DAYS - 1}::integer and last_day) as value,
      (select cast(${spec.measure} as double) from ${table} where ${where} and ${day} between last_day - ${2 * WINDOW_DAYS - 1}::integer and last_day - ${WINDOW_DAYS}::integer) as previous
    from bounds`.execute(ctx.db);
  const { rows: series } = await sql<{ date: string; value: number | null }>`
    select strftime(${day}, '%Y-%m-%d') as date, cast(${spec.measure} as double) as value from ${table}
    where ${where} and ${day} > (select max(${day}) from ${table} where ${where}) - ${SERIES_DAYS}::integer
    group by ${day} order by ${day}`.execute(ctx.db);
  const row = rows[0];
  return { from: row?.from ?? null, to: row?.to ?? null, previousFrom: row?.previous_from ?? null, value: row?.value ?? null, previous: row?.previous ?? null, series };
}

/** The currency with the most ad spend (money KPIs never add two currencies). */
async function mainCurrency(ctx: LoaderContext): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('marts.fct_campaign_performance')
    .select('currency')
    .groupBy('currency')
    .orderBy(sql`sum(spend)`, 'desc')
    .orderBy('currency')
    .limit(1)
    .executeTakeFirst();
  return row?.currency ?? null;
}

const load: Loader = async (ctx) => {
  const { section } = ctx;
  const currency = ctx.has('marts.fct_campaign_performance') ? await mainCurrency(ctx) : null;
  const inCurrency = sql`currency = ${currency}`;
  return {
    windowDays: WINDOW_DAYS,
    currency,
    attributionModel: MODEL,
    kpis: {
      reach: await section(['marts.fct_account_daily'], () => periodKpi(ctx, { table: 'marts.fct_account_daily', day: 'day', measure: sql`sum(reach)`, where: sql`reach is not null` })),
      engagementRate: await section(['marts.fct_post_engagement'], () =>
        periodKpi(ctx, { table: 'marts.fct_post_engagement', day: 'day', measure: sql`sum(engagements) / nullif(sum(reach), 0)`, where: sql`reach is not null` }),
      ),
      followers: await section(['marts.fct_account_daily'], () => followersKpi(ctx)),
      socialSessions: await section(['marts.fct_web_sessions'], () =>
        periodKpi(ctx, { table: 'marts.fct_web_sessions', day: 'session_date', measure: sql`count(*)`, where: sql`channel_group in ${SOCIAL}` }),
      ),
      conversions: await section(['marts.fct_conversions'], () =>
        periodKpi(ctx, { table: 'marts.fct_conversions', day: 'order_date', measure: sql`count(distinct order_id)`, where: sql`attribution_model = ${MODEL}` }),
      ),
      socialRevenue: await section(['marts.fct_conversions', 'marts.fct_campaign_performance'], () =>
        periodKpi(ctx, { table: 'marts.fct_conversions', day: 'order_date', measure: sql`sum(attributed_revenue)`, where: sql`attribution_model = ${MODEL} and channel_group in ${SOCIAL} and ${inCurrency}` }),
      ),
      roas: await section(['marts.fct_campaign_performance'], () =>
        periodKpi(ctx, { table: 'marts.fct_campaign_performance', day: 'date_day', measure: sql`sum(attributed_revenue) / nullif(sum(spend), 0)`, where: sql`attribution_model = ${MODEL} and ${inCurrency}` }),
      ),
      roi: await section(['marts.fct_campaign_performance'], () =>
        periodKpi(ctx, { table: 'marts.fct_campaign_performance', day: 'date_day', measure: sql`(sum(attributed_revenue) - sum(spend)) / nullif(sum(spend), 0)`, where: sql`attribution_model = ${MODEL} and ${inCurrency}` }),
      ),
      cac: await section(['marts.fct_campaign_performance'], () =>
        periodKpi(ctx, { table: 'marts.fct_campaign_performance', day: 'date_day', measure: sql`sum(spend) / nullif(sum(new_customers), 0)`, where: sql`attribution_model = ${MODEL} and ${inCurrency}` }),
      ),
      clv: await section(['marts.dim_customers', 'marts.fct_campaign_performance'], () => clvKpi(ctx, currency)),
      churnRate: await section(['marts.fct_churn_monthly'], () => churnKpi(ctx)),
      netSentiment: await section(['marts.fct_sentiment_daily'], () =>
        periodKpi(ctx, { table: 'marts.fct_sentiment_daily', day: 'day', measure: sql`(sum(positive) - sum(negative)) / nullif(sum(texts), 0)` }),
      ),
      firstResponse: await section(['marts.fct_service_daily'], () =>
        periodKpi(ctx, { table: 'marts.fct_service_daily', day: 'day', measure: sql`sum(first_response_minutes_mean * replied) / nullif(sum(replied) filter (where first_response_minutes_mean is not null), 0)` }),
      ),
      nps: await section(['marts.fct_survey_daily'], () =>
        periodKpi(ctx, {
          table: 'marts.fct_survey_daily',
          day: 'day',
          measure: sql`100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(promoters) + sum(passives) + sum(detractors), 0)`,
          where: sql`promoters is not null`,
        }),
      ),
    },
  };
};

export default load;

/** Followers on the last day of each window, summed over accounts, with the daily total as the series (up to the last day with daily insights). */
async function followersKpi(ctx: LoaderContext) {
  const { rows } = await sql<{ date: string; value: number }>`
    select strftime(day, '%Y-%m-%d') as date, cast(sum(followers) as double) as value
    from marts.fct_account_daily
    -- Snapshot-only platforms add a row dated at extraction; end where the daily insights end.
    where followers is not null and day <= (select max(day) from marts.fct_account_daily where reach is not null)
    group by day order by day`.execute(ctx.db);
  const last = rows.at(-1);
  const before = rows.at(-1 - WINDOW_DAYS);
  return {
    from: rows.at(-WINDOW_DAYS)?.date ?? null,
    to: last?.date ?? null,
    previousFrom: before?.date ?? null,
    value: last?.value ?? null,
    previous: before?.value ?? null,
    series: rows.slice(-SERIES_DAYS),
  };
}

/**
 * Mean predicted CLV of customers (in the main currency) now, or mean historic CLV when the CLV
 * model could not be fitted (`measure` says which); the series is by acquisition cohort month.
 */
async function clvKpi(ctx: LoaderContext, currency: string | null) {
  const fitted = await ctx.db.selectFrom('marts.dim_customers').select(sql<number>`cast(count(predicted_clv) as double)`.as('n')).where('currency', '=', currency ?? '').executeTakeFirst();
  const measure = (fitted?.n ?? 0) > 0 ? 'predicted' : 'historic';
  const clv = measure === 'predicted' ? sql<number | null>`cast(avg(predicted_clv) as double)` : sql<number | null>`cast(avg(historic_clv) as double)`;
  const now = await ctx.db
    .selectFrom('marts.dim_customers')
    .select([clv.as('value'), sql<string>`strftime(max(as_of_date), '%Y-%m-%d')`.as('to')])
    .where('currency', '=', currency ?? '')
    .executeTakeFirst();
  const series = await ctx.db
    .selectFrom('marts.dim_customers')
    .select([sql<string>`strftime(cohort_month, '%Y-%m-%d')`.as('date'), clv.as('value')])
    .where('currency', '=', currency ?? '')
    .groupBy('cohort_month')
    .orderBy('cohort_month')
    .execute();
  return { measure, from: null, to: now?.to ?? null, previousFrom: null, value: now?.value ?? null, previous: null, series };
}

/** Churn rate of the latest complete month against the month before, with the monthly series. */
async function churnKpi(ctx: LoaderContext) {
  const rows = await ctx.db
    .selectFrom('marts.fct_churn_monthly')
    .select([sql<string>`strftime(month, '%Y-%m-%d')`.as('date'), 'churn_rate as value'])
    .where('is_partial_month', '=', false)
    .where('churn_rate', 'is not', null)
    .orderBy('month')
    .execute();
  const last = rows.at(-1);
  const before = rows.at(-2);
  return { from: last?.date ?? null, to: last?.date ?? null, previousFrom: before?.date ?? null, value: last?.value ?? null, previous: before?.value ?? null, series: rows.slice(-24) };
}

if (isMain(import.meta.url)) await runLoader(load);
