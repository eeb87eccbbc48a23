/**
 * `intermediate.int_feedback_texts`: every feedback text of every source in one shape, the input
 * of sentiment scoring (`marts.fct_feedback`).
 */
import { defineModel } from '../../engine/index.ts';

export const intFeedbackTexts = defineModel({
  name: 'int_feedback_texts',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_feedback_texts.sql',
  materialized: 'table',
  grain: 'text',
  uniqueKey: ['text_id'],
  tags: ['feedback'],
  description:
    "Every feedback text in one shape: social comments, replies, mentions and messages (int_social_texts, brand's own texts included and flagged is_brand), " +
    "Zendesk end-users' public ticket comments (kind 'ticket_comment'), survey answers with a comment ('survey_answer') and product reviews ('review', title and body). " +
    "For non-social texts platform = channel = 'zendesk', 'survey' or 'shop'. Holds free text, so it stays in the warehouse (not published).",
  columns: {
    text_id: { type: 'VARCHAR', description: "Unique text id, prefixed by origin: 'facebook:comment:…', 'zendesk:comment:…', 'survey:…', 'review:…'." },
    source: { type: 'VARCHAR', description: 'Source connector: a social platform source, zendesk or surveys.' },
    platform: { type: 'VARCHAR', description: "Social platform (facebook, instagram, x, linkedin, youtube), or 'zendesk', 'survey', 'shop' for other texts." },
    channel: { type: 'VARCHAR', description: "Where the text was written: the social platform, or 'zendesk', 'survey', 'shop'." },
    kind: { type: 'VARCHAR', description: 'comment, reply, mention, message, ticket_comment, survey_answer or review.' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the text was written (UTC).' },
    text: { type: 'VARCHAR', description: 'The text itself.' },
    lang: { type: 'VARCHAR', description: 'Language the source states (ISO 639-1 or a tag), else NULL (detected when scored). Zendesk comments: NULL (a user locale is not the language of a text).', nullable: true },
    author_key: { type: 'VARCHAR', description: 'Pseudonymous key of the writer: social author key; for Zendesk the shop customer key when known, else the Zendesk user key; survey/review customer key.', nullable: true },
    is_brand: { type: 'BOOLEAN', description: "The brand's own account wrote it (only social texts can be true)." },
    thread_id: { type: 'VARCHAR', description: "Conversation the text belongs to: social thread, or 'zendesk:ticket:<id>'.", nullable: true },
    parent_text_id: { type: 'VARCHAR', description: 'The text this one replies to (social).', nullable: true },
    mentioned_brand: { type: 'VARCHAR', description: 'Brand or competitor a mention names (social).', nullable: true },
  },
  tests: [
    { kind: 'accepted_values', column: 'kind', values: ['comment', 'reply', 'mention', 'message', 'ticket_comment', 'survey_answer', 'review'] },
  ],
});
