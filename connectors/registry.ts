/**
 * The connector registry: maps a config `type` to the connector that validates that source's
 * config and builds its `SourceDef`. Each connector folder registers itself here.
 */
import type { z } from 'zod';
import { formatIssues, withSecretEnvironment } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { World } from '../core/sample-world/types.ts';
import type { FakeRoute } from './fakes/index.ts';
import type { SourceDef } from './source.ts';
import { facebookConnector } from './facebook/index.ts';
import { instagramConnector } from './instagram/index.ts';
import { metaAdsConnector } from './meta_ads/index.ts';
import { restConnector } from './rest/index.ts';
import { xConnector } from './x/index.ts';
import { linkedinConnector } from './linkedin/index.ts';
import { youtubeConnector } from './youtube/index.ts';
import { filesConnector } from './files/index.ts';
import { webEventsConnector } from './web_events/index.ts';
import { surveysConnector } from './surveys/index.ts';
import { shopifyConnector } from './shopify/index.ts';
import { stripeConnector } from './stripe/index.ts';
import { zendeskConnector } from './zendesk/index.ts';
import { ga4Connector } from './ga4/index.ts';

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
registerConnector(facebookConnector);
registerConnector(instagramConnector);
registerConnector(metaAdsConnector);
registerConnector(xConnector);
registerConnector(linkedinConnector);
registerConnector(youtubeConnector);
registerConnector(filesConnector);
registerConnector(webEventsConnector);
registerConnector(surveysConnector);
registerConnector(shopifyConnector);
registerConnector(stripeConnector);
registerConnector(zendeskConnector);
registerConnector(ga4Connector);

/** Validates one source's config with its connector (after resolving secrets) and builds it. */
export function buildSource(name: string, raw: { type: string; [k: string]: unknown }, baseDir: string, environment: NodeJS.ProcessEnv = process.env): SourceDef {
  const connector = connectors.get(raw.type);
  if (!connector) {
    throw new ConfigError(`sources.${name}.type: unknown connector "${raw.type}"`, { hint: `use one of: ${connectorTypes().join(', ')}` });
  }
  // Secrets resolve while the config parses, so a missing variable is reported at its field.
  const parsed = withSecretEnvironment(environment, () => connector.configSchema.safeParse(raw));
  if (!parsed.success) {
    throw new ConfigError(`invalid source config:\n${formatIssues(parsed.error, connector.configSchema as z.ZodType, ['sources', name])}`, { hint: 'fix the fields named above' });
  }
  return (connector as Connector<unknown>).build(parsed.data, { name, baseDir });
}
