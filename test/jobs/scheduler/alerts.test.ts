import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../../../core/config.ts';
import { TerminalError } from '../../../core/errors.ts';
import { createAlerter, resolveWebhooks, type AlertEvent } from '../../../jobs/alerts.ts';
import { createScheduler } from '../../../jobs/scheduler.ts';
import { FakeClock, job, ledger, memoryLogger, scriptedSteps, tempWarehouse } from './helpers.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      if (req.url?.startsWith('/broken')) res.writeHead(500).end('internal error');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const TOKEN = 'sk_alert_token_5f2e9a7c';
const SLACK_SECRET = 'T0001/B0002/xoxbSecretPart9876';

function failedEvent(error: string): AlertEvent {
  return { event: 'failed', job: 'nightly', runId: '20260601T000000Z-abcd1234', status: 'failed', error, at: new Date('2026-06-01T00:00:05Z') };
}

describe('alert webhooks (a real HTTP server on 127.0.0.1)', () => {
  it('posts a Slack body and a JSON body, sends header secrets from env, and redacts secrets in the body', async () => {
    const environment = { PULSE_TEST_ALERT_TOKEN: TOKEN, PULSE_TEST_SLACK_URL: `${base}/slack/${SLACK_SECRET}` };
    const config = job({
      alerts: {
        webhooks: [
          { url: env('PULSE_TEST_SLACK_URL'), format: 'slack' },
          { url: `${base}/json`, format: 'json', headers: { authorization: env('PULSE_TEST_ALERT_TOKEN'), 'x-team': 'data' } },
        ],
      },
    });
    const targets = resolveWebhooks('nightly', config, environment);
    const log = memoryLogger();
    const alerter = createAlerter({ log, sleep: async () => {} });
    received.length = 0;
    // An API that echoes the token back into an error message must not leak it to the channel.
    await alerter.send(failedEvent(`HTTP 401 from https://api.example.com/items: invalid token ${TOKEN}`), targets);

    const slack = received.find((r) => r.path.startsWith('/slack/'))!;
    expect(slack.body).toEqual({
      text: 'pulse job nightly failed (run 20260601T000000Z-abcd1234) at 2026-06-01T00:00:05Z: HTTP 401 from https://api.example.com/items: invalid token [redacted]',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':rotating_light: pulse job nightly failed (run 20260601T000000Z-abcd1234) at 2026-06-01T00:00:05Z: HTTP 401 from https://api.example.com/items: invalid token [redacted]' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'event: failed · job: nightly · run: 20260601T000000Z-abcd1234 · at: 2026-06-01T00:00:05.000Z' }] },
      ],
    });
    const json = received.find((r) => r.path === '/json')!;
    expect(json.body).toEqual({
      event: 'failed',
      job: 'nightly',
      runId: '20260601T000000Z-abcd1234',
      status: 'failed',
      error: 'HTTP 401 from https://api.example.com/items: invalid token [redacted]',
      at: '2026-06-01T00:00:05.000Z',
    });
    expect(json.headers['authorization']).toBe(TOKEN);
    expect(json.headers['x-team']).toBe('data');
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(received.map((r) => r.body))).not.toContain(TOKEN);
    // The log line about the alert names no secret either.
    expect(log.lines.join('\n')).not.toContain(TOKEN);
  });

  it('retries a target that answers 500 a bounded number of times, then logs and carries on', async () => {
    const log = memoryLogger();
    const waits: number[] = [];
    const alerter = createAlerter({ log, attempts: 3, backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
    received.length = 0;
    await expect(alerter.send(failedEvent('boom'), [{ url: `${base}/broken/${SLACK_SECRET}`, format: 'json', headers: {} }])).resolves.toBeUndefined();
    expect(received).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
    const lines = log.lines.join('\n');
    expect(lines).toMatch(/ERROR alert could not be delivered; the scheduler carries on .*attempts=3 error="HTTP 500: internal error"/);
  });

  it('a dead or failing alert target never stops the scheduler', async () => {
    const wh = tempWarehouse();
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const log = memoryLogger();
    const targets = [
      { url: `${base}/broken`, format: 'slack' as const, headers: {} },
      { url: 'http://127.0.0.1:9/nothing-listens-here', format: 'json' as const, headers: {} },
    ];
    const steps = scriptedSteps(async () => {
      throw new TerminalError('the API refused the request');
    });
    const scheduler = createScheduler({
      jobs: { flaky: job({ schedule: '* * * * *' }) },
      steps,
      openWarehouse: wh.open,
      clock,
      log,
      alerter: createAlerter({ log, attempts: 2, sleep: async () => {} }),
      webhooks: { flaky: targets },
    });
    received.length = 0;
    await scheduler.start();
    clock.fireNext('tick:flaky');
    await scheduler.whenIdle();
    clock.fireNext('tick:flaky');
    await scheduler.whenIdle();
    await scheduler.stop();
    expect((await ledger(wh.open, 'flaky')).map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(received.filter((r) => r.path === '/broken')).toHaveLength(4); // 2 runs × 2 attempts
    expect(log.lines.filter((l) => l.includes('alert could not be delivered'))).toHaveLength(4); // 2 targets × 2 runs
  });
});
