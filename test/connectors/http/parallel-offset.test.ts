import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../connectors/http/client.ts';
import { paginate } from '../../../connectors/http/paginate.ts';

describe('offset paging with a known total', () => {
  it.each([false, true])('fetches the remaining pages side by side and yields them in order (reused bodies: %s)', async (reuseBodies) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const total = 95;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        const data = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ n: offset + i }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data, total }));
      }, 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = createHttpClient({ source: 'par', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, concurrency: 4 });
      const seen: number[] = [];
      for await (const page of paginate(client, { path: '/rows' }, { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 10, totalPath: ['total'] }, ['data'], {}, { prefetch: 4, reuseBodies })) {
        // A slow consumer (the extractor waits for the warehouse): later pages arrive meanwhile, and must not overwrite this one.
        await new Promise((resolve) => setTimeout(resolve, 10));
        for (const line of Buffer.from(page.ndjson).toString().trim().split('\n')) seen.push((JSON.parse(line) as { n: number }).n);
      }
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(client.requestCount).toBe(10);
      expect(maxInFlight).toBeGreaterThan(1);
      expect(maxInFlight).toBeLessThanOrEqual(4);
    } finally {
      server.close();
    }
  });
});
