/**
 * Report stage: `pulse report` (the static site build) from the published analytics file, timed
 * as the CLI's wall time. Reports `available: false` when this checkout has no report command.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesOnDisk, mib, REPO_ROOT, report, requireArtifact, runPulse, stageArgs } from '../harness.ts';

const args = stageArgs();
if (!existsSync(join(REPO_ROOT, 'jobs', 'commands', 'report.ts'))) {
  report(args, { available: false, reportMs: null, why: 'jobs/commands/report.ts is not in this checkout' });
} else {
  const analyticsPath = requireArtifact(args, 'published');
  const config = join(args.runDir, 'pulse.config.mjs');
  writeFileSync(config, `export default ${JSON.stringify({ warehouse: { path: join(args.runDir, 'warehouse.duckdb'), analyticsPath } })};\n`);
  const site = join(args.runDir, 'site');
  const run = await runPulse(['report', '--config', config, '--out', site, '--log-level', 'warn'], { cwd: args.runDir, timeoutMs: 20 * 60_000 });
  if (run.code !== 0) throw new Error(`pulse report exited with ${run.code}:\n${(run.stderr + run.stdout).slice(-2000)}`);
  report(args, { available: true, reportMs: Math.round(run.ms), siteMiB: mib(bytesOnDisk(site)) }, run.maxRssMiB);
}
