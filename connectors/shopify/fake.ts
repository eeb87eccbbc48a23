/**
 * A fake Shopify Admin REST API serving the sample world's shop: `orders.json` and
 * `customers.json` with Shopify's field names, money as decimal strings, timestamps in the shop's
 * offset, `Link` header paging with `page_info` (which, as in Shopify, may not be combined with
 * filters), the leaky-bucket call-limit header with 429 + `Retry-After` when the bucket overflows,
 * and `{"errors": ...}` bodies for 400/401.
 */
import type { Customer, Order, World } from '../../core/sample-world/types.ts';
import { buildLinkHeader, decodeCursor, encodeCursor, type FakeRequest, type FakeResponse, type FakeRoute } from '../fakes/index.ts';

/** Options of the Shopify fake. */
export interface ShopifyFakeOptions {
  /** Bucket size and leak rate (default 40 and 2 a second, a standard plan). */
  bucketSize?: number;
  leakPerSecond?: number;
  /** Clock for the bucket (default `Date.now`). */
  now?: () => number;
}

const MAX_LIMIT = 250;
const DEFAULT_LIMIT = 50;
const UNAUTHORIZED = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

/** Renders cents as Shopify's decimal string ("12.34"). */
export function shopifyMoney(cents: number): string {
  return (cents / 100).toFixed(2);
}

const formats = new Map<string, Intl.DateTimeFormat>();
// Building an Intl formatter costs far more than using one; a fake shapes thousands of timestamps.
function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  return format;
}

// Offsets change only at transitions, which fall on quarter hours: one lookup per zone and quarter hour.
const QUARTER_HOUR_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/** Minutes `timeZone` is ahead of UTC at `at`. */
function offsetAt(timeZone: string, at: Date): number {
  const key = `${timeZone} ${Math.floor(at.getTime() / QUARTER_HOUR_MS)}`;
  let minutes = offsets.get(key);
  if (minutes === undefined) {
    const name = offsetFormat(timeZone).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    const sign = match?.[1] === '-' ? -1 : 1;
    minutes = match ? sign * (Number(match[2]) * 60 + Number(match[3])) : 0;
    offsets.set(key, minutes);
  }
  return minutes;
}

/** Renders a UTC instant in `timeZone` with its offset, as Shopify does: `2026-01-05T05:12:03-05:00`. */
export function shopTime(iso: string, timeZone: string): string;
export function shopTime(iso: string | null, timeZone: string): string | null;
export function shopTime(iso: string | null, timeZone: string): string | null {
  if (iso === null) return null;
  const at = new Date(iso);
  const offsetMinutes = offsetAt(timeZone, at);
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetMinutes);
  const offset = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${offset}`;
}

/** Shapes one world order as `GET /orders.json` returns it. */
export function shopifyOrder(order: Order, customer: Customer | undefined, timeZone: string): Record<string, unknown> {
  const t = (iso: string | null) => shopTime(iso, timeZone);
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: order.name,
    order_number: Number(order.name.replace(/\D/g, '')),
    email: order.email,
    created_at: t(order.createdAt),
    updated_at: t(order.updatedAt),
    processed_at: t(order.processedAt),
    cancelled_at: t(order.cancelledAt),
    cancel_reason: order.cancelledAt ? 'customer' : null,
    closed_at: null,
    currency: order.currency,
    presentment_currency: order.currency,
    total_price: shopifyMoney(order.totalCents),
    subtotal_price: shopifyMoney(order.subtotalCents - order.discountCents),
    total_discounts: shopifyMoney(order.discountCents),
    total_tax: shopifyMoney(order.taxCents),
    total_line_items_price: shopifyMoney(order.subtotalCents),
    financial_status: order.financialStatus,
    fulfillment_status: order.fulfillmentStatus,
    landing_site: order.landingSite,
    referring_site: order.referringSite,
    source_name: order.sourceName,
    tags: order.tags.join(', '),
    test: false,
    discount_codes: order.discountCodes.map((code, i) => ({ code, amount: shopifyMoney(i === 0 ? order.discountCents : 0), type: 'percentage' })),
    customer: customer
      ? { id: customer.id, email: customer.email, first_name: customer.firstName, last_name: customer.lastName, created_at: t(customer.createdAt), state: 'enabled', currency: customer.currency, admin_graphql_api_id: `gid://shopify/Customer/${customer.id}` }
      : null,
    line_items: order.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: line.productId,
      variant_id: line.variantId,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      price: shopifyMoney(line.priceCents),
      sku: line.sku,
      vendor: 'Northwind Outfitters',
      requires_shipping: true,
      taxable: true,
    })),
    shipping_lines: order.shippingCents > 0 ? [{ id: order.id + 1, title: 'Standard', code: 'STANDARD', price: shopifyMoney(order.shippingCents) }] : [],
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      order_id: order.id,
      created_at: t(refund.createdAt),
      processed_at: t(refund.createdAt),
      note: refund.reason.replace(/_/g, ' '),
      restock: refund.reason !== 'damaged',
      transactions: [{ id: refund.id + 7, order_id: order.id, kind: 'refund', gateway: 'shopify_payments', status: 'success', amount: shopifyMoney(refund.amountCents), currency: order.currency, created_at: t(refund.createdAt) }],
      refund_line_items: refund.lineIds.map((lineId, i) => ({ id: refund.id + 100 + i, line_item_id: lineId, quantity: order.lines.find((l) => l.id === lineId)?.quantity ?? 1 })),
    })),
  };
}

/** Shapes one world customer as `GET /customers.json` returns it; counts come from the customer's orders. */
export function shopifyCustomer(customer: Customer, orders: readonly Order[], timeZone: string): Record<string, unknown> {
  const t = (iso: string | null) => shopTime(iso, timeZone);
  const live = orders.filter((o) => o.cancelledAt === null);
  const spent = live.reduce((sum, o) => sum + o.totalCents - o.refunds.reduce((r, x) => r + x.amountCents, 0), 0);
  const last = orders.reduce<Order | undefined>((latest, o) => (!latest || o.createdAt > latest.createdAt ? o : latest), undefined);
  const updatedAt = orders.reduce((max, o) => (o.updatedAt > max ? o.updatedAt : max), customer.createdAt);
  return {
    id: customer.id,
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    created_at: t(customer.createdAt),
    updated_at: t(updatedAt),
    state: 'enabled',
    orders_count: orders.length,
    total_spent: shopifyMoney(spent),
    last_order_id: last?.id ?? null,
    last_order_name: last?.name ?? null,
    currency: customer.currency,
    verified_email: true,
    tax_exempt: false,
    tags: customer.acquisition.campaignId ? `campaign:${customer.acquisition.campaignId}` : '',
    note: null,
    phone: null,
    email_marketing_consent: { state: customer.acceptsMarketing ? 'subscribed' : 'not_subscribed', opt_in_level: 'single_opt_in', consent_updated_at: customer.acceptsMarketing ? t(customer.createdAt) : null },
    default_address: { country_code: customer.country, default: true },
  };
}

/** Filters a list endpoint accepts besides paging, and which records they keep. */
type Filters = Record<string, string>;

function timeFilter(filters: Filters, field: 'updated_at' | 'created_at', at: string): boolean {
  const ms = Date.parse(at);
  const min = filters[`${field}_min`];
  const max = filters[`${field}_max`];
  return (min === undefined || ms >= Date.parse(min)) && (max === undefined || ms <= Date.parse(max));
}

/** Which lists (by identity) and how long they were: a selection made from them is stale once this changes. */
type ListVersion = { list: readonly unknown[]; length: number }[];

function listVersion(lists: readonly (readonly unknown[])[]): ListVersion {
  return lists.map((list) => ({ list, length: list.length }));
}

function sameVersion(a: ListVersion, b: ListVersion): boolean {
  return a.length === b.length && a.every((x, i) => x.list === b[i]!.list && x.length === b[i]!.length);
}

/** A leaky bucket per access token, as Shopify keeps per app and shop. */
function createBucket(size: number, leakPerSecond: number, now: () => number) {
  const levels = new Map<string, { level: number; at: number }>();
  return (token: string): { full: boolean; used: number } => {
    const t = now();
    const state = levels.get(token) ?? { level: 0, at: t };
    const level = Math.max(0, state.level - ((t - state.at) / 1000) * leakPerSecond);
    if (level + 1 > size) {
      levels.set(token, { level, at: t });
      return { full: true, used: size };
    }
    levels.set(token, { level: level + 1, at: t });
    return { full: false, used: Math.ceil(level + 1) };
  };
}

/** Routes of the Shopify fake over `world`; lists are read at request time, so tests may add records. */
export function shopifyFakeRoutes(world: World, options: ShopifyFakeOptions = {}): FakeRoute[] {
  const size = options.bucketSize ?? 40;
  const leakPerSecond = options.leakPerSecond ?? 2;
  const bucket = createBucket(size, leakPerSecond, options.now ?? Date.now);
  const timeZone = world.brand.timeZone;

  // `select` filters and orders the world's items; `shape` renders only the page's. A first page
  // selects afresh (so records added between runs are seen); its next pages reuse that selection
  // while the world's lists it reads (`inputs`) are unchanged, instead of filtering and sorting
  // every item again for each page.
  const list = <T>(resource: 'orders' | 'customers', allowed: readonly string[], inputs: () => readonly (readonly unknown[])[], select: (filters: Filters) => T[], shape: (items: T[]) => Record<string, unknown>[]) => {
    const selections = new Map<string, { inputs: ListVersion; selected: T[] }>();
    const selectFor = (filters: Filters, firstPage: boolean): T[] => {
      const key = JSON.stringify(filters);
      const now = listVersion(inputs());
      const kept = selections.get(key);
      if (!firstPage && kept && sameVersion(kept.inputs, now)) return kept.selected;
      const selected = select(filters);
      // A few listings page at the same time at most; the oldest selection goes first.
      selections.delete(key);
      if (selections.size >= 8) selections.delete(selections.keys().next().value!);
      selections.set(key, { inputs: now, selected });
      return selected;
    };
    return (request: FakeRequest): FakeResponse => {
      const token = request.headers['x-shopify-access-token'];
      if (typeof token !== 'string' || token === '') return { status: 401, body: UNAUTHORIZED };
      const { full, used } = bucket(token);
      const callLimit = `${used}/${size}`;
      if (full) {
        return { status: 429, headers: { 'retry-after': '2.0', 'x-shopify-shop-api-call-limit': callLimit }, body: { errors: `Exceeded ${leakPerSecond} calls per second for api client. Reduce request rates to resume uninterrupted service.` } };
      }
      const headers = { 'x-shopify-shop-api-call-limit': callLimit, 'x-shopify-api-version': request.params['version'] };
      const limit = Number(request.query.get('limit') ?? DEFAULT_LIMIT);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return { status: 400, headers, body: { errors: { limit: [`must be between 1 and ${MAX_LIMIT}`] } } };
      let filters: Filters;
      let offset = 0;
      const pageInfo = request.query.get('page_info');
      if (pageInfo !== null) {
        // Shopify: a page_info request may only add limit and fields; the filters live in the cursor.
        const extra = [...request.query.keys()].filter((k) => k !== 'page_info' && k !== 'limit' && k !== 'fields');
        if (extra.length) return { status: 400, headers, body: { errors: { page_info: [`cannot be combined with other parameters: ${extra.join(', ')}`] } } };
        const state = decodeCursor<{ filters: Filters; offset: number }>(pageInfo);
        if (!state || typeof state.offset !== 'number') return { status: 400, headers, body: { errors: 'Invalid value for page_info' } };
        ({ filters, offset } = state);
      } else {
        filters = {};
        for (const [key, value] of request.query) {
          if (key === 'limit' || key === 'fields') continue;
          if (!allowed.includes(key)) continue;
          if (key.endsWith('_min') || key.endsWith('_max')) {
            if (Number.isNaN(Date.parse(value))) return { status: 400, headers, body: { errors: { [key]: ['is not a valid date'] } } };
          }
          filters[key] = value;
        }
      }
      const all = selectFor(filters, pageInfo === null);
      const records = shape(all.slice(offset, offset + limit));
      const pageUrl = (at: number) => `${request.baseUrl}${request.path}?limit=${limit}&page_info=${encodeCursor({ filters, offset: at })}`;
      const link = buildLinkHeader({ previous: offset > 0 ? pageUrl(Math.max(0, offset - limit)) : null, next: offset + limit < all.length ? pageUrl(offset + limit) : null });
      return { headers: { ...headers, ...(link ? { link } : {}) }, body: { [resource]: records } };
    };
  };

  const ordersByCustomer = () => {
    const map = new Map<number, Order[]>();
    for (const o of world.commerce.orders) {
      const list = map.get(o.customerId);
      if (list) list.push(o);
      else map.set(o.customerId, [o]);
    }
    return map;
  };
  // Customers by id for the orders' `customer` member, rebuilt only when the customer list changes.
  let customerIndex: { version: ListVersion; byId: Map<number, Customer> } | undefined;
  const customersById = (): Map<number, Customer> => {
    const version = listVersion([world.commerce.customers]);
    if (!customerIndex || !sameVersion(customerIndex.version, version)) customerIndex = { version, byId: new Map(world.commerce.customers.map((c) => [c.id, c])) };
    return customerIndex.byId;
  };
  return [
    {
      path: '/admin/api/:version/orders.json',
      recordsPath: ['orders'],
      handler: list(
        'orders',
        ['status', 'updated_at_min', 'updated_at_max', 'created_at_min', 'created_at_max', 'financial_status'],
        () => [world.commerce.orders],
        (filters) => {
          const status = filters['status'] ?? 'open';
          return world.commerce.orders
            .filter((o) => status === 'any' || (status === 'cancelled' ? o.cancelledAt !== null : status === 'open' ? o.cancelledAt === null : false))
            .filter((o) => !filters['financial_status'] || filters['financial_status'] === 'any' || o.financialStatus === filters['financial_status'])
            .filter((o) => timeFilter(filters, 'updated_at', o.updatedAt) && timeFilter(filters, 'created_at', o.createdAt))
            .sort((a, b) => a.id - b.id);
        },
        (orders) => {
          const byId = customersById();
          return orders.map((o) => shopifyOrder(o, byId.get(o.customerId), timeZone));
        },
      ),
    },
    {
      path: '/admin/api/:version/customers.json',
      recordsPath: ['customers'],
      handler: list(
        'customers',
        ['updated_at_min', 'updated_at_max', 'created_at_min', 'created_at_max'],
        () => [world.commerce.customers, world.commerce.orders],
        (filters) => {
          const ordersOf = ordersByCustomer();
          return world.commerce.customers
            .map((c) => ({ customer: c, orders: ordersOf.get(c.id) ?? [] }))
            .map((x) => ({ ...x, updatedAt: x.orders.reduce((max, o) => (o.updatedAt > max ? o.updatedAt : max), x.customer.createdAt) }))
            .filter((x) => timeFilter(filters, 'updated_at', x.updatedAt) && timeFilter(filters, 'created_at', x.customer.createdAt))
            .sort((a, b) => a.customer.id - b.customer.id);
        },
        (page) => page.map((x) => shopifyCustomer(x.customer, x.orders, timeZone)),
      ),
    },
  ];
}
