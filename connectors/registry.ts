/**
 * The connector registry: maps a config `type` to the connector that validates that source's
 * config and builds its `SourceDef`. Each connector folder registers itself here.
 */
import type { z } from 'zod';
import { formatIssues, resolveSecrets } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { World } from '../core/sample-world/types.ts';
import type { FakeRoute } from './fakes/index.ts';
import type { SourceDef } from './source.ts';
import { restConnector } from './rest/index.ts';
import { filesConnector } from './files/index.ts';
import { webEventsConnector } from './web_events/index.ts';
import { surveysConnector } from './surveys/index.ts';

/** What builders get besides their config. */
export interface BuildContext {
  /** Source name from the config (`sources.<name>`). */
  name: string;
  /** Folder relative paths resolve against. */
  baseDir: string;
}

/** A connector: its config schema (with descriptions used in errors) and how to build the source. */
export interface Connector<C = unknown> {
  type: string;
  description: string;
  configSchema: z.ZodType<C>;
  build(config: C, context: BuildContext): SourceDef;
  /**
   * The sample world's slice of this source, in the platform's shape: routes for a fake API
   * server (`fake`), or files written into `dir` (`writeSampleFiles`). Used by the demo, tests
   * and benchmarks.
   */
  sample?: {
    /** Routes serving the world over HTTP on the fake-server harness. */
    fake?: (world: World) => FakeRoute[];
    /** Writes the world's files for a file-based source into `dir`. */
    writeSampleFiles?: (world: World, dir: string) => void;
    /** The source config (input form, with `type`) pointing at the fake's `baseUrl` or the files' `dir`. */
    config: (location: { baseUrl?: string; dir?: string }, world: World) => Record<string, unknown> & { type: string };
  };
}

const connectors = new Map<string, Connector<never>>();

/** Adds a connector to the registry. */
export function registerConnector<C>(connector: Connector<C>): void {
  connectors.set(connector.type, connector as unknown as Connector<never>);
}

/** Lists registered connectors (for the demo and docs). */
export function allConnectors(): Connector<unknown>[] {
  return [...connectors.values()] as unknown as Connector<unknown>[];
}

/** Lists registered connector types. */
export function connectorTypes(): string[] {
  return [...connectors.keys()].sort();
}

registerConnector(restConnector);
registerConnector(filesConnector);
registerConnector(webEventsConnector);
registerConnector(surveysConnector);

/** Validates one source's config with its connector (after resolving secrets) and builds it. */
export function buildSource(name: string, raw: { type: string; [k: string]: unknown }, baseDir: string, environment: NodeJS.ProcessEnv = process.env): SourceDef {
  const connector = connectors.get(raw.type);
  if (!connector) {
    throw new ConfigError(`sources.${name}.type: unknown connector "${raw.type}"`, { hint: `use one of: ${connectorTypes().join(', ')}` });
  }
  const missing: string[] = [];
  const resolved = resolveSecrets(raw, environment, ['sources', name], missing);
  if (missing.length) throw new ConfigError(`missing secrets:\n${missing.join('\n')}`, { hint: 'set the environment variables named above' });
  const parsed = connector.configSchema.safeParse(resolved);
  if (!parsed.success) {
    throw new ConfigError(`invalid source config:\n${formatIssues(parsed.error, connector.configSchema as z.ZodType, ['sources', name])}`, { hint: 'fix the fields named above' });
  }
  return (connector as Connector<unknown>).build(parsed.data, { name, baseDir });
}
