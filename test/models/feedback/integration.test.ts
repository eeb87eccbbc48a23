import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildSource } from '../../../connectors/registry.ts';
import { startSampleWorld, type SampleWorld } from '../../../jobs/sample.ts';
import { runExtract } from '../../../jobs/steps.ts';
import { createMacros } from '../../../models/macros.ts';
import { FEEDBACK_MODELS, BRAND_DAILY_COLUMNS, buildAll, insertRows, SOCIAL_TEXT_COLUMNS, socialStandIns, socialText } from './helpers.ts';

let sample: SampleWorld | undefined;
let wh: Warehouse | undefined;
afterAll(async () => {
  wh?.close();
  await sample?.close();
});

describe('feedback models on the sample world', () => {
  it('build from extracted Zendesk and survey data with contracts and error tests passing, agreeing with the world', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-feedback-world-'));
    sample = await startSampleWorld({ dir, scale: 0.03, only: ['zendesk', 'surveys'] });
    const config = parseConfig(sample.config, dir, undefined);
    const sources = Object.entries(config.sources).map(([name, raw]) => buildSource(name, raw, dir));
    wh = await openWarehouse(config.warehouse.path);
    const extract = await runExtract(wh, sources, { log: silentLogger });
    expect(extract.status).toBe('succeeded');
    await createMacros(wh);

    // The social area's int_social_texts / int_brand_daily are stood in for by small hand-made tables.
    await wh.run(`create table raw.stand_in__social_texts (${Object.entries(SOCIAL_TEXT_COLUMNS).map(([c, t]) => `${c} ${t}`).join(', ')})`);
    await wh.run(`create table raw.stand_in__brand_daily (${Object.entries(BRAND_DAILY_COLUMNS).map(([c, t]) => `${c} ${t}`).join(', ')})`);
    await insertRows(wh, 'raw.stand_in__social_texts', [
      socialText({ text_id: 'facebook:comment:1', thread_id: 'T1', created_at: '2026-03-01T10:00:00Z', text: 'My parcel arrived damaged, terrible' }),
      socialText({ text_id: 'facebook:comment:2', thread_id: 'T1', created_at: '2026-03-01T10:20:00Z', text: 'So sorry! We will replace it.', is_brand: true }),
      socialText({ text_id: 'x:mention:3', source: 'x', platform: 'x', kind: 'mention', created_at: '2026-03-01T11:00:00Z', text: 'Northwind jackets rock', mentioned_brand: 'Northwind' }),
    ]);
    await insertRows(wh, 'raw.stand_in__brand_daily', [
      { day: '2026-03-01', brand: 'Northwind', is_own_brand: true, platform: 'x', followers: 900, posts: 1, mentions: 6, engagements: 30 },
      { day: '2026-03-01', brand: 'Rival', is_own_brand: false, platform: 'x', followers: 1200, posts: 2, mentions: 4, engagements: 20 },
    ]);

    const result = await buildAll(wh, [...socialStandIns(dir), ...FEEDBACK_MODELS]);
    for (const m of FEEDBACK_MODELS) {
      const built = result.models.find((r) => r.model === m.name);
      expect(built?.status, m.name).toBe('succeeded');
      const [row] = await wh.all<{ n: number }>(`select count(*) as n from ${m.layer}.${m.name}`);
      expect(row?.n, m.name).toBeGreaterThan(0);
    }

    const world = sample.world;
    // every ticket is one Zendesk conversation
    const [tickets] = await wh.all<{ n: number }>(`select sum(conversations)::bigint as n from marts.fct_service_daily where source = 'zendesk'`);
    expect(tickets?.n).toBe(world.service.tickets.length);
    // NPS over all days, from the mart's counts, equals the world's answers
    const nps = world.surveys.filter((s) => s.survey === 'nps');
    const expectedNps = (100 * (nps.filter((s) => s.score >= 9).length - nps.filter((s) => s.score <= 6).length)) / nps.length;
    const [overall] = await wh.all<{ nps: number }>(`select 100.0 * (sum(promoters) - sum(detractors)) / sum(responses) as nps from marts.fct_survey_daily where survey = 'nps'`);
    expect(overall?.nps).toBeCloseTo(expectedNps, 9);
    // every end-user ticket comment, survey comment and review is scored once; most get the world's intended label
    const endUserComments = world.service.tickets.flatMap((t) => t.comments).filter((c) => c.authorKind === 'requester' && c.public).length;
    const surveyComments = world.surveys.filter((s) => s.comment !== null).length;
    const [counts] = await wh.all<{ ticket_comment: number; survey_answer: number; review: number }>(
      `select count(*) filter (where kind = 'ticket_comment') as ticket_comment, count(*) filter (where kind = 'survey_answer') as survey_answer,
              count(*) filter (where kind = 'review') as review from marts.fct_feedback`,
    );
    expect(counts).toEqual({ ticket_comment: endUserComments, survey_answer: surveyComments, review: world.reviews.length });
    const truth = new Map(world.reviews.map((r) => [`review:${r.id}`, r.truth.label]));
    const reviews = await wh.all<{ text_id: string; label: string }>(`select text_id, label from marts.fct_feedback where kind = 'review'`);
    const clear = reviews.filter((r) => ['positive', 'negative'].includes(truth.get(r.text_id) ?? ''));
    const agree = clear.filter((r) => r.label === truth.get(r.text_id)).length;
    expect(agree / clear.length).toBeGreaterThan(0.7);
  }, 120_000);
});
