import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../../core/warehouse.ts';
import { allConnectors } from '../../connectors/registry.ts';
import { runPulse } from '../support/cli.ts';

describe('pulse demo', () => {
  it('runs the pipeline on the sample world and leaves every sample source in raw', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pulse-demo-'));
    const run = await runPulse(['demo', '--scale', '0.03', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { warehouse: string; steps: { step: string; status: string }[] };
    expect(summary.steps[0]).toMatchObject({ step: 'extract', status: 'succeeded' });

    const wh = await openWarehouse(summary.warehouse);
    try {
      const tables = await wh.all<{ table_name: string; n: number }>(
        `select table_name, estimated_size as n from duckdb_tables() where schema_name = 'raw' order by 1`,
      );
      const sampled = allConnectors().filter((c) => c.sample).map((c) => c.type);
      for (const type of sampled) {
        const own = tables.filter((t) => t.table_name.startsWith(`${type}__`));
        expect(own.length, `raw tables of ${type}`).toBeGreaterThan(0);
        for (const t of own) {
          const [row] = await wh.all<{ n: number }>(`select count(*)::int as n from raw."${t.table_name}"`);
          expect(row?.n, `rows in raw.${t.table_name}`).toBeGreaterThan(0);
        }
      }
      const [failed] = await wh.all<{ n: number }>(`select count(*)::int n from meta.stream_runs where status <> 'succeeded'`);
      expect(failed?.n).toBe(0);
    } finally {
      wh.close();
    }
  });

  it('serves the sample world with --serve until SIGTERM, writing a config a user can extract from', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pulse-serve-'));
    const { spawnPulse, collect } = await import('../support/cli.ts');
    const child = spawnPulse(['demo', '--serve', '--scale', '0.02', '--out', out]);
    const done = collect(child);
    await new Promise<void>((resolve) => {
      let text = '';
      child.stdout?.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('try: pulse extract')) resolve();
      });
    });
    const extract = await runPulse(['extract', 'surveys', '--config', join(out, 'pulse.config.ts'), '--json']);
    expect(extract.code, extract.stderr).toBe(0);
    expect(JSON.parse(extract.stdout).status).toBe('succeeded');
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
  });
});
