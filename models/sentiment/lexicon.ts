/**
 * Compiles, once per language, everything the scorer looks up per token into one Map: a word's
 * valence (VADER scale, -4..4) and its role (negator, booster, contrast, idiom start).
 */
import { CORE_WORDS } from './core-lexicon.ts';
import { BOOST, languageRules } from './language-rules.ts';
import type { SentimentLanguage } from './languages.ts';
import { loadAfinnEnglish, loadAfinnShort, loadPattern, loadSenticon, loadStemmer, type Stemmer } from './natural-assets.ts';
import { EMOJI, EMOTICONS, ENGLISH_IDIOMS, LAUGHTER, SOCIAL_WORDS, type Idiom } from './social-lexicon.ts';

/** Role bits of a word. */
export const ROLE_NEGATOR = 1;
export const ROLE_POST_NEGATOR = 2;
export const ROLE_BOOSTER = 4;
export const ROLE_CONTRAST = 8;
export const ROLE_IDIOM = 16;
/** Comparatives ("better", "happier"): "never better", "couldn't be happier" praise, not negate. */
export const ROLE_COMPARATIVE = 32;

/** What the scorer knows about one token. */
export interface WordInfo {
  /** Valence on VADER's -4..4 scale; 0 when the word carries none. */
  valence: number;
  /** Bitwise OR of the ROLE_* constants. */
  role: number;
  /** Booster increment (±0.293) when ROLE_BOOSTER is set. */
  scalar: number;
}

/** A language's compiled vocabulary and rules. */
export interface CompiledLexicon {
  lang: SentimentLanguage;
  /** Returns what is known about a lower-cased token (never undefined; unknown words get NO_INFO). */
  info(word: string): WordInfo;
  /** Idioms starting with `word`, longest first. */
  idioms(word: string): readonly Idiom[];
  /** Whether any word ending in "n't" negates. */
  apostropheNegation: boolean;
}

/** The shared record for words with no valence and no role. */
export const NO_INFO: WordInfo = Object.freeze({ valence: 0, role: 0, scalar: 0 });

// natural's AFINN lists rate -5..5; VADER's human ratings run -4..4.
const AFINN_TO_VADER = 0.8;
// senticon and Pattern polarities run -1..1. ×3 puts "good" (Pattern 0.7) at 2.1, near
// VADER's 1.9, and "perfect" (1.0) at 3.0, near VADER's 2.7.
const POLARITY_TO_VADER = 3;
// Pattern's English list rates many plain descriptors ("new" 0.5, "more" 0.5); only opinionated
// entries are used, and only where AFINN has no rating.
const PATTERN_MIN_SUBJECTIVITY = 0.6;
const PATTERN_MIN_POLARITY = 0.3;
// Unknown-word lookups (elongations, inflections) are cached; the cache is dropped when it
// grows past this many entries so a stream of novel tokens cannot grow memory without bound.
const UNKNOWN_CACHE_LIMIT = 200_000;

function isSingleWord(key: string): boolean {
  return key.length > 0 && !key.includes(' ') && !key.includes('_');
}

/** Builds word → valence for a language from natural's vocabularies plus our supplements. */
function baseValences(lang: SentimentLanguage): Map<string, number> {
  const out = new Map<string, number>();
  const setFromPolarity = (entries: Map<string, number>, onlyMissing: boolean): void => {
    for (const [raw, polarity] of entries) {
      const word = raw.toLowerCase();
      if (!isSingleWord(word) || polarity === 0 || Number.isNaN(polarity)) continue;
      // Pattern lists the same form twice in places ("FALSO"/"falso"): the lower-case key wins.
      if (out.has(word) && (onlyMissing || raw !== word)) continue;
      out.set(word, polarity * POLARITY_TO_VADER);
    }
  };
  const setAfinn = (entries: Readonly<Record<string, number>>): void => {
    for (const [word, v] of Object.entries(entries)) if (isSingleWord(word)) out.set(word.toLowerCase(), v * AFINN_TO_VADER);
  };
  switch (lang) {
    case 'en': {
      setAfinn(loadAfinnEnglish());
      const pattern = loadPattern('en');
      for (const [word, e] of pattern) {
        if (out.has(word) || !isSingleWord(word)) continue;
        if (e.subjectivity >= PATTERN_MIN_SUBJECTIVITY && Math.abs(e.polarity) >= PATTERN_MIN_POLARITY) {
          out.set(word, e.polarity * POLARITY_TO_VADER);
        }
      }
      break;
    }
    case 'es':
      setAfinn(loadAfinnShort('es'));
      setFromPolarity(loadSenticon('es'), true);
      break;
    case 'pt':
      setAfinn(loadAfinnShort('pt'));
      break;
    case 'fr':
    case 'de':
    case 'it':
    case 'nl': {
      const pattern = new Map<string, number>();
      for (const [word, e] of loadPattern(lang)) pattern.set(word, e.polarity);
      setFromPolarity(pattern, false);
      break;
    }
    case 'ca':
    case 'gl':
    case 'eu':
      setFromPolarity(loadSenticon(lang), false);
      break;
  }
  const supplements = [lang === 'en' ? SOCIAL_WORDS : {}, CORE_WORDS[lang], LAUGHTER, EMOTICONS, EMOJI];
  for (const extra of supplements) for (const [word, v] of Object.entries(extra)) out.set(word, v);
  return out;
}

/** Maps each stem to the mean valence of the words sharing it, when they agree in sign. */
function stemIndex(valences: Map<string, number>, stemmer: Stemmer): Map<string, number> {
  const sums = new Map<string, { sum: number; count: number; pos: number; neg: number }>();
  for (const [word, v] of valences) {
    if (word.length < 4 || v === 0) continue;
    const stem = stemmer.stem(word);
    const s = sums.get(stem) ?? { sum: 0, count: 0, pos: 0, neg: 0 };
    s.sum += v;
    s.count++;
    if (v > 0) s.pos++;
    else s.neg++;
    sums.set(stem, s);
  }
  const out = new Map<string, number>();
  // A stem shared by positive and negative words ("pass" ← "passion", "passive") says nothing.
  for (const [stem, s] of sums) if (s.pos === 0 || s.neg === 0) out.set(stem, s.sum / s.count);
  return out;
}

/** Collapses runs of 3+ identical characters to `keep` characters ("gooood" → "good"/"god"). */
function collapseRuns(word: string, keep: number): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < word.length; i++) {
    run = i > 0 && word[i] === word[i - 1] ? run + 1 : 1;
    if (run <= keep) out += word[i];
  }
  return out;
}

function hasRun(word: string): boolean {
  for (let i = 2; i < word.length; i++) if (word[i] === word[i - 1] && word[i] === word[i - 2]) return true;
  return false;
}

function isLetterStart(word: string): boolean {
  const c = word.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0xd800);
}

/**
 * Returns the lexicon entry of an English comparative or superlative's base ("happier" → "happy",
 * "bigger" → "big", "nicest" → "nice"), or undefined when the word is not one. Porter stemming
 * does not map these ("happier" stays "happier").
 */
function englishComparativeBase(word: string, known: Map<string, WordInfo>): WordInfo | undefined {
  const suffix = word.endsWith('er') ? 2 : word.endsWith('est') ? 3 : 0;
  if (suffix === 0 || word.length < suffix + 3) return undefined;
  const stem = word.slice(0, -suffix);
  const candidates = stem.endsWith('i')
    ? [stem.slice(0, -1) + 'y']
    : [stem, stem + 'e', stem.length > 2 && stem.at(-1) === stem.at(-2) ? stem.slice(0, -1) : ''];
  for (const base of candidates) {
    const info = base === '' ? undefined : known.get(base);
    if (info !== undefined && info.valence !== 0) return info;
  }
  return undefined;
}

function compile(lang: SentimentLanguage): CompiledLexicon {
  const rules = languageRules(lang);
  const known = new Map<string, WordInfo>();
  const entry = (word: string): WordInfo => {
    let info = known.get(word);
    if (info === undefined) {
      info = { valence: 0, role: 0, scalar: 0 };
      known.set(word, info);
    }
    return info;
  };
  const valences = baseValences(lang);
  for (const [word, v] of valences) entry(word).valence = v;
  for (const w of rules.negators) entry(w).role |= ROLE_NEGATOR;
  for (const w of rules.postNegators) entry(w).role |= ROLE_POST_NEGATOR;
  for (const [w, scalar] of Object.entries(rules.boosters)) {
    const info = entry(w);
    info.role |= ROLE_BOOSTER;
    info.scalar = scalar;
  }
  for (const w of rules.contrast) entry(w).role |= ROLE_CONTRAST;
  const idiomsByFirst = new Map<string, Idiom[]>();
  if (lang === 'en') {
    for (const [word, info] of known) {
      if (info.valence !== 0 && (word === 'better' || word === 'worse' || englishComparativeBase(word, known) !== undefined)) {
        info.role |= ROLE_COMPARATIVE;
      }
    }
    for (const idiom of ENGLISH_IDIOMS) {
      const first = idiom.words[0] ?? '';
      entry(first).role |= ROLE_IDIOM;
      const list = idiomsByFirst.get(first) ?? [];
      list.push(idiom);
      list.sort((a, b) => b.words.length - a.words.length);
      idiomsByFirst.set(first, list);
    }
  }

  const stemmer = loadStemmer(lang);
  let stems: Map<string, number> | null = null;

  // Resolves a word missing from the compiled map: elongated spellings ("sooo", "loooove") get
  // the base word's role and valence plus one booster step of emphasis; inflected forms get the
  // mean valence of their stem; "n't" forms negate in English.
  const resolve = (word: string): WordInfo => {
    if (hasRun(word)) {
      for (const keep of [2, 1]) {
        const base = known.get(collapseRuns(word, keep));
        if (base === undefined) continue;
        const v = base.valence;
        return { valence: v === 0 ? 0 : v + (v > 0 ? BOOST : -BOOST), role: base.role, scalar: base.scalar };
      }
    }
    if (rules.apostropheNegation && word.endsWith("n't")) return { valence: 0, role: ROLE_NEGATOR, scalar: 0 };
    if (lang === 'en') {
      const base = englishComparativeBase(word, known);
      if (base !== undefined) return { valence: base.valence, role: ROLE_COMPARATIVE, scalar: 0 };
    }
    if (stemmer !== null && word.length >= 4 && isLetterStart(word)) {
      stems ??= stemIndex(valences, stemmer);
      const v = stems.get(stemmer.stem(word));
      if (v !== undefined) return { valence: v, role: 0, scalar: 0 };
    }
    return NO_INFO;
  };

  // One Map answers every lookup: the compiled words plus resolved unknown words. When too many
  // unknowns have accumulated, it is reset to the compiled words, bounding memory on endless
  // streams of novel tokens.
  let cache = new Map(known);
  let unknownCount = 0;
  return {
    lang,
    apostropheNegation: rules.apostropheNegation,
    info(word: string): WordInfo {
      const hit = cache.get(word);
      if (hit !== undefined) return hit;
      const resolved = resolve(word);
      if (unknownCount >= UNKNOWN_CACHE_LIMIT) {
        cache = new Map(known);
        unknownCount = 0;
      }
      cache.set(word, resolved);
      unknownCount++;
      return resolved;
    },
    idioms(word: string): readonly Idiom[] {
      return idiomsByFirst.get(word) ?? [];
    },
  };
}

const compiled = new Map<SentimentLanguage, CompiledLexicon>();

/** Returns the compiled lexicon for `lang`, building it on first use (tens of milliseconds). */
export function lexiconFor(lang: SentimentLanguage): CompiledLexicon {
  let lexicon = compiled.get(lang);
  if (lexicon === undefined) {
    lexicon = compile(lang);
    compiled.set(lang, lexicon);
  }
  return lexicon;
}
