import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { generateWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import { startFakeServer, type FakeServer } from '../../connectors/fakes/index.ts';
import { buildSource } from '../../connectors/registry.ts';
import { stripeConnector, toEpochSeconds } from '../../connectors/stripe/index.ts';
import { runExtract } from '../../jobs/steps.ts';

const noSleep = async () => {};
let fake: FakeServer | undefined;
let wh: Warehouse | undefined;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

beforeAll(() => {
  process.env['PULSE_SAMPLE_TOKEN'] ||= 'sample-token';
});

afterEach(async () => {
  wh?.close();
  wh = undefined;
  await fake?.close();
  fake = undefined;
});

// Scale 0.1 gives a few hundred charges, so lists take several pages of 100.
async function setup(world: World = generateWorld({ seed: 5, scale: 0.1 })) {
  fake = await startFakeServer({ routes: stripeConnector.sample!.fake!(world) });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-stripe-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  const source = buildSource('billing', stripeConnector.sample!.config({ baseUrl: fake.url }, world), dir);
  return { world, fake, wh, source };
}

const count = async (wh: Warehouse, table: string) => (await wh.all<{ n: number }>(`select count(*)::int n from ${table}`))[0]!.n;
const cursorOf = async (wh: Warehouse, stream: string) => (await wh.all<{ cursor: string }>(`select cursor from meta.stream_state where source = 'billing' and stream = $1`, [stream]))[0]?.cursor;

describe('stripe connector', () => {
  it('loads customers, charges, subscriptions and subscription events of the world, paging with starting_after', async () => {
    const { world, fake, wh, source } = await setup();
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(result.status).toBe('succeeded');
    // Every field the API sends is declared: a first run reports no drift.
    expect(await wh.all(`select stream, field from meta.schema_drift`)).toEqual([]);
    expect(await wh.all(`select stream, reason from meta.quarantine`)).toEqual([]);
    const { charges, subscriptions, subscriptionEvents } = world.billing;
    expect(await count(wh, 'raw.billing__charges')).toBe(charges.length);
    expect(await count(wh, 'raw.billing__subscriptions')).toBe(subscriptions.length);
    expect(await count(wh, 'raw.billing__subscription_events')).toBe(subscriptionEvents.length);
    expect(await count(wh, 'raw.billing__customers')).toBe(new Set(subscriptions.map((s) => s.stripeCustomerId)).size);
    const refunded = charges.find((c) => c.refunds.length > 0)!;
    const [row] = await wh.all<{ amount: number; amount_refunded: number; refunded: boolean; refunds: number }>(
      `select amount::int amount, amount_refunded::int amount_refunded, refunded, json_array_length(refunds->'data')::int refunds from raw.billing__charges where id = $1`,
      [refunded.id],
    );
    expect(row).toEqual({ amount: refunded.amountCents, amount_refunded: refunded.amountRefundedCents, refunded: true, refunds: 1 });
    const deleted = await wh.all<{ n: number }>(`select count(*)::int n from raw.billing__subscription_events where type = 'customer.subscription.deleted'`);
    expect(deleted[0]!.n).toBe(subscriptionEvents.filter((e) => e.type === 'canceled').length);
    const pages = fake.requests.filter((r) => r.path === '/v1/charges');
    expect(pages.length).toBe(Math.ceil(charges.length / 100));
    expect(new URLSearchParams(pages[1]!.query).get('starting_after')).toMatch(/^ch_/);
    expect(await cursorOf(wh, 'charges')).toBe(String(Math.max(...charges.map((c) => epoch(c.createdAt)))));
  });

  it('reruns from the saved epoch cursor minus the lookback, adds new charges, no duplicates', async () => {
    const { world, fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const cursor = Number(await cursorOf(wh, 'charges'));
    world.billing.charges.push({ ...world.billing.charges.at(-1)!, id: 'ch_3NEWCHARGE0000000000000', createdAt: '2026-11-05T12:00:00Z', refunds: [], amountRefundedCents: 0 });
    fake.requests.length = 0;
    const second = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    expect(second.status).toBe('succeeded');
    const since = cursor - 7 * 86_400;
    const first = new URLSearchParams(fake.requests.find((r) => r.path === '/v1/charges')!.query);
    expect(first.get('created[gte]')).toBe(String(since));
    expect(second.streams.find((s) => s.stream === 'charges')?.rowsLoaded).toBe(world.billing.charges.filter((c) => epoch(c.createdAt) >= since).length);
    const [dups] = await wh.all<{ n: number; ids: number }>(`select count(*)::int n, count(distinct id)::int ids from raw.billing__charges`);
    expect(dups).toEqual({ n: world.billing.charges.length, ids: world.billing.charges.length });
    expect(await cursorOf(wh, 'charges')).toBe(String(epoch('2026-11-05T12:00:00Z')));
  });

  it('converts ISO and numeric cursors to epoch seconds', () => {
    expect(toEpochSeconds('2025-11-01T00:00:00.000Z')).toBe(1_761_955_200);
    expect(toEpochSeconds('1761955200')).toBe(1_761_955_200);
    expect(toEpochSeconds('1761955200.5')).toBe(1_761_955_200);
  });

  it('retries a rate_limit_error 429 after Retry-After and succeeds', async () => {
    const { world, fake, wh, source } = await setup();
    fake.faults.rateLimit({ path: '/v1/charges', retryAfterSeconds: 1, body: { error: { type: 'rate_limit_error', code: 'rate_limit', message: 'Request rate limit exceeded.' } } });
    const slept: number[] = [];
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: async (ms) => void slept.push(ms) });
    expect(result.status).toBe('succeeded');
    expect(slept).toContain(1000);
    expect(fake.requests.filter((r) => r.path === '/v1/charges').map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
    expect(await count(wh, 'raw.billing__charges')).toBe(world.billing.charges.length);
  });

  it('fails on an authentication error without retrying or moving the cursor', async () => {
    const { fake, wh, source } = await setup();
    await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const before = await cursorOf(wh, 'charges');
    fake.faults.add({ path: '/v1/charges', times: Infinity, fault: { kind: 'status', status: 401, body: { error: { type: 'authentication_error', message: 'Invalid API Key provided: sk_test_****oken' } } } });
    fake.requests.length = 0;
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const charges = result.streams.find((s) => s.stream === 'charges')!;
    expect(charges).toMatchObject({ status: 'failed', transient: false });
    expect(charges.error).toMatch(/authentication_error — Invalid API Key provided/);
    expect(charges.error).toMatch(/env var PULSE_SAMPLE_TOKEN/);
    expect(fake.requests.filter((r) => r.path === '/v1/charges')).toHaveLength(1);
    expect(await cursorOf(wh, 'charges')).toBe(before);
  });

  it('quarantines a charge with a malformed amount and reports a renamed (nullable) field as drift', async () => {
    const { world, fake, wh, source } = await setup();
    fake.faults.malformedRecord('amount', { path: '/v1/charges', index: 5, value: 'ten dollars' });
    fake.faults.mutateRecords(
      (records) => records.map((r) => {
        const { description, ...rest } = r as Record<string, unknown>;
        return { ...rest, statement_description: description };
      }),
      { path: '/v1/charges', times: Infinity },
    );
    const result = await runExtract(wh, [source], { log: silentLogger, sleep: noSleep });
    const charges = result.streams.find((s) => s.stream === 'charges')!;
    expect(charges).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsLoaded: world.billing.charges.length - 1, driftFields: ['statement_description'] });
    const [q] = await wh.all<{ reason: string }>(`select reason from meta.quarantine where stream = 'charges'`);
    expect(q!.reason).toBe('amount: expected BIGINT, got ten dollars');
    const drift = await wh.all(`select field, change from meta.schema_drift where stream = 'charges' order by field`);
    // The bad amount is noted as a possible retype too; the rename as one field added and one removed.
    expect(drift).toEqual([{ field: 'amount', change: 'retyped' }, { field: 'description', change: 'removed' }, { field: 'statement_description', change: 'added' }]);
  });

  it('answers like Stripe without a key, and lists newest first', async () => {
    const { world, fake } = await setup();
    const bare = await request(`${fake.url}/v1/charges`);
    expect(bare.statusCode).toBe(401);
    expect(((await bare.body.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const page = await request(`${fake.url}/v1/charges?limit=3`, { headers: { authorization: 'Bearer sk_test_x' } });
    const body = (await page.body.json()) as { object: string; has_more: boolean; data: { created: number; refunds?: unknown }[] };
    expect(body.object).toBe('list');
    expect(body.has_more).toBe(world.billing.charges.length > 3);
    expect(body.data[0]!.created).toBeGreaterThanOrEqual(body.data[2]!.created);
    expect(body.data[0]!.refunds).toBeUndefined();
  });
});
