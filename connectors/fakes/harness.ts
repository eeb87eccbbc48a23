/**
 * The fake-server harness every connector's fake runs on: a real HTTP server on 127.0.0.1 (an
 * ephemeral port) that routes requests to handlers, injects counted faults, and logs every
 * request. A fake is just a list of routes; the harness owns sockets, bodies, faults and the log.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type AppliedFault, FaultController, type FaultRule, applyRecordFault, isRecordFault, mutateRecordsAt, recordsAt } from './faults.ts';
import { compilePathPattern, type PathPattern } from './paths.ts';

/** HTTP methods a route may answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as a handler sees it. */
export interface FakeRequest {
  method: string;
  /** Path without the query (`/v21.0/123/posts`). */
  path: string;
  /** Parameters from the route pattern (`{ pageId: '123' }`). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: Buffer;
  /** Base URL of the server (`http://127.0.0.1:54321`), for next-page links. */
  baseUrl: string;
  /** 1-based number of this request since the server started. */
  seq: number;
}

/** What a handler answers: a body object is sent as JSON; a string or Buffer as is. */
export interface FakeResponse {
  status?: number;
  /** Response headers; undefined values are left out. */
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Where the record array sits in `body`, overriding the route's (`[]` = the body is the array). */
  recordsPath?: readonly string[];
}

/** Handles one request. */
export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** One route of a fake. */
export interface FakeRoute {
  /** Method to answer (default GET; `*` for any). */
  method?: HttpMethod | '*';
  /** Path pattern: `/v21.0/:pageId/posts`, `/admin/api/2024-10/orders/:id.json`, or ending in `*`. */
  path: string;
  /** Where the record array sits in responses (`['data']`); record faults need it. */
  recordsPath?: readonly string[];
  handler: FakeHandler;
}

/** One line of the request log. */
export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  /** Query string without `?`. */
  query: string;
  /** Pattern of the route that answered, or null (404). */
  route: string | null;
  /** Status sent, or null when the connection was reset. */
  status: number | null;
  /** Labels of the faults applied. */
  faults: string[];
  /** Records in the body sent, when the route declares where they are. */
  records: number | null;
  durationMs: number;
}

/** Options of `startFakeServer`. */
export interface FakeServerOptions {
  routes: readonly FakeRoute[];
  /** Fault rules in force from the start (more can be added through `faults`). */
  faults?: readonly FaultRule[];
  /** Receives every log entry as it is written (a logger, a test spy). */
  log?: (entry: RequestLogEntry) => void;
  /** Clock for `Retry-After` HTTP dates (default `Date.now`). */
  now?: () => number;
  /** Host to listen on (default 127.0.0.1). */
  host?: string;
}

/** A running fake server. */
export interface FakeServer {
  /** Base URL without a trailing slash (`http://127.0.0.1:54321`). */
  url: string;
  port: number;
  faults: FaultController;
  /** Every request so far, in arrival order. */
  requests: RequestLogEntry[];
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

interface CompiledRoute {
  route: FakeRoute;
  pattern: PathPattern;
}

interface Prepared {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Records of the body (for duplicates on the next page), when known. */
  records: unknown[] | undefined;
}

const HTML_ERROR_PAGE = (status: number) =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function serialize(body: unknown, headers: Record<string, string | string[]>): Buffer {
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) {
    if (!hasType) headers['content-type'] = 'application/octet-stream';
    return body;
  }
  if (typeof body === 'string') {
    if (!hasType) headers['content-type'] = 'text/plain; charset=utf-8';
    return Buffer.from(body, 'utf8');
  }
  if (!hasType) headers['content-type'] = 'application/json; charset=utf-8';
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** Starts a fake server on an ephemeral port of 127.0.0.1. */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const routes: CompiledRoute[] = options.routes.map((route) => ({ route, pattern: compilePathPattern(route.path) }));
  const faults = new FaultController(options.faults ?? []);
  const requests: RequestLogEntry[] = [];
  const now = options.now ?? Date.now;
  const previousByRoute = new Map<string, Prepared>();
  const sockets = new Set<Socket>();
  let seq = 0;
  let baseUrl = '';

  const findRoute = (method: string, path: string): { compiled: CompiledRoute; params: Record<string, string> } | undefined => {
    for (const compiled of routes) {
      const wanted = compiled.route.method ?? 'GET';
      if (wanted !== '*' && wanted !== method) continue;
      const params = compiled.pattern.match(path);
      if (params) return { compiled, params };
    }
    return undefined;
  };

  const replacementFor = (applied: AppliedFault[]): Prepared | undefined => {
    for (const { fault } of applied) {
      const headers: Record<string, string | string[]> = {};
      switch (fault.kind) {
        case 'rateLimit': {
          Object.assign(headers, fault.headers ?? {});
          if (fault.retryAfterSeconds !== null && fault.retryAfterSeconds !== undefined) {
            headers['retry-after'] = fault.retryAfterFormat === 'http-date' ? new Date(now() + fault.retryAfterSeconds * 1000).toUTCString() : String(fault.retryAfterSeconds);
          }
          const body = serialize(fault.body ?? { error: { code: 429, message: 'Too Many Requests' } }, headers);
          return { status: 429, headers, body, records: undefined };
        }
        case 'serverError':
        case 'status': {
          Object.assign(headers, fault.headers ?? {});
          const status = fault.status ?? 503;
          const body = serialize(fault.body ?? { error: { code: status, message: status >= 500 ? 'Service Unavailable' : 'Error' } }, headers);
          return { status, headers, body, records: undefined };
        }
        case 'html': {
          const status = fault.status ?? 502;
          headers['content-type'] = 'text/html';
          return { status, headers, body: Buffer.from(HTML_ERROR_PAGE(status), 'utf8'), records: undefined };
        }
        default:
          break;
      }
    }
    return undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const number = ++seq;
    const url = new URL(request.url ?? '/', baseUrl);
    const method = (request.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const rawBody = await readBody(request);
    const applied = faults.select(method, path);
    const found = findRoute(method, path);
    const routeKey = found ? `${found.compiled.route.method ?? 'GET'} ${found.compiled.route.path}` : null;
    const entry: RequestLogEntry = { seq: number, method, path, query: url.search.slice(1), route: found?.compiled.route.path ?? null, status: null, faults: applied.map((a) => a.label), records: null, durationMs: 0 };
    const finish = (status: number | null, records: number | null) => {
      entry.status = status;
      entry.records = records;
      entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
      requests.push(entry);
      options.log?.(entry);
    };

    const delayMs = applied.reduce((sum, a) => sum + (a.fault.kind === 'delay' ? a.fault.ms : 0), 0);
    if (delayMs > 0) await sleep(delayMs);
    if (applied.some((a) => a.fault.kind === 'reset')) {
      finish(null, null);
      request.socket.destroy();
      return;
    }

    let prepared = replacementFor(applied);
    if (!prepared) {
      const loop = applied.some((a) => a.fault.kind === 'pagingLoop') && routeKey ? previousByRoute.get(routeKey) : undefined;
      if (loop) {
        prepared = loop;
      } else if (!found) {
        const headers: Record<string, string | string[]> = {};
        prepared = { status: 404, headers, body: serialize({ error: { code: 404, message: `no fake route for ${method} ${path}` } }, headers), records: undefined };
      } else {
        prepared = await runHandler(found.compiled.route, found.params, { method, path, query: url.searchParams, headers: request.headers, rawBody, seq: number, applied, previous: routeKey ? previousByRoute.get(routeKey) : undefined });
        if (routeKey && prepared.status < 400) previousByRoute.set(routeKey, prepared);
      }
    }

    const truncation = applied.find((a) => a.fault.kind === 'truncate')?.fault;
    const headers = { ...prepared.headers };
    let body = prepared.body;
    if (truncation?.kind === 'truncate') {
      const cut = body.subarray(0, Math.floor(body.length * truncation.fraction));
      if (truncation.abort) {
        headers['content-length'] = String(body.length);
        response.writeHead(prepared.status, headers);
        response.write(cut, () => {
          finish(prepared.status, prepared.records?.length ?? null);
          response.socket?.destroy();
        });
        return;
      }
      body = cut;
    }
    headers['content-length'] = String(body.length);
    response.writeHead(prepared.status, headers);
    response.end(body);
    finish(prepared.status, prepared.records?.length ?? null);
  };

  const runHandler = async (
    route: FakeRoute,
    params: Record<string, string>,
    context: { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; rawBody: Buffer; seq: number; applied: AppliedFault[]; previous: Prepared | undefined },
  ): Promise<Prepared> => {
    let parsed: unknown;
    const contentType = String(context.headers['content-type'] ?? '');
    if (context.rawBody.length > 0 && (contentType.includes('json') || contentType === '')) {
      try {
        parsed = JSON.parse(context.rawBody.toString('utf8'));
      } catch {
        if (contentType.includes('json')) {
          const headers: Record<string, string | string[]> = {};
          return { status: 400, headers, body: serialize({ error: { code: 400, message: 'request body is not valid JSON' } }, headers), records: undefined };
        }
      }
    }
    let answer: FakeResponse;
    try {
      answer = await route.handler({ method: context.method, path: context.path, params, query: context.query, headers: context.headers, body: parsed, rawBody: context.rawBody, baseUrl, seq: context.seq });
    } catch (error) {
      const headers: Record<string, string | string[]> = {};
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, headers, body: serialize({ error: { code: 500, message: `fake handler failed: ${message}` } }, headers), records: undefined };
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers ?? {})) if (value !== undefined) headers[name] = value;
    const status = answer.status ?? 200;
    const recordsPath = answer.recordsPath ?? route.recordsPath;
    let body = answer.body;
    let records = recordsPath ? recordsAt(body, recordsPath) : undefined;
    const recordFaults = context.applied.filter((a) => isRecordFault(a.fault));
    if (recordsPath && records && recordFaults.length > 0) {
      const previousRecords = context.previous?.records;
      body = mutateRecordsAt(body, recordsPath, (current) => recordFaults.reduce((acc, a) => applyRecordFault(a.fault, acc, previousRecords), current));
      records = recordsAt(body, recordsPath);
    }
    return { status, headers, body: serialize(body, headers), records };
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 500, message: String(error) } }));
      } else {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  return {
    url: baseUrl,
    port,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
