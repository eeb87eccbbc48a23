import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateRatedTexts, pearson, readRatedTexts } from '../../../models/sentiment/index.ts';

const evalFile = (name: string): string => fileURLToPath(new URL(`./eval/${name}`, import.meta.url));

describe('evaluation sets', () => {
  it('computes Pearson r', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('social.tsv: ~300 rated posts, Pearson r ≥ 0.80 with detected languages', () => {
    const rows = readRatedTexts(evalFile('social.tsv'));
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const report = evaluateRatedTexts(rows);
    // Indonesian rows are unsupported and left out of r
    expect(report.total - report.scored).toBe(rows.filter((r) => r.lang === 'id').length);
    expect(report.pearson).toBeGreaterThanOrEqual(0.8);
  });

  it('reviews.tsv: Pearson r ≥ 0.80', () => {
    expect(evaluateRatedTexts(readRatedTexts(evalFile('reviews.tsv'))).pearson).toBeGreaterThanOrEqual(0.8);
  });
});
