/**
 * Derivative-free maximisation of a likelihood over positive parameters: Nelder–Mead on the
 * logarithms of the parameters (so they stay positive), clamped to bounds, restarted from the
 * best point until a fresh simplex no longer improves it.
 */

/** Options for `maximizePositive`. */
export interface MaximizeOptions {
  /** Most Nelder–Mead iterations over all restarts (default 5000). */
  maxIterations?: number;
  /** Converged when the simplex's objective values differ by at most this (default 1e-10). */
  tolerance?: number;
  /** …and its vertices by at most this in log-parameter space (default 1e-7). */
  parameterTolerance?: number;
  /** Most restarts from the best point after a run converges (default 5). */
  restarts?: number;
  /** Size of the initial simplex's steps in log-parameter space (default 0.5, about ±65%). */
  initialStep?: number;
  /** Lower bounds on the parameters (natural scale, > 0; default 1e-8 each). */
  lower?: readonly number[];
  /** Upper bounds on the parameters (natural scale; default 1e8 each). */
  upper?: readonly number[];
}

/** What `maximizePositive` found. */
export interface MaximizeResult {
  /** The best parameters (natural scale). */
  params: number[];
  /** The objective at `params`. */
  value: number;
  /** Nelder–Mead iterations over all restarts. */
  iterations: number;
  /** Objective evaluations. */
  evaluations: number;
  /** Whether the last run met both tolerances and its restart did not improve the objective. */
  converged: boolean;
}

interface RunResult {
  theta: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/**
 * Maximises `objective` over positive parameters starting from `start`. The objective may return
 * a non-finite value for parameters it cannot evaluate; those points are treated as worst.
 *
 * @example maximizePositive(([x, y]) => -((x! - 2) ** 2) - (y! - 0.5) ** 2, [1, 1]) // params ≈ [2, 0.5]
 */
export function maximizePositive(
  objective: (params: readonly number[]) => number,
  start: readonly number[],
  options: MaximizeOptions = {},
): MaximizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 5000;
  const tolerance = options.tolerance ?? 1e-10;
  const parameterTolerance = options.parameterTolerance ?? 1e-7;
  const restarts = options.restarts ?? 5;
  const step = options.initialStep ?? 0.5;
  const lower = Float64Array.from({ length: n }, (_, i) => Math.log(options.lower?.[i] ?? 1e-8));
  const upper = Float64Array.from({ length: n }, (_, i) => Math.log(options.upper?.[i] ?? 1e8));
  for (let i = 0; i < n; i++) {
    const s = start[i] as number;
    if (!(s > 0 && Number.isFinite(s))) throw new RangeError(`maximizePositive: start[${i}] = ${s} must be a positive finite number`);
  }

  const natural = new Array<number>(n).fill(0);
  let evaluations = 0;
  // Nelder–Mead minimises, so the objective is negated; non-finite values become +Infinity.
  const cost = (theta: Float64Array): number => {
    for (let i = 0; i < n; i++) natural[i] = Math.exp(theta[i] as number);
    evaluations++;
    const value = objective(natural);
    return Number.isFinite(value) ? -value : Number.POSITIVE_INFINITY;
  };

  let theta: Float64Array = Float64Array.from(start, (s, i) => clamp(Math.log(s), lower[i] as number, upper[i] as number));
  let value = cost(theta);
  let iterations = 0;
  let converged = false;
  for (let run = 0; run <= restarts && iterations < maxIterations; run++) {
    const result = nelderMead(cost, theta, { step, lower, upper, tolerance, parameterTolerance, maxIterations: maxIterations - iterations });
    iterations += result.iterations;
    const improvement = value - result.value;
    if (result.value <= value) {
      theta = result.theta;
      value = result.value;
    }
    converged = result.converged;
    // A converged run whose restart gains nothing is the answer; the first run always restarts,
    // because a simplex can collapse onto a ridge away from the optimum.
    if (!result.converged || (run > 0 && improvement <= tolerance)) break;
    if (run === restarts) converged = improvement <= tolerance;
  }
  return { params: Array.from(theta, Math.exp), value: -value, iterations, evaluations, converged };
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

interface RunOptions {
  step: number;
  lower: Float64Array;
  upper: Float64Array;
  tolerance: number;
  parameterTolerance: number;
  maxIterations: number;
}

// Standard coefficients: reflection, expansion, contraction, shrink.
const REFLECT = 1;
const EXPAND = 2;
const CONTRACT = 0.5;
const SHRINK = 0.5;

/** Runs one Nelder–Mead minimisation from a fresh simplex around `start`; buffers are allocated once per run. */
function nelderMead(cost: (theta: Float64Array) => number, start: Float64Array, o: RunOptions): RunResult {
  const n = start.length;
  const vertices: Float64Array[] = [];
  const values = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) {
    const v = Float64Array.from(start);
    if (j > 0) {
      const i = j - 1;
      // Step away from the nearer bound so the vertex does not land on it.
      const up = (v[i] as number) + o.step <= (o.upper[i] as number);
      v[i] = clamp((v[i] as number) + (up ? o.step : -o.step), o.lower[i] as number, o.upper[i] as number);
    }
    vertices.push(v);
    values[j] = cost(v);
  }
  const order = Array.from({ length: n + 1 }, (_, j) => j);
  const centroid = new Float64Array(n);
  const reflected = new Float64Array(n);
  const trial = new Float64Array(n);
  const along = (to: Float64Array, coefficient: number, worst: Float64Array): void => {
    // to = centroid + coefficient·(centroid − worst), clamped to the bounds.
    for (let i = 0; i < n; i++) {
      const c = centroid[i] as number;
      to[i] = clamp(c + coefficient * (c - (worst[i] as number)), o.lower[i] as number, o.upper[i] as number);
    }
  };

  let iterations = 0;
  for (; iterations < o.maxIterations; iterations++) {
    order.sort((p, q) => (values[p] as number) - (values[q] as number));
    const best = order[0] as number;
    const worst = order[n] as number;
    const bestVertex = vertices[best] as Float64Array;
    if (hasConverged(vertices, values, best, worst, o)) {
      return { theta: Float64Array.from(bestVertex), value: values[best] as number, iterations, converged: true };
    }
    centroid.fill(0);
    for (let j = 0; j < n; j++) {
      const v = vertices[order[j] as number] as Float64Array;
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (v[i] as number) / n;
    }
    const worstVertex = vertices[worst] as Float64Array;
    const fBest = values[best] as number;
    const fSecondWorst = values[order[n - 1] as number] as number;
    const fWorst = values[worst] as number;

    along(reflected, REFLECT, worstVertex);
    const fReflected = cost(reflected);
    if (fReflected < fBest) {
      along(trial, EXPAND, worstVertex);
      const fExpanded = cost(trial);
      if (fExpanded < fReflected) accept(worstVertex, trial, worst, fExpanded);
      else accept(worstVertex, reflected, worst, fReflected);
      continue;
    }
    if (fReflected < fSecondWorst) {
      accept(worstVertex, reflected, worst, fReflected);
      continue;
    }
    // Contract outside (towards the reflected point) or inside (towards the worst vertex).
    const outside = fReflected < fWorst;
    along(trial, outside ? REFLECT * CONTRACT : -CONTRACT, worstVertex);
    const fContracted = cost(trial);
    if (fContracted < (outside ? fReflected : fWorst)) {
      accept(worstVertex, trial, worst, fContracted);
      continue;
    }
    for (let j = 1; j <= n; j++) {
      const v = vertices[order[j] as number] as Float64Array;
      for (let i = 0; i < n; i++) v[i] = (bestVertex[i] as number) + SHRINK * ((v[i] as number) - (bestVertex[i] as number));
      values[order[j] as number] = cost(v);
    }
  }
  order.sort((p, q) => (values[p] as number) - (values[q] as number));
  const best = order[0] as number;
  return { theta: Float64Array.from(vertices[best] as Float64Array), value: values[best] as number, iterations, converged: false };

  function accept(vertex: Float64Array, point: Float64Array, index: number, value: number): void {
    vertex.set(point);
    values[index] = value;
  }
}

function hasConverged(vertices: Float64Array[], values: Float64Array, best: number, worst: number, o: RunOptions): boolean {
  const fBest = values[best] as number;
  const fWorst = values[worst] as number;
  if (!Number.isFinite(fWorst) || fWorst - fBest > o.tolerance) return false;
  const b = vertices[best] as Float64Array;
  for (const v of vertices) {
    for (let i = 0; i < b.length; i++) if (Math.abs((v[i] as number) - (b[i] as number)) > o.parameterTolerance) return false;
  }
  return true;
}
