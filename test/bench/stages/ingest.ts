/**
 * Ingest stage: 100,000 × scale post-metric records served as Graph-style pages by a server in its
 * own process, extracted and loaded by `extractSource` with every record validated, against
 * DuckDB's own `read_json` on the same records in the same run (see ../ingest.ts).
 */
import { measureIngest } from '../ingest.ts';
import { report, stageArgs } from '../harness.ts';

const args = stageArgs();
const rows = Math.max(2000, Math.round(100_000 * args.scale));
const r = await measureIngest(rows);
report(args, {
  rows,
  nativeRowsPerSecond: Math.round(r.nativeRowsPerSecond),
  pulseRowsPerSecond: Math.round(r.pulseRowsPerSecond),
  ratio: Math.round(r.ratio * 1000) / 1000,
});
