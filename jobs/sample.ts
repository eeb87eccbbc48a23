/**
 * The built-in sample world as a running system: generates the world, serves each connector's
 * slice from its fake API on 127.0.0.1 (ephemeral ports) or writes its files, and returns a config
 * pointing at them. Used by `pulse demo`, by `pulse` with no config file, and by tests.
 */
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TerminalError } from '../core/errors.ts';
import { silentLogger, type Logger, type LogLevel } from '../core/log.ts';
import { generateWorld, type WorldSummary } from '../core/sample-world/index.ts';
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

/** A sample world served by a child process: its config and figures, not the world itself. */
export interface SampleWorldProcess {
  /** Config input pointing at the child's fakes and the files it wrote. */
  config: SampleWorld['config'];
  summary: WorldSummary;
  /** Base URL of each HTTP source's fake, by connector type. */
  urls: Record<string, string>;
  /** Stops the fakes and waits for the child to exit. */
  close(): Promise<void>;
}

/** What the child process (jobs/sample-child.ts) tells its parent. */
export type SampleChildMessage =
  | { kind: 'log'; level: LogLevel; msg: string; fields: Record<string, unknown> }
  | { kind: 'ready'; config: SampleWorld['config']; summary: WorldSummary; urls: Record<string, string> }
  | { kind: 'failed'; error: string };

const CHILD_ENTRY = fileURLToPath(new URL('./sample-child.ts', import.meta.url));
// tsx by file URL: the CLI may run from a folder where a bare `tsx` would not resolve.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// How long a child that was asked to stop may take before it is killed.
const CLOSE_GRACE_MS = 5_000;

/**
 * Starts the sample world in a child process (`startSampleWorld` there) and resolves once its
 * fakes serve. The demo uses it so the fakes answer on the second core while this process
 * extracts, and so the world's memory is gone once the child is closed, before models build.
 */
export async function startSampleWorldProcess(options: SampleWorldOptions): Promise<SampleWorldProcess> {
  const { log = silentLogger, ...childOptions } = options;
  // The sources built from the config read the fake credential here, in the parent.
  process.env[SAMPLE_TOKEN_ENV] ||= 'sample-token';
  const child = fork(CHILD_ENTRY, [JSON.stringify(childOptions)], { execArgv: ['--import', TSX_LOADER], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const close = async () => {
    if (running()) {
      if (child.connected) child.send({ kind: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const ready = await new Promise<Extract<SampleChildMessage, { kind: 'ready' }>>((resolve, reject) => {
      child.on('message', (message: SampleChildMessage) => {
        if (message.kind === 'log') log[message.level](message.msg, message.fields);
        else if (message.kind === 'ready') resolve(message);
        else reject(new TerminalError(`the sample world could not start: ${message.error}`, { context: { file: CHILD_ENTRY } }));
      });
      child.once('error', (error) => reject(new TerminalError('the sample world process could not be started', { cause: error, context: { file: CHILD_ENTRY } })));
      child.once('exit', (code, signal) => reject(new TerminalError(`the sample world process exited (${signal ?? `code ${code}`}) before its fakes served`, { context: { file: CHILD_ENTRY } })));
    });
    return { config: ready.config, summary: ready.summary, urls: ready.urls, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Renders a config file for a running sample world (used by `pulse demo --serve`). */
export function sampleConfigFile(config: SampleWorld['config']): string {
  return `// Written by \`pulse demo --serve\`: sources point at the sample world's fake APIs, which
// run only while that command does. The fakes accept any token; set here so the file works alone.
process.env.${SAMPLE_TOKEN_ENV} ||= 'sample-token';

export default ${JSON.stringify(config, null, 2)};
`;
}
