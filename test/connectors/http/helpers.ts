/**
 * Test helpers for the HTTP toolkit: a real node:http server on 127.0.0.1 with per-path
 * handlers, and a fake clock whose `sleep` records delays and returns at once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { createHttpClient } from '../../../connectors/http/client.ts';
import type { HttpClient, HttpClientOptions } from '../../../connectors/http/types.ts';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Handles one request; `raw` gives access to the socket for resets. */
export type Handler = (req: SeenRequest, res: http.ServerResponse, raw: http.IncomingMessage) => void;

/** A running test server. */
export interface TestServer {
  origin: string;
  /** Every request received, in order. */
  requests: SeenRequest[];
  /** Registers the handler for an exact path. */
  route(path: string, handler: Handler): void;
  /** Requests received for one path. */
  hits(path: string): SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server on an ephemeral port of 127.0.0.1. */
export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: SeenRequest[] = [];
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const parsed = new URL(raw.url ?? '/', 'http://127.0.0.1');
      const seen: SeenRequest = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const handler = routes.get(parsed.pathname);
      if (handler) handler(seen, res, raw);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${parsed.pathname}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler) => routes.set(path, handler),
    hits: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` as JSON with `status` and extra headers. */
export function json(res: http.ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A fake clock: `sleep` records the delay, moves the clock and resolves at once. */
export interface FakeTime {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  advance: (ms: number) => void;
  delays: number[];
}

/** Creates a fake clock; concurrent sleepers wake at their own target time, not at the sum. */
export function fakeTime(start = 1_700_000_000_000): FakeTime {
  let t = start;
  const delays: number[] = [];
  return {
    now: () => t,
    delays,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms) => {
      delays.push(ms);
      const target = t + ms;
      await Promise.resolve();
      t = Math.max(t, target);
    },
  };
}

/** Creates a client against `server` with fake time, random 0.5 and a small retry policy. */
export function testClient(server: TestServer, dispatcher: Agent, time: FakeTime, overrides: Partial<HttpClientOptions> = {}): HttpClient {
  return createHttpClient({
    source: 'test',
    baseUrl: `${server.origin}/api`,
    dispatcher,
    sleep: time.sleep,
    now: time.now,
    random: () => 0.5,
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000 },
    ...overrides,
  });
}

export { Agent };
