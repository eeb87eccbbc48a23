/**
 * Helpers shared by the Meta connector tests (Facebook, Instagram, Marketing API): a warehouse in
 * a temp folder, a source built from its input config the way `buildSource` does (secrets
 * resolved from a given environment, then validated), and readers for the fake's request log.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { formatIssues, withSecretEnvironment } from '../../core/config.ts';
import { openWarehouse, type Warehouse } from '../../core/warehouse.ts';
import type { RequestLogEntry } from '../../connectors/fakes/index.ts';
import type { Connector } from '../../connectors/registry.ts';
import type { SourceDef } from '../../connectors/source.ts';

/** The token the sample configs reference, set for every test. */
export const SAMPLE_ENV = { PULSE_SAMPLE_TOKEN: 'sample-token-for-tests' };

/** Opens a fresh warehouse file in a temp folder. */
export async function tempWarehouse(prefix: string): Promise<{ dir: string; wh: Warehouse }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, wh: await openWarehouse(join(dir, 'warehouse.duckdb')) };
}

/**
 * Builds a source from an input config as `buildSource` does (validate with env refs resolved
 * from `environment`, then build), without going through the registry, so these tests do not
 * depend on other connectors.
 */
export function buildWith<C>(connector: Connector<C>, name: string, raw: Record<string, unknown>, environment: NodeJS.ProcessEnv = SAMPLE_ENV): SourceDef {
  const parsed = withSecretEnvironment(environment, () => connector.configSchema.safeParse(raw));
  if (!parsed.success) throw new Error(formatIssues(parsed.error, connector.configSchema as z.ZodType, ['sources', name]));
  return connector.build(parsed.data, { name, baseDir: '.' });
}

/** The query parameters of a logged request. */
export function paramsOf(entry: RequestLogEntry): URLSearchParams {
  return new URLSearchParams(entry.query);
}

/** Logged requests whose path ends with `suffix`. */
export function requestsTo(log: readonly RequestLogEntry[], suffix: string): RequestLogEntry[] {
  return log.filter((e) => e.path.endsWith(suffix));
}

/** A sleep that returns at once and remembers every delay asked for. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

/** A Graph error body, as Meta sends it. */
export function graphErrorBody(code: number, message: string, subcode?: number): unknown {
  return { error: { message, type: code === 190 ? 'OAuthException' : 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEfGhIjK' } };
}
