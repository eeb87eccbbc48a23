/**
 * Typed configuration: `pulse.config.ts` exports `defineConfig({...})`; it is validated with zod
 * on load, secrets are taken only from environment variables named with `env("NAME")`, and every
 * error names the config path and the fix.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { registerSecret } from './redact.ts';
import { DEFAULT_MEMORY_LIMIT } from './warehouse.ts';
import { jobsSchema } from '../jobs/job-config.ts';

/** A reference to an environment variable holding a secret; resolved when the config loads. */
export interface EnvRef {
  readonly $env: string;
}

/** Names the environment variable that holds a secret: `token: env("SHOPIFY_TOKEN")`. */
export function env(name: string): EnvRef {
  return { $env: name };
}

let secretEnvironment: NodeJS.ProcessEnv = process.env;
const envNames = new Map<string, string>();

/** Sets the environment `secret` fields resolve from while a config is parsed (tests pass their own). */
export function withSecretEnvironment<T>(environment: NodeJS.ProcessEnv, parse: () => T): T {
  const previous = secretEnvironment;
  secretEnvironment = environment;
  try {
    return parse();
  } finally {
    secretEnvironment = previous;
  }
}

/** The environment variable a resolved secret came from, for hints ("check SHOPIFY_TOKEN"). */
export function envNameOf(value: string): string | undefined {
  return envNames.get(value);
}

/**
 * A secret in config: always an `env("NAME")` reference, never a literal value. Parsing resolves
 * it to the variable's value (registered for redaction); a missing variable is a config error
 * at the field's path, before any request is sent.
 */
export const secret = z
  .object({ $env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') })
  .strict()
  .transform((ref, ctx) => {
    const value = secretEnvironment[ref.$env];
    if (value === undefined || value === '') {
      ctx.addIssue({ code: 'custom', message: `environment variable ${ref.$env} is not set — export it before running (it holds a secret, so it never goes in the config file)` });
      return z.NEVER;
    }
    registerSecret(value);
    envNames.set(value, ref.$env);
    return value;
  })
  .describe('a secret: write env("VARIABLE_NAME") and export that variable; secrets never go in the config file');

/** Where the warehouse files live. */
export const warehouseSchema = z
  .object({
    path: z.string().min(1).default('pulse-data/warehouse.duckdb').describe('path of the working DuckDB file (or an md: / s3 path)'),
    analyticsPath: z.string().min(1).default('pulse-data/analytics.duckdb').describe('path of the published, read-only DuckDB file for analysts'),
    lockTimeoutSeconds: z.number().positive().default(30).describe('how long to wait for another process to release the warehouse'),
    memoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as "1GB" or "512MiB"')
      .default(DEFAULT_MEMORY_LIMIT)
      .describe('memory DuckDB may use for the warehouse (extract, build, publish); work beyond it spills to disk'),
  })
  .default({ path: 'pulse-data/warehouse.duckdb', analyticsPath: 'pulse-data/analytics.duckdb', lockTimeoutSeconds: 30, memoryLimit: DEFAULT_MEMORY_LIMIT });

/** Options that shape the marts. */
export const modelsSchema = z
  .object({
    reportingTimeZone: z.string().default('UTC').describe('IANA time zone in which daily grains are cut, e.g. Europe/Berlin'),
    churnWindowDays: z.number().int().positive().default(90).describe('days without an order after which a customer counts as churned'),
    attributionLookbackDays: z.number().int().positive().default(30).describe('days before an order in which sessions get attribution credit'),
  })
  .default({ reportingTimeZone: 'UTC', churnWindowDays: 90, attributionLookbackDays: 30 });

/** The top level; each source is validated by its own connector's schema after this. */
export const configSchema = z
  .object({
    warehouse: warehouseSchema,
    models: modelsSchema,
    sources: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ (it becomes part of table names)'),
        z.looseObject({ type: z.string().describe('the connector type, e.g. shopify, facebook, rest, files') }),
      )
      .default({})
      .describe('the sources to extract, by name'),
    jobs: jobsSchema,
    extract: z
      .object({ batchRows: z.number().int().positive().default(200_000).describe('records per load batch (smaller: less memory, more commits)') })
      .strict()
      .default({ batchRows: 200_000 }),
  })
  .strict();

/** What a config file may contain (before defaults). */
export type PulseConfigInput = z.input<typeof configSchema>;
/** A validated config with defaults applied and secrets resolved. */
export type PulseConfig = z.output<typeof configSchema> & {
  /** Folder relative paths are resolved against (the config file's folder, or the working directory). */
  baseDir: string;
  /** The config file read, or undefined for the built-in sample world. */
  file: string | undefined;
};

/** Returns the config unchanged, typed: `export default defineConfig({...})`. */
export function defineConfig(config: PulseConfigInput): PulseConfigInput {
  return config;
}

/** Renders a zod error as `path: problem — what the field is`, one line per issue. */
export function formatIssues(error: z.ZodError, schema: z.ZodType, prefix: string[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...prefix, ...issue.path.map(String)].join('.') || '(config)';
      const described = descriptionAt(schema, issue.path.map(String));
      const problem = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'required' : issue.message;
      // A message that already says what to do needs no field description after it.
      return `${path}: ${problem}${described && issue.code !== 'custom' ? ` — ${described}` : ''}`;
    })
    .join('\n');
}

/** Finds the description of the field at `path` (through optional/default wrappers, records, arrays and unions). */
export function descriptionAt(schema: z.ZodType, path: string[]): string | undefined {
  const current = unwrap(schema);
  if (path.length === 0) return schema.description ?? current.description;
  const [key, ...rest] = path as [string, ...string[]];
  if (current instanceof z.ZodUnion) {
    for (const option of current.options as z.ZodType[]) {
      const found = descriptionAt(option, path);
      if (found) return found;
    }
    return undefined;
  }
  let next: z.ZodType | undefined;
  if (current instanceof z.ZodObject) next = (current.shape as Record<string, z.ZodType>)[key];
  else if (current instanceof z.ZodRecord) next = current.valueType as z.ZodType;
  else if (current instanceof z.ZodArray) next = current.element as z.ZodType;
  return next ? descriptionAt(next, rest) : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.def.innerType as z.ZodType;
    else break;
  }
  return s;
}

/**
 * Replaces every `env("NAME")` in a plain value with the variable's value, collecting each missing
 * one (for settings read outside a zod schema, e.g. alert webhook headers).
 */
export function resolveSecrets(value: unknown, environment: NodeJS.ProcessEnv, path: string[] = [], missing: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, environment, [...path, String(i)], missing));
  if (value && typeof value === 'object') {
    const ref = value as Partial<EnvRef>;
    if (typeof ref.$env === 'string' && Object.keys(value).length === 1) {
      const resolved = environment[ref.$env];
      if (resolved === undefined || resolved === '') {
        missing.push(`${path.join('.')}: environment variable ${ref.$env} is not set — export it before running (it holds a secret, so it never goes in the config file)`);
        return undefined;
      }
      registerSecret(resolved);
      envNames.set(resolved, ref.$env);
      return resolved;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, environment, [...path, k], missing)]));
  }
  return value;
}

/** Validates a config object (from a file or built in) and resolves relative paths against `baseDir`. */
export function parseConfig(input: unknown, baseDir: string, file: string | undefined): PulseConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n${formatIssues(parsed.error, configSchema)}`, {
      ...(file ? { context: { file } } : {}),
      hint: 'fix the fields named above',
    });
  }
  const config = parsed.data;
  const abs = (p: string) => (isAbsolute(p) || p.startsWith('md:') || p.includes('://') ? p : resolve(baseDir, p));
  return { ...config, warehouse: { ...config.warehouse, path: abs(config.warehouse.path), analyticsPath: abs(config.warehouse.analyticsPath) }, baseDir, file };
}

/** Loads `pulse.config.ts` (or the given file); returns undefined when there is none and none was asked for. */
export async function loadConfigFile(path: string | undefined, cwd: string): Promise<{ input: unknown; file: string } | undefined> {
  const candidates = path ? [resolve(cwd, path)] : ['pulse.config.ts', 'pulse.config.js', 'pulse.config.mjs'].map((f) => resolve(cwd, f));
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    if (path) throw new ConfigError(`config file ${resolve(cwd, path)} does not exist`, { hint: 'pass --config with the path of your pulse.config.ts, or omit it to use the built-in sample world' });
    return undefined;
  }
  let module: { default?: unknown; config?: unknown };
  try {
    // tsx loads the file as TypeScript wherever it lives (a folder without package.json is CommonJS).
    const { tsImport } = await import('tsx/esm/api');
    module = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown; config?: unknown };
  } catch (error) {
    throw new ConfigError(`config file ${file} could not be loaded: ${(error as Error).message}`, { cause: error, context: { file }, hint: 'fix the syntax error above; the file must export default defineConfig({...})' });
  }
  let input = module.default ?? module.config;
  // A file compiled as CommonJS arrives wrapped once more: { default: { default: config } }.
  while (input && typeof input === 'object' && 'default' in input && Object.keys(input).every((k) => k === 'default' || k === '__esModule' || k === 'config')) {
    input = (input as { default: unknown }).default;
  }
  if (input === undefined) throw new ConfigError(`config file ${file} has no default export`, { context: { file }, hint: 'end it with: export default defineConfig({ ... })' });
  return { input, file };
}

/** Folder of a config file, for resolving relative paths. */
export function configDir(file: string | undefined, cwd: string): string {
  return file ? dirname(file) : cwd;
}
