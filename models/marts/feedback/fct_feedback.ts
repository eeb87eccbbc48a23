/**
 * `marts.fct_feedback`: one row per customer text with its sentiment, language, themes and
 * complaint flag, scored in TypeScript by models/sentiment (each text when it arrives or changes: incremental by key).
 */
import { defineModel } from '../../engine/index.ts';
import { complaintTopics, extractTerms, isComplaint, scoreText, type SentimentResult } from '../../sentiment/index.ts';

/** How many of a text's terms are kept as its themes. */
export const THEMES_PER_TEXT = 5;

/**
 * Returns a text's top terms: distinct terms by how often the text uses them, then by first
 * appearance (so unigrams, which `extractTerms` lists first, win ties over bigrams).
 */
export function topTerms(terms: readonly string[], k = THEMES_PER_TEXT): string[] {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  // Map iteration is insertion order, and sort is stable: ties keep their first appearance.
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([term]) => term);
}

/** The scorer used for each text; tests pass a counting one. */
export type Scorer = (text: string, lang?: string) => SentimentResult;

/**
 * The text as published: e-mail addresses, @handles, phone numbers and URLs' query strings are
 * masked (names of people were already masked upstream where the platform gave them), and it is
 * cut to 280 characters. Reports show a few per theme.
 */
export function publishableText(text: string): string {
  const masked = text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/(^|[^\w])@[A-Za-z0-9_.]{2,}/g, '$1@user')
    .replace(/\+?\d[\d ().-]{7,}\d/g, '[phone]')
    .replace(/(https?:\/\/[^\s?#]+)\?[^\s#]*/g, '$1');
  return masked.length > 280 ? `${masked.slice(0, 279)}…` : masked;
}

/** Scores one input row of fct_feedback's SQL into its output row. */
export function scoreFeedbackRow(row: Record<string, unknown>, scorer: Scorer = scoreText): Record<string, unknown> {
  const text = String(row['text'] ?? '');
  const givenLang = typeof row['lang'] === 'string' && row['lang'].trim() !== '' ? row['lang'] : undefined;
  const sentiment = scorer(text, givenLang);
  const supported = sentiment.score !== null;
  return {
    text_id: row['text_id'],
    source: row['source'],
    kind: row['kind'],
    platform: row['platform'],
    channel: row['channel'],
    created_at: row['created_at'],
    day: row['day'],
    text: publishableText(text),
    lang: sentiment.lang,
    score: sentiment.score,
    label: sentiment.label,
    themes: supported ? topTerms(extractTerms(text, sentiment.lang)) : [],
    is_complaint: isComplaint(text, sentiment.score, sentiment.lang),
    complaint_topics: supported ? complaintTopics(text, sentiment.lang) : [],
    author_key: row['author_key'] ?? null,
    thread_id: row['thread_id'] ?? null,
    mentioned_brand: row['mentioned_brand'] ?? null,
    is_brand: false,
  };
}

export const fctFeedback = defineModel({
  name: 'fct_feedback',
  layer: 'marts',
  sql: 'sql/marts/fct_feedback.sql',
  materialized: 'incremental',
  grain: 'text (comment, reply, mention, message, review, ticket comment, survey answer)',
  uniqueKey: ['text_id'],
  tags: ['feedback'],
  description:
    'One row per customer text with its sentiment (VADER rules over per-language lexicons, score −1..1), language, themes and complaint flag. ' +
    "Label: positive when score ≥ 0.05, negative when ≤ −0.05, else neutral; 'unsupported' with a NULL score for languages without a lexicon (never a silent neutral). " +
    "Only customer texts are scored: the brand's own replies and posts are left out (is_brand is always false here). " +
    'Each text is scored when it arrives and again when it changes (incremental by text_id); texts that are gone leave the table; a change to the scorer needs a full refresh. The text is published masked (see text).',
  columns: {
    text_id: { type: 'VARCHAR', description: 'Unique text id (int_feedback_texts.text_id).' },
    text: { type: 'VARCHAR', description: 'The text with e-mail addresses, @handles, phone numbers and URL query strings masked (names were masked upstream where the platform gave them), at most 280 characters.' },
    source: { type: 'VARCHAR', description: 'Source connector.' },
    kind: { type: 'VARCHAR', description: 'comment, reply, mention, message, ticket_comment, survey_answer or review.' },
    platform: { type: 'VARCHAR', description: "Social platform, or 'zendesk', 'survey', 'shop'." },
    channel: { type: 'VARCHAR', description: "Where the text was written: the social platform, or 'zendesk', 'survey', 'shop'." },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the text was written (UTC).' },
    day: { type: 'DATE', description: 'Calendar day of created_at in the reporting time zone.' },
    lang: { type: 'VARCHAR', description: "Language the scorer used: the stated language, else the detected one; 'und' when the text gave no evidence (scored with English, whose lexicon holds emoji and slang)." },
    score: { type: 'DOUBLE', description: 'Compound sentiment score in −1..1; NULL when the language is unsupported.', nullable: true },
    label: { type: 'VARCHAR', description: "positive (score ≥ 0.05), negative (score ≤ −0.05), neutral, or unsupported (no lexicon for the language)." },
    themes: { type: 'VARCHAR[]', description: `The text's top ${THEMES_PER_TEXT} terms: stemmed content words and adjacent pairs, most frequent first (empty when unsupported).` },
    is_complaint: { type: 'BOOLEAN', description: 'Negative (score ≤ −0.05) and mentions something the brand can act on (product, delivery, billing, service, quality, size/fit, refund, app/website).' },
    complaint_topics: { type: 'VARCHAR[]', description: 'The complaint topic families the text mentions, whatever its sentiment.' },
    author_key: { type: 'VARCHAR', description: 'Pseudonymous key of the writer.', nullable: true },
    thread_id: { type: 'VARCHAR', description: "Conversation the text belongs to (social thread, 'zendesk:ticket:<id>').", nullable: true },
    mentioned_brand: { type: 'VARCHAR', description: 'Brand or competitor a mention names.', nullable: true },
    is_brand: { type: 'BOOLEAN', description: "Always false: the brand's own texts are not scored." },
  },
  tests: [
    { kind: 'accepted_values', column: 'label', values: ['positive', 'neutral', 'negative', 'unsupported'] },
    { kind: 'expression', name: 'score_in_range', expression: 'score is null or score between -1 and 1' },
    { kind: 'expression', name: 'label_matches_score', expression: "case when score is null then label = 'unsupported' when score >= 0.05 then label = 'positive' when score <= -0.05 then label = 'negative' else label = 'neutral' end" },
    { kind: 'expression', name: 'complaints_are_negative', expression: 'not is_complaint or score <= -0.05' },
  ],
  compute: {
    version: '2',
    run: (rows) => rows.map((row) => scoreFeedbackRow(row)),
    // Each text is scored on its own, so texts stream through in batches.
    batchRows: 5000,
  },
});
