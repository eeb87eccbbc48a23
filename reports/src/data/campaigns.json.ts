/** Campaign spend and attributed revenue per day, influencer totals, and A/B test readouts. */
import { sql } from 'kysely';
import { isoDay, isMain, runLoader, type Loader, sumOf } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section }) => ({
  daily: await section(['marts.fct_campaign_performance'], () =>
    db
      .selectFrom('marts.fct_campaign_performance')
      .select([isoDay('date_day').as('date'), 'campaign_key', sql<string>`coalesce(campaign_name, campaign_key)`.as('campaign'), 'attribution_model', 'currency', sumOf('spend').as('spend'), sumOf('attributed_revenue').as('revenue'), sumOf('new_customers').as('new_customers'), sumOf('conversions').as('conversions'), sql<boolean>`bool_or(is_provisional)`.as('provisional')])
      .groupBy(['date_day', 'campaign_key', 'campaign_name', 'attribution_model', 'currency'])
      .orderBy('date_day')
      .orderBy('campaign_key')
      .orderBy('attribution_model')
      .execute(),
  ),
  influencers: await section(['marts.fct_influencer_performance'], () =>
    db
      .selectFrom('marts.fct_influencer_performance')
      .select(['influencer_id', 'handle', 'platform', 'currency', sumOf('reach').as('reach'), sumOf('engagements').as('engagements'), sumOf('sessions').as('sessions'), sumOf('conversions').as('conversions'), sumOf('revenue').as('revenue'), sumOf('cost').as('cost')])
      .groupBy(['influencer_id', 'handle', 'platform', 'currency'])
      .orderBy('influencer_id')
      .execute(),
  ),
  abTests: await section(['marts.fct_ab_tests'], () =>
    db
      .selectFrom('marts.fct_ab_tests')
      .select(['test_id', 'test_name', 'variant', 'is_control', 'sessions', 'conversions', 'conversion_rate', 'ci_low', 'ci_high', 'lift', 'p_value', 'enough_sample', 'is_significant'])
      .orderBy('test_id')
      .orderBy('is_control', 'desc')
      .orderBy('variant')
      .execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
