import { describe, expect, it } from 'vitest';
import { generateWorld, summarizeWorld } from '../../../core/sample-world/index.ts';

describe('scale knob', () => {
  it('grows volumes about tenfold from scale 0.02 to 0.2', () => {
    const small = summarizeWorld(generateWorld({ seed: 3, scale: 0.02 }));
    const large = summarizeWorld(generateWorld({ seed: 3, scale: 0.2 }));
    for (const key of ['sessions', 'orders', 'customers', 'comments', 'mentions', 'directMessages', 'tickets'] as const) {
      const ratio = large[key] / small[key];
      expect(ratio, `${key}: ${small[key]} → ${large[key]}`).toBeGreaterThan(7);
      expect(ratio, `${key}: ${small[key]} → ${large[key]}`).toBeLessThan(13);
    }
  });

  it('sizes scale 0.1 to a tenth of the target mid-size brand', () => {
    const summary = summarizeWorld(generateWorld({ seed: 3, scale: 0.1 }));
    expect(summary.sessions).toBeGreaterThan(7_000);
    expect(summary.sessions).toBeLessThan(13_000);
    expect(summary.orders).toBeGreaterThan(1_400);
    expect(summary.orders).toBeLessThan(2_600);
    const conversationTexts = summary.comments + summary.mentions + summary.directMessages;
    expect(conversationTexts).toBeGreaterThan(3_500);
    expect(conversationTexts).toBeLessThan(6_500);
    expect(summary.campaigns).toBeGreaterThanOrEqual(10);
    expect(summary.campaigns).toBeLessThanOrEqual(20);
  });
});
