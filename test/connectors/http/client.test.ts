import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, TerminalError, TransientError } from '../../../core/errors.ts';
import { createLogger } from '../../../core/log.ts';
import { registerSecret } from '../../../core/redact.ts';
import { createHttpClient } from '../../../connectors/http/client.ts';
import { Agent, fakeTime, json, startServer, testClient, type TestServer } from './helpers.ts';

let server: TestServer;
let other: TestServer;
let agent: Agent;

beforeAll(async () => {
  server = await startServer();
  other = await startServer();
  agent = new Agent();
});

afterAll(async () => {
  await agent.close();
  await server.close();
  await other.close();
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('requests', () => {
  it('joins the path to the base URL, encodes the query and keeps the body as bytes', async () => {
    server.route('/api/v1/items', (_req, res) => json(res, { data: [{ id: 1 }] }));
    const client = testClient(server, agent, fakeTime(), { baseUrl: `${server.origin}/api/v1/` });
    const response = await client.send({ path: '/items', query: { q: 'a b&c', n: 3, flag: true, skip: undefined } });
    expect(server.hits('/api/v1/items').at(-1)!.url).toBe('/api/v1/items?q=a+b%26c&n=3&flag=true');
    expect(Buffer.isBuffer(response.body)).toBe(true);
    expect(response.body.toString()).toBe('{"data":[{"id":1}]}');
    expect(response.status).toBe(200);
    expect(client.requestCount).toBe(1);
  });

  it('sends a JSON body with POST', async () => {
    server.route('/api/echo', (req, res) => json(res, { method: req.method, type: req.headers['content-type'], body: JSON.parse(req.body) as unknown }));
    const client = testClient(server, agent, fakeTime());
    const response = await client.send({ method: 'POST', path: 'echo', json: { limit: 2 } });
    expect(JSON.parse(response.body.toString())).toEqual({ method: 'POST', type: 'application/json', body: { limit: 2 } });
  });

  it('refuses an absolute URL on another origin, sending nothing there', async () => {
    other.route('/steal', (_req, res) => json(res, {}));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'bearer', token: 'bearer-secret-1' } });
    const error = await rejection(client.send({ path: `${other.origin}/steal?x=1` }));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toContain('refusing to send a request');
    expect(other.requests).toHaveLength(0);
    expect(client.requestCount).toBe(0);
  });

  it('follows an absolute URL on the same origin', async () => {
    server.route('/elsewhere', (_req, res) => json(res, { ok: true }));
    const client = testClient(server, agent, fakeTime());
    const response = await client.send({ path: `${server.origin}/elsewhere` });
    expect(response.status).toBe(200);
  });
});

describe('auth', () => {
  it('sends a bearer token', async () => {
    server.route('/api/bearer', (req, res) => json(res, { auth: req.headers.authorization }));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'bearer', token: 'tok-bearer-1' } });
    expect(JSON.parse((await client.send({ path: '/bearer' })).body.toString())).toEqual({ auth: 'Bearer tok-bearer-1' });
  });

  it('sends an API key in a header', async () => {
    server.route('/api/key-header', (req, res) => json(res, { key: req.headers['x-api-key'] }));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'key-header-1' } });
    expect(JSON.parse((await client.send({ path: '/key-header' })).body.toString())).toEqual({ key: 'key-header-1' });
  });

  it('sends an API key in the query, and leaves it out of the reported URL', async () => {
    server.route('/api/key-query', (req, res) => json(res, { key: req.query.get('api_key') }));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'apiKey', in: 'query', name: 'api_key', value: 'key-query-1' } });
    const response = await client.send({ path: '/key-query', query: { a: 1 } });
    expect(JSON.parse(response.body.toString())).toEqual({ key: 'key-query-1' });
    expect(response.url).toBe(`${server.origin}/api/key-query?a=1`);
  });

  it('sends basic credentials', async () => {
    server.route('/api/basic', (req, res) => json(res, { auth: req.headers.authorization }));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'basic', username: 'user', password: 'pass-basic-1' } });
    const body = JSON.parse((await client.send({ path: '/basic' })).body.toString()) as { auth: string };
    expect(body.auth).toBe(`Basic ${Buffer.from('user:pass-basic-1').toString('base64')}`);
  });

  describe('OAuth2 client credentials', () => {
    // The token endpoint issues tok-1, tok-2, …; the API accepts only tokens in `valid`.
    const valid = new Set<string>();
    let issued = 0;
    beforeAll(() => {
      server.route('/oauth/token', (req, res) => {
        const form = new URLSearchParams(req.body);
        if (form.get('grant_type') !== 'client_credentials') return json(res, { error: 'unsupported_grant_type' }, 400);
        const basic = req.headers.authorization === `Basic ${Buffer.from('cid:csecret-1').toString('base64')}`;
        if (!basic && (form.get('client_id') !== 'cid' || form.get('client_secret') !== 'csecret-1')) return json(res, { error: 'invalid_client' }, 401);
        const token = `tok-${++issued}`;
        valid.add(token);
        // Answer asynchronously so concurrent callers really overlap with the fetch.
        setImmediate(() => json(res, { access_token: token, token_type: 'bearer', expires_in: 100 }));
      });
      server.route('/api/oauth', (req, res) => {
        const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        if (!valid.has(token)) return json(res, { error: 'invalid_token' }, 401);
        json(res, { token });
      });
    });

    const oauth = (clientSecret = 'csecret-1') => ({
      kind: 'oauth2ClientCredentials' as const,
      tokenUrl: `${server.origin}/oauth/token`,
      clientId: 'cid',
      clientSecret,
      credentialsEnv: 'TEST_CLIENT_SECRET',
    });
    const tokenOf = async (promise: Promise<{ body: Buffer }>) => (JSON.parse((await promise).body.toString()) as { token: string }).token;

    it('fetches one token for concurrent callers and reuses it', async () => {
      const time = fakeTime();
      const client = testClient(server, agent, time, { auth: oauth() });
      const before = server.hits('/oauth/token').length;
      const tokens = await Promise.all(Array.from({ length: 5 }, () => tokenOf(client.send({ path: '/oauth' }))));
      expect(new Set(tokens).size).toBe(1);
      expect(server.hits('/oauth/token').length - before).toBe(1);
      expect(client.requestCount).toBe(6);
    });

    it('refreshes the token shortly before it expires', async () => {
      const time = fakeTime();
      const client = testClient(server, agent, time, { auth: oauth() });
      const first = await tokenOf(client.send({ path: '/oauth' }));
      time.advance(80_000);
      expect(await tokenOf(client.send({ path: '/oauth' }))).toBe(first);
      // expires_in 100 s: refreshed 10 s early.
      time.advance(11_000);
      const second = await tokenOf(client.send({ path: '/oauth' }));
      expect(second).not.toBe(first);
    });

    it('refreshes the token once on a 401', async () => {
      const client = testClient(server, agent, fakeTime(), { auth: oauth() });
      const first = await tokenOf(client.send({ path: '/oauth' }));
      valid.delete(first);
      const second = await tokenOf(client.send({ path: '/oauth' }));
      expect(second).not.toBe(first);
      // token, api, api (401), token, api
      expect(client.requestCount).toBe(5);
    });

    it('sends the client credentials as a Basic header when asked', async () => {
      const client = testClient(server, agent, fakeTime(), { auth: { ...oauth(), clientAuth: 'basic' } });
      await tokenOf(client.send({ path: '/oauth' }));
      expect(server.hits('/oauth/token').at(-1)!.body).not.toContain('client_secret');
    });

    it('fails terminally, naming the env var, when the client is refused', async () => {
      const client = testClient(server, agent, fakeTime(), { auth: oauth('wrong-secret') });
      const error = await rejection(client.send({ path: '/oauth' }));
      expect(error).toBeInstanceOf(TerminalError);
      expect((error as TerminalError).hint).toContain('check the credentials in env var TEST_CLIENT_SECRET');
      expect(describeError(error)).not.toContain('wrong-secret');
    });
  });
});

describe('errors and retries', () => {
  it('honours Retry-After in seconds on a 429', async () => {
    let calls = 0;
    server.route('/api/limited', (_req, res) => (++calls === 1 ? json(res, { error: 'slow down' }, 429, { 'retry-after': '2' }) : json(res, { ok: true })));
    const time = fakeTime();
    const client = testClient(server, agent, time);
    expect((await client.send({ path: '/limited' })).status).toBe(200);
    expect(time.delays).toEqual([2000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const time = fakeTime();
    let calls = 0;
    server.route('/api/limited-date', (_req, res) =>
      ++calls === 1 ? json(res, {}, 503, { 'retry-after': new Date(time.now() + 5000).toUTCString() }) : json(res, { ok: true }));
    const client = testClient(server, agent, time);
    await client.send({ path: '/limited-date' });
    expect(time.delays).toEqual([5000]);
  });

  it('does not sleep through a Retry-After longer than the longest backoff', async () => {
    server.route('/api/limited-long', (_req, res) => json(res, {}, 429, { 'retry-after': '3600' }));
    const time = fakeTime();
    const client = testClient(server, agent, time);
    const error = await rejection(client.send({ path: '/limited-long' }));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterSeconds).toBe(3600);
    expect(time.delays).toEqual([]);
  });

  it('retries a burst of 500s with jittered exponential backoff, logging each retry', async () => {
    let calls = 0;
    server.route('/api/flaky', (_req, res) => (++calls <= 3 ? json(res, { error: 'boom' }, 500) : json(res, { ok: true })));
    const time = fakeTime();
    const lines: string[] = [];
    const client = testClient(server, agent, time, { log: createLogger({ write: (line) => lines.push(line) }) });
    expect((await client.send({ path: '/flaky' })).status).toBe(200);
    // random 0.5 × 100 ms · 2^n
    expect(time.delays).toEqual([50, 100, 200]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^WARN retrying request .*attempt=1 .*delayMs=50 .*reason=.*HTTP 500/);
  });

  it('gives up with a TransientError after maxRetries', async () => {
    server.route('/api/down', (_req, res) => json(res, { error: 'down' }, 503));
    const time = fakeTime();
    const client = testClient(server, agent, time);
    const error = await rejection(client.send({ path: '/down' }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('HTTP 503');
    expect(server.hits('/api/down')).toHaveLength(4);
    expect(client.requestCount).toBe(4);
    expect((error as TransientError).context).toEqual({ source: 'test', url: `${server.origin}/api/down` });
  });

  it('times out a server that never answers', async () => {
    server.route('/api/hang', () => {});
    const client = testClient(server, agent, fakeTime(), { timeoutMs: 200, retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } });
    const error = await rejection(client.send({ path: '/hang' }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/timed out after 200 ms/);
    expect(server.hits('/api/hang')).toHaveLength(2);
  });

  it('retries after the connection is reset', async () => {
    let calls = 0;
    server.route('/api/reset', (_req, res, raw) => (++calls === 1 ? raw.socket.destroy() : json(res, { ok: true })));
    const time = fakeTime();
    const client = testClient(server, agent, time);
    expect((await client.send({ path: '/reset' })).status).toBe(200);
    expect(time.delays).toHaveLength(1);
  });

  it('treats a refused connection as transient', async () => {
    const closed = await startServer();
    await closed.close();
    const client = createHttpClient({ source: 'test', baseUrl: closed.origin, dispatcher: agent, sleep: fakeTime().sleep, random: () => 0.5, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await rejection(client.send({ path: '/x' }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('fails a 404 terminally, naming the URL, the status and the start of the body', async () => {
    server.route('/api/missing', (_req, res) => res.writeHead(404).end('x'.repeat(500)));
    const client = testClient(server, agent, fakeTime());
    const error = await rejection(client.send({ path: '/missing' }));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toBe(`HTTP 404 from ${server.origin}/api/missing: ${'x'.repeat(200)}…`);
    expect(server.hits('/api/missing')).toHaveLength(1);
  });

  it('explains 401 and 403', async () => {
    server.route('/api/denied', (req, res) => json(res, { error: 'no' }, req.query.get('s') === '401' ? 401 : 403));
    const client = testClient(server, agent, fakeTime(), { auth: { kind: 'bearer', token: 'tok-denied-1', credentialsEnv: 'TEST_TOKEN' } });
    const unauthorized = (await rejection(client.send({ path: '/denied', query: { s: 401 } }))) as TerminalError;
    expect(unauthorized).toBeInstanceOf(TerminalError);
    expect(unauthorized.hint).toBe('check the credentials in env var TEST_TOKEN');
    const forbidden = (await rejection(client.send({ path: '/denied', query: { s: 403 } }))) as TerminalError;
    expect(forbidden.hint).toContain("check the token's permissions");
    expect(client.requestCount).toBe(2);
  });

  it('lets a platform classify its own error bodies first', async () => {
    let calls = 0;
    // Graph reports rate limits as 400 with error code 17.
    server.route('/api/graph', (_req, res) => (++calls === 1 ? json(res, { error: { code: 17 } }, 400) : json(res, { ok: true })));
    const client = testClient(server, agent, fakeTime(), {
      classifyError: (response, context) =>
        (JSON.parse(response.body.toString()) as { error?: { code?: number } }).error?.code === 17
          ? new TransientError('Graph rate limit (code 17)', { context, retryAfterSeconds: 1 })
          : undefined,
    });
    expect((await client.send({ path: '/graph' })).status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('secrets', () => {
  const key = 'sk_live_QUERYSECRET_123456';
  const echo = (status: number) => (req: { url: string; headers: object }, res: import('node:http').ServerResponse) =>
    res.writeHead(status).end(`you sent ${req.url} with ${JSON.stringify(req.headers)}`);

  it('never puts an API key from the query into messages, contexts or logs', async () => {
    registerSecret(key);
    server.route('/api/leaky-404', echo(404));
    server.route('/api/leaky-500', echo(500));
    const lines: string[] = [];
    const client = testClient(server, agent, fakeTime(), {
      auth: { kind: 'apiKey', in: 'query', name: 'key', value: key },
      log: createLogger({ write: (line) => lines.push(line) }),
    });
    for (const path of ['/leaky-404', '/leaky-500']) {
      const error = (await rejection(client.send({ path, query: { page: 2 } }))) as TerminalError;
      expect(server.hits(`/api${path}`).at(-1)!.url).toContain(key);
      expect(error.message).toContain('you sent');
      expect(error.message).not.toContain(key);
      expect(describeError(error)).not.toContain(key);
      expect(JSON.stringify(error.context)).not.toContain(key);
      expect(error.context.url).toBe(`${server.origin}/api${path}?page=2`);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(key);
  });

  it('masks credentials a server put in a next URL', async () => {
    const client = testClient(server, agent, fakeTime());
    const error = await rejection(client.send({ path: `${other.origin}/x?access_token=EAAGraphToken123` }));
    expect(describeError(error)).not.toContain('EAAGraphToken123');
    expect(describeError(error)).toContain('access_token=[redacted]');
  });
});
