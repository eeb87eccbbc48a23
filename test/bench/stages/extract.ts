/**
 * Extract stage: every connector of the sample world, from its fake on 127.0.0.1 (files for the
 * file sources) into a fresh warehouse, as `pulse extract` runs it (`runExtract`, two sources
 * side by side, records validated and loaded). Reports wall time, rows/s, rows per source and
 * the warehouse size on disk; leaves the warehouse as `extracted.duckdb` for the build stages.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse } from '../../../core/warehouse.ts';
import { buildSource } from '../../../connectors/registry.ts';
import { runExtract } from '../../../jobs/steps.ts';
import { ARTIFACTS, bytesOnDisk, mib, moveDatabase, report, requireWorld, stageArgs, timed, type Figure } from '../harness.ts';

const args = stageArgs();
const world = requireWorld(args, 'extract');
process.env['PULSE_SAMPLE_TOKEN'] ||= 'sample-token';
const path = join(args.runDir, 'warehouse.duckdb');
const config = parseConfig({ warehouse: { path, analyticsPath: join(args.runDir, 'analytics.duckdb') }, sources: world.sources }, args.runDir, undefined);
const sources = Object.entries(config.sources).map(([name, raw]) => buildSource(name, raw, args.runDir));
const wh = await openWarehouse(path, { log: silentLogger });
// Read up to just after the world's last day rather than up to now: every run then sends the same
// requests (the fakes' answer cache serves repeats), and no run reads weeks of empty windows.
const until = new Date(Date.parse(`${world.end}T00:00:00Z`) + 2 * 86_400_000);
const { value: result, ms } = await timed(() => runExtract(wh, sources, { log: silentLogger, job: 'bench', batchRows: config.extract.batchRows, until }));
wh.close();

const rows = result.streams.reduce((n, s) => n + s.rowsLoaded, 0);
const failed = result.streams.filter((s) => s.status !== 'succeeded');
const figures: Record<string, Figure> = {
  wallMs: Math.round(ms),
  rows,
  rowsPerSecond: Math.round(rows / (ms / 1000)),
  quarantined: result.streams.reduce((n, s) => n + s.rowsQuarantined, 0),
  requests: result.streams.reduce((n, s) => n + s.requests, 0),
  failedStreams: failed.length,
  failures: failed.map((s) => `${s.source}.${s.stream}: ${s.error ?? s.status}`).join('; ').slice(0, 500),
  warehouseMiB: mib(bytesOnDisk(path)),
};
const bySource = new Map<string, { ms: number; rows: number }>();
for (const s of result.streams) {
  const entry = bySource.get(s.source) ?? { ms: 0, rows: 0 };
  entry.ms += s.durationMs;
  entry.rows += s.rowsLoaded;
  bySource.set(s.source, entry);
}
for (const [source, e] of bySource) {
  figures[`source.${source}.ms`] = Math.round(e.ms);
  figures[`source.${source}.rows`] = e.rows;
}
if (failed.length === 0 && existsSync(path)) moveDatabase(path, join(args.work, ARTIFACTS.extracted));
report(args, figures);
