/**
 * Scores the sentiment of a social-media post with VADER's rules (Hutto & Gilbert 2014) over
 * natural's vocabularies: lexicon valence, boosters and dampeners, ALL-CAPS emphasis, negation of
 * the three preceding words, "but" contrast, "least", idioms, "!" and "?" emphasis, and the
 * normalisation score / sqrt(score² + 15).
 */
import { detectLanguageOfTokens } from './detect-language.ts';
import { isSentimentLanguage, normalizeLanguageTag, UNDETERMINED, type SentimentLanguage } from './languages.ts';
import {
  lexiconFor,
  ROLE_BOOSTER,
  ROLE_COMPARATIVE,
  ROLE_CONTRAST,
  ROLE_IDIOM,
  ROLE_NEGATOR,
  ROLE_POST_NEGATOR,
  type CompiledLexicon,
  type WordInfo,
} from './lexicon.ts';
import { createTokenList, tokenize, type TokenList } from './tokenize.ts';

/** The sentiment of a text in a language we have a vocabulary for. */
export interface ScoredSentiment {
  /** Compound score in [-1, 1]. */
  score: number;
  label: 'positive' | 'negative' | 'neutral';
  /** ISO 639-1 code used for scoring, or "und" when the text had no language evidence. */
  lang: string;
}

/**
 * The result for a language with no vocabulary (Indonesian, Japanese, …). The score is null,
 * not 0, so averages and correlations skip these texts instead of counting them as neutral.
 */
export interface UnsupportedSentiment {
  score: null;
  label: 'unsupported';
  lang: string;
}

/** What `scoreText` returns. */
export type SentimentResult = ScoredSentiment | UnsupportedSentiment;

/** Compound scores at or above this are positive (VADER's recommended threshold). */
export const POSITIVE_THRESHOLD = 0.05;
/** Compound scores at or below this are negative. */
export const NEGATIVE_THRESHOLD = -0.05;

// VADER's constants.
const CAPS_INCREMENT = 0.733;
const NEGATION_SCALAR = -0.74;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAMATION_STEP = 0.292;
const MAX_EXCLAMATIONS = 4;
const QUESTION_STEP = 0.18;
const MAX_QUESTION_EMPHASIS = 0.96;
const NORMALIZATION_ALPHA = 15;
// A booster two or three words away counts a little less than one right before the word.
const DISTANCE_DECAY = [1, 0.95, 0.9] as const;
const WINDOW = 3;

/** Maps a compound score to its label with VADER's ±0.05 thresholds. */
export function labelFor(score: number): 'positive' | 'negative' | 'neutral' {
  if (score >= POSITIVE_THRESHOLD) return 'positive';
  if (score <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

// Scratch buffers reused across calls: scoring is synchronous, so one set per process suffices
// and a text allocates only its token strings.
const tokens: TokenList = createTokenList(128);
let valences = new Float64Array(128);
let negated = new Uint8Array(128);
let infos: WordInfo[] = [];

function ensureCapacity(n: number): void {
  if (valences.length >= n) return;
  const size = Math.max(n, valences.length * 2);
  valences = new Float64Array(size);
  negated = new Uint8Array(size);
}

/** Tells whether a token is a word rather than an emoji or emoticon. */
function isWordToken(token: string): boolean {
  const c = token.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2000) || (c >= 48 && c <= 57);
}

/**
 * Applies boosters and negation from the up-to-three words before position `i` of the same
 * clause to valence `v`.
 */
function applyPrecedingModifiers(v: number, i: number, capDiff: boolean): number {
  const words = tokens.words;
  const comparative = ((infos[i] as WordInfo).role & ROLE_COMPARATIVE) !== 0;
  let negate = false;
  for (let k = 1; k <= WINDOW; k++) {
    const j = i - k;
    // Modifiers do not reach across a clause break: "not sure. great" is not "not great".
    if (j < 0 || tokens.clauseEnd[j] === 1) break;
    const info = infos[j] as WordInfo;
    if (info.role & ROLE_CONTRAST) break;
    if (info.role & ROLE_BOOSTER) {
      let s = v > 0 ? info.scalar : -info.scalar;
      if (capDiff && tokens.allCaps[j] === 1) s += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
      v += s * (DISTANCE_DECAY[k - 1] ?? 0.9);
      continue;
    }
    if (info.role & ROLE_NEGATOR) {
      const w = words[j];
      // VADER: "never so good" / "never been this good" intensify; "without doubt" affirms.
      if (w === 'never' && (words[i - 1] === 'so' || words[i - 1] === 'this' || words[j + 1] === 'so')) {
        v *= 1.25;
        continue;
      }
      if (w === 'without' && k > 1 && words[j + 1] === 'doubt') continue;
      // "never looked better", "couldn't be happier": a negated comparative is a superlative.
      if (comparative && (w === 'never' || w === "couldn't" || w === 'couldnt' || w === "can't" || w === 'cant')) {
        v *= 1.25;
        continue;
      }
      negate = true;
    }
  }
  // One flip however many negators precede: French "ne … pas", or "not never". Emoji and
  // emoticons state the writer's mood, which "don't love it 😡" does not negate.
  if (negate && isWordToken(words[i] ?? '')) {
    v *= NEGATION_SCALAR;
    negated[i] = 1;
  }
  // VADER's "least" rule: "the least helpful" flips, "at least helpful" does not.
  if (i > 0 && words[i - 1] === 'least' && !(i > 1 && (words[i - 2] === 'at' || words[i - 2] === 'very'))) {
    v *= NEGATION_SCALAR;
  }
  return v;
}

/** Tells whether a sentiment-bearing token follows `i` within `span` tokens of the same clause. */
function sentimentFollows(i: number, span: number): boolean {
  for (let j = i + 1; j <= i + span && j < tokens.count; j++) {
    if ((infos[j] as WordInfo).valence !== 0 && ((infos[j] as WordInfo).role & ROLE_BOOSTER) === 0) return true;
    if (tokens.clauseEnd[j] === 1) break;
  }
  return false;
}

/** Returns the number of tokens an idiom starting at `i` covers (0 when none matches) and its valence. */
function matchIdiom(i: number, lex: CompiledLexicon): [number, number] {
  for (const idiom of lex.idioms(tokens.words[i] ?? '')) {
    const len = idiom.words.length;
    if (i + len > tokens.count) continue;
    let ok = true;
    for (let k = 1; k < len && ok; k++) ok = tokens.words[i + k] === idiom.words[k];
    if (ok) return [len, idiom.valence];
  }
  return [0, 0];
}

/** Computes the VADER compound score of the tokens in `tokens` with lexicon `lex`. */
function compound(lex: CompiledLexicon): number {
  const n = tokens.count;
  ensureCapacity(n);
  if (infos.length < n) infos = new Array<WordInfo>(n);
  let contrastAt = -1;
  for (let i = 0; i < n; i++) {
    const info = lex.info(tokens.words[i] ?? '');
    infos[i] = info;
    if (contrastAt < 0 && info.role & ROLE_CONTRAST) contrastAt = i;
  }
  // VADER's cap differential: capitals signal emphasis only when the rest of the text is not shouted.
  const capDiff = tokens.capsWords > 0 && tokens.capsWords < tokens.casedWords;

  for (let i = 0; i < n; i++) {
    valences[i] = 0;
    negated[i] = 0;
  }
  for (let i = 0; i < n; i++) {
    const info = infos[i] as WordInfo;
    let v = info.valence;
    let span = 1;
    if (info.role & ROLE_IDIOM) {
      const [len, idiomValence] = matchIdiom(i, lex);
      if (len > 0) {
        v = idiomValence;
        span = len;
      }
    }
    if (span === 1) {
      if (v === 0) continue;
      // A booster scores only when it stands alone ("Super!"); before a sentiment word it modifies it.
      if (info.role & ROLE_BOOSTER && sentimentFollows(i, 1)) continue;
      // VADER: "no" before a sentiment word is a negator, not a negative word itself.
      if (info.role & ROLE_NEGATOR && sentimentFollows(i, WINDOW)) continue;
    }
    if (v === 0) {
      i += span - 1;
      continue;
    }
    if (capDiff && tokens.allCaps[i] === 1) v += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
    v = applyPrecedingModifiers(v, i, capDiff);
    valences[i] = v;
    i += span - 1;
  }

  // Post-verbal negation ("das gefällt mir nicht", "j'aime pas"): a clause-final negator flips the
  // nearest earlier sentiment word of its clause unless that word was already negated.
  for (let i = 0; i < n; i++) {
    if (((infos[i] as WordInfo).role & ROLE_POST_NEGATOR) === 0 || sentimentFollows(i, 2)) continue;
    for (let j = i - 1; j >= i - WINDOW && j >= 0 && tokens.clauseEnd[j] !== 1; j--) {
      if (valences[j] === 0) continue;
      if (negated[j] === 0) {
        valences[j] = (valences[j] ?? 0) * NEGATION_SCALAR;
        negated[j] = 1;
      }
      break;
    }
  }

  let sum = 0;
  for (let i = 0; i < n; i++) {
    let v = valences[i] ?? 0;
    if (contrastAt >= 0) v *= i < contrastAt ? BEFORE_CONTRAST : i > contrastAt ? AFTER_CONTRAST : 1;
    sum += v;
  }
  if (sum === 0) return 0;
  // "!" and "?" amplify whatever direction the text already has.
  let emphasis = Math.min(tokens.exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_STEP;
  if (tokens.questions > 1) emphasis += tokens.questions <= 3 ? tokens.questions * QUESTION_STEP : MAX_QUESTION_EMPHASIS;
  sum += sum > 0 ? emphasis : -emphasis;
  const score = sum / Math.sqrt(sum * sum + NORMALIZATION_ALPHA);
  return score < -1 ? -1 : score > 1 ? 1 : score;
}

/** Options for `scoreText` and `scoreMany`. */
export interface ScoreOptions {
  /**
   * Language to score with when the text says nothing about its language ("und": emoji only,
   * bare slang). Defaults to "en", whose lexicon also holds the emoji, emoticons and slang.
   */
  fallbackLanguage?: SentimentLanguage;
}

/**
 * Counts the words (not emoji or emoticons) of `list` that `lang`'s vocabulary rates; the
 * language detector uses it to break ties. The first call per language compiles its lexicon.
 */
export function vocabularyCoverage(lang: string, list: TokenList): number {
  if (!isSentimentLanguage(lang)) return 0;
  const lex = lexiconFor(lang);
  let hits = 0;
  for (let i = 0; i < list.count; i++) {
    const word = list.words[i] ?? '';
    const c = word.charCodeAt(0);
    if (((c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2000)) && lex.info(word).valence !== 0) hits++;
  }
  return hits;
}

function scoreTokenized(text: string, lang: string | undefined, options: ScoreOptions | undefined): SentimentResult {
  tokenize(text, tokens);
  const code = lang === undefined ? detectLanguageOfTokens(tokens, vocabularyCoverage) : normalizeLanguageTag(lang);
  const scoringLang: string = code === UNDETERMINED ? (options?.fallbackLanguage ?? 'en') : code;
  if (!isSentimentLanguage(scoringLang)) return { score: null, label: 'unsupported', lang: code };
  const score = compound(lexiconFor(scoringLang));
  return { score, label: labelFor(score), lang: code };
}

/**
 * Scores the sentiment of one text. `lang` is an ISO 639-1 code or a tag such as "en-US"; when
 * omitted the language is detected. Languages without a vocabulary get
 * `{ score: null, label: 'unsupported' }`, never a silent neutral.
 *
 * @example scoreText("don't love it 😡") // { score: -0.78, label: 'negative', lang: 'en' }
 */
export function scoreText(text: string, lang?: string, options?: ScoreOptions): SentimentResult {
  return scoreTokenized(text, lang, options);
}

/**
 * Scores many texts; `langs` (same length, entries may be undefined) gives known languages.
 * Equivalent to mapping `scoreText`, provided for batch call sites.
 */
export function scoreMany(texts: readonly string[], langs?: readonly (string | undefined)[], options?: ScoreOptions): SentimentResult[] {
  const out = new Array<SentimentResult>(texts.length);
  for (let i = 0; i < texts.length; i++) out[i] = scoreTokenized(texts[i] ?? '', langs?.[i], options);
  return out;
}
