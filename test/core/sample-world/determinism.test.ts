import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWorld, summarizeWorld } from '../../../core/sample-world/index.ts';

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

describe('generateWorld determinism', () => {
  it('gives deep-equal worlds for the same seed and scale', () => {
    const first = generateWorld({ seed: 7, scale: 0.02 });
    const second = generateWorld({ seed: 7, scale: 0.02 });
    expect(hashOf(second)).toBe(hashOf(first));
  });

  it('gives different worlds for different seeds', () => {
    const a = generateWorld({ seed: 7, scale: 0.02 });
    const b = generateWorld({ seed: 8, scale: 0.02 });
    expect(hashOf(b)).not.toBe(hashOf(a));
    expect(b.commerce.orders[0]?.id).not.toBe(a.commerce.orders[0]?.id);
  });

  it('treats string seeds like any other seed', () => {
    expect(hashOf(generateWorld({ seed: 'demo', scale: 0.01 }))).toBe(hashOf(generateWorld({ seed: 'demo', scale: 0.01 })));
  });

  it('covers 2025-11-01 to 2026-10-31 by default, never the wall clock', () => {
    const world = generateWorld({ seed: 1, scale: 0.01 });
    expect(world.meta).toMatchObject({ start: '2025-11-01', end: '2026-10-31', days: 365, asOf: '2026-11-01', timeZone: 'America/New_York' });
    const first = world.web.sessions[0]?.startedAt ?? '';
    const last = world.web.sessions[world.web.sessions.length - 1]?.startedAt ?? '';
    expect(first >= '2025-11-01T04:00:00Z').toBe(true); // local midnight in New York
    expect(last < '2026-11-01T04:00:00Z').toBe(true);
  });

  it('honours start and days', () => {
    const world = generateWorld({ seed: 1, scale: 0.05, start: '2026-03-01', days: 30 });
    expect(world.meta.end).toBe('2026-03-30');
    expect(world.social.accountDaily.every((row) => row.date >= '2026-03-01' && row.date <= '2026-03-30')).toBe(true);
    expect(world.commerce.orders.every((o) => o.createdAt >= '2026-03-01T05:00:00Z' && o.createdAt < '2026-03-31T04:00:00Z')).toBe(true);
    expect(world.campaigns.every((c) => c.start >= '2026-03-01' && c.end <= '2026-03-30')).toBe(true);
    expect(summarizeWorld(world).orders).toBeGreaterThan(0);
  });

  it('rejects a nonsensical scale', () => {
    expect(() => generateWorld({ seed: 1, scale: 0 })).toThrow(/scale/);
    expect(() => generateWorld({ seed: 1, scale: Number.NaN })).toThrow(/scale/);
  });
});
