/**
 * Staging models of the surveys source: survey answers and product reviews, with respondents as
 * pseudonymous customer keys (`pseudonym(customer_id)`); `respondent_email` never leaves raw.
 */
import { defineModel } from '../../engine/index.ts';

export const stgSurveysResponses = defineModel({
  name: 'stg_surveys__responses',
  layer: 'staging',
  sql: 'sql/staging/stg_surveys__responses.sql',
  materialized: 'view',
  grain: 'survey response',
  uniqueKey: ['response_id'],
  tags: ['feedback', 'surveys'],
  description: 'NPS (0–10), CSAT (1–5) and CES (1–7) survey answers; the respondent as a pseudonymous customer key (respondent_email stays in raw).',
  columns: {
    response_id: { type: 'VARCHAR', description: 'Survey response id.' },
    survey_kind: { type: 'VARCHAR', description: 'nps, csat or ces.' },
    score: { type: 'BIGINT', description: 'The answer on the survey\'s scale (NPS 0–10, CSAT 1–5, CES 1–7; out-of-scale rows are quarantined at load).' },
    responded_at: { type: 'TIMESTAMPTZ', description: 'When the answer was given (UTC).' },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(customer_id): the shop customer key.', nullable: true },
    order_id: { type: 'VARCHAR', description: 'Order that prompted the survey (NPS, CES).', nullable: true },
    ticket_id: { type: 'VARCHAR', description: 'Zendesk ticket that prompted the survey (CSAT).', nullable: true },
    comment: { type: 'VARCHAR', description: 'Free-text answer.', nullable: true },
    lang: { type: 'VARCHAR', description: 'Language of the comment, when the export says.', nullable: true },
  },
  tests: [{ kind: 'accepted_values', column: 'survey_kind', values: ['nps', 'csat', 'ces'] }],
});

export const stgSurveysReviews = defineModel({
  name: 'stg_surveys__reviews',
  layer: 'staging',
  sql: 'sql/staging/stg_surveys__reviews.sql',
  materialized: 'view',
  grain: 'product review',
  uniqueKey: ['review_id'],
  tags: ['feedback', 'surveys'],
  description: 'Product reviews (1–5 stars with title and text); the reviewer as a pseudonymous customer key.',
  columns: {
    review_id: { type: 'VARCHAR', description: 'Review id.' },
    product_id: { type: 'VARCHAR', description: 'Reviewed product.' },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(customer_id): the shop customer key.', nullable: true },
    order_id: { type: 'VARCHAR', description: 'Order the product came with.', nullable: true },
    rating: { type: 'BIGINT', description: 'Stars, 1–5.' },
    title: { type: 'VARCHAR', description: 'Review title.', nullable: true },
    body: { type: 'VARCHAR', description: 'Review text.', nullable: true },
    lang: { type: 'VARCHAR', description: 'Language of the review, when the export says.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the review was written (UTC).' },
    is_verified_buyer: { type: 'BOOLEAN', description: 'The reviewer bought the product.', nullable: true },
  },
  tests: [{ kind: 'expression', expression: 'rating between 1 and 5' }],
});

/** The surveys staging models. */
export const SURVEYS_STAGING_MODELS = [stgSurveysResponses, stgSurveysReviews] as const;
