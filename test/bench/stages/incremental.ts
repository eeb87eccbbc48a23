/**
 * Incremental stage: on a copy of the built warehouse, appends about 1% new raw rows — copies of
 * each raw table's last-loaded 1% with new primary keys (text keys get a suffix, integer keys are
 * shifted past the largest) and a fresh `_loaded_at` — then rebuilds every product model the way a
 * scheduled run after a small extract does (`buildStep`, no full refresh). The runner compares
 * the time with the full build's.
 */
import { join } from 'node:path';
import { parseConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { ident, literal } from '../../../core/sql.ts';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildSource } from '../../../connectors/registry.ts';
import { buildStep } from '../../../jobs/steps.ts';
import { buildFigures } from '../build-figures.ts';
import { copyDatabase, report, requireArtifact, requireWorld, stageArgs, timed } from '../harness.ts';

/** The share of each raw table appended as new rows. */
const NEW_SHARE = 0.01;
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

/** Primary keys of every stream, by raw table name (`<source>__<stream>`). */
function primaryKeys(sources: Record<string, Record<string, unknown> & { type: string }>, dir: string): Map<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>();
  const config = parseConfig({ sources }, dir, undefined);
  for (const [name, raw] of Object.entries(config.sources)) {
    for (const stream of buildSource(name, raw, dir).streams) keys.set(`${name}__${stream.name}`, stream.primaryKey ?? []);
  }
  return keys;
}

/** Appends ~1% new rows to every raw table whose key can be made new; returns what it did. */
async function appendNewRows(wh: Warehouse, keys: Map<string, readonly string[]>): Promise<{ rows: number; tables: number; skipped: string[] }> {
  const tables = await wh.all<{ table_name: string; n: bigint | number }>(`select table_name, estimated_size as n from duckdb_tables() where schema_name = 'raw' order by table_name`);
  let rows = 0;
  let changed = 0;
  const skipped: string[] = [];
  for (const { table_name: table } of tables) {
    const target = `raw.${ident(table)}`;
    const [counted] = await wh.all<{ n: bigint | number }>(`select count(*) as n from ${target}`);
    const total = Number(counted?.n ?? 0);
    if (total === 0) continue;
    const columns = await wh.all<{ column_name: string; data_type: string }>(
      `select column_name, data_type from duckdb_columns() where schema_name = 'raw' and table_name = ${literal(table)}`,
    );
    const typeOf = new Map(columns.map((c) => [c.column_name, c.data_type]));
    const replace: string[] = [];
    for (const key of keys.get(table) ?? []) {
      const type = typeOf.get(key);
      if (type === 'VARCHAR') replace.push(`${ident(key)} || '~new' as ${ident(key)}`);
      else if (type && INTEGER_TYPES.has(type)) replace.push(`${ident(key)} + (select max(${ident(key)}) from ${target}) + 1 as ${ident(key)}`);
    }
    if ((keys.get(table) ?? []).length > 0 && replace.length === 0) {
      skipped.push(table);
      continue;
    }
    if (typeOf.has('_loaded_at')) replace.push('now() as _loaded_at');
    if (typeOf.has('_run_id')) replace.push(`'bench-increment' as _run_id`);
    const n = Math.ceil(total * NEW_SHARE);
    const replaced = replace.length ? ` replace (${replace.join(', ')})` : '';
    await wh.run(`insert into ${target} select *${replaced} from (select * from ${target} order by rowid desc limit ${n})`);
    rows += n;
    changed++;
  }
  return { rows, tables: changed, skipped };
}

const args = stageArgs();
const world = requireWorld(args, 'incremental');
process.env['PULSE_SAMPLE_TOKEN'] ||= 'sample-token';
const path = join(args.runDir, 'warehouse.duckdb');
copyDatabase(requireArtifact(args, 'built'), path);
const settings = parseConfig({}, args.runDir, undefined).models;
const wh = await openWarehouse(path, { log: silentLogger });
const added = await appendNewRows(wh, primaryKeys(world.sources, args.runDir));
const { value: result, ms } = await timed(() => buildStep(wh, { log: silentLogger, job: 'bench', settings }));
wh.close();
report(args, {
  incrementalMs: Math.round(ms),
  rowsAdded: added.rows,
  tablesChanged: added.tables,
  tablesSkipped: added.skipped.join(', '),
  ...buildFigures(result.build),
});
