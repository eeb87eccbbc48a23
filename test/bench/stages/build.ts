/**
 * Build stage: a full build of every product model (`buildStep` over `PRODUCT_MODELS`, data tests
 * included) on a copy of the extracted warehouse, less the last-loaded 1% of each raw table, which
 * is held out for the incremental stage to add (../increment.ts). Leaves the built warehouse as
 * `built.duckdb` for the incremental and publish stages.
 */
import { join } from 'node:path';
import { parseConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse } from '../../../core/warehouse.ts';
import { buildStep } from '../../../jobs/steps.ts';
import { PRODUCT_MODELS } from '../../../models/index.ts';
import { ARTIFACTS, bytesOnDisk, copyDatabase, mib, moveDatabase, report, requireArtifact, stageArgs, timed } from '../harness.ts';
import { buildFigures } from '../build-figures.ts';
import { holdOutIncrement } from '../increment.ts';

const args = stageArgs();
const path = join(args.runDir, 'warehouse.duckdb');
copyDatabase(requireArtifact(args, 'extracted'), path);
const settings = parseConfig({}, args.runDir, undefined).models;
const wh = await openWarehouse(path, { log: silentLogger });
const heldOut = await holdOutIncrement(wh);
const { value: result, ms } = await timed(() => buildStep(wh, { log: silentLogger, job: 'bench', settings }));
wh.close();
const figures = { buildMs: Math.round(ms), ...buildFigures(result.build), models: PRODUCT_MODELS.length, rowsHeldOut: heldOut.rows, warehouseMiB: mib(bytesOnDisk(path)) };
moveDatabase(path, join(args.work, ARTIFACTS.built));
report(args, figures);
