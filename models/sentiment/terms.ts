/**
 * Turns a post into the stemmed terms themes are counted over: content words and adjacent
 * content-word pairs, with stop words, emoji, numbers and mentions removed.
 */
import { normalizeLanguageTag } from './languages.ts';
import { loadStemmer, loadStopwords, type Stemmer } from './natural-assets.ts';
import { createTokenList, tokenize } from './tokenize.ts';

// Social-media fillers natural's stop-word lists lack; they would otherwise top every theme list.
const SOCIAL_FILLERS: ReadonlySet<string> = new Set([
  'lol', 'lmao', 'omg', 'tbh', 'imo', 'imho', 'ngl', 'idk', 'btw', 'pls', 'plz', 'thx', 'yo', 'ya', 'yeah',
  'yes', 'ok', 'okay', 'oh', 'ah', 'hmm', 'ugh', 'haha', 'im', 'ive', 'dont', 'cant', 'wont', 'didnt',
  'doesnt', 'isnt', 'just', 'got', 'get', 'really', 'still', 'now', 'one', 'also', 'even', 'guys', 'rt',
  'jaja', 'jajaja', 'kkk', 'mdr', 'xd', 'amp',
]);

// Pairs are formed across at most this many removed stop words ("delivery was late" →
// "delivery late"), never across a clause break.
const MAX_BIGRAM_GAP = 2;
const STEM_CACHE_LIMIT = 100_000;

interface TermLanguage {
  stopwords: ReadonlySet<string>;
  stemmer: Stemmer | null;
  stems: Map<string, string>;
}

const languages = new Map<string, TermLanguage>();

function termLanguage(lang: string): TermLanguage {
  let entry = languages.get(lang);
  if (entry === undefined) {
    entry = { stopwords: loadStopwords(lang), stemmer: loadStemmer(lang), stems: new Map() };
    languages.set(lang, entry);
  }
  return entry;
}

/** Returns natural's stem of a lower-case word for `lang` (the word itself without a stemmer). */
export function stemWord(word: string, lang: string): string {
  const entry = termLanguage(normalizeLanguageTag(lang));
  return stemWith(entry, word);
}

function stemWith(entry: TermLanguage, word: string): string {
  if (entry.stemmer === null) return word;
  let stem = entry.stems.get(word);
  if (stem === undefined) {
    stem = entry.stemmer.stem(word).toLowerCase();
    if (entry.stems.size >= STEM_CACHE_LIMIT) entry.stems.clear();
    entry.stems.set(word, stem);
  }
  return stem;
}

function isContentWord(word: string, stopwords: ReadonlySet<string>): boolean {
  if (word.length < 2 || stopwords.has(word) || SOCIAL_FILLERS.has(word)) return false;
  const c = word.charCodeAt(0);
  // letters only at the start: drops emoji, emoticons and numbers ("3", "10/10")
  if (!((c >= 97 && c <= 122) || (c >= 0xc0 && c < 0xd800))) return false;
  // contractions ("it's", "don't") and split elisions ("l'") are function words
  return !word.includes("'");
}

const buffer = createTokenList(128);

/**
 * Returns the stemmed terms of `text`: each content word's stem and, for neighbouring content
 * words of the same clause, the pair "stem1 stem2", in order of appearance with repeats kept
 * (term frequency matters to TF-IDF). Stems come from natural (Porter for English, natural's
 * Spanish, Portuguese, French, German, Italian, Dutch, Indonesian… stemmers); languages natural
 * cannot stem (Catalan, Galician, Basque) keep lower-cased words.
 *
 * @example extractTerms("The delivery was late again!", "en") // ["deliveri", "late", "deliveri late"]
 */
export function extractTerms(text: string, lang: string): string[] {
  const entry = termLanguage(normalizeLanguageTag(lang));
  const tokens = tokenize(text, buffer);
  const unigrams: string[] = [];
  const bigrams: string[] = [];
  let previous = '';
  let gap = 0;
  for (let i = 0; i < tokens.count; i++) {
    const word = tokens.words[i] ?? '';
    if (isContentWord(word, entry.stopwords)) {
      const stem = stemWith(entry, word);
      unigrams.push(stem);
      if (previous !== '' && gap <= MAX_BIGRAM_GAP && previous !== stem) bigrams.push(`${previous} ${stem}`);
      previous = stem;
      gap = 0;
    } else {
      gap++;
    }
    if (tokens.clauseEnd[i] === 1) previous = '';
  }
  return unigrams.concat(bigrams);
}
