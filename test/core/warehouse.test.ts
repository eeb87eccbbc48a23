import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../core/errors.ts';
import { MIGRATIONS } from '../../core/migrations.ts';
import { openWarehouse } from '../../core/warehouse.ts';
import { runPulse, writeConfig } from '../support/cli.ts';

/** Starts another process that opens `path` for writing and holds it until killed. */
async function holdWarehouse(path: string) {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(${JSON.stringify(path)}); await i.connect(); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return child;
}

describe('warehouse', () => {
  it('creates the schemas and applies every migration once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pulse-wh-')), 'w.duckdb');
    const wh = await openWarehouse(path);
    const schemas = (await wh.all<{ s: string }>(`select schema_name s from information_schema.schemata where catalog_name = current_database() order by 1`)).map((r) => r.s);
    expect(schemas).toEqual(expect.arrayContaining(['raw', 'staging', 'intermediate', 'marts', 'meta']));
    const tables = (await wh.all<{ t: string }>(`select table_name t from information_schema.tables where table_schema = 'meta' order by 1`)).map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'stream_runs', 'stream_state', 'quarantine', 'schema_drift', 'loaded_files', 'schema_migrations']));
    wh.close();
    const again = await openWarehouse(path);
    const versions = await again.all<{ version: number }>('select version from meta.schema_migrations order by version');
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    again.close();
  });

  it('runs DuckDB under a memory limit: 600 MB by default, or the one configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-wh-'));
    const limitOf = async (options: { memoryLimit?: string }) => {
      const wh = await openWarehouse(join(dir, 'w.duckdb'), options);
      const [row] = await wh.all<{ limit: string }>(`select current_setting('memory_limit') as limit`);
      wh.close();
      return row?.limit;
    };
    expect(await limitOf({})).toBe('572.2 MiB'); // 600 MB = 6 × 10^8 bytes
    expect(await limitOf({ memoryLimit: '2GiB' })).toBe('2.0 GiB');
  });

  it('waits a bounded time for another process, then names the file, the process and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-lock-'));
    const path = join(dir, 'w.duckdb');
    const holder = await holdWarehouse(path);
    try {
      const started = Date.now();
      const error = await openWarehouse(path, { lockTimeoutMs: 600 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransientError);
      const message = (error as TransientError).describe();
      expect(message).toContain(`warehouse file ${path} is locked by another process (pid ${holder.pid})`);
      expect(message).toContain('wait for that process to finish');
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);

      const config = writeConfig(dir, { warehouse: { path, lockTimeoutSeconds: 0.5 } });
      const cli = await runPulse(['status', '--config', config]);
      expect(cli.code).toBe(75);
      expect(cli.stderr).toContain(`(pid ${holder.pid})`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('opens the file as soon as the other process lets go', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pulse-lock2-')), 'w.duckdb');
    const holder = await holdWarehouse(path);
    setTimeout(() => holder.kill('SIGKILL'), 300);
    const wh = await openWarehouse(path, { lockTimeoutMs: 10_000 });
    expect((await wh.all<{ x: number }>('select 1 as x'))[0]?.x).toBe(1);
    wh.close();
  });
});
