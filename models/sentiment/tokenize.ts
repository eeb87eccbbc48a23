/**
 * Splits a post into words, emoji and emoticons in one pass over its characters, keeping what
 * sentiment rules need: contractions ("don't"), ALL-CAPS flags, clause breaks and the counts of
 * "!" and "?". URLs and @mentions are dropped; hashtags keep their word.
 */
import { EMOTICONS } from './social-lexicon.ts';

/**
 * A reusable token buffer. Scoring calls reuse one buffer so a text costs no array allocations;
 * `count` says how many entries of the arrays are valid.
 */
export interface TokenList {
  count: number;
  /** Lower-cased words, bare emoji code points, or emoticons as written. */
  words: string[];
  /** 1 when the word was written in capitals (at least two letters, no lower-case one). */
  allCaps: Uint8Array;
  /** 1 when a clause ends after the token (. , ; : ! ? newline, brackets). */
  clauseEnd: Uint8Array;
  exclamations: number;
  questions: number;
  /** How many words were ALL CAPS, and how many had any cased letter (VADER's "cap differential"). */
  capsWords: number;
  casedWords: number;
}

/** Creates an empty token buffer that grows on demand. */
export function createTokenList(capacity = 64): TokenList {
  return {
    count: 0,
    words: new Array<string>(capacity).fill(''),
    allCaps: new Uint8Array(capacity),
    clauseEnd: new Uint8Array(capacity),
    exclamations: 0,
    questions: 0,
    capsWords: 0,
    casedWords: 0,
  };
}

// French, Italian and Catalan elide articles and pronouns into the next word ("l'app",
// "n'aime", "dell'ordine"); splitting them lets the lexicon see "app"/"aime" and the rules see
// the negator "n'". English contractions ("don't", "y'all") never start with these prefixes.
const ELISION_PREFIXES: ReadonlySet<string> = new Set([
  "l'", "d'", "j'", "n'", "c'", "s'", "m'", "t'", "qu'", "un'", "dell'", "nell'", "dall'", "sull'", "all'", "quell'", "po'",
]);

// Character classes for code units below 128: 1 letter, 2 digit.
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 2;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
ASCII_CLASS[95] = 0;

/** Tells whether a UTF-16 code unit belongs inside a word (letters, digits, combining marks). */
function isWordUnit(c: number): boolean {
  if (c < 128) return ASCII_CLASS[c] !== 0;
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c <= 0x24f) return c !== 0xd7 && c !== 0xf7;
  if (c < 0x2000) return c >= 0x250;
  if (c < 0x3040) return false;
  return c <= 0x9fff || (c >= 0xac00 && c <= 0xd7af);
}

// Emoticon lookup is keyed by the first two characters so ordinary punctuation ("-", "(")
// costs one Set probe instead of substring allocations.
const EMOTICON_PREFIXES = new Set<number>();
let longestEmoticon = 0;
for (const e of Object.keys(EMOTICONS)) {
  EMOTICON_PREFIXES.add(e.charCodeAt(0) * 65536 + e.charCodeAt(1));
  longestEmoticon = Math.max(longestEmoticon, e.length);
}

function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000;
}

function isAlnumAt(text: string, i: number): boolean {
  return i < text.length && isWordUnit(text.charCodeAt(i));
}

function push(t: TokenList, word: string, caps: number): void {
  if (t.count === t.words.length) {
    const size = t.count * 2;
    t.words.length = size;
    t.words.fill('', t.count);
    const caps2 = new Uint8Array(size);
    caps2.set(t.allCaps);
    t.allCaps = caps2;
    const ends2 = new Uint8Array(size);
    ends2.set(t.clauseEnd);
    t.clauseEnd = ends2;
  }
  t.words[t.count] = word;
  t.allCaps[t.count] = caps;
  t.clauseEnd[t.count] = 0;
  t.count++;
}

function endClause(t: TokenList): void {
  if (t.count > 0) t.clauseEnd[t.count - 1] = 1;
}

/** Returns the index after the end of the whitespace-delimited chunk starting at `i`. */
function skipChunk(text: string, i: number): number {
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Returns the emoticon written at `i`, or '' when none is. */
function matchEmoticon(text: string, i: number): string {
  if (!EMOTICON_PREFIXES.has(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1))) return '';
  for (let len = Math.min(longestEmoticon, text.length - i); len >= 2; len--) {
    const candidate = text.slice(i, i + len);
    if (EMOTICONS[candidate] === undefined) continue;
    // ":P" inside "Note:Please" is not an emoticon; neither is "):" closing "(see above):".
    if (isAlnumAt(text, i + len) && isWordUnit(candidate.charCodeAt(len - 1))) continue;
    const first = candidate.charCodeAt(0);
    if ((first === 40 || first === 41 || first === 45) && i > 0 && !isSpace(text.charCodeAt(i - 1))) continue;
    return candidate;
  }
  return '';
}

/**
 * Tokenizes `text` into `into` (reset first) and returns it.
 *
 * @example tokenize("I DON'T love it :( #fail").words.slice(0, 6) // ["i","don't","love","it",":(","fail"]
 */
export function tokenize(text: string, into: TokenList = createTokenList()): TokenList {
  const t = into;
  t.count = 0;
  t.exclamations = 0;
  t.questions = 0;
  t.capsWords = 0;
  t.casedWords = 0;
  // One toLowerCase per text instead of per token; when lower-casing changes the length
  // ("İ" → "i̇") offsets no longer line up and tokens are lower-cased one by one.
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10 || c === 13) endClause(t);
      i++;
      continue;
    }
    const chunkStart = i === 0 || isSpace(text.charCodeAt(i - 1));
    if (isWordUnit(c)) {
      if (chunkStart && (c === 104 || c === 72 || c === 119 || c === 87)) {
        if (lower.startsWith('http://', i) || lower.startsWith('https://', i) || lower.startsWith('www.', i)) {
          i = skipChunk(text, i);
          continue;
        }
      }
      const start = i;
      let upper = 0;
      let lowerCount = 0;
      let curly = false;
      let apostrophe = -1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < 128) {
          const cls = ASCII_CLASS[d];
          if (cls === 1) {
            if (d <= 90) upper++;
            else lowerCount++;
            i++;
            continue;
          }
          if (cls === 2) {
            i++;
            continue;
          }
          // apostrophes and hyphens inside a word ("don't", "rip-off"), decimal points in numbers
          if ((d === 39 || d === 45) && i > start && isAlnumAt(text, i + 1)) {
            if (d === 39 && apostrophe < 0) apostrophe = i - start;
            i++;
            continue;
          }
          if ((d === 46 || d === 44) && ASCII_CLASS[text.charCodeAt(i - 1)] === 2 && ASCII_CLASS[text.charCodeAt(i + 1) | 0] === 2) {
            i++;
            continue;
          }
          break;
        }
        if (d === 0x2019 && i > start && isAlnumAt(text, i + 1)) {
          curly = true;
          if (apostrophe < 0) apostrophe = i - start;
          i++;
          continue;
        }
        if (!isWordUnit(d)) break;
        if ((d >= 0xc0 && d <= 0xde) || (d >= 0x410 && d <= 0x42f)) upper++;
        else if ((d >= 0xdf && d <= 0xff) || (d >= 0x430 && d <= 0x44f)) lowerCount++;
        i++;
      }
      let word = sameLength ? lower.slice(start, i) : text.slice(start, i).toLowerCase();
      if (curly) word = word.replace(/\u2019/g, "'");
      const caps = upper >= 2 && lowerCount === 0 ? 1 : 0;
      if (upper + lowerCount > 0) t.casedWords++;
      t.capsWords += caps;
      if (apostrophe > 0 && apostrophe <= 5 && word.length - apostrophe > 2 && ELISION_PREFIXES.has(word.slice(0, apostrophe + 1))) {
        push(t, word.slice(0, apostrophe + 1), caps);
        push(t, word.slice(apostrophe + 1), caps);
      } else {
        push(t, word, caps);
      }
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const cp = text.codePointAt(i) ?? 0;
      // skin-tone modifiers and tags refine the previous emoji; they carry no sentiment
      if (cp >= 0x1f000 && cp <= 0x1faff && !(cp >= 0x1f3fb && cp <= 0x1f3ff)) push(t, text.slice(i, i + 2), 0);
      i += 2;
      continue;
    }
    if (c >= 0x2190 && c <= 0x2bff) {
      push(t, text[i] ?? '', 0);
      i++;
      continue;
    }
    if (c === 64 && chunkStart) {
      i = skipChunk(text, i);
      continue;
    }
    if (c < 128 && i + 1 < n) {
      const emoticon = matchEmoticon(text, i);
      if (emoticon !== '') {
        push(t, emoticon, 0);
        i += emoticon.length;
        continue;
      }
    }
    if (c === 33) {
      t.exclamations++;
      endClause(t);
    } else if (c === 63) {
      t.questions++;
      endClause(t);
    } else if (c === 46 || c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 0x2026 || c === 0xa1 || c === 0xbf) {
      endClause(t);
    }
    i++;
  }
  return t;
}
