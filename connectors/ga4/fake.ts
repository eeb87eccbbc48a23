/**
 * A fake GA4 Data API serving the sample world's web analytics: `POST
 * /v1beta/properties/{id}:runReport` aggregates the sessions analytics saw (visitors who refused
 * cookies are missing, as in GA4) by the requested dimensions, in the property's time zone, with
 * GA4's response shape (`dimensionHeaders`, `metricHeaders`, `rows` omitted when empty,
 * `rowCount`, `metadata`), `offset`/`limit` paging in the body, `orderBys`, and Google error
 * bodies (`{"error": {"code", "message", "status"}}`).
 */
import type { WebSession, World } from '../../core/sample-world/types.ts';
import type { FakeRequest, FakeResponse, FakeRoute } from '../fakes/index.ts';

/** Dimensions the fake knows, and how a session (or a purchase inside it) answers them. */
const DIMENSIONS: Record<string, (s: WebSession, orderId: number | null) => string> = {
  date: (s) => s.date.replace(/-/g, ''),
  sessionSource: (s) => s.source || '(not set)',
  sessionMedium: (s) => s.medium || '(not set)',
  sessionCampaignName: (s) => s.campaign || '(not set)',
  sessionManualAdContent: (s) => s.content || '(not set)',
  sessionManualTerm: (s) => s.term || '(not set)',
  landingPage: (s) => s.landingPath,
  deviceCategory: (s) => s.device,
  country: (s) => s.country,
  transactionId: (_s, orderId) => (orderId === null ? '(not set)' : String(orderId)),
};

type MetricType = 'TYPE_INTEGER' | 'TYPE_FLOAT' | 'TYPE_CURRENCY';
const METRICS: Record<string, MetricType> = {
  sessions: 'TYPE_INTEGER',
  engagedSessions: 'TYPE_INTEGER',
  keyEvents: 'TYPE_FLOAT',
  purchaseRevenue: 'TYPE_CURRENCY',
  transactions: 'TYPE_INTEGER',
  screenPageViews: 'TYPE_INTEGER',
};
// Metrics that are counted per session, which GA4 refuses to break down by transactionId.
const SESSION_SCOPED = new Set(['sessions', 'engagedSessions', 'screenPageViews']);
const EUR_PER_USD = 0.92;

interface ReportRequest {
  dateRanges?: { startDate?: string; endDate?: string }[];
  dimensions?: { name?: string }[];
  metrics?: { name?: string }[];
  offset?: number | string;
  limit?: number | string;
  orderBys?: { dimension?: { dimensionName?: string }; metric?: { metricName?: string }; desc?: boolean }[];
  keepEmptyRows?: boolean;
  returnPropertyQuota?: boolean;
}

const invalid = (message: string): FakeResponse => ({ status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } } });

/** Revenue of a purchase in the property's currency (USD), as GA4 converts it. */
function usd(valueCents: number, currency: string | null): number {
  return (currency === 'EUR' ? valueCents / EUR_PER_USD : valueCents) / 100;
}

function formatMetric(value: number, type: MetricType): string {
  if (type === 'TYPE_INTEGER') return String(Math.round(value));
  return String(Math.round(value * 100) / 100);
}

/**
 * The sessions analytics saw, grouped by day, so a one-day report reads that day's sessions
 * instead of scanning the whole world (the connector asks for one day at a time).
 */
export interface SessionsByDay {
  /** Days with tracked sessions, ascending (`YYYY-MM-DD`). */
  days: string[];
  byDay: Map<string, WebSession[]>;
}

/** Groups the sessions analytics saw by their day (`trackedByAnalytics` only, as GA4 sees them). */
export function indexSessionsByDay(sessions: readonly WebSession[]): SessionsByDay {
  const byDay = new Map<string, WebSession[]>();
  for (const session of sessions) {
    if (!session.trackedByAnalytics) continue;
    const day = byDay.get(session.date);
    if (day) day.push(session);
    else byDay.set(session.date, [session]);
  }
  return { days: [...byDay.keys()].sort(), byDay };
}

/** The tracked sessions from `startDate` to `endDate` (inclusive), in world order within each day. */
function* sessionsBetween(index: SessionsByDay, startDate: string, endDate: string): Generator<WebSession> {
  for (const day of index.days) {
    if (day < startDate) continue;
    if (day > endDate) break;
    yield* index.byDay.get(day)!;
  }
}

/** Runs one report over the world's sessions (grouped by day with `indexSessionsByDay`; built here when not given). */
export function runReport(world: World, body: ReportRequest, index: SessionsByDay = indexSessionsByDay(world.web.sessions)): FakeResponse {
  const range = body.dateRanges?.[0];
  if (!range?.startDate || !range.endDate || !/^\d{4}-\d{2}-\d{2}$/.test(range.startDate) || !/^\d{4}-\d{2}-\d{2}$/.test(range.endDate)) {
    return invalid('dateRanges[0]: startDate and endDate must be dates in YYYY-MM-DD format');
  }
  if (range.endDate < range.startDate) return invalid('dateRanges[0]: endDate must not be before startDate');
  const dims = (body.dimensions ?? []).map((d) => d.name ?? '');
  const metrics = (body.metrics ?? []).map((m) => m.name ?? '');
  if (metrics.length === 0) return invalid('at least one metric is required');
  if (dims.length > 9) return invalid('Requests are limited to 9 dimensions');
  if (metrics.length > 10) return invalid('Requests are limited to 10 metrics');
  for (const d of dims) if (!DIMENSIONS[d]) return invalid(`Field ${d} is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
  for (const m of metrics) if (!METRICS[m]) return invalid(`Field ${m} is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
  const byTransaction = dims.includes('transactionId');
  if (byTransaction && metrics.some((m) => SESSION_SCOPED.has(m))) {
    return invalid(`Please remove transactionId to make the request compatible. The request's dimensions & metrics are incompatible.`);
  }
  const limit = Number(body.limit ?? 10_000);
  const offset = Number(body.offset ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 250_000) return invalid('limit must be between 1 and 250000');
  if (!Number.isInteger(offset) || offset < 0) return invalid('offset must be a non-negative integer');

  const groups = new Map<string, { dims: string[]; values: number[] }>();
  const add = (session: WebSession, orderId: number | null, values: Record<string, number>) => {
    const key = dims.map((d) => DIMENSIONS[d]!(session, orderId));
    const id = key.join('\u0000');
    const group = groups.get(id) ?? { dims: key, values: metrics.map(() => 0) };
    metrics.forEach((m, i) => (group.values[i]! += values[m] ?? 0));
    groups.set(id, group);
  };
  for (const session of sessionsBetween(index, range.startDate, range.endDate)) {
    const purchases = session.events.filter((e) => e.name === 'purchase');
    if (byTransaction) {
      // A purchase tag fired twice lands on the same transactionId row, doubling its revenue, as in GA4.
      for (const p of purchases) add(session, p.orderId, { purchaseRevenue: usd(p.valueCents, p.currency), transactions: 1, keyEvents: 1 });
    } else {
      add(session, null, {
        sessions: 1,
        engagedSessions: session.engaged ? 1 : 0,
        keyEvents: purchases.length + session.events.filter((e) => e.name === 'newsletter_signup').length,
        purchaseRevenue: purchases.reduce((sum, p) => sum + usd(p.valueCents, p.currency), 0),
        transactions: purchases.length,
        screenPageViews: session.pageviews,
      });
    }
  }
  const rows = [...groups.values()];
  const orderBys = body.orderBys ?? [];
  rows.sort((a, b) => {
    for (const o of orderBys) {
      const name = o.dimension?.dimensionName ?? o.metric?.metricName ?? '';
      const di = dims.indexOf(name);
      const mi = metrics.indexOf(name);
      const cmp = di >= 0 ? a.dims[di]!.localeCompare(b.dims[di]!) : mi >= 0 ? a.values[mi]! - b.values[mi]! : 0;
      if (cmp !== 0) return o.desc ? -cmp : cmp;
    }
    return 0;
  });
  const page = rows.slice(offset, offset + limit).map((r) => ({
    dimensionValues: r.dims.map((value) => ({ value })),
    metricValues: r.values.map((v, i) => ({ value: formatMetric(v, METRICS[metrics[i]!]!) })),
  }));
  return {
    body: {
      dimensionHeaders: dims.map((name) => ({ name })),
      metricHeaders: metrics.map((name) => ({ name, type: METRICS[name] })),
      ...(page.length ? { rows: page } : {}),
      ...(rows.length ? { rowCount: rows.length } : {}),
      metadata: { currencyCode: 'USD', timeZone: world.brand.timeZone },
      ...(body.returnPropertyQuota
        ? { propertyQuota: { tokensPerDay: { consumed: 10, remaining: 199_990 }, tokensPerHour: { consumed: 10, remaining: 39_990 }, concurrentRequests: { consumed: 0, remaining: 10 }, serverErrorsPerProjectPerHour: { consumed: 0, remaining: 10 }, potentiallyThresholdedRequestsPerHour: { consumed: 0, remaining: 120 }, tokensPerProjectPerHour: { consumed: 10, remaining: 13_990 } } }
        : {}),
      kind: 'analyticsData#runReport',
    },
  };
}

/**
 * Routes of the GA4 fake over `world`. Sessions are grouped by day once; the grouping is redone
 * when `world.web.sessions` is replaced or changes length, so tests may still add or drop sessions
 * between requests (changing a session in place needs a new array).
 */
export function ga4FakeRoutes(world: World): FakeRoute[] {
  let indexed: { sessions: readonly WebSession[]; length: number; index: SessionsByDay } | undefined;
  const sessionIndex = (): SessionsByDay => {
    const sessions = world.web.sessions;
    if (indexed?.sessions !== sessions || indexed.length !== sessions.length) indexed = { sessions, length: sessions.length, index: indexSessionsByDay(sessions) };
    return indexed.index;
  };
  return [
    {
      method: 'POST',
      path: '/v1beta/properties/:propertyId:runReport',
      recordsPath: ['rows'],
      handler: (request: FakeRequest) => {
        const header = String(request.headers['authorization'] ?? '');
        if (!header.startsWith('Bearer ') || header.slice(7).trim() === '') {
          return {
            status: 401,
            headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
            body: { error: { code: 401, message: 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', status: 'UNAUTHENTICATED' } },
          };
        }
        if (!/^\d+$/.test(request.params['propertyId'] ?? '')) return invalid(`Invalid property ID: ${request.params['propertyId']}`);
        if (request.body === undefined || typeof request.body !== 'object') return invalid('Invalid JSON payload received.');
        return runReport(world, request.body as ReportRequest, sessionIndex());
      },
    },
  ];
}
