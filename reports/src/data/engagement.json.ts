/** Engagement by platform and day (posts by publish day, lifetime totals) and the most engaging posts. */
import { sql } from 'kysely';
import { isoDay, isMain, runLoader, sumOf, type Loader } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section }) => ({
  daily: await section(['marts.fct_post_engagement'], () =>
    db
      .selectFrom('marts.fct_post_engagement')
      .select([isoDay('day').as('date'), 'platform', sql<number>`cast(count(*) as double)`.as('posts'), sumOf('engagements').as('engagements'), sumOf('likes').as('likes'), sumOf('comments').as('comments'), sumOf('shares').as('shares'), sumOf('saves').as('saves'), sql<number | null>`cast(sum(reach) filter (where reach is not null and engagements is not null) as double)`.as('reach'), sql<number | null>`cast(sum(engagements) filter (where reach is not null) as double)`.as('engagements_with_reach'), sumOf('impressions').as('impressions'), sql<boolean>`bool_or(is_provisional)`.as('provisional')])
      .groupBy(['day', 'platform'])
      .orderBy('day')
      .orderBy('platform')
      .execute(),
  ),
  topPosts: await section(['marts.fct_post_engagement'], () =>
    db
      .selectFrom('marts.fct_post_engagement')
      .select(['post_id', 'platform', isoDay('day').as('date'), 'engagements', 'reach', 'engagement_rate_by_reach', 'is_provisional'])
      .where('engagements', 'is not', null)
      .orderBy('engagements', 'desc')
      .orderBy('post_id')
      .limit(12)
      .execute(),
  ),
});

export default load;

if (isMain(import.meta.url)) await runLoader(load);
