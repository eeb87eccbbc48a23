/**
 * Ingest benchmark: end-to-end extract + load from a local HTTP API with every record validated,
 * against DuckDB's own `read_json` on the same records, measured side by side in one run.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse } from '../../core/warehouse.ts';
import { extractSource } from '../../connectors/extract.ts';
import { defineSource } from '../../connectors/source.ts';

/** The 12-field post-metrics record of ../shared/PERFORMANCE.md. */
export const postMetricsSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  platform: z.enum(['facebook', 'instagram', 'x', 'linkedin', 'youtube']),
  created_time: z.iso.datetime({ offset: true }),
  updated_time: z.iso.datetime({ offset: true }),
  likes: z.number().int().min(0),
  comments: z.number().int().min(0),
  shares: z.number().int().min(0),
  saves: z.number().int().min(0),
  impressions: z.number().int().min(0),
  reach: z.number().int().min(0),
  message: z.string().nullable(),
});

const NATIVE_COLUMNS = `{id: 'VARCHAR', account_id: 'VARCHAR', platform: 'VARCHAR', created_time: 'TIMESTAMPTZ', updated_time: 'TIMESTAMPTZ', likes: 'BIGINT', comments: 'BIGINT', shares: 'BIGINT', saves: 'BIGINT', impressions: 'BIGINT', reach: 'BIGINT', message: 'VARCHAR'}`;

/** Writes `rows` deterministic post-metric records as NDJSON, in chunks so the writer's memory stays flat. */
export function writeRecords(file: string, rows: number): void {
  const platforms = ['facebook', 'instagram', 'x', 'linkedin', 'youtube'];
  const base = Date.UTC(2026, 0, 1);
  const fd = openSync(file, 'w');
  try {
    for (let start = 0; start < rows; start += 10_000) {
      const parts: string[] = [];
      for (let i = start; i < Math.min(rows, start + 10_000); i++) {
        parts.push(
          JSON.stringify({
            id: `post_${i}`,
            account_id: `acct_${i % 17}`,
            platform: platforms[i % 5],
            created_time: new Date(base + i * 1000).toISOString(),
            updated_time: new Date(base + i * 1000 + 86_400_000).toISOString(),
            likes: (i * 31) % 1000,
            comments: i % 97,
            shares: i % 41,
            saves: i % 13,
            impressions: (i * 131) % 100_000,
            reach: (i * 71) % 60_000,
            message: `Post number ${i}: new autumn collection is here, link in bio #brand #sale`,
          }),
        );
      }
      writeSync(fd, parts.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
}

async function startServer(file: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'page-server.ts'), file, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`page server exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** One measured pair. */
export interface IngestFigures {
  rows: number;
  nativeRowsPerSecond: number;
  pulseRowsPerSecond: number;
  ratio: number;
  peakRssMiB: number;
}

/** Measures native read_json and the full extract path on the same records; returns rows/s of each. */
export async function measureIngest(rows: number): Promise<IngestFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-ingest-'));
  const file = join(dir, 'records.ndjson');
  writeRecords(file, rows);
  const server = await startServer(file);
  try {
    const nativeDb = await DuckDBInstance.create(join(dir, 'native.duckdb'));
    const native = await nativeDb.connect();
    let started = performance.now();
    await native.run(`create table posts as select * from read_json('${file}', format = 'newline_delimited', columns = ${NATIVE_COLUMNS})`);
    const nativeSeconds = (performance.now() - started) / 1000;
    native.closeSync();
    nativeDb.closeSync();

    const wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
    const source = defineSource({
      name: 'bench',
      http: { baseUrl: server.url, concurrency: 1 },
      streams: [
        {
          name: 'posts',
          primaryKey: ['id'],
          disposition: 'merge',
          schema: postMetricsSchema,
          read: { kind: 'http', request: () => ({ path: '/posts' }), paginator: { kind: 'cursor', cursorPath: ['paging', 'cursors', 'after'], param: 'after' }, recordPath: ['data'] },
        },
      ],
    });
    await wh.run(`insert into meta.runs (run_id, job, command, started_at, status) values ('bench', 'bench', 'bench', now(), 'running')`);
    started = performance.now();
    const [outcome] = await extractSource(source, { wh, runId: 'bench', log: silentLogger, spoolDir: join(dir, 'spool') });
    const pulseSeconds = (performance.now() - started) / 1000;
    if (outcome?.status !== 'succeeded' || outcome.rowsLoaded !== rows) throw new Error(`benchmark extract did not load every row: ${JSON.stringify(outcome)}`);
    wh.close();
    const nativeRowsPerSecond = rows / nativeSeconds;
    const pulseRowsPerSecond = rows / pulseSeconds;
    return { rows, nativeRowsPerSecond, pulseRowsPerSecond, ratio: pulseRowsPerSecond / nativeRowsPerSecond, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
