/**
 * Seeded randomness for the sample world: a small fast generator (sfc32, seeded through a string
 * hash) and the distributions the generators draw from. Every stream of the world forks its own
 * generator by label, so adding draws in one area never shifts the numbers of another.
 */

/** Hashes a string into four 32-bit seeds (cyrb128), so any seed or label gives a well-mixed state. */
function hashToSeeds(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A seeded pseudo-random generator (sfc32) with the distributions the sample world needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly seedText: string;
  private spareNormal: number | undefined;

  /** Creates a generator from any seed; equal seeds give equal sequences. */
  constructor(seed: number | string) {
    this.seedText = String(seed);
    [this.a, this.b, this.c, this.d] = hashToSeeds(this.seedText);
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Returns an independent generator for a named stream (`rng.fork('orders')`). */
  fork(label: string): Rng {
    return new Rng(`${this.seedText}/${label}`);
  }

  /** Returns a uniform float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Returns a uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Returns a uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Returns true with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Returns a standard-normal draw scaled to `mean` and `sd` (Box–Muller, caching the spare). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Returns a log-normal draw whose median is `median` and whose log has standard deviation `sigma`. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Returns an exponential draw with the given mean. */
  exponential(mean: number): number {
    let u = 0;
    while (u === 0) u = this.next();
    return -Math.log(u) * mean;
  }

  /** Returns a Poisson draw with mean `lambda` (Knuth for small means, a rounded normal for large). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 40) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Returns a gamma draw with `shape` and `scale` (Marsaglia–Tsang). */
  gamma(shape: number, scale = 1): number {
    if (shape < 1) {
      const u = this.next();
      return this.gamma(1 + shape, scale) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Returns a beta draw with shape parameters `a` and `b`. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  /** Returns a binomial draw (n trials of probability p); normal approximation for large n. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n > 60) {
      const mean = n * p;
      const sd = Math.sqrt(mean * (1 - p));
      return Math.min(n, Math.max(0, Math.round(this.normal(mean, sd))));
    }
    let k = 0;
    for (let i = 0; i < n; i++) if (this.next() < p) k++;
    return k;
  }

  /** Returns one element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choice() needs a non-empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Returns one element drawn with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let target = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      target -= weights[i] ?? 0;
      if (target < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Returns one key of a `{ value: weight }` table, drawn by weight. */
  weightedKey<K extends string>(table: Readonly<Record<K, number>>): K {
    const keys = Object.keys(table) as K[];
    return this.weighted(keys, keys.map((k) => table[k]));
  }

  /** Returns `count` distinct elements in random order (or all of them, shuffled, if fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /** Returns a string of decimal digits, not starting with zero. */
  digits(length: number): string {
    let out = String(this.int(1, 9));
    for (let i = 1; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** Returns a string of letters and digits (Stripe-style id suffixes). */
  alphanumeric(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHANUMERIC[Math.floor(this.next() * 62)];
    return out;
  }

  /** Returns a base64url string (YouTube-style ids). */
  base64url(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += BASE64URL[Math.floor(this.next() * 64)];
    return out;
  }
}

/** Creates the root generator for a world seed. */
export function createRng(seed: number | string): Rng {
  return new Rng(seed);
}
