/**
 * Sentiment, language, theme and complaint analysis for social-media posts.
 *
 * @example
 * const s = scoreText("don't love the new app 😡");          // { score: -0.78, label: 'negative', lang: 'en' }
 * const terms = extractTerms("don't love the new app", s.lang); // ["love", "new", "app", …]
 * isComplaint("don't love the new app", s.score, s.lang);      // true
 */
export { labelFor, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, scoreMany, scoreText, vocabularyCoverage } from './score.ts';
export type { ScoredSentiment, ScoreOptions, SentimentResult, UnsupportedSentiment } from './score.ts';
export { detectLanguage, DETECTABLE_LANGUAGES } from './detect-language.ts';
export { isSentimentLanguage, normalizeLanguageTag, SENTIMENT_LANGUAGES, UNDETERMINED } from './languages.ts';
export type { SentimentLanguage } from './languages.ts';
export { tokenize, createTokenList } from './tokenize.ts';
export type { TokenList } from './tokenize.ts';
export { extractTerms, stemWord } from './terms.ts';
export { complaintTopics, isComplaint } from './complaints.ts';
export type { ComplaintTopic } from './complaints.ts';
export { themeGrowth, topThemes } from './themes.ts';
export type { Theme, ThemeDoc, ThemeGrowth, ThemeGrowthOptions, ThemeOptions } from './themes.ts';
export { evaluateRatedTexts, pearson, readRatedTexts } from './eval-set.ts';
export type { EvaluationReport, RatedText } from './eval-set.ts';
