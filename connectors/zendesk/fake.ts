/**
 * A fake Zendesk Support API serving the sample world's service desk: the cursor-based
 * incremental ticket export (with `include=metric_sets` sideloads and `exclude_deleted`), the
 * incremental user export, ticket comments and satisfaction ratings with cursor pagination
 * (`page[size]`, `page[after]`, `meta.has_more`). Incremental exports allow 10 requests a minute
 * and answer 429 with `Retry-After` beyond that; errors are `{"error", "description"}` bodies.
 *
 * Export paging: a page's `after_cursor` points past its last item, and `end_of_stream` is true on
 * the last page; a request with that cursor when nothing changed returns no items and no cursor
 * (Zendesk returns no cursor for an empty result), which is where a cursor paginator stops.
 */
import type { Agent, Customer, Ticket, World } from '../../core/sample-world/types.ts';
import { decodeCursor, derived, encodeCursor, firstIndexWhere, type FakeRequest, type FakeResponse, type FakeRoute } from '../fakes/index.ts';

/** Options of the Zendesk fake. */
export interface ZendeskFakeOptions {
  /** Clock for the export rate limit and the "last minute excluded" rule (default `Date.now`). */
  now?: () => number;
  /** Incremental export requests allowed per minute (default 10, as Zendesk; 30 with the High Volume API add-on). */
  exportRequestsPerMinute?: number;
}

const UNAUTHORIZED = { error: "Couldn't authenticate you" };
const GROUP_ID = 360_001_234_567;
const BRAND_ID = 360_000_111_222;
const FORM_ID = 360_000_333_444;
const ORDER_FIELD_ID = 360_012_345_678;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const minutesBetween = (from: string | null, to: string | null) => (from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 60_000) : null);

/** Minutes between two instants inside office hours (Mon–Fri 08:00–18:00 at `offsetMinutes` from UTC). */
export function businessMinutes(from: string | null, to: string | null, offsetMinutes: number): number | null {
  if (!from || !to) return null;
  const start = Date.parse(from) + offsetMinutes * 60_000;
  const end = Date.parse(to) + offsetMinutes * 60_000;
  let total = 0;
  for (let day = Math.floor(start / 86_400_000) * 86_400_000; day < end; day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const open = day + 8 * 3_600_000;
    const close = day + 18 * 3_600_000;
    total += Math.max(0, Math.min(end, close) - Math.max(start, open));
  }
  return Math.round(total / 60_000);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function offsetOf(timeZone: string, at: string): number {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const VIA: Record<Ticket['channel'], string> = { email: 'email', web: 'web', chat: 'chat', voice: 'voice', facebook: 'facebook', instagram: 'instagram_dm' };

/** Shapes a world ticket as the incremental export returns it. */
export function zendeskTicket(ticket: Ticket, base: string, orderName: string | null): Record<string, unknown> {
  const rating = ticket.satisfaction;
  return {
    url: `${base}/api/v2/tickets/${ticket.id}.json`,
    id: ticket.id,
    external_id: null,
    via: { channel: VIA[ticket.channel], source: { from: {}, to: {}, rel: null } },
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
    generated_timestamp: epoch(ticket.updatedAt),
    type: 'question',
    subject: ticket.subject,
    raw_subject: ticket.subject,
    description: ticket.comments[0]?.body ?? null,
    priority: ticket.priority,
    status: ticket.status,
    recipient: null,
    requester_id: ticket.requesterId,
    submitter_id: ticket.requesterId,
    assignee_id: ticket.assigneeId,
    organization_id: null,
    group_id: GROUP_ID,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: ticket.tags,
    custom_fields: [{ id: ORDER_FIELD_ID, value: orderName }],
    fields: [{ id: ORDER_FIELD_ID, value: orderName }],
    satisfaction_rating: rating ? { id: ratingId(ticket), score: rating.score, comment: rating.comment, reason: 'No reason provided' } : { score: ticket.status === 'solved' || ticket.status === 'closed' ? 'offered' : 'unoffered' },
    sharing_agreement_ids: [],
    followup_ids: [],
    ticket_form_id: FORM_ID,
    brand_id: BRAND_ID,
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}

const ratingId = (ticket: Ticket) => 361_000_000_000 + ticket.id;
const metricId = (ticket: Ticket) => 362_000_000_000 + ticket.id;

/** Shapes the metric set of a world ticket (reply, resolution and wait times). */
export function zendeskMetricSet(ticket: Ticket, base: string, timeZone: string): Record<string, unknown> {
  const offset = offsetOf(timeZone, ticket.createdAt);
  const both = (from: string | null, to: string | null) => (from && to ? { calendar: minutesBetween(from, to), business: businessMinutes(from, to, offset) } : { calendar: null, business: null });
  const agentComments = ticket.comments.filter((c) => c.authorKind === 'agent');
  const requesterComments = ticket.comments.filter((c) => c.authorKind === 'requester');
  // A reopened ticket was first solved at the agent reply before the requester wrote again.
  const firstSolvedAt = ticket.reopens > 0 ? ticket.comments.at(-3)?.createdAt ?? ticket.solvedAt : ticket.solvedAt;
  const last = ticket.comments.at(-1)?.createdAt ?? ticket.createdAt;
  return {
    url: `${base}/api/v2/ticket_metrics/${metricId(ticket)}.json`,
    id: metricId(ticket),
    ticket_id: ticket.id,
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
    group_stations: 1,
    assignee_stations: 1,
    reopens: ticket.reopens,
    replies: agentComments.length,
    assignee_updated_at: agentComments.at(-1)?.createdAt ?? null,
    requester_updated_at: requesterComments.at(-1)?.createdAt ?? ticket.createdAt,
    status_updated_at: ticket.solvedAt ?? last,
    initially_assigned_at: ticket.createdAt,
    assigned_at: ticket.createdAt,
    solved_at: ticket.solvedAt,
    latest_comment_added_at: last,
    reply_time_in_minutes: both(ticket.createdAt, ticket.firstReplyAt),
    reply_time_in_seconds: { calendar: ticket.firstReplyAt ? Math.round((Date.parse(ticket.firstReplyAt) - Date.parse(ticket.createdAt)) / 1000) : null },
    first_resolution_time_in_minutes: both(ticket.createdAt, firstSolvedAt),
    full_resolution_time_in_minutes: both(ticket.createdAt, ticket.solvedAt),
    agent_wait_time_in_minutes: { calendar: 0, business: 0 },
    requester_wait_time_in_minutes: { calendar: 0, business: 0 },
    on_hold_time_in_minutes: { calendar: 0, business: 0 },
    custom_status_updated_at: ticket.solvedAt ?? last,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Shapes the comments of a world ticket, oldest first. */
export function zendeskComments(ticket: Ticket): Record<string, unknown>[] {
  return ticket.comments.map((c, i) => ({
    id: c.id,
    type: ticket.channel === 'voice' && i === 0 ? 'VoiceComment' : 'Comment',
    author_id: c.authorId,
    body: c.body,
    html_body: `<div class="zd-comment" dir="auto"><p dir="auto">${escapeHtml(c.body)}</p></div>`,
    plain_body: c.body,
    public: c.public,
    attachments: [],
    audit_id: c.id + 1,
    via: { channel: i === 0 ? VIA[ticket.channel] : 'web', source: { from: {}, to: {}, rel: null } },
    created_at: c.createdAt,
    metadata: { system: { client: 'Mozilla/5.0', location: null }, custom: {} },
  }));
}

interface ZendeskUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
  createdAt: string;
  updatedAt: string;
  externalId: string | null;
}

/** The world's Zendesk users: agents (the first an admin) and every requester. */
function worldUsers(world: World): ZendeskUser[] {
  const firstTicket = new Map<number, Ticket>();
  const lastTicket = new Map<number, Ticket>();
  for (const t of world.service.tickets) {
    if (!firstTicket.has(t.requesterId)) firstTicket.set(t.requesterId, t);
    lastTicket.set(t.requesterId, t);
  }
  const agentStart = new Date(Date.parse(`${world.meta.start}T12:00:00Z`) - 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const agents = world.service.agents.map((a: Agent, i): ZendeskUser => ({ id: a.id, name: a.name, email: a.email, role: i === 0 ? 'admin' : 'agent', createdAt: agentStart, updatedAt: agentStart, externalId: null }));
  const customers = new Map<number, Customer>(world.commerce.customers.map((c) => [c.id, c]));
  const requesters = [...firstTicket.values()].map((t): ZendeskUser => {
    const c = customers.get(t.requesterCustomerId);
    return { id: t.requesterId, name: c ? `${c.firstName} ${c.lastName}` : `Customer ${t.requesterId}`, email: c?.email ?? `${t.requesterId}@example.com`, role: 'end-user', createdAt: t.createdAt, updatedAt: lastTicket.get(t.requesterId)!.createdAt, externalId: c ? String(c.id) : null };
  });
  return [...agents, ...requesters];
}

function zendeskUser(user: ZendeskUser, base: string, timeZone: string): Record<string, unknown> {
  return {
    url: `${base}/api/v2/users/${user.id}.json`,
    id: user.id,
    name: user.name,
    email: user.email,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    time_zone: 'Eastern Time (US & Canada)',
    iana_time_zone: timeZone,
    phone: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: user.role,
    verified: true,
    external_id: user.externalId,
    tags: [],
    alias: null,
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: user.role === 'end-user' ? null : user.updatedAt,
    two_factor_auth_enabled: false,
    signature: null,
    details: null,
    notes: null,
    role_type: user.role === 'end-user' ? null : 0,
    custom_role_id: null,
    moderator: user.role !== 'end-user',
    ticket_restriction: user.role === 'end-user' ? 'requested' : null,
    only_private_comments: false,
    restricted_agent: user.role === 'agent',
    suspended: false,
    default_group_id: user.role === 'end-user' ? null : GROUP_ID,
    report_csv: user.role === 'admin',
    user_fields: {},
  };
}

/** Routes of the Zendesk fake over `world`; lists are read at request time, so tests may add records. */
export function zendeskFakeRoutes(world: World, options: ZendeskFakeOptions = {}): FakeRoute[] {
  const now = options.now ?? Date.now;
  const exportLimit = options.exportRequestsPerMinute ?? 10;
  const exportTimes: number[] = [];
  const timeZone = world.brand.timeZone;

  const authed = (handler: (request: FakeRequest) => FakeResponse) => (request: FakeRequest): FakeResponse => {
    const header = String(request.headers['authorization'] ?? '');
    let ok = false;
    if (header.startsWith('Bearer ')) ok = header.slice(7).trim() !== '';
    else if (header.startsWith('Basic ')) {
      const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(/:(.*)/s);
      ok = Boolean(user && password && (user.endsWith('/token') ? user.length > '/token'.length : true));
    }
    if (!ok) return { status: 401, headers: { 'www-authenticate': 'Basic realm="Web Password"' }, body: UNAUTHORIZED };
    return handler(request);
  };

  /** The 10-a-minute limit of incremental exports, over a sliding minute. */
  const exportGate = (): FakeResponse | undefined => {
    const t = now();
    while (exportTimes.length && exportTimes[0]! <= t - 60_000) exportTimes.shift();
    if (exportTimes.length >= exportLimit) {
      const wait = Math.max(1, Math.ceil((exportTimes[0]! + 60_000 - t) / 1000));
      return { status: 429, headers: { 'retry-after': String(wait) }, body: { error: 'APIRateLimitExceeded', description: 'Number of allowed incremental export API requests per minute exceeded' } };
    }
    exportTimes.push(t);
    return undefined;
  };

  /** Export items ordered by (updated_at, id), sorted once per list rather than on every page. */
  const exportOrders = new WeakMap<readonly unknown[], { length: number; ordered: { item: unknown; ts: number }[] }>();
  const exportOrder = <T extends { id: number; updatedAt: string }>(items: readonly T[]): { item: T; ts: number }[] => {
    const kept = exportOrders.get(items);
    if (kept && kept.length === items.length) return kept.ordered as { item: T; ts: number }[];
    const ordered = items.map((item) => ({ item, ts: epoch(item.updatedAt) })).sort((a, b) => a.ts - b.ts || a.item.id - b.item.id);
    exportOrders.set(items, { length: items.length, ordered });
    return ordered;
  };

  /** Cursor-based incremental export over items ordered by (updated_at, id). */
  const exportPage = <T extends { id: number; updatedAt: string }>(request: FakeRequest, items: readonly T[], records: (page: T[]) => Record<string, unknown>, endpoint: string): FakeResponse => {
    const limited = exportGate();
    if (limited) return limited;
    const perPage = Number(request.query.get('per_page') ?? 1000);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000) return { status: 400, body: { error: 'InvalidValue', description: 'per_page must be between 1 and 1000' } };
    let after: { ts: number; id: number };
    const cursor = request.query.get('cursor');
    if (cursor !== null) {
      const decoded = decodeCursor<{ ts: number; id: number }>(cursor);
      if (!decoded || typeof decoded.ts !== 'number') return { status: 400, body: { error: 'InvalidCursor', description: 'The cursor is invalid' } };
      after = decoded;
    } else {
      const start = Number(request.query.get('start_time'));
      if (request.query.get('start_time') === null || !Number.isInteger(start)) return { status: 400, body: { error: 'InvalidValue', description: 'start_time is required and must be a Unix epoch time' } };
      if (start * 1000 > now()) return { status: 400, body: { error: 'InvalidValue', description: 'Invalid search: start_time cannot be in the future' } };
      after = { ts: start, id: -1 };
    }
    // Items changed within the last minute are left for the next export, as Zendesk does.
    const cutoff = Math.floor(now() / 1000) - 60;
    // In (updated_at, id) order the items after the cursor are a suffix and those up to the
    // cutoff a prefix, so the export is the slice between the two.
    const ordered = exportOrder(items);
    const from = firstIndexWhere(ordered, ({ ts, item }) => ts > after.ts || (ts === after.ts && item.id > after.id) || (after.id === -1 && ts >= after.ts));
    const to = Math.max(from, firstIndexWhere(ordered, ({ ts }) => ts > cutoff));
    const page = ordered.slice(from, Math.min(to, from + perPage));
    const last = page.at(-1);
    const next = last ? encodeCursor({ ts: last.ts, id: last.item.id }) : null;
    return {
      body: {
        ...records(page.map((p) => p.item)),
        after_url: next ? `${request.baseUrl}${endpoint}?cursor=${next}` : null,
        after_cursor: next,
        before_url: null,
        before_cursor: null,
        end_of_stream: to - from <= perPage,
      },
    };
  };

  /** Cursor pagination of list endpoints: `page[size]` (max 100), `page[after]`, `meta.has_more`. */
  const cursorList = <T>(request: FakeRequest, key: string, all: readonly T[], shape: (item: T) => Record<string, unknown>): FakeResponse => {
    const size = Number(request.query.get('page[size]') ?? 100);
    if (!Number.isInteger(size) || size < 1 || size > 100) return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'page[size] must be between 1 and 100' } };
    let offset = 0;
    const afterCursor = request.query.get('page[after]');
    if (afterCursor !== null) {
      const decoded = decodeCursor<{ o: number }>(afterCursor);
      if (!decoded || typeof decoded.o !== 'number') return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'page[after] is not a valid cursor' } };
      offset = decoded.o;
    }
    const records = all.slice(offset, offset + size).map(shape);
    const hasMore = offset + size < all.length;
    const after = records.length ? encodeCursor({ o: offset + records.length }) : null;
    const before = offset > 0 ? encodeCursor({ o: Math.max(0, offset - size) }) : null;
    const link = (c: string | null, rel: 'after' | 'before') => (c ? `${request.baseUrl}${request.path}?page%5B${rel}%5D=${c}&page%5Bsize%5D=${size}` : null);
    return { body: { [key]: records, meta: { has_more: hasMore, after_cursor: after, before_cursor: before }, links: { prev: link(before, 'before'), next: hasMore ? link(after, 'after') : null } } };
  };

  const orderNames = derived(() => [world.commerce.orders], () => new Map(world.commerce.orders.map((o) => [o.id, o.name])));
  const users = derived(() => [world.service.tickets, world.service.agents, world.commerce.customers], () => worldUsers(world));
  // Rated tickets with their rating's epoch, in the order the ratings list: by rating time, then id.
  const ratedTickets = derived(() => [world.service.tickets], () =>
    world.service.tickets
      .filter((t) => t.satisfaction !== null)
      .map((t) => ({ t, at: epoch(t.satisfaction!.createdAt) }))
      .sort((a, b) => a.t.satisfaction!.createdAt.localeCompare(b.t.satisfaction!.createdAt) || ratingId(a.t) - ratingId(b.t)),
  );
  // Tickets by id for the comments endpoint (one request per ticket), rebuilt when the list changes.
  let ticketIndex: { tickets: readonly Ticket[]; length: number; byId: Map<string, Ticket> } | undefined;
  const ticketById = (): Map<string, Ticket> => {
    const tickets = world.service.tickets;
    if (ticketIndex?.tickets !== tickets || ticketIndex.length !== tickets.length) ticketIndex = { tickets, length: tickets.length, byId: new Map(tickets.map((t) => [String(t.id), t])) };
    return ticketIndex.byId;
  };
  return [
    {
      path: '/api/v2/incremental/tickets/cursor.json',
      recordsPath: ['tickets'],
      handler: authed((request) => {
        const names = orderNames();
        const include = (request.query.get('include') ?? '').split(',');
        const tickets = world.service.tickets;
        return exportPage(request, tickets, (page) => ({
          tickets: page.map((t) => zendeskTicket(t, request.baseUrl, t.orderId ? names.get(t.orderId) ?? null : null)),
          ...(include.includes('metric_sets') ? { metric_sets: page.map((t) => zendeskMetricSet(t, request.baseUrl, timeZone)) } : {}),
        }), '/api/v2/incremental/tickets/cursor.json');
      }),
    },
    {
      path: '/api/v2/incremental/users/cursor.json',
      recordsPath: ['users'],
      handler: authed((request) => exportPage(request, users(), (page) => ({ users: page.map((u) => zendeskUser(u, request.baseUrl, timeZone)) }), '/api/v2/incremental/users/cursor.json')),
    },
    {
      path: '/api/v2/tickets/:ticketId/comments.json',
      recordsPath: ['comments'],
      handler: authed((request) => {
        const ticket = ticketById().get(request.params['ticketId'] ?? '');
        if (!ticket) return { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
        return cursorList(request, 'comments', zendeskComments(ticket), (c) => c);
      }),
    },
    {
      path: '/api/v2/satisfaction_ratings.json',
      recordsPath: ['satisfaction_ratings'],
      handler: authed((request) => {
        const start = request.query.get('start_time');
        const end = request.query.get('end_time');
        const rated = ratedTickets().filter(({ at }) => (start === null || at >= Number(start)) && (end === null || at <= Number(end)));
        return cursorList(request, 'satisfaction_ratings', rated, ({ t }) => ({
          url: `${request.baseUrl}/api/v2/satisfaction_ratings/${ratingId(t)}.json`,
          id: ratingId(t),
          assignee_id: t.assigneeId,
          group_id: GROUP_ID,
          requester_id: t.requesterId,
          ticket_id: t.id,
          score: t.satisfaction!.score,
          comment: t.satisfaction!.comment,
          reason: 'No reason provided',
          reason_code: 0,
          created_at: t.satisfaction!.createdAt,
          updated_at: t.satisfaction!.createdAt,
        }));
      }),
    },
  ];
}
