/**
 * Survey and review exports (CSV or NDJSON): NPS (0–10), CSAT (1–5) and CES (1–7) answers with
 * the respondent, date, score and free text, and product reviews (1–5 stars with text). A score
 * outside its scale goes to quarantine with the reason, never into the averages.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { World } from '../../core/sample-world/types.ts';
import type { Connector } from '../registry.ts';
import { defineSource, type SourceDef } from '../source.ts';
import { fileStreamDef } from '../files/index.ts';
import type { FieldSpecs } from '../rest/schema.ts';

/** Fields of a survey answer. `respondent_email` is personal data: it stays in raw. */
export const SURVEY_FIELDS: FieldSpecs = {
  response_id: { type: 'string', required: true },
  survey: { type: 'string', required: true, enum: ['nps', 'csat', 'ces'] },
  score: { type: 'integer', required: true },
  responded_at: { type: 'timestamp', required: true },
  customer_id: 'string',
  respondent_email: 'string',
  order_id: 'string',
  ticket_id: 'string',
  comment: 'string',
  lang: 'string',
};

/** Fields of a product review. */
export const REVIEW_FIELDS: FieldSpecs = {
  review_id: { type: 'string', required: true },
  product_id: { type: 'string', required: true },
  customer_id: 'string',
  order_id: 'string',
  rating: { type: 'integer', required: true, min: 1, max: 5 },
  title: 'string',
  body: 'string',
  lang: 'string',
  created_at: { type: 'timestamp', required: true },
  verified_buyer: 'boolean',
};

/** The scale of each survey kind: checked on every row. */
export const SURVEY_SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

/** Config of a surveys source. */
export const surveysConfigSchema = z
  .object({
    type: z.literal('surveys'),
    root: z.string().min(1).describe('the folder the survey exports are written to; paths outside it are refused'),
    responses: z
      .object({ glob: z.string().default('responses*.csv'), format: z.enum(['csv', 'ndjson']).default('csv') })
      .strict()
      .default({ glob: 'responses*.csv', format: 'csv' })
      .describe('where the survey answers are'),
    reviews: z
      .object({ glob: z.string(), format: z.enum(['csv', 'ndjson']) })
      .strict()
      .optional()
      .describe('where product reviews are, if exported'),
    freshnessHours: z.number().positive().default(48),
  })
  .strict();

/** A validated surveys config. */
export type SurveysConfig = z.output<typeof surveysConfigSchema>;

/** Builds the source. */
export function buildSurveysSource(config: SurveysConfig, name: string, baseDir: string): SourceDef {
  const root = resolve(baseDir, config.root);
  const scaleChecks = Object.entries(SURVEY_SCALES).map(([kind, [min, max]]) => ({
    field: 'score',
    fails: `survey = '${kind}' and (score < ${min} or score > ${max})`,
    reason: `${kind.toUpperCase()} scores are ${min}–${max}`,
  }));
  const streams = [fileStreamDef('responses', root, { ...config.responses, primaryKey: 'response_id', fields: SURVEY_FIELDS, freshnessHours: config.freshnessHours }, scaleChecks)];
  if (config.reviews) streams.push(fileStreamDef('reviews', root, { ...config.reviews, primaryKey: 'review_id', fields: REVIEW_FIELDS, freshnessHours: config.freshnessHours }));
  return defineSource({ name, streams });
}

function csv(rows: Record<string, unknown>[], header: string[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const t = String(v);
    return /[",\n\r]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n') + '\n';
}

/** Writes the sample world's survey answers (CSV, one file a quarter) and reviews (NDJSON). */
export function writeSampleSurveyFiles(world: World, dir: string): void {
  const emails = new Map(world.commerce.customers.map((c) => [c.id, c.email]));
  const byQuarter = new Map<string, Record<string, unknown>[]>();
  for (const r of world.surveys) {
    const quarter = `${r.date.slice(0, 4)}-q${Math.floor((Number(r.date.slice(5, 7)) - 1) / 3) + 1}`;
    const rows = byQuarter.get(quarter) ?? [];
    rows.push({
      response_id: r.id,
      survey: r.survey,
      score: r.score,
      responded_at: r.respondedAt,
      customer_id: String(r.customerId),
      respondent_email: emails.get(r.customerId) ?? null,
      order_id: r.orderId === null ? null : String(r.orderId),
      ticket_id: r.ticketId === null ? null : String(r.ticketId),
      comment: r.comment?.text ?? null,
      lang: r.comment?.lang ?? null,
    });
    byQuarter.set(quarter, rows);
  }
  for (const [quarter, rows] of byQuarter) writeFileSync(join(dir, `responses-${quarter}.csv`), csv(rows, Object.keys(SURVEY_FIELDS)));
  const reviews = world.reviews.map((r) => ({
    review_id: String(r.id),
    product_id: String(r.productId),
    customer_id: String(r.customerId),
    order_id: String(r.orderId),
    rating: r.rating,
    title: r.title ?? null,
    body: r.body,
    lang: r.lang,
    created_at: r.createdAt,
    verified_buyer: r.verifiedBuyer,
  }));
  writeFileSync(join(dir, 'reviews.ndjson'), reviews.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** The `surveys` connector for the registry. */
export const surveysConnector: Connector<SurveysConfig> = {
  type: 'surveys',
  description: 'NPS, CSAT and CES survey exports and product reviews (CSV or NDJSON)',
  configSchema: surveysConfigSchema,
  build: (config, ctx) => buildSurveysSource(config, ctx.name, ctx.baseDir),
  sample: {
    writeSampleFiles: writeSampleSurveyFiles,
    config: ({ dir }) => ({ type: 'surveys', root: dir!, responses: { glob: 'responses*.csv', format: 'csv' }, reviews: { glob: 'reviews.ndjson', format: 'ndjson' } }),
  },
};
