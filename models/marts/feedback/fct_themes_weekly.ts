/**
 * `marts.fct_themes_weekly`: the top themes of each week's customer texts by TF-IDF, with their
 * volume, sentiment and growth against the week before (models/sentiment's topThemes/themeGrowth).
 */
import { defineModel } from '../../engine/index.ts';
import { themeGrowth, topThemes, type ThemeDoc } from '../../sentiment/index.ts';

/** Themes kept per week. */
export const THEMES_PER_WEEK = 20;

/** Adds `days` to an ISO date (YYYY-MM-DD). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Ranks each week's themes and compares them with the previous calendar week. */
export function weeklyThemes(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const weeks = new Map<string, ThemeDoc[]>();
  for (const row of rows) {
    const week = String(row['week']);
    const docs = weeks.get(week) ?? [];
    docs.push({ terms: (row['themes'] as string[] | null) ?? [], score: typeof row['score'] === 'number' ? row['score'] : null });
    weeks.set(week, docs);
  }
  const out: Record<string, unknown>[] = [];
  for (const [week, docs] of [...weeks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const previous = weeks.get(addDays(week, -7));
    const growth = previous ? new Map(themeGrowth(previous, docs, Number.POSITIVE_INFINITY, { minCurrentVolume: 0 }).map((g) => [g.term, g])) : undefined;
    topThemes(docs, THEMES_PER_WEEK).forEach((theme, i) => {
      const g = growth?.get(theme.term);
      out.push({
        week,
        theme: theme.term,
        theme_rank: i + 1,
        texts: docs.length,
        volume: theme.volume,
        share: theme.volume / docs.length,
        weight: theme.weight,
        mean_score: theme.meanScore,
        negative_share: theme.negativeShare,
        previous_volume: g?.previousVolume ?? null,
        growth: g?.growth ?? null,
      });
    });
  }
  return out;
}

export const fctThemesWeekly = defineModel({
  name: 'fct_themes_weekly',
  layer: 'marts',
  sql: 'sql/marts/fct_themes_weekly.sql',
  materialized: 'table',
  grain: 'week × theme',
  uniqueKey: ['week', 'theme'],
  tags: ['feedback'],
  description:
    `The top ${THEMES_PER_WEEK} themes of each week's customer texts (fct_feedback.themes; competitor mentions left out), ranked by summed TF-IDF ` +
    '(term frequency / text length × smoothed IDF ln((1+N)/(1+df))+1 over the week\'s texts); a theme needs at least 2 texts. ' +
    "growth = relative change of the add-one-smoothed share of texts against the previous calendar week: ((v+1)/(N+1)) / ((v'+1)/(N'+1)) − 1, " +
    '1.0 meaning the share doubled; NULL when the previous week has no texts.',
  columns: {
    week: { type: 'DATE', description: 'Monday of the ISO week.' },
    theme: { type: 'VARCHAR', description: 'The term (a stem, or two adjacent stems).' },
    theme_rank: { type: 'INTEGER', description: 'Rank of the theme in its week, 1 = heaviest.' },
    texts: { type: 'BIGINT', description: "The week's texts." },
    volume: { type: 'BIGINT', description: 'Texts listing the theme.' },
    share: { type: 'DOUBLE', description: 'volume / texts.' },
    weight: { type: 'DOUBLE', description: 'Summed TF-IDF weight used for the ranking.' },
    mean_score: { type: 'DOUBLE', description: 'Mean sentiment score of those texts with a score; NULL when none has one.', nullable: true },
    negative_share: { type: 'DOUBLE', description: 'Share of those scored texts that are negative.', nullable: true },
    previous_volume: { type: 'BIGINT', description: 'Texts listing the theme the week before; NULL when that week has no texts.', nullable: true },
    growth: { type: 'DOUBLE', description: 'Growth of the smoothed share against the week before (see the model description); NULL when that week has no texts.', nullable: true },
  },
  tests: [{ kind: 'expression', name: 'volume_within_texts', expression: 'volume between 2 and texts' }],
  compute: {
    version: '1',
    run: (rows) => weeklyThemes(rows),
  },
});
