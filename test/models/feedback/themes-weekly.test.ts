/**
 * fct_themes_weekly's SQL on hand-made texts: which terms are themes, their ranks, volumes,
 * sentiment and growth against the week before, computed by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { PRODUCT_MODELS } from '../../../models/index.ts';
import { topThemes, type ThemeDoc } from '../../../models/sentiment/index.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

/** A warehouse holding only the two relations the model reads, with these texts. */
async function withTexts(texts: { day: string; id: string; themes: string[] | null; score: number | null; brand?: string }[]): Promise<Warehouse> {
  const w = await openWarehouse(join(mkdtempSync(join(tmpdir(), 'pulse-themes-')), 'warehouse.duckdb'));
  await w.run(`create table marts.fct_feedback (day date, text_id varchar, themes varchar[], score double, mentioned_brand varchar)`);
  await w.run(`create table intermediate.int_brand_daily (brand varchar, is_own_brand boolean)`);
  await w.run(`insert into intermediate.int_brand_daily values ('Trailhead', true), ('Rival', false)`);
  for (const t of texts) {
    await w.run(`insert into marts.fct_feedback values ($1::date, $2, $3::varchar[], $4, $5)`, [t.day, t.id, t.themes === null ? null : `[${t.themes.map((x) => `"${x}"`).join(', ')}]`, t.score, t.brand ?? null]);
  }
  const result = await buildModels(w, PRODUCT_MODELS, { select: ['fct_themes_weekly'] });
  expect(result.models.map((m) => [m.model, m.status, m.error ?? null])).toEqual([['fct_themes_weekly', 'succeeded', null]]);
  expect(result.tests.filter((t) => t.status !== 'pass')).toEqual([]);
  return w;
}

describe('fct_themes_weekly', () => {
  it('ranks each week\'s themes and measures growth of the smoothed share against the previous week', async () => {
    wh = await withTexts([
      // the week of Monday 2026-03-02
      { day: '2026-03-02', id: 'a', themes: ['zip', 'hood'], score: -0.5 },
      { day: '2026-03-04', id: 'b', themes: ['hood'], score: 0.5 },
      // a competitor's mention is left out; an own-brand mention counts
      { day: '2026-03-04', id: 'r', themes: ['zip', 'zip'], score: -0.9, brand: 'Rival' },
      // the week of Monday 2026-03-09 (Sunday 03-15 is still in it)
      { day: '2026-03-09', id: 'c', themes: ['zip'], score: -0.4 },
      { day: '2026-03-10', id: 'd', themes: ['zip', 'hood'], score: -0.2, brand: 'Trailhead' },
      { day: '2026-03-15', id: 'e', themes: ['zip'], score: null },
      { day: '2026-03-15', id: 'f', themes: null, score: 0.1 },
    ]);
    const rows = await wh.all(`select week::varchar as week, theme, theme_rank, texts, volume, share, weight, mean_score, negative_share, previous_volume, growth
      from marts.fct_themes_weekly order by week, theme_rank`);
    expect(rows).toHaveLength(2);
    // Week 1: texts a, b. hood is in both (a theme); zip in one (not: a theme needs 2). No week
    // before → growth NULL. weight = (1/2 + 1/1) × (ln(3/3) + 1) = 1.5. Mean score (−0.5 + 0.5)/2 = 0.
    expect(rows[0]).toEqual({ week: '2026-03-02', theme: 'hood', theme_rank: 1, texts: 2, volume: 2, share: 1, weight: 1.5, mean_score: 0, negative_share: 0.5, previous_volume: null, growth: null });
    // Week 2: texts c, d, e, f (f lists no terms but counts). zip in c, d, e: weight
    // (1 + 1/2 + 1) × (ln(5/4) + 1); hood only in d. Growth: ((3+1)/(4+1)) / ((1+1)/(2+1)) − 1 = 0.2.
    // Mean score of the scored texts c, d: (−0.4 − 0.2)/2 = −0.3, both negative.
    const zip = rows[1]!;
    expect(zip).toMatchObject({ week: '2026-03-09', theme: 'zip', theme_rank: 1, texts: 4, volume: 3, share: 0.75, negative_share: 1, previous_volume: 1 });
    expect(zip['weight']).toBeCloseTo(2.5 * (Math.log(5 / 4) + 1), 12);
    expect(zip['growth']).toBeCloseTo(0.2, 12);
    expect(zip['mean_score']).toBeCloseTo(-0.3, 12);
  });

  it('keeps the 20 heaviest themes a week, ties to the term that sorts first, as topThemes ranks them', async () => {
    // 30 terms; term i is in the first i+2 of 40 texts (so every one is a theme), except t28, which
    // is in the same 31 texts as t29: the two heaviest themes tie exactly.
    const texts: { day: string; id: string; themes: string[]; score: number }[] = [];
    for (let n = 0; n < 40; n++) {
      const themes: string[] = [];
      for (let i = 0; i < 30; i++) if (n < i + 2 || (i === 28 && n < 31)) themes.push(`t${String(i).padStart(2, '0')}`);
      texts.push({ day: '2026-03-03', id: `x${n}`, themes, score: (n % 5) / 5 - 0.4 });
    }
    wh = await withTexts(texts);
    const ranked = await wh.all<{ theme: string; theme_rank: number; weight: number }>(`select theme, theme_rank, weight from marts.fct_themes_weekly order by theme_rank`);
    const docs: ThemeDoc[] = texts.map((t) => ({ terms: t.themes, score: t.score }));
    const expected = topThemes(docs, 20);
    expect(ranked.map((r) => r.theme)).toEqual(expected.map((t) => t.term));
    expect(ranked.map((r) => r.theme_rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    ranked.forEach((r, i) => expect(r.weight).toBeCloseTo(expected[i]!.weight, 9));
    // The tie goes to the term that sorts first; ten terms are cut.
    expect(ranked.slice(0, 3).map((r) => r.theme)).toEqual(['t28', 't29', 't27']);
    expect(ranked[0]!.weight).toBeCloseTo(ranked[1]!.weight, 12);
    expect(ranked.at(-1)!.theme).toBe('t10');
  });
});
