/**
 * The declarative REST connector: turns a `rest` source config into a `SourceDef`, so a team adds
 * an API without code.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import type { AuthSpec, PaginatorSpec, RequestSpec } from '../http/types.ts';
import { defineSource, type ReadContext, type SourceDef, type StreamDef } from '../source.ts';
import type { Connector } from '../registry.ts';
import { restConfigSchema, type FieldSpecs, type RestConfig } from './schema.ts';

const splitPath = (p: string | undefined): string[] => (p ? p.split('.').filter(Boolean) : []);

/** Builds a zod record schema from declared field types. */
export function recordSchema(fields: FieldSpecs): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const { type, required = false, enum: allowed, min, max } = typeof spec === 'string' ? { type: spec, required: false, enum: undefined, min: undefined, max: undefined } : spec;
    let field: z.ZodType;
    switch (type) {
      case 'string': field = allowed ? z.enum(allowed as [string, ...string[]]) : z.string(); break;
      case 'integer': { let n = z.number().int(); if (min !== undefined) n = n.min(min); if (max !== undefined) n = n.max(max); field = n; break; }
      case 'number': { let n = z.number(); if (min !== undefined) n = n.min(min); if (max !== undefined) n = n.max(max); field = n; break; }
      case 'boolean': field = z.boolean(); break;
      case 'timestamp': field = z.iso.datetime({ offset: true }); break;
      case 'date': field = z.iso.date(); break;
      case 'decimal': field = z.string().meta({ sqlType: 'DECIMAL(18,4)' }); break;
      default: field = z.unknown();
    }
    shape[name] = required ? field : field.nullish();
  }
  return z.object(shape);
}

/** Fills `{since}`, `{until}` and `{parent.x}` placeholders. */
export function fillTemplate(template: string, ctx: ReadContext): string {
  return template.replace(/\{(since|until|parent\.[A-Za-z0-9_]+)\}/g, (_, key: string) => {
    if (key === 'since') return ctx.since;
    if (key === 'until') return ctx.until;
    const value = ctx.parent?.[key.slice('parent.'.length)];
    return value === undefined || value === null ? '' : encodeURIComponent(String(value));
  });
}

function toPaginator(p: RestConfig['streams'][string]['paginator']): PaginatorSpec {
  switch (p.kind) {
    case 'cursor': return { kind: 'cursor', cursorPath: splitPath(p.cursorPath), param: p.param, ...(p.hasMorePath ? { hasMorePath: splitPath(p.hasMorePath) } : {}) };
    case 'nextUrl': return { kind: 'nextUrl', path: splitPath(p.path) };
    case 'offset': return { kind: 'offset', offsetParam: p.offsetParam, limitParam: p.limitParam, limit: p.limit, ...(p.in ? { in: p.in } : {}), ...(p.totalPath ? { totalPath: splitPath(p.totalPath) } : {}) };
    case 'pageNumber': return { kind: 'pageNumber', pageParam: p.pageParam, ...(p.start !== undefined ? { start: p.start } : {}), ...(p.sizeParam ? { sizeParam: p.sizeParam } : {}), ...(p.size ? { size: p.size } : {}), ...(p.totalPagesPath ? { totalPagesPath: splitPath(p.totalPagesPath) } : {}) };
    case 'startingAfter': return { kind: 'startingAfter', hasMorePath: splitPath(p.hasMorePath), param: p.param, idField: p.idField };
    default: return p;
  }
}

function fillDeep(value: unknown, ctx: ReadContext): unknown {
  if (typeof value === 'string') return fillTemplate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, ctx)]));
  return value;
}

/** Builds the `SourceDef` of a validated REST config. */
export function buildRestSource(config: RestConfig, name: string): SourceDef {
  const streams: StreamDef[] = Object.entries(config.streams).map(([streamName, s]) => {
    const primaryKey = Array.isArray(s.primaryKey) ? s.primaryKey : [s.primaryKey];
    for (const key of primaryKey) {
      if (!(key in s.fields) && !(s.parent && key in s.parent.fields)) {
        throw new ConfigError(`sources.${name}.streams.${streamName}.primaryKey: field "${key}" is not declared in fields`, { hint: `add ${key} to fields, or pick a declared field` });
      }
    }
    if (s.cursor && !(s.cursor.field in s.fields)) {
      throw new ConfigError(`sources.${name}.streams.${streamName}.cursor.field: field "${s.cursor.field}" is not declared in fields`, { hint: 'declare it in fields with type timestamp or date' });
    }
    if (s.parent && !(s.parent.stream in config.streams)) {
      throw new ConfigError(`sources.${name}.streams.${streamName}.parent.stream: no stream named "${s.parent.stream}"`, { hint: `streams: ${Object.keys(config.streams).join(', ')}` });
    }
    const request = (ctx: ReadContext): RequestSpec => ({
      method: s.method,
      path: fillTemplate(s.path, ctx),
      query: Object.fromEntries(Object.entries(s.query).map(([k, v]) => [k, typeof v === 'string' ? fillTemplate(v, ctx) : v])),
      ...(s.body !== undefined ? { json: fillDeep(s.body, ctx) } : {}),
    });
    return {
      name: streamName,
      primaryKey,
      disposition: s.disposition,
      schema: recordSchema(s.fields),
      ...(s.cursor ? { cursor: { field: s.cursor.field, initial: s.cursor.initial, lookbackDays: s.cursor.lookbackDays } } : {}),
      read: { kind: 'http', request, paginator: toPaginator(s.paginator), recordPath: splitPath(s.recordPath), ...(s.windowDays ? { windows: { days: s.windowDays } } : {}) },
      ...(s.parent ? { parent: { stream: s.parent.stream, fields: s.parent.fields, scope: s.parent.scope } } : {}),
      ...(s.freshnessHours ? { freshnessHours: s.freshnessHours } : {}),
    };
  });
  const auth: AuthSpec = config.auth as AuthSpec;
  return defineSource({
    name,
    streams,
    http: {
      baseUrl: config.baseUrl,
      auth,
      headers: config.headers,
      timeoutMs: config.timeoutSeconds * 1000,
      concurrency: config.concurrency,
      retry: { maxRetries: config.retries, baseDelayMs: 500, maxDelayMs: 30_000 },
      ...(config.budget ? { budget: { requests: config.budget.requests, perMs: config.budget.perSeconds * 1000 } } : {}),
    },
  });
}

/** The `rest` connector for the registry. */
export const restConnector: Connector<RestConfig> = {
  type: 'rest',
  description: 'any JSON API described in config: endpoints, auth, paging, cursor, fields',
  configSchema: restConfigSchema,
  build: (config, ctx) => buildRestSource(config, ctx.name),
};
