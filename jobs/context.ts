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
  /** Builds the configured sources (validating their config and secrets before any request). */
  sources(names?: string[]): SourceDef[];
  /** Stops helpers started for the context (the sample world's fake servers). */
  close(): Promise<void>;
}

/** A hook that supplies the built-in sample-world config when there is no config file. */
export type SampleConfigProvider = (cwd: string, log: Logger) => Promise<{ input: unknown; close: () => Promise<void> }>;

let sampleProvider: SampleConfigProvider | undefined;

/** Registers how to build the sample-world config (done by the demo module, which owns the fakes). */
export function setSampleConfigProvider(provider: SampleConfigProvider): void {
  sampleProvider = provider;
}

/** Loads config and builds the context for one command. */
export async function createContext(flags: GlobalFlags, cwd: string = process.cwd()): Promise<CommandContext> {
  const log = createLogger({ level: flags.logLevel, format: flags.logFormat });
  const loaded = await loadConfigFile(flags.config, cwd);
  let close = async () => {};
  let input: unknown;
  if (loaded) input = loaded.input;
  else if (sampleProvider) {
    const sample = await sampleProvider(cwd, log);
    input = sample.input;
    close = sample.close;
  } else {
    throw new ConfigError('no pulse.config.ts here and the built-in sample world is not available', { hint: 'pass --config FILE' });
  }
  const parsed = parseConfig(input, configDir(loaded?.file, cwd), loaded?.file);
  const config: PulseConfig = flags.warehouse ? { ...parsed, warehouse: { ...parsed.warehouse, path: flags.warehouse } } : parsed;
  return {
    flags,
    config,
    log,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    tty: Boolean(process.stderr.isTTY) && !process.env['CI'],
    openWarehouse: () => openWarehouse(config.warehouse.path, { lockTimeoutMs: config.warehouse.lockTimeoutSeconds * 1000, log }),
    sources(names) {
      const all = Object.keys(config.sources);
      for (const name of names ?? []) {
        if (!all.includes(name)) throw new ConfigError(`unknown source "${name}"`, { hint: all.length ? `configured sources: ${all.join(', ')}` : 'no sources are configured' });
      }
      return (names?.length ? names : all).map((name) => buildSource(name, config.sources[name]!, config.baseDir));
    },
    close,
  };
}
