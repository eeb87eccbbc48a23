/**
 * Reads a labelled evaluation set and measures how well `scoreText` tracks its human ratings.
 */
import { readFileSync } from 'node:fs';
import { scoreText } from './score.ts';

/** One labelled text: the mean human rating on VADER's -4..4 scale and the language it is in. */
export interface RatedText {
  rating: number;
  lang: string;
  text: string;
}

/** How a scorer did on one evaluation set. */
export interface EvaluationReport {
  /** Rows in the file. */
  total: number;
  /** Rows scored (label not 'unsupported'), the ones the correlation uses. */
  scored: number;
  /** Pearson r between score and rating over scored rows. */
  pearson: number;
  /** Share of scored rows whose label agrees with the rating's sign (|rating| < 0.5 counts as neutral). */
  labelAgreement: number;
  /** Scored rows, largest |score·4 − rating| first, for error analysis. */
  worst: { text: string; rating: number; score: number }[];
}

/** Reads a TSV with header `rating\tlang\ttext`; blank lines and lines starting with "#" are skipped. */
export function readRatedTexts(path: string): RatedText[] {
  const rows: RatedText[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (index === 0 || line.trim() === '' || line.startsWith('#')) continue;
    const [rating, lang, ...text] = line.split('\t');
    const value = Number(rating);
    if (!Number.isFinite(value) || lang === undefined || text.length === 0) {
      throw new Error(`${path}:${index + 1}: expected "rating<TAB>lang<TAB>text", got ${JSON.stringify(line)}`);
    }
    rows.push({ rating: value, lang, text: text.join('\t') });
  }
  return rows;
}

/** Returns Pearson's correlation coefficient of two equally long series (NaN when undefined). */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length || n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] ?? 0;
    my += ys[i] ?? 0;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Scores every row and compares with the ratings. With `useGivenLanguage` the row's language
 * column is passed to `scoreText`; otherwise the language is detected, as for unlabelled posts.
 */
export function evaluateRatedTexts(rows: readonly RatedText[], useGivenLanguage = false, worstCount = 10): EvaluationReport {
  const scores: number[] = [];
  const ratings: number[] = [];
  const details: { text: string; rating: number; score: number }[] = [];
  let agree = 0;
  for (const row of rows) {
    const result = scoreText(row.text, useGivenLanguage ? row.lang : undefined);
    if (result.score === null) continue;
    scores.push(result.score);
    ratings.push(row.rating);
    details.push({ text: row.text, rating: row.rating, score: result.score });
    const expected = row.rating >= 0.5 ? 'positive' : row.rating <= -0.5 ? 'negative' : 'neutral';
    if (expected === result.label) agree++;
  }
  details.sort((a, b) => Math.abs(b.score * 4 - b.rating) - Math.abs(a.score * 4 - a.rating) || a.text.localeCompare(b.text));
  return {
    total: rows.length,
    scored: scores.length,
    pearson: pearson(scores, ratings),
    labelAgreement: scores.length === 0 ? 0 : agree / scores.length,
    worst: details.slice(0, worstCount),
  };
}
