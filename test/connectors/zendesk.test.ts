import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { Ticket, World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { businessMinutes, zendeskFakeRoutes } from '../../connectors/zendesk/fake.ts';
import { zendeskConnector } from '../../connectors/zendesk/index.ts';
import { runExtract } from '../../jobs/steps.ts';

const TICKETS = '/api/v2/incremental/tickets/cursor.json';
const COMMENTS = '/api/v2/tickets/:ticketId/comments.json';
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;

beforeAll(() => {
  process.env['PULSE_SAMPLE_TOKEN'] ||= 'sample-token';
});

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

/**
 * The fake's clock only moves when the client sleeps, so the export's 10-a-minute limit and its
 * Retry-After are exercised without waiting on the wall clock.
 */
async function setup(world: World = generateWorld({ seed: 3, scale: 0.02 })) {
  const clock = { ms: Date.now() };
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
    clock.ms += ms;
  };
  fake = await startFakeServer({ routes: zendeskFakeRoutes(world, { now: () => clock.ms }) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-zendesk-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  // Small export pages, so tickets and users take several pages.
  const source = buildSource('support', { ...zendeskConnector.sample!.config({ baseUrl: fake.url }, world), exportPageSize: 20 }, dir);
  return { world, fake, wh, source, sleep, slept, clock };
}

const count = async (wh: Warehouse, table: string) => (await wh.all<{ n: number }>(`select count(*)::int n from ${table}`))[0]!.n;
const cursorOf = async (wh: Warehouse, stream: string) => (await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'support' and stream = $1`, [stream]))[0]?.cursor;
const comments = (tickets: Ticket[]) => tickets.reduce((n, t) => n + t.comments.length, 0);

describe('zendesk connector', () => {
  it('loads tickets, metric sets, every ticket\'s comments, users and ratings of the world', async () => {
    const { world, fake, wh, source, sleep, slept } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep });
    expect(result.streams.map((s) => [s.stream, s.status])).toEqual([
      ['tickets', 'succeeded'], ['ticket_metrics', 'succeeded'], ['ticket_comments', 'succeeded'], ['users', 'succeeded'], ['satisfaction_ratings', 'succeeded'],
    ]);
    const { tickets, agents } = world.service;
    // Every field the API sends is declared: a first run reports no drift.
    expect(await wh.all(`select stream, field from meta.schema_drift`)).toEqual([]);
    expect(await wh.all(`select stream, reason from meta.quarantine`)).toEqual([]);
    expect(await count(wh, 'raw.support__tickets')).toBe(tickets.length);
    expect(await count(wh, 'raw.support__ticket_metrics')).toBe(tickets.length);
    expect(await count(wh, 'raw.support__ticket_comments')).toBe(comments(tickets));
    expect(await count(wh, 'raw.support__users')).toBe(agents.length + new Set(tickets.map((t) => t.requesterId)).size);
    expect(await count(wh, 'raw.support__satisfaction_ratings')).toBe(tickets.filter((t) => t.satisfaction).length);
    // Comments carry their ticket, and authors resolve to users with roles.
    const ticket = tickets.find((t) => t.comments.length >= 3)!;
    const rows = await wh.all<{ id: number; role: string }>(
      `select c.id::bigint id, u.role from raw.support__ticket_comments c join raw.support__users u on u.id = c.author_id where c.ticket_id = $1 order by c.created_at`,
      [String(ticket.id)],
    );
    expect(rows.map((r) => [r.id, r.role === 'end-user' ? 'requester' : 'agent'])).toEqual(ticket.comments.map((c) => [c.id, c.authorKind]));
    const replied = tickets.find((t) => t.firstReplyAt)!;
    const [metric] = await wh.all<{ calendar: number }>(`select (reply_time_in_minutes->>'calendar')::int calendar from raw.support__ticket_metrics where ticket_id = $1`, [replied.id]);
    expect(metric!.calendar).toBe(Math.round((Date.parse(replied.firstReplyAt!) - Date.parse(replied.createdAt)) / 60_000));
    // Export pages of 20 plus one closing request per walk; the exports' 10-a-minute limit (12 calls) was waited out.
    const exportCalls = fake.requests.filter((r) => r.route === TICKETS);
    expect(exportCalls.filter((r) => r.status === 200)).toHaveLength(2 * (Math.ceil(tickets.length / 20) + 1));
    expect(fake.requests.filter((r) => r.path.includes('/incremental/') && r.status === 429).length).toBeGreaterThan(0);
    expect(slept.some((ms) => ms >= 1000)).toBe(true);
  });

  it('reruns from the cursor minus the lookback and reads comments only of the tickets it re-read', async () => {
    const { world, fake, wh, source, sleep } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep });
    const cursor = (await cursorOf(wh, 'tickets'))!;
    const template = world.service.tickets.at(-1)!;
    const added: Ticket = {
      ...template,
      id: template.id + 1000,
      createdAt: '2026-11-01T09:00:00Z',
      updatedAt: '2026-11-01T10:00:00Z',
      satisfaction: null,
      comments: template.comments.map((c, i) => ({ ...c, id: c.id + 10_000_000, ticketId: template.id + 1000, createdAt: `2026-11-01T09:0${i}:00Z` })),
    };
    world.service.tickets.push(added);
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep });
    expect(second.status).toBe('succeeded');
    const since = Math.floor((Date.parse(cursor) - 86_400_000) / 1000);
    const first = fake.requests.find((r) => r.route === TICKETS && r.status === 200)!;
    expect(new URLSearchParams(first.query).get('start_time')).toBe(String(since));
    const reread = world.service.tickets.filter((t) => Date.parse(t.updatedAt) / 1000 >= since);
    expect(second.streams.find((s) => s.stream === 'tickets')?.rowsLoaded).toBe(reread.length);
    expect(fake.requests.filter((r) => r.route === COMMENTS).map((r) => Number(r.path.split('/')[4])).sort()).toEqual(reread.map((t) => t.id).sort());
    expect(await count(wh, 'raw.support__tickets')).toBe(world.service.tickets.length);
    const [c] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.support__ticket_comments`);
    expect(c).toEqual({ n: comments(world.service.tickets), ids: comments(world.service.tickets) });
    expect(await cursorOf(wh, 'tickets')).toBe('2026-11-01T10:00:00.000Z');
  });

  it('retries a 429 with Retry-After on comments and succeeds', async () => {
    const { world, fake, wh, source, sleep, slept } = await setup();
    fake.faults.rateLimit({ path: COMMENTS, retryAfterSeconds: 7, skip: 3, body: { error: 'TooManyRequests', description: 'You have exceeded the rate limit' } });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep });
    expect(result.status).toBe('succeeded');
    expect(slept).toContain(7000);
    expect(fake.requests.filter((r) => r.route === COMMENTS && r.status === 429)).toHaveLength(1);
    expect(await count(wh, 'raw.support__ticket_comments')).toBe(comments(world.service.tickets));
  });

  it('fails tickets on a 401 without moving the cursor, skips their comments, names the env var', async () => {
    const { fake, wh, source, sleep } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep });
    const before = await cursorOf(wh, 'tickets');
    fake.faults.add({ path: TICKETS, times: Infinity, fault: { kind: 'status', status: 401, body: { error: "Couldn't authenticate you" } } });
    fake.requests.length = 0;
    const result = await runExtract(wh, [source], { log: silentLogger, sleep });
    const byName = Object.fromEntries(result.streams.map((s) => [s.stream, s]));
    expect(byName['tickets']).toMatchObject({ status: 'failed', transient: false });
    expect(byName['tickets']!.error).toMatch(/Couldn't authenticate you/);
    expect(byName['tickets']!.error).toMatch(/env var PULSE_SAMPLE_TOKEN/);
    expect(byName['ticket_comments']!.status).toBe('skipped');
    expect(byName['users']!.status).toBe('succeeded');
    expect(fake.requests.filter((r) => r.route === TICKETS && r.status === 401)).toHaveLength(2); // tickets and ticket_metrics, once each
    expect(await cursorOf(wh, 'tickets')).toBe(before);
  });

  it('quarantines a comment with a malformed timestamp and reports a renamed ticket field as drift', async () => {
    const { world, fake, wh, source, sleep } = await setup();
    fake.faults.malformedRecord('created_at', { path: COMMENTS, value: 'yesterday' });
    fake.faults.mutateRecords(
      (records) => records.map((r) => {
        const { external_id, ...rest } = r as Record<string, unknown>;
        return { ...rest, external_ref: external_id };
      }),
      { path: TICKETS, times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, sleep });
    const byName = Object.fromEntries(result.streams.map((s) => [s.stream, s]));
    expect(byName['ticket_comments']).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsLoaded: comments(world.service.tickets) - 1 });
    const [q] = await wh.all<{ reason: string }>(`select reason from meta.quarantine where stream = 'ticket_comments'`);
    expect(q!.reason).toBe('created_at: expected TIMESTAMPTZ, got yesterday');
    expect(byName['tickets']!.driftFields).toEqual(['external_ref']);
    const drift = await wh.all(`select field, change from meta.schema_drift where stream = 'tickets' order by field`);
    expect(drift).toEqual([{ field: 'external_id', change: 'removed' }, { field: 'external_ref', change: 'added' }]);
  });

  it('answers like Zendesk without credentials, and counts business minutes in office hours', async () => {
    const { fake } = await setup();
    const bare = await request(`${fake.url}${TICKETS}?start_time=0`);
    expect(bare.statusCode).toBe(401);
    expect(await bare.body.json()).toEqual({ error: "Couldn't authenticate you" });
    // Friday 17:00 → Monday 09:00 local: one hour Friday, one hour Monday.
    expect(businessMinutes('2026-01-09T17:00:00Z', '2026-01-12T09:00:00Z', 0)).toBe(120);
  });
});
