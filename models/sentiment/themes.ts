/**
 * Ranks the themes of a set of posts by TF-IDF, with how many posts mention each and how those
 * posts feel, and compares two periods to find growing themes.
 */

/** One post as themes see it: its terms (from `extractTerms`) and its sentiment score. */
export interface ThemeDoc {
  terms: readonly string[];
  /** Compound score from `scoreText`; null for unsupported languages (left out of means). */
  score: number | null;
}

/** One ranked theme. */
export interface Theme {
  term: string;
  /** Number of posts mentioning the term. */
  volume: number;
  /** Mean score of those posts with a score; null when none has one. */
  meanScore: number | null;
  /** Share of those scored posts labelled negative (score ≤ -0.05). */
  negativeShare: number | null;
  /** Summed TF-IDF weight the ranking uses. */
  weight: number;
}

/** Options for `topThemes`. */
export interface ThemeOptions {
  /** Terms mentioned by fewer posts are not themes (default 2). */
  minVolume?: number;
}

interface TermStats {
  volume: number;
  weight: number;
  scoreSum: number;
  scored: number;
  negative: number;
}

function collect(docs: readonly ThemeDoc[]): Map<string, TermStats> {
  const stats = new Map<string, TermStats>();
  const counts = new Map<string, number>();
  for (const doc of docs) {
    counts.clear();
    for (const term of doc.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      let s = stats.get(term);
      if (s === undefined) {
        s = { volume: 0, weight: 0, scoreSum: 0, scored: 0, negative: 0 };
        stats.set(term, s);
      }
      s.volume++;
      // term frequency normalised by post length, so long posts do not dominate
      s.weight += count / doc.terms.length;
      if (doc.score !== null) {
        s.scoreSum += doc.score;
        s.scored++;
        if (doc.score <= -0.05) s.negative++;
      }
    }
  }
  // Smoothed IDF, ln((1 + N) / (1 + df)) + 1: terms in every post (the brand's own name) sink,
  // but a theme half the posts share still outranks one-off words.
  const n = docs.length;
  for (const s of stats.values()) s.weight *= Math.log((1 + n) / (1 + s.volume)) + 1;
  return stats;
}

function toTheme(term: string, s: TermStats): Theme {
  return {
    term,
    volume: s.volume,
    meanScore: s.scored === 0 ? null : s.scoreSum / s.scored,
    negativeShare: s.scored === 0 ? null : s.negative / s.scored,
    weight: s.weight,
  };
}

/**
 * Returns the `k` themes with the highest summed TF-IDF weight, ties broken by term so results
 * are deterministic.
 *
 * @example topThemes(posts.map((p) => ({ terms: extractTerms(p.text, p.lang), score: p.score })), 10)
 */
export function topThemes(docs: readonly ThemeDoc[], k: number, options: ThemeOptions = {}): Theme[] {
  const minVolume = options.minVolume ?? 2;
  const themes: Theme[] = [];
  for (const [term, s] of collect(docs)) if (s.volume >= minVolume) themes.push(toTheme(term, s));
  themes.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return themes.slice(0, k);
}

/** How one theme changed between two periods. */
export interface ThemeGrowth {
  term: string;
  previousVolume: number;
  currentVolume: number;
  /** Share of posts mentioning the term, per period. */
  previousShare: number;
  currentShare: number;
  /**
   * Relative change of the add-one-smoothed share: 1.0 means the share doubled. Smoothing keeps
   * a term going from 0 to 3 posts finite and ranks it below one going from 0 to 30.
   */
  growth: number;
  previousMeanScore: number | null;
  currentMeanScore: number | null;
}

/** Options for `themeGrowth`. */
export interface ThemeGrowthOptions {
  /** Themes with fewer current posts are left out (default 3). */
  minCurrentVolume?: number;
}

/**
 * Compares theme volume between a previous and a current period and returns the `k` fastest
 * growing themes, largest growth first (ties broken by volume, then term).
 */
export function themeGrowth(
  previous: readonly ThemeDoc[],
  current: readonly ThemeDoc[],
  k: number,
  options: ThemeGrowthOptions = {},
): ThemeGrowth[] {
  const minCurrent = options.minCurrentVolume ?? 3;
  const before = collect(previous);
  const after = collect(current);
  const out: ThemeGrowth[] = [];
  for (const [term, now] of after) {
    if (now.volume < minCurrent) continue;
    const then = before.get(term);
    const previousVolume = then?.volume ?? 0;
    const smoothedBefore = (previousVolume + 1) / (previous.length + 1);
    const smoothedAfter = (now.volume + 1) / (current.length + 1);
    out.push({
      term,
      previousVolume,
      currentVolume: now.volume,
      previousShare: previous.length === 0 ? 0 : previousVolume / previous.length,
      currentShare: now.volume / current.length,
      growth: smoothedAfter / smoothedBefore - 1,
      previousMeanScore: then === undefined || then.scored === 0 ? null : then.scoreSum / then.scored,
      currentMeanScore: now.scored === 0 ? null : now.scoreSum / now.scored,
    });
  }
  out.sort((a, b) => b.growth - a.growth || b.currentVolume - a.currentVolume || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return out.slice(0, k);
}
