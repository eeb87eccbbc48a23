/**
 * `npm run bench [-- --rows N --runs 3 --out DIR]`: runs each benchmark stage several times,
 * prints medians and ratios measured side by side in one run, and writes JSON and Markdown
 * results. Not part of `npm test` (no timing assertions in tests).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureIngest, type IngestFigures } from './ingest.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench-results' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const results: IngestFigures[] = [];
for (let i = 0; i < runs; i++) {
  const r = await measureIngest(rows);
  results.push(r);
  process.stderr.write(`ingest run ${i + 1}/${runs}: native ${Math.round(r.nativeRowsPerSecond / 1000)}k rows/s, pulse ${Math.round(r.pulseRowsPerSecond / 1000)}k rows/s, ratio ${r.ratio.toFixed(2)}\n`);
}
const summary = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  ingest: {
    rows,
    runs,
    nativeRowsPerSecond: Math.round(median(results.map((r) => r.nativeRowsPerSecond))),
    pulseRowsPerSecond: Math.round(median(results.map((r) => r.pulseRowsPerSecond))),
    ratio: Number(median(results.map((r) => r.ratio)).toFixed(3)),
    target: 0.5,
    peakRssMiB: Math.round(Math.max(...results.map((r) => r.peakRssMiB))),
  },
};
const met = summary.ingest.ratio >= summary.ingest.target;
const markdown = `| stage | figure | target | met |
|---|---|---|---|
| ingest: DuckDB read_json (native) | ${summary.ingest.nativeRowsPerSecond.toLocaleString('en-US')} rows/s | — | — |
| ingest: pulse extract + load, validated, over HTTP | ${summary.ingest.pulseRowsPerSecond.toLocaleString('en-US')} rows/s | — | — |
| ingest ratio (pulse ÷ native, median of ${runs}) | ${summary.ingest.ratio} | ≥ 0.5 | ${met ? 'yes' : 'NO'} |
| peak RSS of the bench process | ${summary.ingest.peakRssMiB} MiB | < 1536 MiB | ${summary.ingest.peakRssMiB < 1536 ? 'yes' : 'NO'} |
`;
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'results.json'), JSON.stringify(summary, null, 2));
writeFileSync(join(values.out, 'results.md'), markdown);
process.stdout.write(markdown);
