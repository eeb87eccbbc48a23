/** Sessions by channel and day, campaigns, the impressions → sessions → orders funnel, and attribution models side by side. */
import { sql } from 'kysely';
import { isoDay, isMain, runLoader, sumOf, type Loader } from '../../lib/analytics.ts';

const MODEL = 'last_non_direct';

const load: Loader = async ({ db, section }) => ({
  sessions: await section(['marts.fct_web_sessions'], () =>
    db
      .selectFrom('marts.fct_web_sessions')
      .select([isoDay('session_date').as('date'), 'channel_group', 'campaign', sql<number>`cast(count(*) as double)`.as('sessions'), sql<number>`cast(count(*) filter (where engaged) as double)`.as('engaged'), sql<number>`cast(count(*) filter (where converted) as double)`.as('converted'), sumOf('orders').as('orders')])
      .groupBy(['session_date', 'channel_group', 'campaign'])
      .orderBy('session_date')
      .orderBy('channel_group')
      .orderBy('campaign')
      .execute(),
  ),
  impressions: await section(['marts.fct_campaign_performance'], () =>
    db
      .selectFrom('marts.fct_campaign_performance')
      .select([isoDay('date_day').as('date'), sumOf('impressions').as('impressions'), sumOf('clicks').as('clicks')])
      // Ad delivery repeats on every attribution model's rows: read it from one.
      .where('attribution_model', '=', MODEL)
      .groupBy('date_day')
      .orderBy('date_day')
      .execute(),
  ),
  attribution: await section(['marts.fct_conversions'], () =>
    db
      .selectFrom('marts.fct_conversions')
      .select(['attribution_model', 'channel_group', 'currency', sumOf('credit').as('orders'), sumOf('attributed_revenue').as('revenue')])
      .groupBy(['attribution_model', 'channel_group', 'currency'])
      .orderBy('attribution_model')
      .orderBy('channel_group')
      .execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
