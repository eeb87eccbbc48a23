/** CLV by acquisition channel, cohort retention, churn, the P(alive) distribution and MRR movements. */
import { sql } from 'kysely';
import { isoDay, isMain, runLoader, type Loader, sumOf } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section }) => ({
  clvByChannel: await section(['marts.fct_clv_by_channel'], () =>
    db
      .selectFrom('marts.fct_clv_by_channel')
      .select(['acquisition_channel', 'currency', sumOf('customers').as('customers'), sql<number>`cast(sum(total_historic_clv) / nullif(sum(customers), 0) as double)`.as('avg_historic_clv'), sql<number | null>`cast(sum(avg_predicted_clv * predicted_customers) / nullif(sum(predicted_customers) filter (where avg_predicted_clv is not null), 0) as double)`.as('avg_predicted_clv')])
      .groupBy(['acquisition_channel', 'currency'])
      .orderBy('acquisition_channel')
      .execute(),
  ),
  cohorts: await section(['marts.fct_customer_cohorts'], () =>
    db
      .selectFrom('marts.fct_customer_cohorts')
      .select([isoDay('cohort_month').as('cohort'), 'months_since_first_order as month', 'currency', 'cohort_size', 'active_customers', 'retention_rate'])
      .orderBy('cohort_month')
      .orderBy('months_since_first_order')
      .execute(),
  ),
  churn: await section(['marts.fct_churn_monthly'], () =>
    db.selectFrom('marts.fct_churn_monthly').select([isoDay('month').as('date'), 'active_at_start', 'churned', 'churn_rate', 'reactivated', 'new_customers', 'is_partial_month']).orderBy('month').execute(),
  ),
  pAlive: await section(['marts.dim_customers'], () =>
    db
      .selectFrom('marts.dim_customers')
      .select([sql<number>`cast(least(floor(p_alive * 20), 19) / 20.0 as double)`.as('bin'), sql<number>`cast(count(*) as double)`.as('customers')])
      .where('p_alive', 'is not', null)
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute(),
  ),
  mrr: await section(['marts.fct_subscription_mrr'], () =>
    db
      .selectFrom('marts.fct_subscription_mrr')
      .select([isoDay('month').as('date'), 'currency', 'new_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr', 'reactivated_mrr', 'mrr_end', 'subscriber_retention', 'is_partial_month'])
      .orderBy('month')
      .orderBy('currency')
      .execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
