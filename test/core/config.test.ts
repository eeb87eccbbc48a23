import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envNameOf, formatIssues, parseConfig } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';
import { buildSource } from '../../connectors/registry.ts';

describe('config', () => {
  it('applies defaults and resolves paths against the config folder', () => {
    const config = parseConfig({}, '/srv/pulse', '/srv/pulse/pulse.config.ts');
    expect(config.warehouse.path).toBe('/srv/pulse/pulse-data/warehouse.duckdb');
    expect(config.warehouse.analyticsPath).toBe('/srv/pulse/pulse-data/analytics.duckdb');
    expect(config.models.reportingTimeZone).toBe('UTC');
    expect(config.models.churnWindowDays).toBe(90);
  });

  it('names the path and the fix for every problem', () => {
    const attempt = () => parseConfig({ warehouse: { lockTimeoutSeconds: -1, memoryLimit: 'lots' }, sourcez: {} }, '/x', '/x/pulse.config.ts');
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('invalid configuration in /x/pulse.config.ts');
      expect(message).toContain('warehouse.lockTimeoutSeconds: Too small: expected number to be >0 — how long to wait for another process to release the warehouse');
      expect(message).toContain('(config): Unrecognized key: "sourcez"');
      expect(message).toContain('warehouse.memoryLimit: a size such as "1GB" or "512MiB"');
    }
  });

  it('says "required" and describes the field when a required field is missing', () => {
    const schema = z.object({ shop: z.string().describe("the shop's myshopify domain") });
    const result = schema.safeParse({});
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!, schema, ['sources', 'shopify'])).toBe("sources.shopify.shop: required — the shop's myshopify domain");
  });

  it('takes secrets only from the environment, names every missing one at its field, and redacts resolved values', () => {
    const api = (auth: unknown) => ({ type: 'rest', baseUrl: 'https://api.example.com', auth, streams: { s: { path: '/s', primaryKey: 'id', fields: { id: 'string' } } } });
    const source = buildSource('api', api({ kind: 'bearer', token: { $env: 'PULSE_TEST_A' } }), '/x', { PULSE_TEST_A: 'sk_live_abcdef123456' });
    expect(source.http?.auth).toEqual({ kind: 'bearer', token: 'sk_live_abcdef123456' });
    expect(envNameOf('sk_live_abcdef123456')).toBe('PULSE_TEST_A');
    expect(redact('calling with sk_live_abcdef123456 now')).toBe('calling with [redacted] now');
    expect(() => buildSource('api', api({ kind: 'basic', username: 'u', password: { $env: 'PULSE_TEST_B' } }), '/x', {})).toThrow(
      'sources.api.auth.password: environment variable PULSE_TEST_B is not set — export it before running (it holds a secret, so it never goes in the config file)',
    );
  });

  it('refuses a literal secret where env() is required', () => {
    expect(() =>
      buildSource('api', { type: 'rest', baseUrl: 'https://api.example.com', auth: { kind: 'bearer', token: 'plain-text-token' }, streams: { s: { path: '/s', primaryKey: 'id', fields: { id: 'string' } } } }, '/x', {}),
    ).toThrow(/sources\.api\.auth\.token: Invalid input: expected object, received string — a secret: write env\("VARIABLE_NAME"\)/);
  });

  it('rejects an unknown connector type with the list of known ones', () => {
    expect(() => buildSource('x', { type: 'myspace' }, '/x', {})).toThrow(/sources\.x\.type: unknown connector "myspace"/);
  });

  it('checks that the primary key and cursor are declared fields', () => {
    expect(() =>
      buildSource('api', { type: 'rest', baseUrl: 'https://api.example.com', streams: { s: { path: '/s', primaryKey: 'uid', fields: { id: 'string' } } } }, '/x', {}),
    ).toThrow('sources.api.streams.s.primaryKey: field "uid" is not declared in fields');
  });
});
