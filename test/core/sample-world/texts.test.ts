import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/sample-world/random.ts';
import { generateText, type TextLabel } from '../../../core/sample-world/texts.ts';
import type { Lang } from '../../../core/sample-world/types.ts';

const slots = { brand: 'Northwind Outfitters', product: 'Ridgeway Rain Jacket', category: 'jackets', color: 'navy', handle: 'northwindoutfitters' };
const LANGS: Lang[] = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'id'];
const LABELS: TextLabel[] = ['positive', 'negative', 'neutral', 'mixed'];

describe('generateText', () => {
  it('labels every text with a polarity consistent with its label, in every language', () => {
    const rng = new Rng('texts');
    for (const lang of LANGS) {
      for (const label of LABELS) {
        for (let i = 0; i < 50; i++) {
          const text = generateText(rng, { kind: 'comment', label, lang, slots });
          expect(text.text.length).toBeGreaterThan(3);
          expect(text.lang).toBe(lang);
          expect(text.truth.label).toBe(label);
          const p = text.truth.polarity;
          expect(p).toBeGreaterThanOrEqual(-1);
          expect(p).toBeLessThanOrEqual(1);
          if (label === 'positive') expect(p).toBeGreaterThanOrEqual(0.05);
          if (label === 'negative') expect(p).toBeLessThanOrEqual(-0.05);
          if (label === 'neutral') expect(p).toBe(0);
          if (label === 'mixed') expect(Math.abs(p)).toBeLessThan(0.35);
          expect(text.text).not.toMatch(/\{\w+\}/);
        }
      }
    }
  });

  it('produces the mess of real writing: sarcasm, contrast, negation, emoji', () => {
    const rng = new Rng('mess');
    const texts = Array.from({ length: 3000 }, (_, i) => generateText(rng, { kind: 'comment', label: LABELS[i % 4] as TextLabel, lang: 'en', slots }));
    expect(texts.some((t) => t.truth.sarcastic && t.truth.polarity < 0)).toBe(true);
    expect(texts.some((t) => / but /i.test(t.text) && t.truth.label === 'mixed')).toBe(true);
    expect(texts.some((t) => /don't love it|not bad at all|can't complain/i.test(t.text))).toBe(true);
    expect(texts.some((t) => /\p{Extended_Pictographic}/u.test(t.text))).toBe(true);
    expect(texts.some((t) => t.text === t.text.toUpperCase() && /[A-Z]{4}/.test(t.text))).toBe(true);
    expect(texts.filter((t) => t.truth.isComplaint).every((t) => t.truth.label !== 'positive' && t.truth.label !== 'neutral')).toBe(true);
  });
});
