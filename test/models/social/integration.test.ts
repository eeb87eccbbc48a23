/**
 * The social models on the sample world: extract the five social connectors from their fakes at a
 * small scale, build every social model, and check contracts, data tests, row counts, the absence
 * of personal data, and a few figures against the world's truth.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildSource } from '../../../connectors/registry.ts';
import { startSampleWorld, type SampleWorld } from '../../../jobs/sample.ts';
import { runExtract } from '../../../jobs/steps.ts';
import { buildModels, type BuildResult } from '../../../models/engine/index.ts';
import { createMacros } from '../../../models/macros.ts';
import { SOCIAL_MODELS } from './helpers.ts';

const SOCIAL = ['facebook', 'instagram', 'x', 'linkedin', 'youtube'];

let sample: SampleWorld;
let wh: Warehouse;
let build: BuildResult;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-social-world-'));
  sample = await startSampleWorld({ dir, scale: 0.03, only: SOCIAL });
  const config = parseConfig(sample.config, dir, undefined);
  const sources = Object.entries(config.sources).map(([name, raw]) => buildSource(name, raw, dir));
  wh = await openWarehouse(config.warehouse.path);
  // The last 75 days of the world: daily insights are read one request per day, a year would be slow.
  const since = new Date(Date.parse(`${sample.world.meta.asOf}T00:00:00Z`) - 75 * 86_400_000);
  const extract = await runExtract(wh, sources, { log: silentLogger, job: 'test', since });
  expect(extract.status).toBe('succeeded');
  await createMacros(wh);
  build = await buildModels(wh, SOCIAL_MODELS, { log: silentLogger });
}, 120_000);

afterAll(async () => {
  wh?.close();
  await sample?.close();
});

describe('social models on the sample world', () => {
  it('builds every model with its contract and passes every error-severity test', () => {
    expect(build.models.filter((m) => m.status !== 'succeeded').map((m) => `${m.model}: ${m.error}`)).toEqual([]);
    const failing = build.tests.filter((t) => t.severity === 'error' && t.status !== 'pass').map((t) => `${t.model} ${t.test}: ${t.status}`);
    expect(failing).toEqual([]);
  });

  it('fills every intermediate and mart with rows, and every platform', async () => {
    for (const table of ['intermediate.int_social_texts', 'intermediate.int_brand_daily', 'intermediate.int_social_account_daily', 'marts.fct_post_engagement', 'marts.fct_account_daily']) {
      const [row] = await wh.all(`select count(*)::int n, count(distinct platform)::int platforms from ${table}`);
      expect(row, table).toMatchObject({ platforms: 5 });
      expect(Number(row!.n), table).toBeGreaterThan(0);
    }
    const kinds = await wh.all(`select distinct kind from intermediate.int_social_texts order by 1`);
    expect(kinds.map((k) => k.kind)).toEqual(['comment', 'mention', 'message', 'reply']);
  });

  it('keeps people out: no author names, handles or e-mails of private persons in the texts or any other column', async () => {
    const world = sample.world;
    const people = world.social.users.filter((u) => SOCIAL.includes(u.platform));
    const handles = new Set(people.map((u) => u.handle.toLowerCase()));
    const fullNames = new Set(people.map((u) => u.displayName));
    const rows = await wh.all(`select * from intermediate.int_social_texts`);
    const leaks: string[] = [];
    for (const row of rows) {
      for (const value of Object.values(row)) {
        if (typeof value !== 'string') continue;
        for (const word of value.toLowerCase().match(/@[a-z0-9._]+/g) ?? []) if (handles.has(word.slice(1))) leaks.push(`${row.text_id}: ${word}`);
        for (const name of fullNames) if (value.includes(name)) leaks.push(`${row.text_id}: ${name}`);
        if (/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/i.test(value)) leaks.push(`${row.text_id}: e-mail`);
      }
    }
    expect(leaks).toEqual([]);
    // Every author is a pseudonymous key.
    const [keys] = await wh.all(`select count(*) filter (where author_key is not null and author_key not like 'p\\_%' escape '\\')::int bad from intermediate.int_social_texts`);
    expect(keys!.bad).toBe(0);
  });

  it('rebuilds Instagram followers and counts Facebook followers as the world has them', async () => {
    const world = sample.world;
    for (const platform of ['facebook', 'instagram'] as const) {
      const truth = new Map(world.social.accountDaily.filter((r) => r.platform === platform).map((r) => [r.date, r.followers]));
      const rows = await wh.all(`select day::varchar d, followers::int f from marts.fct_account_daily where platform = '${platform}' and followers is not null`);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.f, `${platform} ${row.d}`).toBe(truth.get(row.d as string));
    }
  });

  it('parses the campaign tags of post links', async () => {
    const [row] = await wh.all(`select count(*)::int n from marts.fct_post_engagement where utm_campaign is not null and utm_source = platform`);
    expect(row!.n).toBeGreaterThan(0);
  });
});
