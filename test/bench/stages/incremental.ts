/**
 * Incremental stage: on a copy of the built warehouse, adds about 1% new raw rows — the last-loaded
 * 1% of each raw table, which the build stage held out (../increment.ts), loaded again with a fresh
 * `_loaded_at` — then rebuilds every product model the way a scheduled run after a small extract
 * does (`buildStep`, no full refresh). The runner compares the time with the full build's.
 */
import { join } from 'node:path';
import { parseConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse } from '../../../core/warehouse.ts';
import { buildStep } from '../../../jobs/steps.ts';
import { buildFigures } from '../build-figures.ts';
import { copyDatabase, report, requireArtifact, stageArgs, timed } from '../harness.ts';
import { restoreIncrement } from '../increment.ts';

const args = stageArgs();
const path = join(args.runDir, 'warehouse.duckdb');
copyDatabase(requireArtifact(args, 'built'), path);
const settings = parseConfig({}, args.runDir, undefined).models;
const wh = await openWarehouse(path, { log: silentLogger });
const added = await restoreIncrement(wh);
const { value: result, ms } = await timed(() => buildStep(wh, { log: silentLogger, job: 'bench', settings }));
wh.close();
report(args, {
  incrementalMs: Math.round(ms),
  rowsAdded: added.rows,
  tablesChanged: added.tables,
  ...buildFigures(result.build),
});
