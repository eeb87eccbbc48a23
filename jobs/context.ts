/**
 * The runtime context every command starts from: parsed global flags, the validated config (a
 * file, or the built-in sample world), a logger, and a way to open the warehouse.
 */
import { configDir, loadConfigFile, parseConfig, type PulseConfig } from '../core/config.ts';
import { createLogger, type Logger, type LogLevel } from '../core/log.ts';
import { openWarehouse, type Warehouse } from '../core/warehouse.ts';
import { buildSource } from '../connectors/registry.ts';
import type { SourceDef } from '../connectors/source.ts';
import { ConfigError } from '../core/errors.ts';
import { join } from 'node:path';
import { startSampleWorld, type SampleWorld } from './sample.ts';

/** Flags every command takes. */
export interface GlobalFlags {
  config?: string;
  warehouse?: string;
  json: boolean;
  logLevel: LogLevel;
  logFormat: 'text' | 'json';
}

/** What a command gets to work with. */
export interface CommandContext {
  flags: GlobalFlags;
  config: PulseConfig;
  log: Logger;
  /** Writes data (human text or JSON) to stdout. */
  out: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only there). */
  tty: boolean;
  /** Opens the working warehouse, waiting for the lock as configured. */
  openWarehouse(): Promise<Warehouse>;
  /**
   * Builds the configured sources (validating their config and secrets before any request). With
   * no config file this starts the sample world's fakes first.
   */
  sources(names?: string[]): Promise<SourceDef[]>;
  /** True when running on the built-in sample world (no config file). */
  sample: boolean;
  /** Stops helpers started for the context (the sample world's fake servers). */
  close(): Promise<void>;
}

/** Loads config and builds the context for one command. */
export async function createContext(flags: GlobalFlags, cwd: string = process.cwd()): Promise<CommandContext> {
  const log = createLogger({ level: flags.logLevel, format: flags.logFormat });
  const loaded = await loadConfigFile(flags.config, cwd);
  const sampleDir = join(cwd, 'pulse-data');
  // No config file: the built-in sample world, whose fakes start only when sources are needed.
  const input = loaded
    ? loaded.input
    : { warehouse: { path: join(sampleDir, 'warehouse.duckdb'), analyticsPath: join(sampleDir, 'analytics.duckdb') } };
  const parsed = parseConfig(input, configDir(loaded?.file, cwd), loaded?.file);
  const config: PulseConfig = flags.warehouse ? { ...parsed, warehouse: { ...parsed.warehouse, path: flags.warehouse } } : parsed;
  let sample: SampleWorld | undefined;
  const sourceConfigs = async (): Promise<Record<string, { type: string; [k: string]: unknown }>> => {
    if (loaded) return config.sources;
    sample ??= await startSampleWorld({ dir: sampleDir, log });
    return sample.config.sources;
  };
  return {
    flags,
    config,
    log,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    tty: Boolean(process.stderr.isTTY) && !process.env['CI'],
    openWarehouse: () => openWarehouse(config.warehouse.path, { lockTimeoutMs: config.warehouse.lockTimeoutSeconds * 1000, memoryLimit: config.warehouse.memoryLimit, log }),
    sample: !loaded,
    async sources(names) {
      const configs = await sourceConfigs();
      const all = Object.keys(configs);
      for (const name of names ?? []) {
        if (!all.includes(name)) throw new ConfigError(`unknown source "${name}"`, { hint: all.length ? `configured sources: ${all.join(', ')}` : 'no sources are configured' });
      }
      return (names?.length ? names : all).map((name) => buildSource(name, configs[name]!, config.baseDir));
    },
    close: async () => {
      await sample?.close();
    },
  };
}
