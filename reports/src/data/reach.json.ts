/** Reach (organic and paid), followers, follows and unfollows per platform and day. */
import { sql } from 'kysely';
import { isoDay, isMain, runLoader, type Loader } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section }) => ({
  daily: await section(['marts.fct_account_daily'], () =>
    db
      .selectFrom('marts.fct_account_daily')
      .select([isoDay('day').as('date'), 'platform', 'reach_organic', 'reach_paid', 'followers', 'follows', 'unfollows', 'unfollow_rate', 'is_provisional as provisional'])
      // Snapshot-only platforms add one row dated at extraction, without daily insights.
      .where(sql<boolean>`day <= (select max(day) from marts.fct_account_daily where reach is not null)`)
      .orderBy('day')
      .orderBy('platform')
      .execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
