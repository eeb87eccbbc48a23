/**
 * Sentiment entries natural's vocabularies lack and social posts depend on: emoji, emoticons,
 * laughter, English slang and common misspellings, and multi-word idioms. Valences use VADER's
 * scale, -4 (extremely negative) .. +4 (extremely positive).
 */

/**
 * Emoji valences, language-independent. Keys are bare code points: the tokenizer drops variation
 * selectors, ZWJ and skin-tone modifiers, so "❤️" and "👍🏽" arrive as "❤" and "👍".
 */
export const EMOJI: Readonly<Record<string, number>> = {
  // faces, positive
  '😀': 2.0, '😃': 2.2, '😄': 2.3, '😁': 2.2, '😆': 2.0, '😅': 0.8, '🤣': 2.0, '😂': 1.6, '🙂': 1.2,
  '😊': 2.3, '😇': 2.0, '🥰': 3.0, '😍': 3.0, '🤩': 3.0, '😘': 2.6, '😗': 1.5, '😚': 2.0, '😙': 1.8,
  '😋': 2.3, '😛': 1.3, '😜': 1.5, '🤪': 1.2, '😝': 1.3, '🤗': 2.2, '😎': 2.0, '🥳': 2.8, '😌': 1.5,
  '☺': 2.2, '😉': 1.5, '😏': 0.3, '😺': 2.0, '😸': 2.0, '😹': 1.8, '😻': 3.0, '🤤': 1.5, '🥹': 1.8,
  // "upside-down face" is mostly sarcastic on social media
  '🙃': -0.6,
  // faces, negative
  '😞': -2.2, '😔': -1.8, '😟': -1.8, '😕': -1.3, '🙁': -1.6, '☹': -2.0, '😣': -2.0, '😖': -2.2,
  '😫': -2.2, '😩': -2.0, '🥺': -0.8, '😢': -2.2, '😭': -1.8, '😤': -2.0, '😠': -2.6, '😡': -3.0,
  '🤬': -3.4, '😱': -1.5, '😨': -1.8, '😰': -1.8, '😥': -1.5, '😓': -1.2, '🤯': -0.5, '😳': -0.5,
  '🤢': -2.5, '🤮': -2.8, '😷': -1.2, '🤒': -1.5, '🤕': -1.5, '😒': -1.8, '🙄': -1.8, '😑': -1.0,
  '😐': -0.5, '😬': -1.0, '🤦': -1.8, '🤷': -0.3, '👿': -2.0, '😪': -1.0, '🥱': -1.0, '🤡': -1.8,
  '🥴': -0.8, '😿': -2.0, '😾': -2.0, '🤥': -1.5, '🫤': -0.8, '🤨': -0.6, '😮': -0.2, '☠': -1.0,
  // hands and symbols
  '👍': 2.0, '👎': -2.2, '👏': 2.0, '🙌': 2.4, '💪': 2.0, '🙏': 1.5, '👌': 2.0, '✌': 1.5, '🤘': 2.0,
  '🤙': 1.5, '🫶': 2.8, '🤞': 1.0, '🖕': -3.0, '💃': 2.0, '🕺': 2.0,
  '❤': 3.0, '🧡': 2.8, '💛': 2.8, '💚': 2.8, '💙': 2.8, '💜': 2.8, '🖤': 1.5, '🤍': 2.5, '💕': 3.0,
  '💖': 3.0, '💗': 2.8, '💓': 2.8, '💞': 2.8, '💘': 2.6, '💝': 2.6, '♥': 3.0, '♡': 2.8, '💔': -2.6,
  // 🔥 means "excellent" far more often than "on fire" in brand mentions
  '🔥': 2.0, '✨': 1.5, '🌟': 2.0, '⭐': 1.8, '💯': 2.5, '🎉': 2.6, '🎊': 2.4, '🥂': 2.0, '🍾': 2.0,
  '🏆': 2.4, '🥇': 2.4, '👑': 2.0, '🌈': 1.5, '🌞': 1.8, '🌹': 1.8, '💐': 2.0, '🎁': 1.8, '✅': 1.5,
  '💩': -2.0, '❌': -1.2, '🚫': -1.2, '⚠': -0.8,
};

/**
 * Emoticons, matched verbatim (case-sensitive) by the tokenizer. Emoticons made only of letters
 * ("xD") are ordinary words and live in `SOCIAL_WORDS`.
 */
export const EMOTICONS: Readonly<Record<string, number>> = {
  ':)': 2.0, ':-)': 2.0, ':))': 2.3, ':)))': 2.5, '=)': 2.0, '(:': 2.0, ':]': 1.8, ':D': 2.3, ':-D': 2.3,
  '=D': 2.3, ';)': 1.5, ';-)': 1.5, ';D': 2.0, ':P': 1.3, ':-P': 1.3, ':p': 1.3, ';P': 1.3, ';p': 1.3,
  ':*': 2.0, ':-*': 2.0, '<3': 2.8, '<33': 2.9, '<333': 3.0, '^_^': 2.0, '^^': 1.8, '^.^': 1.8,
  '</3': -2.5, ':(': -2.0, ':-(': -2.0, ':((': -2.3, ':(((': -2.5, '):': -2.0, '=(': -2.0, ":'(": -2.2,
  ":'-(": -2.2, ':/': -1.0, ':-/': -1.0, ':\\': -1.0, ':|': -0.5, ':-|': -0.5, '>:(': -2.5, '>:-(': -2.5,
  ':@': -2.5, '-_-': -1.2, '-.-': -1.0, ':S': -1.0, ':s': -1.0, ":')": 1.8,
};

/** Laughter in the languages we score; shared because posts mix languages freely. */
export const LAUGHTER: Readonly<Record<string, number>> = {
  haha: 1.8, hahaha: 2.0, hahahaha: 2.2, hehe: 1.5, hihi: 1.3, jaja: 1.8, jajaja: 2.0, jajajaja: 2.2,
  jeje: 1.5, kkk: 1.5, kkkk: 1.8, kkkkk: 2.0, rsrs: 1.5, mdr: 1.8, ptdr: 1.8, xd: 2.0, xdd: 2.2,
};

/**
 * English social-media words AFINN lacks or rates for formal text: slang, abbreviations,
 * frequent misspellings, and product words that are opinions in brand mentions ("buggy").
 * These override AFINN where both exist (e.g. "fire" is praise in posts, not a hazard).
 */
export const SOCIAL_WORDS: Readonly<Record<string, number>> = {
  // laughter and reactions
  lol: 1.5, lmao: 1.8, lmfao: 1.8, rofl: 2.0, yay: 2.2, yass: 2.0, yas: 2.0, woohoo: 2.3, woot: 2.0,
  ugh: -1.6, ew: -1.5, eww: -1.8, yikes: -1.5, oof: -1.0, meh: -0.9, smh: -1.5, ffs: -2.0, fml: -2.4,
  bruh: -0.4, welp: -0.6, hmm: -0.1, hmph: -1.0, grr: -1.8, argh: -1.8, phew: 0.8,
  // slang
  lit: 2.0, fire: 1.8, slaps: 2.0, slay: 2.0, slayed: 2.0, dope: 2.0, bussin: 2.3, goated: 2.5,
  mid: -0.9, trash: -2.0, garbage: -2.2, rubbish: -2.0, cringe: -1.8, cringey: -1.8, cringy: -1.8,
  sus: -0.8, salty: -1.0, lame: -1.6, sucks: -2.0, suck: -1.8, sucked: -1.8, sucky: -1.8,
  fab: 2.3, luv: 2.4, lovin: 2.4, luvin: 2.4, gr8: 2.4, thx: 1.5, tks: 1.5, ily: 2.6, xoxo: 2.0,
  delish: 2.4, yum: 2.0, yummy: 2.4, tasty: 1.8, comfy: 1.6, rip: -1.6, hype: 0.8, legit: 1.2,
  // misspellings frequent enough to matter
  dissapointed: -1.6, dissapointing: -1.6, disapointed: -1.6, disapointing: -1.6, terible: -2.4,
  horible: -2.4, awsome: 2.6, amazin: 2.6, beautifull: 2.4, recomend: 1.5,
  // brand-mention vocabulary: opinions in this domain, missing from AFINN
  ok: 0.8, okay: 0.8, alright: 0.8, decent: 1.2, mediocre: -1.3, bland: -1.4, buggy: -1.6,
  laggy: -1.6, glitchy: -1.6, unusable: -2.2, overpriced: -1.6, ripoff: -2.4, scam: -2.6,
  nightmare: -2.6, unacceptable: -2.4, unprofessional: -2.0, flimsy: -1.5, soggy: -1.4, stale: -1.4,
  rude: -2.0, useless: -2.0, incompetent: -2.4, recommend: 1.5, recommended: 1.5,
  // "works" is praise for a product, and negated ("doesn't work") the commonest complaint
  work: 0.9, works: 0.9, worked: 0.9, working: 0.9,
  disgusting: -2.9, gross: -1.9, yuck: -2.0, ridiculous: -2.0, hilarious: 2.0,
  // AFINN rates these as emotions; in posts they are mostly neutral fillers or sarcasm carriers
  cheap: 0, help: 0.4, please: 0.2, pretty: 0.6, joke: 0,
  // "support" and "care" name the customer-service team far more often than an emotion
  support: 0.3, care: 0.5,
};

/** A multi-word expression whose meaning is not the sum of its words. */
export interface Idiom {
  words: readonly string[];
  valence: number;
}

/**
 * English idioms (VADER's SENTIMENT_LADEN_IDIOMS and SPECIAL_CASES plus social-media ones).
 * A matched idiom replaces the valence of all its words.
 */
export const ENGLISH_IDIOMS: readonly Idiom[] = [
  { words: ['cut', 'the', 'mustard'], valence: 2 },
  { words: ['hand', 'to', 'mouth'], valence: -2 },
  { words: ['back', 'handed'], valence: -2 },
  { words: ['blow', 'smoke'], valence: -2 },
  { words: ['blowing', 'smoke'], valence: -2 },
  { words: ['upper', 'hand'], valence: 1 },
  { words: ['break', 'a', 'leg'], valence: 2 },
  { words: ['cooking', 'with', 'gas'], valence: 2 },
  { words: ['in', 'the', 'black'], valence: 2 },
  { words: ['in', 'the', 'red'], valence: -2 },
  { words: ['on', 'the', 'ball'], valence: 2 },
  { words: ['under', 'the', 'weather'], valence: -2 },
  { words: ['the', 'shit'], valence: 3 },
  { words: ['the', 'bomb'], valence: 3 },
  { words: ['bad', 'ass'], valence: 1.5 },
  { words: ['badass'], valence: 1.5 },
  { words: ['yeah', 'right'], valence: -2 },
  { words: ['kiss', 'of', 'death'], valence: -1.5 },
  { words: ['to', 'die', 'for'], valence: 3 },
  { words: ['beating', 'heart'], valence: 3.1 },
  { words: ['broken', 'heart'], valence: -2.9 },
  { words: ['bus', 'stop'], valence: 0 },
  { words: ["can't", 'wait'], valence: 2.2 },
  { words: ['cant', 'wait'], valence: 2.2 },
  { words: ['thanks', 'for', 'nothing'], valence: -2.2 },
  { words: ['a', 'joke'], valence: -1.8 },
  { words: ['rip', 'off'], valence: -2.4 },
  { words: ['rip-off'], valence: -2.4 },
  { words: ['waste', 'of', 'money'], valence: -2.4 },
  { words: ['waste', 'of', 'time'], valence: -2.2 },
  { words: ['high', 'quality'], valence: 1.8 },
  { words: ['low', 'quality'], valence: -1.8 },
  { words: ['on', 'hold'], valence: -0.8 },
  { words: ['fell', 'apart'], valence: -2.0 },
  { words: ['falls', 'apart'], valence: -2.0 },
  { words: ['stopped', 'working'], valence: -2.0 },
  { words: ['never', 'again'], valence: -2.0 },
  // the canonical customer complaint: an order, refund or reply that has not come
  { words: ['still', 'waiting'], valence: -1.2 },
];
