import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { Order, World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { shopifyFakeRoutes } from '../../connectors/shopify/fake.ts';
import { shopifyConnector } from '../../connectors/shopify/index.ts';
import { runExtract } from '../../jobs/steps.ts';

const ORDERS = '/admin/api/:version/orders.json';
const noSleep = async () => {};
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

async function setup(world: World = generateWorld({ seed: 11, scale: 0.02 })) {
  fake = await startFakeServer({ routes: shopifyConnector.sample!.fake!(world) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-shopify-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const source = buildSource('shop', shopifyConnector.sample!.config({ baseUrl: fake.url }, world), dir);
  return { world, fake, wh, source };
}

const count = async (wh: Warehouse, table: string) => (await wh.all<{ n: number }>(`select count(*)::int n from ${table}`))[0]!.n;
const cursorOf = async (wh: Warehouse, stream: string) => (await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'shop' and stream = $1`, [stream]))[0]?.cursor;

describe('shopify connector', () => {
  it('loads every order and customer of the world, typed, paging with page_info only', async () => {
    const { world, fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(result.status).toBe('succeeded');
    // Every field the API sends is declared: a first run reports no drift.
    expect(await wh.all(`select stream, field from meta.schema_drift`)).toEqual([]);
    expect(await wh.all(`select stream, reason from meta.quarantine`)).toEqual([]);
    expect(await count(wh, 'raw.shop__orders')).toBe(world.commerce.orders.length);
    expect(await count(wh, 'raw.shop__customers')).toBe(world.commerce.customers.length);
    const order = world.commerce.orders.find((o) => o.refunds.length > 0)!;
    const [row] = await wh.all<{ total: string; t: string; ts: string; refunds: number; name: string }>(
      `select total_price::varchar total, typeof(total_price) t, strftime(updated_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') ts, json_array_length(refunds)::int refunds, name from raw.shop__orders where id = $1`,
      [order.id],
    );
    expect(row).toEqual({ total: (order.totalCents / 100).toFixed(2), t: 'DECIMAL(18,2)', ts: order.updatedAt, refunds: order.refunds.length, name: order.name });
    // Page two follows the Link header: page_info and limit, no filters (Shopify would answer 400).
    const orderPages = fake.requests.filter((r) => r.route === ORDERS);
    expect(orderPages.length).toBe(Math.ceil(world.commerce.orders.length / 250));
    expect(orderPages[0]!.query).toMatch(/status=any/);
    expect(orderPages[1]!.query).toMatch(/^limit=250&page_info=[^&]+$/);
    expect(orderPages.every((r) => r.status === 200)).toBe(true);
    expect(await cursorOf(wh, 'orders')).toBe(world.commerce.orders.map((o) => new Date(o.updatedAt).toISOString()).sort().at(-1));
  });

  it('reruns incrementally: reads only since the cursor minus the lookback, adds new orders, no duplicates', async () => {
    const { world, fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const cursor = (await cursorOf(wh, 'orders'))!;
    const template = world.commerce.orders.at(-1)!;
    const added: Order = { ...template, id: template.id + 1_000_000, name: '#99999', createdAt: '2026-11-02T10:00:00Z', updatedAt: '2026-11-02T10:00:00Z', processedAt: '2026-11-02T10:00:00Z' };
    world.commerce.orders.push(added);
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(second.status).toBe('succeeded');
    const since = new Date(Date.parse(cursor) - 3 * 86_400_000).toISOString();
    const first = fake.requests.find((r) => r.route === ORDERS)!;
    expect(new URLSearchParams(first.query).get('updated_at_min')).toBe(since);
    const expected = world.commerce.orders.filter((o) => Date.parse(o.updatedAt) >= Date.parse(since)).length;
    expect(second.streams.find((s) => s.stream === 'orders')?.rowsLoaded).toBe(expected);
    expect(expected).toBeLessThan(world.commerce.orders.length / 4);
    const [dups] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.shop__orders`);
    expect(dups).toEqual({ n: world.commerce.orders.length, ids: world.commerce.orders.length });
    expect(await cursorOf(wh, 'orders')).toBe('2026-11-02T10:00:00.000Z');
  });

  it('waits out a 429 with Retry-After and succeeds', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.rateLimit({ path: ORDERS, retryAfterSeconds: 2, body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' } });
    const slept: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void slept.push(ms) });
    expect(result.status).toBe('succeeded');
    expect(slept).toContain(2000);
    expect(fake.requests.filter((r) => r.route === ORDERS).map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
  });

  it('keeps a standard plan\'s leaky bucket: a full bucket answers 429 with Retry-After, which the client waits out', async () => {
    const world = generateWorld({ seed: 11, scale: 0.02 });
    // A bucket of 2 calls draining 1 a second, on a clock that moves only while the client sleeps.
    const clock = { ms: Date.parse('2026-01-05T12:00:00Z') };
    fake = await startFakeServer({ routes: shopifyFakeRoutes(world, { bucketSize: 2, leakPerSecond: 1, now: () => clock.ms }) });
    const dir = mkdtempSync(join(tmpdir(), 'pulse-shopify-'));
    wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
    // The config claims a bigger bucket than the shop has: only the shop's 429s hold the client back.
    const source = buildSource('shop', { ...shopifyConnector.sample!.config({ baseUrl: fake.url }, world), rateLimit: { bucketSize: 40, leakPerSecond: 2 } }, dir);
    const slept: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void (slept.push(ms), (clock.ms += ms)) });
    expect(result.status).toBe('succeeded');
    expect(await count(wh, 'raw.shop__orders')).toBe(world.commerce.orders.length);
    const pages = Math.ceil(world.commerce.orders.length / 250) + Math.ceil(world.commerce.customers.length / 250);
    // Two calls fill the bucket; the third is refused and asks for 2 s, which drain it: 200, 200, 429, 200, 200, 429, ...
    const expected = Array.from({ length: pages }, (_, i) => (i > 0 && i % 2 === 0 ? [429, 200] : [200])).flat();
    expect(fake.requests.map((r) => r.status)).toEqual(expected);
    expect(slept.filter((ms) => ms === 2000)).toHaveLength(expected.filter((s) => s === 429).length);
    // Ten seconds later the bucket is empty again; the header counts the calls in it.
    clock.ms += 10_000;
    const call = () => request(`${fake!.url}/admin/api/2025-07/customers.json`, { headers: { 'x-shopify-access-token': 't' } });
    const [first, second, third] = [await call(), await call(), await call()];
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 200, 429]);
    expect([first, second, third].map((r) => r.headers['x-shopify-shop-api-call-limit'])).toEqual(['1/2', '2/2', '2/2']);
    expect(third.headers['retry-after']).toBe('2.0');
    expect(await third.body.json()).toEqual({ errors: 'Exceeded 1 calls per second for api client. Reduce request rates to resume uninterrupted service.' });
    await Promise.all([first.body.dump(), second.body.dump()]);
  });

  it('fails on a 401 without retrying or moving the cursor, naming the env var', async () => {
    const { fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const before = await cursorOf(wh, 'orders');
    fake.faults.add({ path: ORDERS, times: Infinity, fault: { kind: 'status', status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } } });
    fake.requests.length = 0;
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const orders = result.streams.find((s) => s.stream === 'orders')!;
    expect(orders.status).toBe('failed');
    expect(orders.transient).toBe(false);
    expect(orders.error).toMatch(/Invalid API key or access token/);
    expect(orders.error).toMatch(/PULSE_SAMPLE_TOKEN/);
    expect(fake.requests.filter((r) => r.route === ORDERS)).toHaveLength(1);
    expect(await cursorOf(wh, 'orders')).toBe(before);
    expect(result.streams.find((s) => s.stream === 'customers')?.status).toBe('succeeded');
  });

  it('quarantines a malformed order with its reason and loads the rest', async () => {
    const { world, fake, wh, source } = await setup();
    fake.faults.malformedRecord('total_price', { path: ORDERS, index: 3, value: 'twelve' });
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(result.streams.find((s) => s.stream === 'orders')).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsLoaded: world.commerce.orders.length - 1 });
    const [q] = await wh.all<{ field: string; reason: string }>(`select field, reason from meta.quarantine where stream = 'orders'`);
    expect(q).toEqual({ field: 'total_price', reason: 'total_price: expected DECIMAL(18,2), got twelve' });
  });

  it('reports a renamed field as drift: the new name added, the old one removed', async () => {
    const { fake, wh, source } = await setup();
    fake.faults.mutateRecords(
      (records) => records.map((r) => {
        const { landing_site, ...rest } = r as Record<string, unknown>;
        return { ...rest, landing_site_url: landing_site };
      }),
      { path: ORDERS, times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(result.streams.find((s) => s.stream === 'orders')?.driftFields).toEqual(['landing_site_url']);
    const drift = await wh.all(`select field, change from meta.schema_drift where stream = 'orders' order by field`);
    expect(drift).toEqual([{ field: 'landing_site', change: 'removed' }, { field: 'landing_site_url', change: 'added' }]);
  });

  it('refuses a literal token and names a missing variable at its field', () => {
    const config = { type: 'shopify', shop: 'northwind', startDate: '2025-11-01' };
    expect(() => buildSource('shop', { ...config, accessToken: 'shpat_literal' }, '/tmp')).toThrow(/sources\.shop\.accessToken: Invalid input: expected object.*env\("SHOPIFY_ACCESS_TOKEN"\)/);
    expect(() => buildSource('shop', { ...config, accessToken: { $env: 'NO_SUCH_SHOPIFY_TOKEN' } }, '/tmp', {})).toThrow(/sources\.shop\.accessToken: environment variable NO_SUCH_SHOPIFY_TOKEN is not set/);
    expect(() => buildSource('shop', { ...config, accessToken: { $env: 'T' }, shop: 'not a shop!' }, '/tmp', { T: 'x' })).toThrow(/sources\.shop\.shop: .*the shop's myshopify domain/);
  });

  it('answers like Shopify: 401 without a token, 400 for page_info with filters, call-limit header', async () => {
    const { fake } = await setup();
    const bare = await request(`${fake.url}/admin/api/2025-07/orders.json?status=any`);
    expect(bare.statusCode).toBe(401);
    expect(await bare.body.json()).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    const headers = { 'x-shopify-access-token': 't' };
    const first = await request(`${fake.url}/admin/api/2025-07/orders.json?status=any&limit=100`, { headers });
    // The sample shop is on Shopify Plus: a bucket of 400 calls.
    expect(first.headers['x-shopify-shop-api-call-limit']).toBe('1/400');
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers['link']))![1]!;
    await first.body.dump();
    const mixed = await request(`${next}&status=any`, { headers });
    expect(mixed.statusCode).toBe(400);
    expect(await mixed.body.json()).toEqual({ errors: { page_info: ['cannot be combined with other parameters: status'] } });
  });
});
