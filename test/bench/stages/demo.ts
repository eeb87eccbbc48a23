/**
 * Demo stage: `pulse demo --scale S` end to end as a newcomer runs it (its own fakes with their
 * real rate limits, extract, build, publish, report), timed as the CLI's wall time, with the
 * durations of its steps from `--json`.
 */
import { join } from 'node:path';
import { report, runPulse, stageArgs, type Figure } from '../harness.ts';

const args = stageArgs();
const out = join(args.runDir, 'demo');
const run = await runPulse(['demo', '--scale', String(args.scale), '--out', out, '--json', '--log-level', 'warn'], { cwd: args.runDir, timeoutMs: 30 * 60_000 });
const figures: Record<string, Figure> = { demoMs: Math.round(run.ms), exitCode: run.code };
try {
  const summary = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { steps?: { step: string; status: string; durationMs: number }[]; site?: string | null };
  for (const step of summary.steps ?? []) {
    figures[`step.${step.step}.ms`] = Math.round(step.durationMs);
    figures[`step.${step.step}.status`] = step.status;
  }
  figures['site'] = Boolean(summary.site);
} catch {
  figures['output'] = (run.stderr + run.stdout).slice(-400);
}
report(args, figures, run.maxRssMiB);
