/**
 * Publish stage: audits and publishes the marts of a copy of the built warehouse into a new
 * analytics file (`publishStep`), and reports its time and size. Leaves the analytics file as
 * `published.duckdb` for the report stage. When failing data tests withhold the publish, the
 * engine's `publish` writes the file anyway (timed on its own as `ungatedPublishMs`), so the
 * report stage still has something to build from; the status says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse } from '../../../core/warehouse.ts';
import { publishStep } from '../../../jobs/steps.ts';
import { publish } from '../../../models/engine/index.ts';
import { PRODUCT_MODELS } from '../../../models/index.ts';
import { MACROS } from '../../../models/macros.ts';
import { ARTIFACTS, bytesOnDisk, copyDatabase, mib, moveDatabase, report, requireArtifact, stageArgs, timed } from '../harness.ts';

const args = stageArgs();
const path = join(args.runDir, 'warehouse.duckdb');
const analyticsPath = join(args.runDir, 'analytics.duckdb');
copyDatabase(requireArtifact(args, 'built'), path);
const wh = await openWarehouse(path, { log: silentLogger });
const { value: result, ms } = await timed(() => publishStep(wh, { log: silentLogger, job: 'bench', analyticsPath }));
let ungatedPublishMs: number | null = null;
if (result.status !== 'succeeded') {
  ungatedPublishMs = Math.round((await timed(() => publish(wh, PRODUCT_MODELS, { analyticsPath, log: silentLogger, extraSql: MACROS }))).ms);
}
wh.close();
const published = existsSync(analyticsPath);
const analyticsBytes = published ? bytesOnDisk(analyticsPath) : 0;
if (published) moveDatabase(analyticsPath, join(args.work, ARTIFACTS.published));
report(args, {
  publishMs: Math.round(ms),
  status: result.status,
  ungatedPublishMs,
  failingTests: result.failingTests.join('; ').slice(0, 400),
  tables: result.published?.tables.length ?? 0,
  analyticsMiB: mib(analyticsBytes),
});
