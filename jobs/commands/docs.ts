/**
 * `pulse docs [--out DIR]`: writes the data dictionary (`data-dictionary.md`) and the lineage as
 * Mermaid (`lineage.mmd`) and JSON (`lineage.json`) from the model definitions, by default into
 * `docs/` next to the warehouse file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { discoverLineage, loadModels, renderDocs, type ModelDef } from '../../models/engine/index.ts';
import { PRODUCT_MODELS } from '../../models/index.ts';
import type { CommandContext } from '../context.ts';

/** Options of the docs command. */
export interface DocsCommandOptions {
  /** Output folder (default: `docs/` next to the warehouse file). */
  out?: string;
  /** The models to document (default: the product's); tests pass their own. */
  models?: readonly ModelDef[];
}

/** The files `pulse docs` writes, by role. */
export interface DocsFiles {
  dictionary: string;
  mermaid: string;
  json: string;
}

/** The default output folder: `docs/` beside a file warehouse, else `./docs` (an `md:` or URL warehouse has no folder). */
export function defaultDocsDir(warehousePath: string): string {
  const remote = warehousePath.startsWith('md:') || warehousePath.includes('://') || warehousePath === ':memory:';
  return remote ? resolve('docs') : join(dirname(resolve(warehousePath)), 'docs');
}

/** Writes `text` to a temp file beside `path` and renames it into place, so readers never see half a file. */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Renders and writes the docs for `models` into `dir`. Lineage comes from DuckDB's parser in a
 * private in-memory database, so documenting never waits for (or blocks) a job holding the warehouse.
 */
export async function writeDocs(models: readonly ModelDef[], dir: string): Promise<DocsFiles> {
  const loaded = loadModels(models);
  const instance = await DuckDBInstance.create(':memory:');
  let docs;
  try {
    const conn = await instance.connect();
    try {
      docs = renderDocs(models, await discoverLineage(conn, loaded));
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  mkdirSync(dir, { recursive: true });
  const files: DocsFiles = { dictionary: join(dir, 'data-dictionary.md'), mermaid: join(dir, 'lineage.mmd'), json: join(dir, 'lineage.json') };
  writeAtomically(files.dictionary, docs.markdown);
  writeAtomically(files.mermaid, `${docs.mermaid}\n`);
  writeAtomically(files.json, `${JSON.stringify(docs.json, null, 2)}\n`);
  return files;
}

/** Runs the docs command; returns the exit code. */
export async function docsCommand(ctx: CommandContext, options: DocsCommandOptions = {}): Promise<number> {
  const models = options.models ?? PRODUCT_MODELS;
  const dir = options.out ? resolve(options.out) : defaultDocsDir(ctx.config.warehouse.path);
  const files = await writeDocs(models, dir);
  if (ctx.flags.json) ctx.out(JSON.stringify({ status: 'succeeded', models: models.length, files }, null, 2));
  else ctx.out([`docs for ${models.length} model${models.length === 1 ? '' : 's'}:`, `  ${files.dictionary}`, `  ${files.mermaid}`, `  ${files.json}`].join('\n'));
  return 0;
}
