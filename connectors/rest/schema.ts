/**
 * Config schema of the declarative REST source: an API described entirely as data (base URL,
 * auth, endpoints, paginator, record path, primary key, cursor, parent → child, field types).
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

const path = z.string().describe('a dotted path into the response body, e.g. paging.cursors.after');

/** Field types a declared record may use, mapped to DuckDB types by the loader. */
export const fieldType = z.enum(['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json', 'decimal']);

/** A declared field: a type name, or a type with required/enum/min/max. */
export const fieldSpec = z.union([
  fieldType,
  z
    .object({
      type: fieldType,
      required: z.boolean().default(false).describe('records without this field go to quarantine'),
      enum: z.array(z.string()).optional().describe('allowed values'),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .strict(),
]);

/** Declared fields as written in config (before defaults). */
export type FieldSpecs = Record<string, z.input<typeof fieldSpec>>;

const auth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('bearer'), token: secret }).strict(),
  z.object({ kind: z.literal('apiKey'), in: z.enum(['header', 'query']), name: z.string().min(1), value: secret }).strict(),
  z.object({ kind: z.literal('basic'), username: z.string().min(1), password: secret }).strict(),
  z
    .object({ kind: z.literal('oauth2ClientCredentials'), tokenUrl: z.url(), clientId: z.string().min(1), clientSecret: secret, scope: z.string().optional() })
    .strict(),
]);

const paginator = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('cursor'), cursorPath: path, param: z.string().min(1), hasMorePath: path.optional() }).strict(),
  z.object({ kind: z.literal('nextUrl'), path }).strict(),
  z.object({ kind: z.literal('linkHeader') }).strict(),
  z
    .object({ kind: z.literal('offset'), offsetParam: z.string(), limitParam: z.string(), limit: z.number().int().positive(), in: z.enum(['query', 'body']).optional(), totalPath: path.optional() })
    .strict(),
  z
    .object({ kind: z.literal('pageNumber'), pageParam: z.string(), start: z.number().int().optional(), sizeParam: z.string().optional(), size: z.number().int().positive().optional(), totalPagesPath: path.optional() })
    .strict(),
  z.object({ kind: z.literal('startingAfter'), hasMorePath: path, param: z.string(), idField: z.string() }).strict(),
]);

const stream = z
  .object({
    path: z.string().min(1).describe('endpoint path; may use {since}, {until} and {parent.<field>}'),
    method: z.enum(['GET', 'POST']).default('GET'),
    query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}).describe('query parameters; values may use {since} and {until}'),
    body: z.unknown().optional().describe('JSON body for POST endpoints'),
    recordPath: z.string().default('').describe('dotted path of the record array in the body ("" when the body is the array)'),
    primaryKey: z.union([z.string(), z.array(z.string()).min(1)]).describe('field(s) identifying a record; reruns merge on it'),
    disposition: z.enum(['append', 'merge', 'replace']).default('merge'),
    paginator: paginator.default({ kind: 'none' }),
    cursor: z
      .object({
        field: z.string().describe('record field whose maximum is saved after each run'),
        initial: z.string().describe('where the first run starts (ISO date)'),
        lookbackDays: z.number().nonnegative().default(0).describe('days re-read on every run for restated metrics'),
      })
      .strict()
      .optional(),
    windowDays: z.number().positive().optional().describe('read the range in windows of this many days, each committed on its own'),
    fields: z.record(z.string(), fieldSpec).describe('record fields and their types; fields not listed are kept as JSON and reported as drift'),
    parent: z.object({ stream: z.string(), fields: z.record(z.string(), z.string()), scope: z.enum(['run', 'all']).default('run') }).strict().optional(),
    freshnessHours: z.number().positive().optional(),
  })
  .strict();

/** The whole REST source config. */
export const restConfigSchema = z
  .object({
    type: z.literal('rest'),
    baseUrl: z.url().describe('the API root, e.g. https://api.example.com/v2'),
    auth: auth.default({ kind: 'none' }),
    headers: z.record(z.string(), z.string()).default({}),
    timeoutSeconds: z.number().positive().default(30),
    concurrency: z.number().int().positive().default(4),
    budget: z.object({ requests: z.number().int().positive(), perSeconds: z.number().positive() }).strict().optional().describe('at most this many requests per window'),
    retries: z.number().int().nonnegative().default(5),
    streams: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'), stream).refine((s) => Object.keys(s).length > 0, 'declare at least one stream'),
  })
  .strict();

/** A validated REST source config. */
export type RestConfig = z.output<typeof restConfigSchema>;
