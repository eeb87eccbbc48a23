/**
 * Guesses a post's language from its function words — fast enough to run on every text and good
 * enough for short social posts, where n-gram models have little to go on.
 */
import { UNDETERMINED } from './languages.ts';
import { tokenize, type TokenList } from './tokenize.ts';

// High-frequency function words per language. A word listed for k languages gives each of them
// 1/k of a vote, so shared words ("a", "no", "de") count for little and distinctive ones decide.
// Indonesian, Turkish, Swedish and Polish are here so their posts are recognised and reported as
// unsupported instead of being scored with the wrong vocabulary.
const FUNCTION_WORDS: Readonly<Record<string, string>> = {
  en: "the a an and or but is are was were be been am i i'm im it it's its this that these those you your my me we our they them he she to of in on at for with from by not no don't doesn't didn't can't won't isn't wasn't what when why how who do does did have has had so just very really about will would could should there here than then if all any some as after because like out up got",
  es: 'el la los las un una unos unas y o pero es son está están estaba fue de del al en con por para que qué no sí muy mucho más me mi mis te tu lo le les se su sus este esta esto ese esa hay como cuando porque ya nada todo también pero nunca ni llegó tengo',
  pt: 'o a os as um uma e ou mas é são está estão foi de do da dos das no na nos nas em com por pelo pela para que não sim muito mais me meu minha te você eu isso esse essa este esta há como quando porque já nada tudo também nunca nem ao tá',
  fr: "le la les un une des et ou mais est sont était de du au aux en dans avec pour par que qui ne n' pas plus très je j' tu il elle nous vous ils c' l' d' qu' ce cette ces mon ma mes ton sur tout rien jamais ça à être avoir ai",
  de: 'der die das den dem des ein eine einen einem und oder aber ist sind war waren nicht kein keine ich du er sie es wir ihr mit von zu zum zur für auf im in an bei sehr auch noch nur wie wann warum was mir mich sich wird hat habe seit schon immer dass nie wieder',
  it: "il lo la i gli le un una uno e o ma è sono era di del della dei delle al alla in con per che non sì molto più mi mio mia ti tu questo questa quello ho ha hanno anche perché mai niente l' dell' un' nel nella sul come quando",
  nl: 'de het een en of maar is zijn was waren niet geen ik je jij u hij zij we wij van dat die dit te op met voor aan bij heel erg echt ook nog al wel wat hoe waarom mijn nooit er',
  ca: "el la els les un una i o però és són era de del dels al als amb per que no molt més em et es ens aquest aquesta això també res mai perquè ho m' l' d' n' s' cap com",
  gl: 'o a os as un unha e ou pero mais é son era de do da dos das no na nos nas en con co coa por para que non moi máis me meu miña iso isto este esta tamén xa nunca nada nin volvo vou',
  eu: 'eta edo baina da dira zen ez bai oso bat batzuk hau hori hura ni zu gu nire zure ere dut du dute naiz zara asko gabe ezta zer nola noiz',
  id: 'yang dan di ini itu dengan untuk tidak dari dalam akan pada juga saya ke karena ada sangat bisa sudah aku kamu banget sekali atas apa kapan kenapa gak ga nggak tapi lagi sama udah mau dong deh kok terima kasih sering belum jadi bagus buruk',
  tr: 've bir bu çok için ile değil ama da de ne mi gibi daha en ben sen o biz siz onlar var yok',
  sv: 'och att det är inte jag som en ett på med för men till av har var den de om så mycket',
  pl: 'i w nie się na jest to że z do jak ale co tak już jestem bardzo mnie być',
};

/** Languages the detector can return, in tie-break order. */
export const DETECTABLE_LANGUAGES: readonly string[] = Object.keys(FUNCTION_WORDS);

const votes = new Map<string, { langs: number[]; weight: number }>();
{
  const byWord = new Map<string, number[]>();
  DETECTABLE_LANGUAGES.forEach((lang, index) => {
    for (const word of new Set((FUNCTION_WORDS[lang] ?? '').split(' '))) {
      const langs = byWord.get(word) ?? [];
      langs.push(index);
      byWord.set(word, langs);
    }
  });
  for (const [word, langs] of byWord) votes.set(word, { langs, weight: 1 / langs.length });
}

// Letters that only some of the languages use. A word containing one gives those languages a
// small vote, which settles short posts with no distinctive function word ("Spedizione veloce e
// ottima qualità" has only "e", shared by Portuguese, Italian and Galician).
const LETTER_HINTS: Readonly<Record<string, string>> = {
  ã: 'pt', õ: 'pt', ñ: 'es gl', ß: 'de', ä: 'de sv', ö: 'de sv tr', ü: 'de tr', à: 'it ca fr pt', è: 'it fr ca',
  ì: 'it', ò: 'it ca', ù: 'it fr', ç: 'fr pt ca tr', ê: 'fr pt', â: 'fr pt', ô: 'fr pt', î: 'fr', û: 'fr', œ: 'fr',
  ë: 'nl fr', ï: 'nl fr ca', ş: 'tr', ğ: 'tr', ı: 'tr', ą: 'pl', ę: 'pl', ł: 'pl', ś: 'pl', ż: 'pl', ź: 'pl', å: 'sv',
};
const LETTER_HINT_WEIGHT = 0.3;
const letterHints = new Map<number, number[]>();
for (const [letter, langs] of Object.entries(LETTER_HINTS)) {
  letterHints.set(letter.charCodeAt(0), langs.split(' ').map((l) => DETECTABLE_LANGUAGES.indexOf(l)));
}

// Candidates within this many votes of the leader are re-ranked by vocabulary coverage.
const TIE_MARGIN = 0.5;
const ID_INDEX = DETECTABLE_LANGUAGES.indexOf('id');
const scores = new Float64Array(DETECTABLE_LANGUAGES.length);

/**
 * Counts how many of the tokens a language's sentiment vocabulary knows; used to break ties
 * between languages the function words cannot separate. Returns 0 for unsupported languages.
 */
export type VocabularyCoverage = (lang: string, tokens: TokenList) => number;

/**
 * Tells whether a language with `score` votes is a tie-break candidate: close to the leader and
 * with some evidence of its own — or any language when nothing points anywhere.
 */
function isCandidate(score: number, bestScore: number): boolean {
  return score >= bestScore - TIE_MARGIN && (score > 0 || bestScore === 0);
}

function addLetterHints(word: string): void {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c < 0xdf) continue;
    const langs = letterHints.get(c);
    if (langs === undefined) continue;
    for (const lang of langs) scores[lang] = (scores[lang] ?? 0) + LETTER_HINT_WEIGHT / langs.length;
    return;
  }
}

/**
 * Returns the language code of already-tokenized text, or "und" when nothing points to one.
 * Evidence: function words, language-specific letters, and the Indonesian suffix "-nya"
 * ("produknya"). When `coverage` is given, near-ties — and texts with no evidence at all — are
 * decided by how many words each candidate language's vocabulary knows.
 */
export function detectLanguageOfTokens(tokens: TokenList, coverage?: VocabularyCoverage): string {
  scores.fill(0);
  for (let i = 0; i < tokens.count; i++) {
    const word = tokens.words[i] ?? '';
    const vote = votes.get(word);
    if (vote !== undefined) {
      for (const lang of vote.langs) scores[lang] = (scores[lang] ?? 0) + vote.weight;
      continue;
    }
    if (word.length > 5 && word.endsWith('nya')) scores[ID_INDEX] = (scores[ID_INDEX] ?? 0) + 0.5;
    addLetterHints(word);
  }
  let best = 0;
  for (let l = 1; l < scores.length; l++) if ((scores[l] ?? 0) > (scores[best] ?? 0)) best = l;
  const bestScore = scores[best] ?? 0;
  if (coverage !== undefined) {
    let runnerUp = false;
    for (let l = 0; l < scores.length; l++) if (l !== best && isCandidate(scores[l] ?? 0, bestScore)) runnerUp = true;
    if (runnerUp) {
      let bestTotal = 0;
      let winner = -1;
      for (let l = 0; l < scores.length; l++) {
        const s = scores[l] ?? 0;
        if (!isCandidate(s, bestScore)) continue;
        const total = s + coverage(DETECTABLE_LANGUAGES[l] ?? '', tokens);
        if (total > bestTotal) {
          bestTotal = total;
          winner = l;
        }
      }
      return winner < 0 ? UNDETERMINED : (DETECTABLE_LANGUAGES[winner] ?? UNDETERMINED);
    }
  }
  return bestScore > 0 ? (DETECTABLE_LANGUAGES[best] ?? UNDETERMINED) : UNDETERMINED;
}

/**
 * Detects the language of `text` from its function words and letters; returns an ISO 639-1 code
 * from `DETECTABLE_LANGUAGES`, or "und" when nothing points to one (emoji only, "lol").
 *
 * @example detectLanguage("el pedido llegó tarde") // "es"
 */
export function detectLanguage(text: string, coverage?: VocabularyCoverage): string {
  return detectLanguageOfTokens(tokenize(text), coverage);
}
