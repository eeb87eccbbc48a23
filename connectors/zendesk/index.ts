/**
 * The Zendesk Support connector: tickets and their metric sets from the cursor-based incremental
 * ticket export, users from the incremental user export (for author roles), the comments of each
 * ticket loaded in the run (a child stream), and satisfaction ratings.
 *
 * Streams (raw table `raw.<source>__<stream>`):
 * | stream               | primary key | cursor                 | disposition | read |
 * |----------------------|-------------|------------------------|-------------|------|
 * | tickets              | id          | updated_at             | merge       | incremental ticket export, `exclude_deleted=true` |
 * | ticket_metrics       | id          | updated_at             | merge       | same export with `include=metric_sets` (the sideload array) |
 * | ticket_comments      | id          | none (per parent)      | merge       | `/tickets/{id}/comments.json` for every ticket loaded in the run; gets `ticket_id` |
 * | users                | id          | updated_at             | merge       | incremental user export (role: end-user / agent / admin); the first run reads all users, whatever startDate says |
 * | satisfaction_ratings | id          | created_at             | merge       | `start_time` filters on creation; a score changed later is re-read within the lookback |
 *
 * Export paging: the engine's cursor paginator follows `after_cursor` until a page carries none;
 * it cannot stop on `end_of_stream: true`, so every export walk costs one more request, which
 * returns no items and no cursor (see the report on the paginator feature this needs).
 */
import type { ReadContext, SourceDef, StreamDef } from '../source.ts';
import { defineSource } from '../source.ts';
import type { PaginatorSpec } from '../http/types.ts';
import type { Connector } from '../registry.ts';
import { zendeskHttp } from './client.ts';
import { zendeskFakeRoutes } from './fake.ts';
import {
  zendeskCommentSchema,
  zendeskConfigSchema,
  zendeskSatisfactionRatingSchema,
  zendeskTicketMetricSchema,
  zendeskTicketSchema,
  zendeskUserSchema,
  type ZendeskConfig,
} from './schema.ts';

/** Where dimension streams start on their first run: the beginning of time. */
const EPOCH_START = new Date(0).toISOString();

/** Records per page of the cursor-paginated list endpoints (Zendesk's maximum). */
export const ZENDESK_PAGE_SIZE = 100;

const exportPaging: PaginatorSpec = { kind: 'cursor', cursorPath: ['after_cursor'], param: 'cursor' };
const listPaging: PaginatorSpec = { kind: 'cursor', cursorPath: ['meta', 'after_cursor'], param: 'page[after]', hasMorePath: ['meta', 'has_more'] };

/** Epoch seconds of a range bound (the engine passes ISO text). */
export function startTime(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Math.floor(Date.parse(value) / 1000);
}

/** Builds the Zendesk `SourceDef` of a validated config. */
export function buildZendeskSource(config: ZendeskConfig, name: string): SourceDef {
  const initial = new Date(`${config.startDate}T00:00:00Z`).toISOString();
  const cursor = (field: string) => ({ field, initial, lookbackDays: config.lookbackDays });
  const ticketExport = (include?: string) => (ctx: ReadContext) => ({
    path: '/api/v2/incremental/tickets/cursor.json',
    // Later pages add `cursor`; Zendesk then ignores start_time.
    query: { start_time: startTime(ctx.since), per_page: config.exportPageSize, exclude_deleted: true, ...(include ? { include } : {}) },
  });
  const streams: StreamDef[] = [
    {
      name: 'tickets',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: zendeskTicketSchema,
      cursor: cursor('updated_at'),
      read: { kind: 'http', request: ticketExport(), paginator: exportPaging, recordPath: ['tickets'] },
      freshnessHours: 6,
    },
    {
      name: 'ticket_metrics',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: zendeskTicketMetricSchema,
      cursor: cursor('updated_at'),
      read: { kind: 'http', request: ticketExport('metric_sets'), paginator: exportPaging, recordPath: ['metric_sets'] },
    },
    {
      name: 'ticket_comments',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: zendeskCommentSchema,
      parent: { stream: 'tickets', fields: { ticket_id: 'id' } },
      read: {
        kind: 'http',
        request: (ctx) => ({ path: `/api/v2/tickets/${encodeURIComponent(String(ctx.parent?.['ticket_id']))}/comments.json`, query: { 'page[size]': ZENDESK_PAGE_SIZE } }),
        paginator: listPaging,
        recordPath: ['comments'],
      },
    },
    {
      name: 'users',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: zendeskUserSchema,
      // A dimension: the first run reads every user (agents predate any start date), later runs changes.
      cursor: { field: 'updated_at', initial: EPOCH_START, lookbackDays: config.lookbackDays },
      read: {
        kind: 'http',
        request: (ctx) => ({ path: '/api/v2/incremental/users/cursor.json', query: { start_time: startTime(ctx.since), per_page: config.exportPageSize } }),
        paginator: exportPaging,
        recordPath: ['users'],
      },
    },
    {
      name: 'satisfaction_ratings',
      primaryKey: ['id'],
      disposition: 'merge',
      schema: zendeskSatisfactionRatingSchema,
      cursor: cursor('created_at'),
      read: {
        kind: 'http',
        request: (ctx) => ({ path: '/api/v2/satisfaction_ratings.json', query: { start_time: startTime(ctx.since), end_time: startTime(ctx.until), 'page[size]': ZENDESK_PAGE_SIZE } }),
        paginator: listPaging,
        recordPath: ['satisfaction_ratings'],
      },
    },
  ];
  return defineSource({ name, streams, http: zendeskHttp(config, name) });
}

/** The `zendesk` connector for the registry. */
export const zendeskConnector: Connector<ZendeskConfig> = {
  type: 'zendesk',
  description: 'Zendesk Support: tickets with metrics (incremental export), ticket comments, users, satisfaction ratings',
  configSchema: zendeskConfigSchema,
  build: (config, ctx) => buildZendeskSource(config, ctx.name),
  // The sample account has the High Volume API add-on: incremental exports allow 30 requests a
  // minute instead of 10, so the demo does not wait out a minute's 429 at scale 1.
  sample: {
    fake: (world) => zendeskFakeRoutes(world, { exportRequestsPerMinute: 30 }),
    config: ({ baseUrl }, world) => ({
      type: 'zendesk',
      subdomain: 'northwind',
      auth: { kind: 'apiToken', email: 'support-bot@northwind-outfitters.example', apiToken: { $env: 'PULSE_SAMPLE_TOKEN' } },
      startDate: world.meta.start,
      // The fake enforces only the exports' 10 a minute; the demo should not pace comments like a Team plan.
      requestsPerMinute: 6_000,
      ...(baseUrl ? { baseUrl } : {}),
    }),
  },
};
