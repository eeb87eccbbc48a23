/**
 * Language codes the sentiment library understands, and how caller-supplied tags map onto them.
 */

/** Languages natural ships a sentiment vocabulary for, so `scoreText` can score them. */
export const SENTIMENT_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'ca', 'gl', 'eu'] as const;

/** An ISO 639-1 code `scoreText` can score. */
export type SentimentLanguage = (typeof SENTIMENT_LANGUAGES)[number];

/** The code used when a text carries no language evidence at all (emoji only, a bare "lol"). */
export const UNDETERMINED = 'und';

const SUPPORTED: ReadonlySet<string> = new Set(SENTIMENT_LANGUAGES);

/** Tells whether `code` (already normalised) is a language with a sentiment vocabulary. */
export function isSentimentLanguage(code: string): code is SentimentLanguage {
  return SUPPORTED.has(code);
}

/**
 * Reduces a BCP 47-ish tag to its lower-case primary subtag: "en-US" → "en", "pt_BR" → "pt",
 * " FR " → "fr"; an empty tag gives "und".
 */
export function normalizeLanguageTag(tag: string): string {
  const trimmed = tag.trim().toLowerCase();
  if (trimmed === '') return UNDETERMINED;
  const cut = trimmed.search(/[-_]/);
  return cut === -1 ? trimmed : trimmed.slice(0, cut);
}
