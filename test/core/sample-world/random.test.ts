import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/sample-world/random.ts';

function mean(draw: () => number, n = 20_000): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += draw();
  return sum / n;
}

describe('Rng', () => {
  it('repeats its sequence for a seed and forks independent named streams', () => {
    const a = new Rng(99);
    const b = new Rng(99);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(new Rng(99).fork('orders').next()).not.toBe(new Rng(99).fork('posts').next());
    expect(new Rng(99).fork('orders').next()).toBe(new Rng(99).fork('orders').next());
  });

  it('draws from the stated distributions', () => {
    const rng = new Rng('distributions');
    expect(mean(() => rng.next())).toBeCloseTo(0.5, 1);
    expect(mean(() => rng.normal(10, 2))).toBeCloseTo(10, 0);
    expect(mean(() => rng.poisson(3))).toBeCloseTo(3, 0);
    expect(mean(() => rng.poisson(120)) / 120).toBeCloseTo(1, 1);
    expect(mean(() => rng.gamma(0.8, 1 / 45)) * 45).toBeCloseTo(0.8, 1);
    expect(mean(() => rng.gamma(5, 2))).toBeCloseTo(10, 0);
    expect(mean(() => rng.beta(1.3, 3.4))).toBeCloseTo(1.3 / 4.7, 1);
    const ints = Array.from({ length: 1000 }, () => rng.int(1, 3));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
  });

  it('picks by weight', () => {
    const rng = new Rng(5);
    const picks = Array.from({ length: 10_000 }, () => rng.weighted(['a', 'b'], [9, 1]));
    const share = picks.filter((p) => p === 'a').length / picks.length;
    expect(share).toBeGreaterThan(0.87);
    expect(share).toBeLessThan(0.93);
  });
});
