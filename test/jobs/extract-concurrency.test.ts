import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse } from '../../core/warehouse.ts';
import { defineSource, type SourceDef } from '../../connectors/source.ts';
import { runExtract } from '../../jobs/steps.ts';
import { startServer, type TestServer } from '../connectors/http/helpers.ts';

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

function source(name: string): SourceDef {
  return defineSource({
    name,
    http: { baseUrl: `${server.origin}/${name}`, concurrency: 1 },
    streams: [
      {
        name: 'items',
        primaryKey: ['id'],
        disposition: 'merge',
        schema: z.object({ id: z.number().int(), v: z.string() }),
        read: { kind: 'http', request: () => ({ path: 'items' }), paginator: { kind: 'none' }, recordPath: ['data'] },
      },
    ],
  });
}

describe('runExtract', () => {
  it('extracts two sources side by side, each in its own transactions, and reports them in the order given', async () => {
    // Source a's API answers only once source b's request has arrived (or after 5 s, saying so):
    // extracting one source after the other would never see b while a waits.
    let release: (() => void) | undefined;
    const bArrived = new Promise<void>((resolve) => (release = resolve));
    server.route('/a/items', (_req, res) => {
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('b never came'), 5000).unref());
      void Promise.race([bArrived.then(() => 'b came'), timeout]).then((v) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 1, v }] })));
    });
    server.route('/b/items', (_req, res) => {
      release?.();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 1, v: 'b' }, { id: 2, v: 'b' }] }));
    });
    const wh = await openWarehouse(join(mkdtempSync(join(tmpdir(), 'pulse-conc-')), 'w.duckdb'));
    try {
      const result = await runExtract(wh, [source('a'), source('b')], { log: silentLogger, dispatcher: agent });
      expect(result.status).toBe('succeeded');
      expect(result.streams.map((s) => [s.source, s.rowsLoaded])).toEqual([['a', 1], ['b', 2]]);
      expect(await wh.all('select v from raw.a__items')).toEqual([{ v: 'b came' }]);
      const runs = await wh.all<{ source: string; status: string }>('select source, status from meta.stream_runs order by source');
      expect(runs).toEqual([{ source: 'a', status: 'succeeded' }, { source: 'b', status: 'succeeded' }]);
    } finally {
      wh.close();
    }
  });
});
