/**
 * Sentiment and complaints per platform and day, themes rising and falling week over week, and a
 * few example texts per theme — only when marts.fct_feedback publishes a pseudonymous `text`
 * column (it never holds names).
 */
import { sql } from 'kysely';
import { isoDay, isMain, runLoader, type Loader } from '../../lib/analytics.ts';

const load: Loader = async ({ db, section, has }) => {
  const textColumn = has('marts.fct_feedback')
    ? (await sql<{ n: number }>`select count(*) as n from duckdb_columns() where schema_name = 'marts' and table_name = 'fct_feedback' and column_name = 'text'`.execute(db)).rows[0]?.n
    : 0;
  return {
    daily: await section(['marts.fct_sentiment_daily'], () =>
      db.selectFrom('marts.fct_sentiment_daily').select([isoDay('day').as('date'), 'platform', 'kind', 'texts', 'positive', 'neutral', 'negative', 'complaints']).orderBy('day').orderBy('platform').orderBy('kind').execute(),
    ),
    themes: await section(['marts.fct_themes_weekly'], () =>
      db
        .selectFrom('marts.fct_themes_weekly')
        .select([isoDay('week').as('week'), 'theme', 'theme_rank', 'volume', 'previous_volume', 'growth', 'negative_share'])
        .where('week', '=', sql<Date>`(select max(week) from marts.fct_themes_weekly)`)
        .orderBy('theme_rank')
        .limit(30)
        .execute(),
    ),
    examples: textColumn
      ? await section(['marts.fct_feedback'], async () =>
          (
            await sql<{ theme: string; label: string; text: string }>`
              select theme, label, text from (
                select unnest(themes) as theme, label, text, text_id from marts.fct_feedback where text is not null and len(themes) > 0
              ) qualify row_number() over (partition by theme order by text_id) <= 3 order by theme, text_id limit 60`.execute(db)
          ).rows,
        )
      : { available: false, reason: 'missing', missing: ['marts.fct_feedback.text'] },
  };
};

export default load;

if (isMain(import.meta.url)) await runLoader(load);
