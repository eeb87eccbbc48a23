import { describe, expect, it } from 'vitest';
import { maximizePositive } from '../../../models/clv/optimize.ts';

describe('maximizePositive', () => {
  it('finds the maximum of a smooth function over positive parameters', () => {
    const result = maximizePositive(([x = 0, y = 0]) => -((x - 2) ** 2) - 10 * (y - 0.5) ** 2, [1, 1]);
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(2, 4);
    expect(result.params[1]).toBeCloseTo(0.5, 4);
    expect(result.value).toBeCloseTo(0, 8);
  });

  it('finds the maximum of a curved valley (Rosenbrock in log space)', () => {
    // Maximum at x = y = 1; the valley y = x² is hard for simplex methods without restarts.
    const result = maximizePositive(([x = 0, y = 0]) => -(100 * (y - x * x) ** 2 + (1 - x) ** 2), [0.2, 3]);
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(1, 4);
    expect(result.params[1]).toBeCloseTo(1, 4);
  });

  it('stays within bounds', () => {
    const result = maximizePositive(([x = 0]) => -((x - 10) ** 2), [1], { upper: [5] });
    expect(result.params[0]).toBeCloseTo(5, 6);
  });

  it('treats non-finite values as worst and still converges', () => {
    const result = maximizePositive(([x = 0]) => (x > 3 ? Number.NaN : -((x - 2) ** 2)), [1]);
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(2, 4);
  });

  it('reports non-convergence when out of iterations', () => {
    const result = maximizePositive(([x = 0, y = 0]) => -(100 * (y - x * x) ** 2 + (1 - x) ** 2), [0.2, 3], { maxIterations: 5 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBeLessThanOrEqual(5);
  });

  it('rejects a non-positive start', () => {
    expect(() => maximizePositive(() => 0, [0])).toThrow(RangeError);
  });
});
