/**
 * The words that modify sentiment rather than carry it, per language: negators, boosters and
 * dampeners, and contrast conjunctions. These drive the VADER-style rules in `score.ts`.
 */
import type { SentimentLanguage } from './languages.ts';

/** VADER's empirically derived increment for a booster word ("very good" vs "good"). */
export const BOOST = 0.293;
/** VADER's decrement for a dampener word ("slightly good" vs "good"). */
export const DAMPEN = -0.293;

/** How one language signals negation, intensity and contrast. */
export interface LanguageRules {
  /** Words that flip a sentiment word among the next three tokens of the same clause. */
  negators: readonly string[];
  /**
   * Negators that may instead follow the word they negate ("gefällt mir nicht", "j'aime pas");
   * they apply backwards only when no sentiment word follows them in the clause.
   */
  postNegators: readonly string[];
  /** Words that scale the next sentiment word up (`BOOST`) or down (`DAMPEN`). */
  boosters: Readonly<Record<string, number>>;
  /** Contrast conjunctions: sentiment before the first one counts half, after it 1.5×. */
  contrast: readonly string[];
  /** Whether any token ending in "n't" is a negator (English contractions). */
  apostropheNegation: boolean;
}

function boosters(up: readonly string[], down: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of up) out[w] = BOOST;
  for (const w of down) out[w] = DAMPEN;
  return out;
}

// English lists follow VADER's NEGATE and BOOSTER_DICT (Hutto & Gilbert 2014), apostrophe-less
// spellings included because social posts drop them ("dont", "cant"). Unlike VADER, "less"
// negates rather than dampens: "less buggy" is praise and "less stable" a complaint.
const english: LanguageRules = {
  negators: [
    'not', 'no', 'never', 'none', 'nope', 'nor', 'nothing', 'nowhere', 'neither', 'without', 'cannot',
    'rarely', 'seldom', 'despite', 'nobody', 'less', 'aint', 'arent', 'cant', 'couldnt', 'darent', 'didnt',
    'doesnt', 'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neednt', 'oughtnt',
    'shant', 'shouldnt', 'wasnt', 'werent', 'wont', 'wouldnt', 'uhuh', 'uh-uh',
  ],
  postNegators: [],
  boosters: boosters(
    [
      'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably', 'decidedly',
      'deeply', 'effing', 'enormous', 'enormously', 'entirely', 'especially', 'exceptional',
      'exceptionally', 'extreme', 'extremely', 'fabulously', 'flipping', 'flippin', 'frackin',
      'fracking', 'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fuckin', 'fucking', 'fuggin',
      'fugging', 'greatly', 'hella', 'highly', 'hugely', 'incredible', 'incredibly', 'intensely',
      'major', 'majorly', 'more', 'most', 'particularly', 'purely', 'quite', 'really', 'remarkably',
      'so', 'substantially', 'thoroughly', 'total', 'totally', 'tremendous', 'tremendously', 'uber',
      'unbelievably', 'unusually', 'utter', 'utterly', 'very', 'super', 'mega', 'real', 'too',
      'literally', 'insanely', 'soo',
    ],
    [
      'almost', 'barely', 'hardly', 'kinda', 'kindof', 'kind-of', 'little', 'marginal',
      'marginally', 'occasional', 'occasionally', 'partly', 'scarce', 'scarcely', 'slight', 'slightly',
      'somewhat', 'sorta', 'sortof', 'sort-of', 'bit', 'abit', 'fairly', 'mildly', 'rather',
    ],
  ),
  contrast: ['but'],
  apostropheNegation: true,
};

const rules: Record<SentimentLanguage, LanguageRules> = {
  en: english,
  es: {
    negators: ['no', 'nunca', 'jamás', 'jamas', 'ni', 'nada', 'nadie', 'ningún', 'ningun', 'ninguno', 'ninguna', 'sin', 'tampoco'],
    postNegators: [],
    boosters: boosters(
      ['muy', 'mucho', 'mucha', 'muchísimo', 'super', 'súper', 'tan', 'totalmente', 'realmente', 'increíblemente', 'extremadamente', 'sumamente', 'absolutamente', 'demasiado', 'bastante', 're', 'requete'],
      ['poco', 'algo', 'apenas', 'casi', 'ligeramente'],
    ),
    contrast: ['pero', 'sino'],
    apostropheNegation: false,
  },
  pt: {
    negators: ['não', 'nao', 'nunca', 'jamais', 'nem', 'nada', 'ninguém', 'ninguem', 'nenhum', 'nenhuma', 'sem'],
    postNegators: [],
    boosters: boosters(
      ['muito', 'muita', 'muitos', 'muitas', 'super', 'demais', 'totalmente', 'realmente', 'extremamente', 'tão', 'tao', 'bastante', 'bem'],
      ['pouco', 'pouca', 'meio', 'quase', 'ligeiramente'],
    ),
    contrast: ['mas', 'porém', 'porem', 'contudo'],
    apostropheNegation: false,
  },
  fr: {
    // "ne"/"n'" marks formal negation before the verb; "pas"/"jamais" carry it in speech, after
    // the verb ("j'aime pas"), hence also post-negators.
    negators: ['ne', "n'", 'pas', 'jamais', 'rien', 'personne', 'aucun', 'aucune', 'sans', 'ni'],
    postNegators: ['pas', 'jamais'],
    boosters: boosters(
      ['très', 'tres', 'trop', 'vraiment', 'tellement', 'super', 'hyper', 'extrêmement', 'totalement', 'absolument', 'si', 'vachement', 'carrément', 'ultra'],
      ['peu', 'assez', 'plutôt', 'presque', 'légèrement', 'moyennement'],
    ),
    contrast: ['mais', 'cependant', 'pourtant'],
    apostropheNegation: false,
  },
  de: {
    // German puts "nicht" after the verb in main clauses ("das gefällt mir nicht").
    negators: ['nicht', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines', 'nie', 'niemals', 'nichts', 'ohne', 'weder', 'nein'],
    postNegators: ['nicht', 'nie', 'niemals'],
    boosters: boosters(
      ['sehr', 'so', 'total', 'echt', 'wirklich', 'extrem', 'absolut', 'richtig', 'voll', 'besonders', 'unglaublich', 'mega', 'super', 'viel', 'ziemlich', 'äußerst', 'höchst', 'ständig'],
      ['etwas', 'bisschen', 'kaum', 'wenig', 'eher', 'leicht'],
    ),
    contrast: ['aber', 'jedoch', 'allerdings'],
    apostropheNegation: false,
  },
  it: {
    negators: ['non', 'mai', 'niente', 'nulla', 'nessuno', 'nessuna', 'senza', 'né'],
    postNegators: [],
    boosters: boosters(
      ['molto', 'tanto', 'troppo', 'davvero', 'veramente', 'super', 'estremamente', 'assolutamente', 'così', 'proprio', 'decisamente', 'parecchio'],
      ['poco', 'abbastanza', 'quasi', 'leggermente'],
    ),
    contrast: ['ma', 'però', 'tuttavia'],
    apostropheNegation: false,
  },
  nl: {
    negators: ['niet', 'geen', 'nooit', 'niemand', 'niets', 'nee', 'neen', 'zonder', 'nergens'],
    postNegators: ['niet', 'nooit'],
    boosters: boosters(
      ['heel', 'erg', 'zeer', 'echt', 'super', 'ontzettend', 'enorm', 'zo', 'hartstikke', 'totaal', 'absoluut', 'bijzonder', 'uiterst', 'te'],
      ['beetje', 'nauwelijks', 'bijna', 'enigszins', 'redelijk'],
    ),
    contrast: ['maar', 'echter'],
    apostropheNegation: false,
  },
  ca: {
    negators: ['no', 'mai', 'res', 'ningú', 'cap', 'sense', 'ni'],
    postNegators: [],
    boosters: boosters(
      ['molt', 'molta', 'molts', 'moltes', 'super', 'massa', 'tan', 'realment', 'totalment', 'força'],
      ['poc', 'poca', 'gairebé', 'mica'],
    ),
    contrast: ['però', 'sinó'],
    apostropheNegation: false,
  },
  gl: {
    negators: ['non', 'nunca', 'xamais', 'nada', 'ninguén', 'ningún', 'ningunha', 'sen', 'nin'],
    postNegators: [],
    boosters: boosters(
      ['moi', 'moito', 'moita', 'super', 'tan', 'realmente', 'totalmente', 'bastante', 'demasiado'],
      ['pouco', 'pouca', 'case', 'algo'],
    ),
    contrast: ['pero', 'mais'],
    apostropheNegation: false,
  },
  eu: {
    negators: ['ez', 'inoiz', 'ezer', 'inor', 'gabe', 'ezta'],
    postNegators: [],
    boosters: boosters(['oso', 'benetan', 'izugarri', 'guztiz', 'super', 'erabat', 'biziki'], ['pixka', 'ia', 'nahiko', 'samar']),
    contrast: ['baina', 'ordea'],
    apostropheNegation: false,
  },
};

/** Returns the modifier words for a supported language. */
export function languageRules(lang: SentimentLanguage): LanguageRules {
  return rules[lang];
}
