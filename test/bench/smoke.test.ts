/**
 * Keeps the benchmark harness from rotting: runs every stage once at a tiny scale in a temp folder
 * and checks the results file has every figure. No timing assertions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';
import type { BenchResults } from './render.ts';

/** The figures each stage must report (numbers unless noted). */
const FIGURES: Record<string, string[]> = {
  ingest: ['rows', 'nativeRowsPerSecond', 'pulseRowsPerSecond', 'ratio'],
  extract: ['wallMs', 'rows', 'rowsPerSecond', 'warehouseMiB'],
  build: ['buildMs', 'modelsBuilt', 'modelsFailed', 'warehouseMiB'],
  incremental: ['incrementalMs', 'rowsAdded', 'modelsBuilt'],
  publish: ['publishMs', 'analyticsMiB'],
  report: ['reportMs'],
  sentiment: ['texts', 'scoreMs', 'textsPerSecond'],
  clv: ['customers', 'fitMs', 'predictMs'],
  demo: ['demoMs'],
};

describe('npm run bench (smoke, scale 0.01, one run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every stage and writes every figure', { timeout: 15 * 60_000 }, () => {
    const out = join(dir, 'out');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test', 'bench', 'run.ts'), '--scale', '0.01', '--runs', '1', '--out', out, '--work', join(dir, 'work'), '--benchmarks-file', ''],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 14 * 60_000, env: { ...process.env, TZ: 'UTC', DOTENV_CONFIG_QUIET: 'true' } },
    );
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    expect(existsSync(join(out, 'results.md'))).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    expect(results.machine.duckdb).toMatch(/^v\d/);
    expect(results.worlds.map((w) => w.scale)).toEqual([0.01]);
    for (const [stage, names] of Object.entries(FIGURES)) {
      const result = results.results.find((r) => r.stage === stage && r.scale === 0.01 && !r.prep);
      expect(result, `${stage} has a result`).toBeDefined();
      expect(result!.error, `${stage}: ${result!.error}`).toBeUndefined();
      expect(result!.peakRssMiB, `${stage} peak RSS`).toBeGreaterThan(0);
      // The report command may not be in every checkout; the stage then says so instead of timing it.
      if (stage === 'report' && result!.figures['available'] === false) continue;
      for (const name of names) expect(typeof result!.figures[name], `${stage}.${name}`).toBe('number');
    }
    expect(results.results.find((r) => r.stage === 'extract')!.warmUp?.['wallMs']).toEqual(expect.any(Number));
    // The increment is the 1% the build held out, loaded again: real rows, so every data test still passes.
    const build = results.results.find((r) => r.stage === 'build' && !r.prep)!;
    const incremental = results.results.find((r) => r.stage === 'incremental' && !r.prep)!;
    expect(incremental.figures['rowsAdded']).toBe(build.figures['rowsHeldOut']);
    expect(incremental.figures['rowsAdded']).toBeGreaterThan(0);
    expect([build.figures['testsNotPassing'], incremental.figures['testsNotPassing']], String(incremental.figures['problems'])).toEqual([0, 0]);
    const targets = results.targets.map((t) => t.id).sort();
    expect(targets).toEqual(['demo-time', 'incremental-share', 'ingest-ratio', 'sentiment-rate', ...Object.keys(FIGURES).map((s) => `rss-${s}`)].sort());
    for (const t of results.targets) expect(t.met, `${t.id}: ${t.why}`).not.toBeNull();
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('| extract | wall time (s) |');
  });
});
