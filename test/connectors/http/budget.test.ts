import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestBudget } from '../../../connectors/http/budget.ts';
import { Agent, fakeTime, json, startServer, testClient, type TestServer } from './helpers.ts';

let server: TestServer;
let agent: Agent;

beforeAll(async () => {
  server = await startServer();
  agent = new Agent();
});

afterAll(async () => {
  await agent.close();
  await server.close();
});

/** The largest number of `times` inside any window [t, t + perMs). */
function busiestWindow(times: number[], perMs: number): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + perMs).length));
}

describe('request budget', () => {
  it('lets at most N requests through in any sliding window', async () => {
    const time = fakeTime(0);
    const budget = createRequestBudget({ requests: 3, perMs: 1000 }, time);
    const granted: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => budget.acquire().then(() => granted.push(time.now()))));
    expect(granted).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('frees a slot as soon as its request leaves the window', async () => {
    const time = fakeTime(0);
    const budget = createRequestBudget({ requests: 2, perMs: 1000 }, time);
    await budget.acquire();
    time.advance(600);
    await budget.acquire();
    await budget.acquire();
    expect(time.now()).toBe(1000);
    expect(time.delays).toEqual([400]);
  });

  it('paces a client with the fake clock', async () => {
    const time = fakeTime(0);
    const arrivals: number[] = [];
    server.route('/api/paced', (_req, res) => {
      arrivals.push(time.now());
      json(res, { ok: true });
    });
    const client = testClient(server, agent, time, { budget: { requests: 2, perMs: 1000 } });
    for (let i = 0; i < 5; i++) await client.send({ path: '/paced' });
    expect(arrivals).toEqual([0, 0, 1000, 1000, 2000]);
    expect(busiestWindow(arrivals, 1000)).toBe(2);
  });

  it('counts retries against the budget', async () => {
    const time = fakeTime(0);
    let calls = 0;
    server.route('/api/paced-flaky', (_req, res) => (++calls === 1 ? json(res, {}, 503) : json(res, { ok: true })));
    const client = testClient(server, agent, time, { budget: { requests: 1, perMs: 1000 } });
    await client.send({ path: '/paced-flaky' });
    // backoff 50 ms, then the budget holds the retry until the first request leaves the window.
    expect(time.delays).toEqual([50, 950]);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server.route('/api/slow', (_req, res) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      // The server holds each answer briefly so overlapping requests would be seen.
      setTimeout(() => {
        inFlight--;
        json(res, { ok: true });
      }, 20);
    });
    const client = testClient(server, agent, fakeTime(), { concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => client.send({ path: '/slow' })));
    expect(maxInFlight).toBe(2);
    expect(client.requestCount).toBe(8);
  });
});
