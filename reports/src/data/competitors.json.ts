/** Share of voice, followers and engagement per brand and day, for the brand and each competitor. */
import { isoDay, isMain, runLoader, type Loader } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section }) => ({
  daily: await section(['marts.fct_share_of_voice'], () =>
    db
      .selectFrom('marts.fct_share_of_voice')
      .select([isoDay('day').as('date'), 'brand', 'is_own_brand', 'mentions', 'share_of_voice', 'followers', 'engagement_rate', 'mention_net_sentiment'])
      .orderBy('day')
      .orderBy('brand')
      .execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
