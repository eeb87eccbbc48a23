/**
 * `marts.fct_themes_weekly`: the top themes of each week's customer texts by TF-IDF, with their
 * volume, sentiment and growth against the week before, in SQL with the weighting of
 * models/sentiment's topThemes/themeGrowth. SQL, not a compute model, so no text is read into
 * JavaScript (0.5 s instead of 2.2 s at scale 10, with the same ranks).
 */
import { defineModel } from '../../engine/index.ts';

/** Themes kept per week. */
export const THEMES_PER_WEEK = 20;

/** The top themes of each week's customer texts (the ranking and growth are in the SQL). */
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
  tests: [
    { kind: 'expression', name: 'volume_within_texts', expression: 'volume between 2 and texts' },
    { kind: 'expression', name: 'at_most_the_top_themes', expression: `theme_rank between 1 and ${THEMES_PER_WEEK}` },
  ],
});
