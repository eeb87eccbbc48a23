/**
 * The built-in sample world as a running system: generates the world, serves each connector's
 * slice from its fake API on 127.0.0.1 (ephemeral ports) or writes its files, and returns a config
 * pointing at them. Used by `pulse demo`, by `pulse` with no config file, and by tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../core/log.ts';
import { generateWorld } from '../core/sample-world/index.ts';
import type { World } from '../core/sample-world/types.ts';
import { startFakeServer, type FakeServer } from '../connectors/fakes/index.ts';
import { allConnectors } from '../connectors/registry.ts';

/** The environment variable every sample source reads its (fake) credential from. */
export const SAMPLE_TOKEN_ENV = 'PULSE_SAMPLE_TOKEN';

/** A running sample world. */
export interface SampleWorld {
  world: World;
  /** Config input (as a config file would export it) pointing at the fakes and files. */
  config: { warehouse: { path: string; analyticsPath: string }; sources: Record<string, Record<string, unknown> & { type: string }> };
  /** One fake server per HTTP source, by source name. */
  servers: Record<string, FakeServer>;
  close(): Promise<void>;
}

/** Options for `startSampleWorld`. */
export interface SampleWorldOptions {
  scale?: number;
  seed?: number;
  /** Folder for the warehouse files and the sample files. */
  dir: string;
  log?: Logger;
  /** Only these connector types (default: every connector with a sample). */
  only?: string[];
}

/** Generates the world, starts the fakes, writes the files, and returns the config. */
export async function startSampleWorld(options: SampleWorldOptions): Promise<SampleWorld> {
  const log = options.log ?? silentLogger;
  const started = Date.now();
  const world = generateWorld({ seed: options.seed ?? 42, scale: options.scale ?? 1 });
  log.info('sample world generated', { scale: options.scale ?? 1, ms: Date.now() - started });
  // Fake credentials: the fakes accept any non-empty token; real secrets never enter the sample.
  process.env[SAMPLE_TOKEN_ENV] ||= 'sample-token';
  const servers: Record<string, FakeServer> = {};
  const sources: SampleWorld['config']['sources'] = {};
  try {
    for (const connector of allConnectors()) {
      const sample = connector.sample;
      if (!sample || (options.only && !options.only.includes(connector.type))) continue;
      if (sample.fake) {
        const server = await startFakeServer({ routes: sample.fake(world) });
        servers[connector.type] = server;
        sources[connector.type] = sample.config({ baseUrl: server.url }, world);
      } else if (sample.writeSampleFiles) {
        const dir = join(options.dir, 'sample-files', connector.type);
        mkdirSync(dir, { recursive: true });
        sample.writeSampleFiles(world, dir);
        sources[connector.type] = sample.config({ dir }, world);
      }
    }
  } catch (error) {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    throw error;
  }
  return {
    world,
    config: {
      warehouse: { path: join(options.dir, 'warehouse.duckdb'), analyticsPath: join(options.dir, 'analytics.duckdb') },
      sources,
    },
    servers,
    close: async () => {
      await Promise.all(Object.values(servers).map((s) => s.close()));
    },
  };
}

/** Renders a config file for a running sample world (used by `pulse demo --serve`). */
export function sampleConfigFile(config: SampleWorld['config']): string {
  return `// Written by \`pulse demo --serve\`: sources point at the sample world's fake APIs, which
// run only while that command does. The fakes accept any token; set here so the file works alone.
process.env.${SAMPLE_TOKEN_ENV} ||= 'sample-token';

export default ${JSON.stringify(config, null, 2)};
`;
}
