/**
 * Serves the sample world for the benchmark stages from its own process, so neither the world's
 * memory (~2 GB of heap at scale 10) nor the fakes' CPU counts against the stage measured:
 * generates the world, starts every connector's fake on 127.0.0.1, writes the file sources' files
 * and the world's texts, writes `world.json` into the work folder, prints `ready` and serves until
 * its stdin closes.
 *
 * The fakes are the product's, with two benchmark-only changes, both so stages measure pulse and
 * not the fake: the emulated rate limits are lifted (Shopify's 2 calls/s bucket, Zendesk's 10
 * export calls/min, and the sources' own pacing for Shopify, Stripe and Zendesk), and every successful answer is kept as
 * bytes keyed by the request, so a repeated request costs the fake nothing (the first extract of a
 * scale is a warm-up that fills it).
 *
 * Usage: world-server.ts --scale N --work DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateWorld, summarizeWorld } from '../../core/sample-world/index.ts';
import type { World } from '../../core/sample-world/types.ts';
import { startFakeServer, type FakeHandler, type FakeRequest, type FakeResponse, type FakeRoute, type FakeServer } from '../../connectors/fakes/index.ts';
import { allConnectors } from '../../connectors/registry.ts';
import { shopifyFakeRoutes } from '../../connectors/shopify/fake.ts';
import { zendeskFakeRoutes } from '../../connectors/zendesk/fake.ts';
import { ARTIFACTS, ownMaxRssMiB, type WorldInfo } from './harness.ts';

const UNLIMITED = 1_000_000_000;

/** Keeps each successful JSON answer as bytes, keyed by method, path, query and body. */
export function memoize(handler: FakeHandler): FakeHandler {
  const answers = new Map<string, FakeResponse>();
  return async (request: FakeRequest) => {
    const key = `${request.method} ${request.path}?${request.query.toString()} ${request.rawBody.toString('utf8')}`;
    const kept = answers.get(key);
    if (kept) return kept;
    const answer = await handler(request);
    const status = answer.status ?? 200;
    const body = answer.body;
    if (status !== 200 || body === undefined || body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return answer;
    const headers = { ...answer.headers };
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
    const bytes: FakeResponse = { ...answer, headers, body: Buffer.from(JSON.stringify(body), 'utf8') };
    answers.set(key, bytes);
    return bytes;
  };
}

/** The fake routes of a connector, with the benchmark's changes. */
function benchRoutes(type: string, world: World, fake: (world: World) => FakeRoute[]): FakeRoute[] {
  const routes =
    type === 'shopify' ? shopifyFakeRoutes(world, { bucketSize: UNLIMITED, leakPerSecond: UNLIMITED })
    : type === 'zendesk' ? zendeskFakeRoutes(world, { exportRequestsPerMinute: UNLIMITED })
    : fake(world);
  return routes.map((route) => ({ ...route, handler: memoize(route.handler) }));
}

/** Source-config changes: the client-side pacing a real plan needs (Shopify 2 calls/s, Stripe 25/s, Zendesk 200/min), lifted. */
function benchConfig(type: string, config: Record<string, unknown> & { type: string }): Record<string, unknown> & { type: string } {
  if (type === 'zendesk') return { ...config, requestsPerMinute: UNLIMITED };
  if (type === 'shopify') return { ...config, rateLimit: { bucketSize: UNLIMITED, leakPerSecond: UNLIMITED } };
  if (type === 'stripe') return { ...config, requestsPerSecond: UNLIMITED };
  return config;
}

/** Every customer-written text of the world: comments, mentions, messages, ticket comments, reviews, survey answers. */
export function worldTexts(world: World): string[] {
  const texts: string[] = [];
  for (const c of world.social.comments) if (!c.fromBrand) texts.push(c.text);
  for (const m of world.social.mentions) texts.push(m.text);
  for (const c of world.social.conversations) for (const m of c.messages) if (m.from === 'customer') texts.push(m.text);
  for (const t of world.service.tickets) for (const c of t.comments) if (c.authorKind === 'requester') texts.push(c.body);
  for (const r of world.reviews) texts.push(r.body);
  for (const s of world.surveys) if (s.comment) texts.push(s.comment.text);
  return texts;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, work: { type: 'string' } } });
  if (!values.scale || !values.work) throw new Error('usage: world-server.ts --scale N --work DIR');
  const scale = Number(values.scale);
  const work = values.work;
  const started = performance.now();
  const world = generateWorld({ seed: 42, scale });
  const generateMs = performance.now() - started;
  process.env['PULSE_SAMPLE_TOKEN'] ||= 'sample-token';
  const servers: FakeServer[] = [];
  const sources: WorldInfo['sources'] = {};
  for (const connector of allConnectors()) {
    const sample = connector.sample;
    if (!sample) continue;
    if (sample.fake) {
      const server = await startFakeServer({ routes: benchRoutes(connector.type, world, sample.fake) });
      servers.push(server);
      sources[connector.type] = benchConfig(connector.type, sample.config({ baseUrl: server.url }, world));
    } else if (sample.writeSampleFiles) {
      const dir = join(work, 'sample-files', connector.type);
      mkdirSync(dir, { recursive: true });
      sample.writeSampleFiles(world, dir);
      sources[connector.type] = benchConfig(connector.type, sample.config({ dir }, world));
    }
  }
  const textsFile = join(work, 'texts.json');
  writeFileSync(textsFile, JSON.stringify(worldTexts(world)));
  const info: WorldInfo = {
    scale,
    sources,
    summary: summarizeWorld(world) as unknown as Record<string, number>,
    textsFile,
    generateMs: Math.round(generateMs),
    end: world.meta.end,
    maxRssMiB: Math.round(ownMaxRssMiB()),
  };
  writeFileSync(join(work, ARTIFACTS.world), JSON.stringify(info, null, 2));
  process.stdout.write('ready\n');
  const stop = async () => {
    await Promise.all(servers.map((s) => s.close()));
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
  process.once('SIGTERM', () => void stop());
}

await main();
