import { describe, expect, it } from 'vitest';
import { weeklyThemes } from '../../../models/marts/feedback/fct_themes_weekly.ts';

describe('fct_themes_weekly', () => {
  it('ranks each week\'s themes and measures growth of the smoothed share against the previous week', () => {
    const rows = [
      { week: '2026-03-02', text_id: 'a', themes: ['zip', 'hood'], score: -0.5 },
      { week: '2026-03-02', text_id: 'b', themes: ['hood'], score: 0.5 },
      { week: '2026-03-09', text_id: 'c', themes: ['zip'], score: -0.4 },
      { week: '2026-03-09', text_id: 'd', themes: ['zip', 'hood'], score: -0.2 },
      { week: '2026-03-09', text_id: 'e', themes: ['zip'], score: null },
    ];
    const out = weeklyThemes(rows);
    // week 1: hood in 2 of 2 texts is a theme; zip in 1 text is not (a theme needs 2); no previous week → growth NULL
    expect(out.filter((r) => r['week'] === '2026-03-02')).toEqual([
      expect.objectContaining({ theme: 'hood', theme_rank: 1, texts: 2, volume: 2, share: 1, mean_score: 0, negative_share: 0.5, previous_volume: null, growth: null }),
    ]);
    const week2 = out.filter((r) => r['week'] === '2026-03-09');
    expect(week2.map((r) => r['theme'])).toEqual(['zip']);
    // zip: 3 of 3 texts now, 1 of 2 before → ((3+1)/(3+1)) / ((1+1)/(2+1)) − 1 = 1 / (2/3) − 1 = 0.5
    // mean score of the scored texts c, d = (−0.4 − 0.2) / 2 = −0.3, both negative
    const zip = week2[0]!;
    expect(zip).toMatchObject({ theme_rank: 1, texts: 3, volume: 3, share: 1, previous_volume: 1, negative_share: 1 });
    expect(zip['growth']).toBeCloseTo(0.5, 12);
    expect(zip['mean_score']).toBeCloseTo(-0.3, 12);
  });
});
