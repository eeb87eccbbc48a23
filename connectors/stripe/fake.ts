/**
 * A fake Stripe API serving the sample world's memberships: customers, charges (refunds only when
 * expanded, as since API version 2022-11-15), subscriptions with items and prices, and
 * `customer.subscription.*` events carrying the subscription as it was. Lists are newest first,
 * page with `limit` / `starting_after` / `has_more`, filter on `created[gte|gt|lte|lt]`, and errors
 * are Stripe error objects.
 *
 * Deviation, on purpose: Stripe keeps events for 30 days only; the fake serves the world's whole
 * history so the sample world's MRR marts have it (see the connector's notes on first runs).
 */
import type { Charge, Customer, Plan, Subscription, SubscriptionEvent, World } from '../../core/sample-world/types.ts';
import { derived, derivedByKey, type FakeRequest, type FakeResponse, type FakeRoute } from '../fakes/index.ts';

const NO_KEY = {
  error: {
    message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    type: 'invalid_request_error',
  },
};

/** Epoch seconds of an ISO instant. */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

const API_VERSION = '2024-06-20';

function price(plan: Plan, created: number): Record<string, unknown> {
  return {
    id: plan.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: 'usd',
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: plan.nickname,
    product: `prod_${plan.productName.replace(/\W/g, '')}`,
    recurring: { interval: plan.interval, interval_count: 1, usage_type: 'licensed' },
    type: 'recurring',
    unit_amount: plan.amountCents,
    unit_amount_decimal: String(plan.amountCents),
  };
}

function legacyPlan(plan: Plan, created: number): Record<string, unknown> {
  return { id: plan.id, object: 'plan', active: true, amount: plan.amountCents, currency: 'usd', interval: plan.interval, interval_count: 1, nickname: plan.nickname, product: `prod_${plan.productName.replace(/\W/g, '')}`, created };
}

/** Shapes a subscription as Stripe returns it; `at` overrides give its state at an event. */
export function stripeSubscription(sub: Subscription, plans: readonly Plan[], at?: { planId: string; status: Subscription['status']; canceledAt: string | null }): Record<string, unknown> {
  const plan = plans.find((p) => p.id === (at?.planId ?? sub.planId)) ?? plans[0]!;
  const created = epochSeconds(sub.createdAt);
  const canceledAt = at ? at.canceledAt : sub.canceledAt;
  const itemId = `si_${sub.id.slice(4, 18)}`;
  return {
    id: sub.id,
    object: 'subscription',
    application: null,
    billing_cycle_anchor: created,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: canceledAt ? epochSeconds(canceledAt) : null,
    collection_method: 'charge_automatically',
    created,
    currency: 'usd',
    current_period_end: epochSeconds(sub.currentPeriodEnd),
    current_period_start: epochSeconds(sub.currentPeriodStart),
    customer: sub.stripeCustomerId,
    default_payment_method: null,
    ended_at: canceledAt ? epochSeconds(canceledAt) : null,
    items: {
      object: 'list',
      data: [{ id: itemId, object: 'subscription_item', created, metadata: {}, plan: legacyPlan(plan, created), price: price(plan, created), quantity: 1, subscription: sub.id }],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${sub.id}`,
    },
    latest_invoice: `in_${sub.id.slice(4, 28)}`,
    livemode: false,
    metadata: {},
    plan: legacyPlan(plan, created),
    quantity: 1,
    start_date: created,
    status: at?.status ?? sub.status,
  };
}

/** Shapes a charge; `refunds` is a list object only when the request expanded it. */
export function stripeCharge(charge: Charge, expandRefunds: boolean): Record<string, unknown> {
  const paid = charge.status === 'succeeded';
  return {
    id: charge.id,
    object: 'charge',
    amount: charge.amountCents,
    amount_captured: paid ? charge.amountCents : 0,
    amount_refunded: charge.amountRefundedCents,
    balance_transaction: paid ? `txn_${charge.id.slice(3)}` : null,
    captured: paid,
    created: epochSeconds(charge.createdAt),
    currency: charge.currency,
    customer: charge.stripeCustomerId,
    description: charge.description,
    failure_code: paid ? null : 'card_declined',
    failure_message: paid ? null : 'Your card was declined.',
    invoice: `in_${charge.id.slice(4, 28)}`,
    livemode: false,
    metadata: { subscription: charge.subscriptionId },
    outcome: { network_status: paid ? 'approved_by_network' : 'declined_by_network', reason: paid ? null : 'generic_decline', risk_level: 'normal', seller_message: paid ? 'Payment complete.' : 'The bank did not return any further details with this decline.', type: paid ? 'authorized' : 'issuer_declined' },
    paid,
    payment_intent: `pi_${charge.id.slice(4)}`,
    refunded: charge.amountRefundedCents > 0 && charge.amountRefundedCents >= charge.amountCents,
    status: charge.status,
    ...(expandRefunds
      ? {
          refunds: {
            object: 'list',
            data: charge.refunds.map((r) => ({ id: r.id, object: 'refund', amount: r.amountCents, charge: charge.id, created: epochSeconds(r.createdAt), currency: charge.currency, reason: 'requested_by_customer', status: 'succeeded' })),
            has_more: false,
            total_count: charge.refunds.length,
            url: `/v1/charges/${charge.id}/refunds`,
          },
        }
      : {}),
  };
}

const EVENT_TYPE: Record<SubscriptionEvent['type'], string> = {
  created: 'customer.subscription.created',
  reactivated: 'customer.subscription.created',
  upgraded: 'customer.subscription.updated',
  downgraded: 'customer.subscription.updated',
  canceled: 'customer.subscription.deleted',
};

/** Shapes a world subscription event as a Stripe event with the subscription as it was then. */
export function stripeEvent(event: SubscriptionEvent, sub: Subscription, plans: readonly Plan[]): Record<string, unknown> {
  const canceled = event.type === 'canceled';
  const planId = event.toPlanId ?? event.fromPlanId ?? sub.planId;
  const object = stripeSubscription(sub, plans, { planId, status: canceled ? 'canceled' : 'active', canceledAt: canceled ? event.at : null });
  const from = plans.find((p) => p.id === event.fromPlanId);
  const previous = event.type === 'upgraded' || event.type === 'downgraded'
    ? { previous_attributes: { items: { data: [{ price: from ? price(from, epochSeconds(sub.createdAt)) : null }] }, plan: from ? legacyPlan(from, epochSeconds(sub.createdAt)) : null } }
    : {};
  return {
    id: event.id,
    object: 'event',
    api_version: API_VERSION,
    created: epochSeconds(event.at),
    data: { object: object, ...previous },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: EVENT_TYPE[event.type],
  };
}

/** A Stripe customer of the world: its id, its first subscription, the shop customer behind it. */
interface StripeCustomerSource {
  id: string;
  sub: Subscription;
  customer: Customer | undefined;
  delinquent: boolean;
}

/** The Stripe customers of the world: one per `stripeCustomerId`, created with its first subscription. */
function stripeCustomerSources(world: World): StripeCustomerSource[] {
  const firstSub = new Map<string, Subscription>();
  const delinquent = new Set<string>();
  for (const sub of world.billing.subscriptions) {
    const seen = firstSub.get(sub.stripeCustomerId);
    if (!seen || sub.createdAt < seen.createdAt) firstSub.set(sub.stripeCustomerId, sub);
    if (sub.status === 'past_due') delinquent.add(sub.stripeCustomerId);
  }
  const shopCustomers = new Map(world.commerce.customers.map((c) => [c.id, c]));
  return [...firstSub.entries()].map(([id, sub]) => ({ id, sub, customer: shopCustomers.get(sub.customerId), delinquent: delinquent.has(id) }));
}

/** Shapes a Stripe customer as `GET /v1/customers` returns it. */
function stripeCustomer({ id, sub, customer, delinquent }: StripeCustomerSource): Record<string, unknown> {
  return {
    id,
    object: 'customer',
    address: customer ? { city: null, country: customer.country, line1: null, line2: null, postal_code: null, state: null } : null,
    balance: 0,
    created: epochSeconds(sub.createdAt),
    currency: 'usd',
    default_source: null,
    delinquent,
    description: null,
    email: customer?.email ?? null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    livemode: false,
    metadata: { shop_customer_id: String(sub.customerId) },
    name: customer ? `${customer.firstName} ${customer.lastName}` : null,
    phone: null,
    preferred_locales: [],
    tax_exempt: 'none',
  };
}

/** Where a listed item sorts: its `created` (Unix seconds) and `id`. */
type ListKey = { created: number; id: string };

/** Sorted lists by the array they were sorted from, and its length then (a test may add records). */
const sortedLists = new WeakMap<readonly unknown[], { length: number; sorted: { item: unknown; key: ListKey }[] }>();

/**
 * `all` newest first (ties by id), sorted once per array rather than on every page: a list of
 * tens of thousands of charges is paged hundreds of times.
 */
function sortedNewestFirst<T>(all: readonly T[], keyOf: (item: T) => ListKey): { item: T; key: ListKey }[] {
  const cached = sortedLists.get(all);
  if (cached && cached.length === all.length) return cached.sorted as { item: T; key: ListKey }[];
  const sorted = all.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => b.key.created - a.key.created || b.key.id.localeCompare(a.key.id));
  sortedLists.set(all, { length: all.length, sorted });
  return sorted;
}

/** A sorted list filtered on `created` bounds, and where each id sits in it (built on first use). */
type Selection<T> = { matching: { item: T; key: ListKey }[]; positions: () => Map<string, number> };
const selections = new WeakMap<readonly unknown[], Map<string, Selection<unknown>>>();

/**
 * The items of `sorted` within the `created` bounds, kept per sorted list and bounds: a listing
 * pages through the same selection with `starting_after`, which is then a lookup, not a scan.
 */
function createdBetween<T>(sorted: { item: T; key: ListKey }[], gte?: number, gt?: number, lte?: number, lt?: number): Selection<T> {
  let bySorted = selections.get(sorted);
  if (!bySorted) selections.set(sorted, (bySorted = new Map()));
  const bounds = `${gte} ${gt} ${lte} ${lt}`;
  const kept = bySorted.get(bounds);
  if (kept) return kept as Selection<T>;
  const matching = sorted.filter(({ key: { created: c } }) => (gte === undefined || c >= gte) && (gt === undefined || c > gt) && (lte === undefined || c <= lte) && (lt === undefined || c < lt));
  let positions: Map<string, number> | undefined;
  const selection: Selection<T> = {
    matching,
    positions: () => {
      if (!positions) {
        positions = new Map();
        // The first of equal ids wins, as a scan from the start would find it.
        for (let i = matching.length - 1; i >= 0; i--) positions.set(matching[i]!.key.id, i);
      }
      return positions;
    },
  };
  // A few listings page at the same time at most; the oldest selection goes first.
  if (bySorted.size >= 8) bySorted.delete(bySorted.keys().next().value!);
  bySorted.set(bounds, selection as Selection<unknown>);
  return selection;
}

/**
 * Filters on `created[gte]` and friends, newest first (ties by id), then pages with
 * `starting_after`; `shape` renders only the page's items.
 */
function listPage<T>(request: FakeRequest, url: string, all: readonly T[], keyOf: (item: T) => ListKey, shape: (item: T) => Record<string, unknown>): FakeResponse {
  const q = request.query;
  const limit = Number(q.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'limit', message: 'This value must be between 1 and 100 (it currently is ' + q.get('limit') + ').' } } };
  }
  const bound = (op: string) => {
    const raw = q.get(`created[${op}]`);
    if (raw === null) return undefined;
    const n = Number(raw);
    return Number.isInteger(n) ? n : Number.NaN;
  };
  const gte = bound('gte'), gt = bound('gt'), lte = bound('lte'), lt = bound('lt');
  if ([gte, gt, lte, lt].some((b) => Number.isNaN(b))) {
    return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'created', message: 'Invalid integer: created must be a Unix timestamp' } } };
  }
  const { matching, positions } = createdBetween(sortedNewestFirst(all, keyOf), gte, gt, lte, lt);
  let start = 0;
  const after = q.get('starting_after');
  if (after !== null) {
    const at = positions().get(after) ?? -1;
    if (at < 0) return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'starting_after', message: `No such object: '${after}'` } } };
    start = at + 1;
  }
  const data = matching.slice(start, start + limit).map((r) => shape(r.item));
  return { headers: { 'request-id': `req_${request.seq}`, 'stripe-version': String(request.headers['stripe-version'] ?? API_VERSION) }, body: { object: 'list', data, has_more: start + limit < matching.length, url } };
}

/** Wraps a list handler with Stripe's key check. */
function authed(handler: (request: FakeRequest) => FakeResponse) {
  return (request: FakeRequest): FakeResponse => {
    const header = String(request.headers['authorization'] ?? '');
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0] ?? '' : '';
    if (!key) return { status: 401, body: NO_KEY };
    return handler(request);
  };
}

/** The event-type patterns of a request: `type` (with `*` wildcards) and `types[]`. */
function typePatterns(request: FakeRequest): string[] {
  return [...request.query.getAll('type'), ...request.query.getAll('types[]')];
}

/** Returns whether an event type matches any of `patterns` (every type when there are none). */
function typeMatcher(patterns: readonly string[]): (type: string) => boolean {
  if (patterns.length === 0) return () => true;
  const expressions = patterns.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (type) => expressions.some((e) => e.test(type));
}

/** Routes of the Stripe fake over `world`; lists are read at request time, so tests may add records. */
export function stripeFakeRoutes(world: World): FakeRoute[] {
  const plans = () => world.billing.plans;
  // What each list is drawn from is derived once per change of the world's lists, not once per page:
  // listings page through tens of thousands of records.
  const customers = derived(() => [world.billing.subscriptions, world.commerce.customers], () => stripeCustomerSources(world));
  const subscriptionsWith = derivedByKey(() => [world.billing.subscriptions], (status) => world.billing.subscriptions.filter((s) => status === 'all' || (status === 'active' ? s.status !== 'canceled' : s.status === status)));
  const eventsOfTypes = derivedByKey(() => [world.billing.subscriptionEvents, world.billing.subscriptions], (patterns) => {
    const byId = new Map(world.billing.subscriptions.map((s) => [s.id, s]));
    const matches = typeMatcher(JSON.parse(patterns) as string[]);
    return world.billing.subscriptionEvents
      .map((e) => ({ e, sub: byId.get(e.subscriptionId) }))
      .filter((x): x is { e: SubscriptionEvent; sub: Subscription } => x.sub !== undefined && matches(EVENT_TYPE[x.e.type]));
  });
  return [
    {
      path: '/v1/customers',
      recordsPath: ['data'],
      handler: authed((r) => listPage(r, '/v1/customers', customers(), (c) => ({ created: epochSeconds(c.sub.createdAt), id: c.id }), stripeCustomer)),
    },
    {
      path: '/v1/charges',
      recordsPath: ['data'],
      handler: authed((r) => {
        const expandRefunds = r.query.getAll('expand[]').includes('data.refunds');
        return listPage(r, '/v1/charges', world.billing.charges, (c) => ({ created: epochSeconds(c.createdAt), id: c.id }), (c) => stripeCharge(c, expandRefunds));
      }),
    },
    {
      path: '/v1/subscriptions',
      recordsPath: ['data'],
      handler: authed((r) => {
        // Without status=all Stripe leaves canceled subscriptions out.
        const subs = subscriptionsWith(r.query.get('status') ?? 'active');
        return listPage(r, '/v1/subscriptions', subs, (s) => ({ created: epochSeconds(s.createdAt), id: s.id }), (s) => stripeSubscription(s, plans()));
      }),
    },
    {
      path: '/v1/events',
      recordsPath: ['data'],
      handler: authed((r) => {
        const events = eventsOfTypes(JSON.stringify(typePatterns(r)));
        return listPage(r, '/v1/events', events, ({ e }) => ({ created: epochSeconds(e.at), id: e.id }), ({ e, sub }) => stripeEvent(e, sub, plans()));
      }),
    },
  ];
}
