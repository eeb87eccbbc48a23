/** Customer service per day and channel (response and resolution times, FCR, CSAT) and survey scores. */
import { isoDay, isMain, runLoader, type Loader } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section }) => ({
  daily: await section(['marts.fct_service_daily'], () =>
    db
      .selectFrom('marts.fct_service_daily')
      .select([isoDay('day').as('date'), 'source', 'channel', 'conversations', 'replied', 'first_response_minutes_mean', 'first_response_minutes_median', 'first_response_minutes_p90', 'resolved', 'resolution_minutes_median', 'fcr_rate', 'csat_ratings', 'csat'])
      .orderBy('day')
      .orderBy('source')
      .orderBy('channel')
      .execute(),
  ),
  surveys: await section(['marts.fct_survey_daily'], () =>
    db.selectFrom('marts.fct_survey_daily').select([isoDay('day').as('date'), 'survey', 'responses', 'promoters', 'passives', 'detractors', 'nps', 'csat', 'ces']).orderBy('day').orderBy('survey').execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
