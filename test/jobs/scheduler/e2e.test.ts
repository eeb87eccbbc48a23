import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, runPulse, spawnPulse, writeConfig } from '../../support/cli.ts';
import { itemsSourceConfig, makeItems, startTestApi, type TestApi } from '../../support/api-server.ts';
import type { StatusReport } from '../../../jobs/commands/status.ts';

let api: TestApi;
let dir: string;
let config: string;

beforeAll(async () => {
  api = await startTestApi({ items: makeItems(120), pageSize: 50 });
  dir = mkdtempSync(join(tmpdir(), 'pulse-schedule-e2e-'));
  config = writeConfig(dir, {
    warehouse: { path: 'data/warehouse.duckdb', lockTimeoutSeconds: 20 },
    sources: { testapi: itemsSourceConfig(api.url) },
    jobs: {
      every2s: {
        schedule: '*/2 * * * * *',
        steps: { extract: ['testapi'] },
        timeoutSeconds: 60,
        freshness: { testapi: { warnAfterHours: 1, errorAfterHours: 6 } },
      },
    },
  });
});
afterAll(() => api.close());

async function status(): Promise<StatusReport> {
  const run = await runPulse(['status', '--config', config, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as StatusReport;
}

describe('pulse schedule as a real process', () => {
  it('runs a 2-second job, refuses a second scheduler, and stops cleanly on SIGTERM', async () => {
    const child = spawnPulse(['schedule', '--config', config, '--grace', '5']);
    const output = collect(child);
    try {
      // Real time is the point here: wait (bounded) for two scheduled runs to succeed.
      const deadline = Date.now() + 45_000;
      let report: StatusReport | undefined;
      for (;;) {
        report = await status();
        const succeeded = report.runs.filter((r) => r.command === 'schedule' && r.status === 'succeeded');
        if (succeeded.length >= 2) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no two succeeded runs: ${JSON.stringify(report.runs)}\n${(await Promise.race([output, Promise.resolve(undefined)]))?.stderr ?? ''}`);
      }
      expect(report.jobs[0]).toMatchObject({ job: 'every2s', schedule: '*/2 * * * * *' });
      expect(report.jobs[0]!.nextRunAt).not.toBeNull();
      expect(report.freshness).toMatchObject([{ source: 'testapi', state: 'fresh' }]);
      expect(report.streams[0]).toMatchObject({ source: 'testapi', stream: 'items', lastStatus: 'succeeded' });
      expect(existsSync(join(dir, 'data/warehouse.duckdb.lock'))).toBe(true);

      const second = await runPulse(['schedule', '--config', config]);
      expect(second.code, second.stderr).toBe(75);
      expect(second.stderr).toContain(`is in use by \`pulse schedule\` (pid ${child.pid} on`);
      expect(second.stderr).toContain(`kill ${child.pid}`);

      const stopping = Date.now();
      child.kill('SIGTERM');
      const result = await output;
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(10_000);
      expect(result.stderr).toContain('SIGTERM received: stopping the scheduler');
      expect(result.stderr).toContain('scheduler stopped');
      expect(existsSync(join(dir, 'data/warehouse.duckdb.lock'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    // Afterwards every job run is finished (none left running) and the API was read incrementally.
    const after = await status();
    expect(after.runs.filter((r) => r.status === 'running')).toEqual([]);
    expect(after.runs.filter((r) => r.command === 'schedule').every((r) => ['succeeded', 'skipped', 'cancelled'].includes(r.status))).toBe(true);
  });

  it('pulse run JOB runs the job once, now, with the same ledger', async () => {
    const run = await runPulse(['run', 'every2s', '--config', config, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; command: string; steps: { step: string; status: string; rows: number }[] };
    expect(result).toMatchObject({ status: 'succeeded', command: 'run', steps: [{ step: 'extract', status: 'succeeded' }] });
    const report = await status();
    expect(report.jobs[0]!.lastRun).toMatchObject({ command: 'run', status: 'succeeded' });
    const unknown = await runPulse(['run', 'nope', '--config', config]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown job "nope" — configured jobs: every2s');
  });
});
