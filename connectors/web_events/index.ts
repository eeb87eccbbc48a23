/**
 * Web event files: pageview and event exports (NDJSON or CSV) with a timestamp, an anonymous
 * visitor id, optional customer id, page URL, referrer, event name and the order id on purchases.
 * UTM parameters are parsed from the landing URL and sessions are rebuilt with a 30-minute
 * inactivity rule in the staging and intermediate models, so the raw table keeps events as sent.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { World } from '../../core/sample-world/types.ts';
import type { Connector } from '../registry.ts';
import { defineSource, type SourceDef } from '../source.ts';
import { fileStreamDef } from '../files/index.ts';
import type { FieldSpecs } from '../rest/schema.ts';

/** The fields of one event line. */
export const WEB_EVENT_FIELDS: FieldSpecs = {
  event_id: { type: 'string', required: true },
  event_timestamp: { type: 'timestamp', required: true },
  anonymous_id: { type: 'string', required: true },
  session_id: 'string',
  customer_id: 'string',
  event_name: { type: 'string', required: true },
  page_url: 'string',
  referrer: 'string',
  order_id: 'string',
  value: 'number',
  currency: 'string',
};

/** Config of a web-events source. */
export const webEventsConfigSchema = z
  .object({
    type: z.literal('web_events'),
    root: z.string().min(1).describe('the folder the event exports are written to; paths outside it are refused'),
    glob: z.string().default('*.ndjson').describe('files to load, relative to root'),
    format: z.enum(['ndjson', 'csv']).default('ndjson').describe('ndjson or csv (with a header line)'),
    csvGlob: z.string().optional().describe('a second glob for CSV exports, when both formats arrive'),
    freshnessHours: z.number().positive().default(36),
  })
  .strict();

/** A validated web-events config. */
export type WebEventsConfig = z.output<typeof webEventsConfigSchema>;

/** Builds the source. */
export function buildWebEventsSource(config: WebEventsConfig, name: string, baseDir: string): SourceDef {
  const root = resolve(baseDir, config.root);
  const streams = [fileStreamDef('events', root, { glob: config.glob, format: config.format, primaryKey: 'event_id', fields: WEB_EVENT_FIELDS, freshnessHours: config.freshnessHours })];
  if (config.csvGlob) streams.push(fileStreamDef('events_csv', root, { glob: config.csvGlob, format: 'csv', primaryKey: 'event_id', fields: WEB_EVENT_FIELDS, freshnessHours: config.freshnessHours }));
  return defineSource({ name, streams });
}

/** One event line of the sample world's exports. */
interface EventLine {
  event_id: string;
  event_timestamp: string;
  anonymous_id: string;
  session_id: string;
  customer_id: string | null;
  event_name: string;
  page_url: string;
  referrer: string | null;
  order_id: string | null;
  value: number | null;
  currency: string | null;
}

const PAGES = ['/collections/new', '/products/trail-jacket', '/products/merino-base-layer', '/cart', '/pages/about', '/collections/sale'];

/** Turns the world's sessions into event lines: page views spread over the session, then its events. */
export function* sampleEventLines(world: World): Generator<EventLine> {
  const origin = `https://${world.brand.domain}`;
  for (const s of world.web.sessions) {
    const start = Date.parse(s.startedAt);
    const span = Math.max(0, Date.parse(s.endedAt) - start);
    for (let k = 0; k < Math.max(1, s.pageviews); k++) {
      yield {
        event_id: `${s.id}-pv${k}`,
        event_timestamp: new Date(start + Math.floor((span * k) / Math.max(1, s.pageviews))).toISOString(),
        anonymous_id: s.clientId,
        session_id: s.id,
        customer_id: s.customerId === null ? null : String(s.customerId),
        event_name: 'page_view',
        page_url: k === 0 ? s.landingUrl : `${origin}${PAGES[(k + s.gaSessionId) % PAGES.length]}`,
        referrer: k === 0 ? s.referrer : null,
        order_id: null,
        value: null,
        currency: null,
      };
    }
    for (const [k, e] of s.events.entries()) {
      yield {
        // A tag that fired twice sends a second event with its own id: the marts dedupe purchases by order id.
        event_id: `${s.id}-e${k}${e.duplicate ? '-dup' : ''}`,
        event_timestamp: e.at,
        anonymous_id: s.clientId,
        session_id: s.id,
        customer_id: s.customerId === null ? null : String(s.customerId),
        event_name: e.name,
        page_url: `${origin}${e.name === 'purchase' ? '/checkout/thank-you' : e.name === 'newsletter_signup' ? '/pages/newsletter' : '/cart'}`,
        referrer: null,
        order_id: e.orderId === null ? null : String(e.orderId),
        value: e.valueCents ? e.valueCents / 100 : null,
        currency: e.currency,
      };
    }
  }
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the sample world's events: one NDJSON file a month, and the last month also as CSV. */
export function writeSampleEventFiles(world: World, dir: string): void {
  const header = Object.keys(WEB_EVENT_FIELDS);
  // Lines are appended to their month's file in chunks as they are made, so the world's events
  // never sit in memory at once (about 0.5 million lines at scale 1).
  const files = new Map<string, { fd: number; pending: string[] }>();
  const flush = (file: { fd: number; pending: string[] }) => {
    if (file.pending.length) writeSync(file.fd, file.pending.join(''));
    file.pending = [];
  };
  // The CSV goes out for the second-to-last month: only months that can still be that one keep rows.
  const csvLines = new Map<string, EventLine[]>();
  try {
    for (const line of sampleEventLines(world)) {
      const month = line.event_timestamp.slice(0, 7);
      let file = files.get(month);
      if (!file) files.set(month, (file = { fd: openSync(join(dir, `events-${month}.ndjson`), 'w'), pending: [] }));
      file.pending.push(JSON.stringify(line) + '\n');
      if (file.pending.length >= 4096) flush(file);
      let kept = csvLines.get(month);
      if (!kept) {
        csvLines.set(month, (kept = []));
        for (const older of [...csvLines.keys()].sort().slice(0, -2)) csvLines.delete(older);
      }
      if (csvLines.has(month)) kept.push(line);
    }
    for (const file of files.values()) flush(file);
  } finally {
    for (const file of files.values()) closeSync(file.fd);
  }
  // The last full month also goes out as CSV (the very last month holds only a few hours of UTC spill-over).
  const months = [...csvLines.keys()].sort();
  const last = months.at(-2) ?? months.at(-1);
  if (last) {
    const rows = csvLines.get(last)!.map((l) => header.map((h) => csvCell(l[h as keyof EventLine])).join(','));
    writeFileSync(join(dir, `events-${last}.csv`), [header.join(','), ...rows].join('\n') + '\n');
  }
}

/** The `web_events` connector for the registry. */
export const webEventsConnector: Connector<WebEventsConfig> = {
  type: 'web_events',
  description: 'pageview and event exports (NDJSON or CSV) with landing URLs carrying UTM tags',
  configSchema: webEventsConfigSchema,
  build: (config, ctx) => buildWebEventsSource(config, ctx.name, ctx.baseDir),
  sample: {
    writeSampleFiles: writeSampleEventFiles,
    config: ({ dir }) => ({ type: 'web_events', root: dir!, glob: '*.ndjson', format: 'ndjson', csvGlob: '*.csv' }),
  },
};
