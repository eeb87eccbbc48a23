/**
 * Figures of a build shared by the build and incremental stages.
 */
import type { BuildResult } from '../../models/engine/index.ts';
import type { Figure } from './harness.ts';

/** Models by status and mode, failing tests, and the slowest models, as figures. */
export function buildFigures(build: BuildResult): Record<string, Figure> {
  const count = (pred: (m: BuildResult['models'][number]) => boolean) => build.models.filter(pred).length;
  const failedTests = build.tests.filter((t) => t.status !== 'pass');
  const slowest = [...build.models].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
  return {
    modelsBuilt: count((m) => m.status === 'succeeded'),
    modelsUnchanged: count((m) => m.status === 'unchanged'),
    modelsFailed: count((m) => m.status === 'failed' || m.status === 'skipped'),
    modelsIncremental: count((m) => m.mode === 'incremental'),
    tests: build.tests.length,
    testsNotPassing: failedTests.length,
    problems: [
      ...build.models.filter((m) => m.status === 'failed').map((m) => `${m.model}: ${m.error ?? 'failed'}`),
      ...failedTests.map((t) => `${t.model} ${t.test}: ${t.status}`),
    ].join('; ').slice(0, 400),
    slowestModels: slowest.map((m) => `${m.model} ${(m.durationMs / 1000).toFixed(1)}s`).join(', '),
  };
}
