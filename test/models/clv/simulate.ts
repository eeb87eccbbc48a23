/**
 * Seeded simulation of customers from the BG/NBD and Gamma-Gamma generative processes, for
 * parameter-recovery tests (not a test file itself).
 */
import type { BgNbdParams } from '../../../models/clv/bgnbd.ts';
import type { GammaGammaParams } from '../../../models/clv/gammagamma.ts';

/** Returns a seeded uniform generator on [0, 1) (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Draws from Gamma(shape, rate) (Marsaglia & Tsang; shape < 1 boosted by U^(1/shape)). */
export function gamma(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gamma(random, shape + 1, rate) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Draws from Beta(a, b). */
export function beta(random: () => number, a: number, b: number): number {
  const x = gamma(random, a, 1);
  return x / (x + gamma(random, b, 1));
}

/** One simulated customer: the calibration summary, plus what happened after T. */
export interface SimulatedCustomer {
  customerId: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
  /** Whether the customer had not dropped out by T. */
  aliveAtT: boolean;
  /** Purchases in (T, T + holdout]. */
  holdoutPurchases: number;
}

/** What to simulate. */
export interface SimulationSpec {
  customers: number;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Each customer's age T (calibration length), given the customer's index and the generator. */
  age: (index: number, random: () => number) => number;
  /** Length of the period after T whose purchases are counted (default 0). */
  holdout?: number;
  /** Round times (t_x and T) to multiples of this, like orders cut into days (default: no rounding). */
  resolution?: number;
}

/**
 * Simulates customers: λ ~ Gamma(r, α) and p ~ Beta(a, b); purchases follow a Poisson process of
 * rate λ from the first purchase at 0, and after each repeat purchase the customer drops out with
 * probability p. Spend per repeat transaction is Gamma(p, ν) with ν ~ Gamma(q, v).
 */
export function simulateCustomers(spec: SimulationSpec, seed: number): SimulatedCustomer[] {
  const random = createRandom(seed);
  const { r, alpha, a, b } = spec.bgnbd;
  const holdout = spec.holdout ?? 0;
  const round = (t: number): number => (spec.resolution ? Math.floor(t / spec.resolution) * spec.resolution : t);
  const customers: SimulatedCustomer[] = [];
  for (let i = 0; i < spec.customers; i++) {
    const T = spec.age(i, random);
    const lambda = gamma(random, r, alpha);
    const dropout = beta(random, a, b);
    let t = 0;
    let frequency = 0;
    let recency = 0;
    let alive = true;
    let aliveAtT = true;
    let holdoutPurchases = 0;
    while (alive) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T + holdout) break;
      if (t <= T) {
        frequency++;
        recency = t;
      } else {
        holdoutPurchases++;
      }
      if (random() < dropout) {
        alive = false;
        if (t <= T) aliveAtT = false;
      }
    }
    let monetaryValue = 0;
    if (frequency > 0) {
      const nu = gamma(random, spec.gammaGamma.q, spec.gammaGamma.v);
      monetaryValue = gamma(random, spec.gammaGamma.p * frequency, nu) / frequency;
    }
    customers.push({ customerId: `c${i}`, frequency, recency: round(recency), T: round(T), monetaryValue, aliveAtT, holdoutPurchases });
  }
  return customers;
}
