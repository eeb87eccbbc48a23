/**
 * The generic file source: CSV, NDJSON or Parquet files matched by a glob under a configured
 * folder, read by DuckDB's own readers with declared field types and a primary key. A bad row
 * never fails or silently drops its file: it goes to quarantine with its line (or row) and reason.
 * Each file loads once, tracked by path and checksum; a changed file loads again.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { fieldSpec, type FieldSpecs } from '../rest/schema.ts';
import { recordSchema } from '../rest/index.ts';
import type { Connector } from '../registry.ts';
import { defineSource, type SourceDef, type StreamDef } from '../source.ts';
import { resolve } from 'node:path';

const fileStream = z
  .object({
    glob: z.string().min(1).describe('files to load, relative to root, e.g. exports/*.csv'),
    format: z.enum(['csv', 'ndjson', 'parquet']).describe('file format: csv (with a header line), ndjson or parquet'),
    primaryKey: z.union([z.string(), z.array(z.string()).min(1)]).describe('field(s) identifying a row; reloads merge on it'),
    disposition: z.enum(['append', 'merge', 'replace']).default('merge'),
    fields: z.record(z.string(), fieldSpec).describe('columns and their types; columns not listed are kept as JSON and reported as drift'),
    freshnessHours: z.number().positive().optional(),
  })
  .strict();

/** Config of a generic file source. */
export const filesConfigSchema = z
  .object({
    type: z.literal('files'),
    root: z.string().min(1).describe('the folder the files live in; paths outside it are refused'),
    streams: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'), fileStream).refine((s) => Object.keys(s).length > 0, 'declare at least one stream'),
  })
  .strict();

/** A validated generic file source config. */
export type FilesConfig = z.output<typeof filesConfigSchema>;

/** Builds a file stream from declared fields (shared by the file-based connectors). */
export function fileStreamDef(
  name: string,
  root: string,
  spec: { glob: string; format: 'csv' | 'ndjson' | 'parquet'; primaryKey: string | string[]; disposition?: 'append' | 'merge' | 'replace'; fields: FieldSpecs; freshnessHours?: number | undefined },
  checks?: StreamDef['checks'],
): StreamDef {
  return {
    name,
    primaryKey: Array.isArray(spec.primaryKey) ? spec.primaryKey : [spec.primaryKey],
    disposition: spec.disposition ?? 'merge',
    schema: recordSchema(spec.fields),
    read: { kind: 'files', root, glob: spec.glob, format: spec.format },
    ...(spec.freshnessHours ? { freshnessHours: spec.freshnessHours } : {}),
    ...(checks ? { checks } : {}),
  };
}

/** Builds the `SourceDef` of a generic file source. */
export function buildFilesSource(config: FilesConfig, name: string, baseDir: string): SourceDef {
  const root = resolve(baseDir, config.root);
  // Checked here, so a mistake is a config error at its path rather than an internal one from defineSource.
  for (const [stream, spec] of Object.entries(config.streams)) {
    for (const key of Array.isArray(spec.primaryKey) ? spec.primaryKey : [spec.primaryKey]) {
      if (!(key in spec.fields)) {
        throw new ConfigError(`sources.${name}.streams.${stream}.primaryKey: field "${key}" is not declared in fields`, { hint: `add ${key} to fields, or pick a declared field` });
      }
    }
  }
  return defineSource({ name, streams: Object.entries(config.streams).map(([stream, spec]) => fileStreamDef(stream, root, spec)) });
}

/** The `files` connector for the registry. */
export const filesConnector: Connector<FilesConfig> = {
  type: 'files',
  description: 'CSV, NDJSON or Parquet files from a folder, with declared columns and a primary key',
  configSchema: filesConfigSchema,
  build: (config, ctx) => buildFilesSource(config, ctx.name, ctx.baseDir),
};
