/**
 * Realistic short texts with known sentiment: social comments, mentions, messages, reviews,
 * ticket comments and survey answers, built from templates and vocabulary with the mess of real
 * writing (negations, contrast, intensifiers, sarcasm, emoji, capitals, typos, slang) in eight
 * languages. Each text carries the polarity and themes it was built with, to evaluate scorers.
 */
import type { Rng } from './random.ts';
import type { GeneratedText, Lang, TextTruth, Theme } from './types.ts';

/** Intended sentiment class of a text. */
export type TextLabel = TextTruth['label'];

/** Where a text appears; shapes its length, framing and slang. */
export type TextKind = 'comment' | 'mention' | 'message' | 'review' | 'ticket' | 'survey';

/** Slot values a template may use. */
export interface TextSlots {
  brand: string;
  product: string;
  category: string;
  color: string;
  /** Handle a mention tags (brand or competitor), without `@`. */
  handle?: string;
  orderName?: string;
  campaign?: string;
  competitor?: string;
  firstName?: string;
}

/** What to generate. */
export interface TextRequest {
  kind: TextKind;
  label: TextLabel;
  lang: Lang;
  slots: TextSlots;
  /** Restrict to templates about this theme when some exist. */
  theme?: Theme;
}

type Template = readonly [text: string, polarity: number, themes: readonly Theme[], complaint?: boolean, sarcastic?: boolean];
type LabelTemplates = Record<'positive' | 'negative' | 'neutral', readonly Template[]>;

const EN: LabelTemplates = {
  positive: [
    ['Love my new {product}', 0.7, ['product', 'praise']],
    ['The {product} is {amazing}', 0.8, ['product', 'praise']],
    ["Best {category} I've ever owned", 0.85, ['product', 'praise']],
    ['Shipping was super fast, thanks {brand}', 0.7, ['delivery', 'praise']],
    ['Customer service sorted my exchange in minutes. Impressed.', 0.7, ['service', 'praise']],
    ['Not bad at all, the {product} holds up great', 0.5, ['quality']],
    ["Can't complain, fits perfectly", 0.45, ['fit']],
    ['obsessed with the {color} {product}', 0.75, ['product', 'praise']],
    ['Worth every penny', 0.7, ['price', 'praise']],
    ['10/10 would buy again', 0.8, ['praise']],
    ['Wore the {product} on a 3 day hike, zero issues. {amazing} quality', 0.75, ['quality', 'praise']],
    ["Honestly didn't expect it to be this good", 0.6, ['product']],
    ['this {category} never disappoints', 0.6, ['product']],
    ['Gift for my dad and he loved it', 0.7, ['praise']],
  ],
  negative: [
    ['My {product} fell apart after {n} weeks', -0.7, ['quality', 'product'], true],
    ['Still waiting for order {order}, {n} days and no update', -0.6, ['delivery'], true],
    ['I was charged twice for one order??', -0.6, ['billing'], true],
    ['Customer service never replied to my email', -0.7, ['service'], true],
    ["Don't love it, the {product} runs small", -0.4, ['fit'], true],
    ["Worst purchase I've made this year", -0.85, ['product'], true],
    ['The return process is a nightmare', -0.7, ['returns'], true],
    ['way too expensive for what you get', -0.5, ['price'], true],
    ['not impressed with the new {category} line', -0.45, ['product'], true],
    ['Zipper broke on day one. Really disappointed', -0.75, ['quality'], true],
    ['Refund still not processed after {n} days', -0.65, ['billing', 'returns'], true],
    ['Great, another delayed order 🙄', -0.6, ['delivery'], true, true],
    ['Oh wonderful, charged twice. Thanks {brand} 👏', -0.65, ['billing'], true, true],
    ["Love waiting {n} days for 'fast shipping'. Amazing.", -0.6, ['delivery'], true, true],
    ['Nothing says quality like a jacket that leaks in light rain', -0.6, ['quality'], true, true],
    ['Sure, I totally enjoy being on hold for an hour', -0.6, ['service'], true, true],
  ],
  neutral: [
    ['Does the {product} come in {color}?', 0, ['question', 'product']],
    ['When does the {campaign} end?', 0, ['question', 'campaign']],
    ["What's the return window for sale items?", 0, ['question', 'returns']],
    ['Just ordered the {product}', 0, ['product']],
    ['Is the {product} waterproof or just water resistant?', 0, ['question', 'product']],
    ["Which size should I get if I'm 5'10?", 0, ['question', 'fit']],
    ['Saw this in the store on Saturday', 0, []],
    ['{brand} vs {competitor} for hiking boots?', 0, ['question']],
    ['Do you ship to Canada?', 0, ['question', 'delivery']],
    ['Restock date for the {color} one?', 0, ['question', 'product']],
    ['Order {order} says shipped, tracking not updated yet', 0, ['delivery']],
  ],
};

const EN_POSITIVE_CLAUSES: readonly string[] = ['love the design', 'great fit', 'the quality is excellent', 'the {product} looks amazing', 'super comfy', 'the colors are gorgeous', 'support was friendly'];
const EN_NEGATIVE_CLAUSES: ReadonlyArray<readonly [string, Theme]> = [
  ['shipping took forever', 'delivery'],
  ['the zipper broke after a week', 'quality'],
  ['it runs a size small', 'fit'],
  ['the price went up again', 'price'],
  ['returns are a pain', 'returns'],
  ['support took days to answer', 'service'],
  ['it arrived with a stain', 'quality'],
];

interface ForeignTemplates extends LabelTemplates {
  mixed: readonly Template[];
}

const FOREIGN: Record<Exclude<Lang, 'en'>, ForeignTemplates> = {
  es: {
    positive: [['Me encanta mi nueva {product}', 0.75, ['product', 'praise']], ['Excelente calidad, muy recomendable', 0.8, ['quality', 'praise']], ['El envío fue rapidísimo, ¡gracias {brand}!', 0.7, ['delivery', 'praise']], ['No está nada mal, la verdad', 0.4, ['product']]],
    negative: [['Mi pedido lleva {n} días sin llegar', -0.6, ['delivery'], true], ['La calidad es pésima, se rompió en una semana', -0.8, ['quality'], true], ['Me cobraron dos veces y nadie responde', -0.7, ['billing', 'service'], true], ['Genial, otro pedido retrasado 🙄', -0.6, ['delivery'], true, true]],
    neutral: [['¿Hacen envíos a México?', 0, ['question', 'delivery']], ['¿Tienen la {product} en talla M?', 0, ['question', 'product']], ['Acabo de pedir la {product}', 0, ['product']]],
    mixed: [['Buena calidad pero el envío tardó muchísimo', -0.1, ['quality', 'delivery'], true], ['Me gusta el diseño, aunque es un poco cara', 0.1, ['product', 'price'], true]],
  },
  fr: {
    positive: [["J'adore ma nouvelle {product} !", 0.8, ['product', 'praise']], ['Super qualité, je recommande', 0.75, ['quality', 'praise']], ['Livraison ultra rapide, merci {brand} !', 0.7, ['delivery', 'praise']], ['Pas mal du tout !', 0.45, ['product']]],
    negative: [['Toujours pas reçu ma commande après {n} jours', -0.6, ['delivery'], true], ['Service client injoignable, très déçu', -0.75, ['service'], true], ['La fermeture éclair a lâché au bout d’une semaine', -0.65, ['quality'], true], ["Je n'aime pas du tout la coupe", -0.55, ['fit'], true]],
    neutral: [['Vous livrez en Belgique ?', 0, ['question', 'delivery']], ['La {product} existe en bleu ?', 0, ['question', 'product']], ['Commande passée ce matin', 0, []]],
    mixed: [['Belle veste mais la livraison a pris une éternité', -0.1, ['product', 'delivery'], true], ['Produit top, par contre le prix a encore augmenté', 0.05, ['product', 'price'], true]],
  },
  de: {
    positive: [['Bin total begeistert von der {product}!', 0.8, ['product', 'praise']], ['Super Qualität, klare Empfehlung', 0.75, ['quality', 'praise']], ['Schnelle Lieferung, danke {brand}!', 0.65, ['delivery', 'praise']], ['Gar nicht schlecht, hält was es verspricht', 0.45, ['quality']]],
    negative: [['Bestellung nach {n} Tagen immer noch nicht da', -0.6, ['delivery'], true], ['Reißverschluss nach einer Woche kaputt. Enttäuschend.', -0.7, ['quality'], true], ['Doppelt abgebucht und keiner meldet sich', -0.7, ['billing', 'service'], true], ['Toll, schon wieder eine Verspätung 🙄', -0.6, ['delivery'], true, true]],
    neutral: [['Liefert ihr auch nach Österreich?', 0, ['question', 'delivery']], ['Gibt es die {product} in Größe L?', 0, ['question', 'product']], ['Gerade die {product} bestellt', 0, ['product']]],
    mixed: [['Passt super, aber der Versand hat ewig gedauert', -0.1, ['fit', 'delivery'], true], ['Schöne Farbe, allerdings etwas zu klein', -0.05, ['product', 'fit'], true]],
  },
  pt: {
    positive: [['Amei minha nova {product}!', 0.8, ['product', 'praise']], ['Qualidade excelente, recomendo', 0.75, ['quality', 'praise']], ['Chegou super rápido, obrigado {brand}!', 0.7, ['delivery', 'praise']]],
    negative: [['Meu pedido ainda não chegou depois de {n} dias', -0.6, ['delivery'], true], ['Péssimo atendimento, ninguém responde', -0.8, ['service'], true], ['Não gostei, veio com defeito', -0.65, ['quality'], true]],
    neutral: [['Vocês entregam no Brasil?', 0, ['question', 'delivery']], ['Tem a {product} no tamanho G?', 0, ['question', 'product']]],
    mixed: [['Produto bom, mas a entrega demorou demais', -0.1, ['product', 'delivery'], true]],
  },
  it: {
    positive: [['Adoro la mia nuova {product}!', 0.8, ['product', 'praise']], ['Qualità ottima, consigliatissimo', 0.8, ['quality', 'praise']], ['Spedizione velocissima, grazie {brand}!', 0.7, ['delivery', 'praise']]],
    negative: [['Ordine non ancora arrivato dopo {n} giorni', -0.6, ['delivery'], true], ['Qualità pessima, si è rotto subito', -0.8, ['quality'], true], ['Non mi piace per niente la vestibilità', -0.55, ['fit'], true]],
    neutral: [['Spedite in Svizzera?', 0, ['question', 'delivery']], ['La {product} è disponibile in nero?', 0, ['question', 'product']]],
    mixed: [['Bella giacca ma la spedizione è stata lentissima', -0.1, ['product', 'delivery'], true]],
  },
  nl: {
    positive: [['Ik ben dol op mijn nieuwe {product}!', 0.8, ['product', 'praise']], ['Top kwaliteit, echt een aanrader', 0.8, ['quality', 'praise']], ['Supersnel geleverd, bedankt {brand}!', 0.7, ['delivery', 'praise']]],
    negative: [['Bestelling na {n} dagen nog steeds niet binnen', -0.6, ['delivery'], true], ['Slechte klantenservice, geen reactie', -0.75, ['service'], true], ['Niet tevreden, de rits is al kapot', -0.65, ['quality'], true]],
    neutral: [['Leveren jullie ook in België?', 0, ['question', 'delivery']], ['Is de {product} er ook in maat M?', 0, ['question', 'product']]],
    mixed: [['Mooie jas, maar de levering duurde eeuwen', -0.1, ['product', 'delivery'], true]],
  },
  id: {
    positive: [['Suka banget sama {product} ini!', 0.8, ['product', 'praise']], ['Kualitasnya mantap, recommended', 0.75, ['quality', 'praise']]],
    negative: [['Pesanan saya belum sampai setelah {n} hari', -0.6, ['delivery'], true], ['Kecewa, barangnya cepat rusak', -0.75, ['quality'], true]],
    neutral: [['Apakah bisa kirim ke Jakarta?', 0, ['question', 'delivery']], ['Ada ukuran L untuk {product}?', 0, ['question', 'product']]],
    mixed: [['Barangnya bagus tapi pengirimannya lama banget', -0.1, ['product', 'delivery'], true]],
  },
};

const AMAZING = ['amazing', 'incredible', 'fantastic', 'awesome', 'so good', 'perfect'];
const POSITIVE_EMOJI = ['😍', '🔥', '🙌', '❤️', '💯', '😊', ':)', ':D', '🥾', '⛺'];
const NEGATIVE_EMOJI = ['😡', '😤', '👎', '😞', ':(', '😠', '🤬'];
const NEUTRAL_EMOJI = ['🤔', '👀', '🙂'];
const SLANG = ['ngl', 'tbh', 'lowkey', 'fr', 'imo', 'honestly'];
const INTENSIFIERS = ['really', 'so', 'absolutely', 'super', 'seriously'];

/** Share of each language among social texts (mostly English). */
export const LANGUAGE_WEIGHTS: Readonly<Record<Lang, number>> = { en: 80, es: 6, fr: 3, de: 3, pt: 3, it: 2, nl: 1.5, id: 1.5 };

/** Draws a language with `LANGUAGE_WEIGHTS`. */
export function pickLanguage(rng: Rng): Lang {
  return rng.weightedKey(LANGUAGE_WEIGHTS);
}

/** Draws a sentiment label with the given weights. */
export function pickLabel(rng: Rng, weights: Readonly<Record<TextLabel, number>>): TextLabel {
  return rng.weightedKey(weights);
}

function fill(template: string, slots: TextSlots, rng: Rng): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'amazing':
        return rng.choice(AMAZING);
      case 'n':
        return String(rng.int(2, 21));
      case 'order':
        return slots.orderName ?? `#${rng.int(1001, 29999)}`;
      case 'campaign':
        return slots.campaign ?? 'sale';
      case 'competitor':
        return slots.competitor ?? 'the others';
      default: {
        const value = (slots as unknown as Record<string, string | undefined>)[key];
        return value ?? key;
      }
    }
  });
}

function addTypo(text: string, rng: Rng): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => (/^[a-z]{5,}$/i.test(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const index = rng.choice(candidates);
  const word = words[index] ?? '';
  const at = rng.int(1, word.length - 2);
  words[index] = word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
  return words.join(' ');
}

function clampPolarity(value: number, label: TextLabel): number {
  let p = Math.max(-1, Math.min(1, value));
  if (label === 'positive') p = Math.max(p, 0.15);
  if (label === 'negative') p = Math.min(p, -0.15);
  if (label === 'neutral') p = 0;
  return Math.round(p * 100) / 100;
}

function mixedEnglish(rng: Rng, slots: TextSlots): { text: string; polarity: number; themes: Theme[] } {
  const positive = fill(rng.choice(EN_POSITIVE_CLAUSES), slots, rng);
  const [negative, theme] = rng.choice(EN_NEGATIVE_CLAUSES);
  // "X but Y" leans towards Y, the way readers weigh it.
  if (rng.chance(0.6)) {
    const joiner = rng.choice([' but ', ', but ', ' though ', '. However, ']);
    const text = capitalize(positive) + joiner + negative;
    return { text, polarity: 0.35 * 0.7 + 0.65 * -0.6, themes: ['product', theme] };
  }
  const joiner = rng.choice([' but ', ', but ', ', still ']);
  return { text: capitalize(negative) + joiner + positive, polarity: 0.35 * -0.6 + 0.65 * 0.7, themes: [theme, 'product'] };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function frame(kind: TextKind, text: string, lang: Lang, slots: TextSlots, rng: Rng): string {
  if (lang !== 'en') return text;
  switch (kind) {
    case 'mention':
      return rng.chance(0.5) ? `@${slots.handle ?? slots.brand} ${text}` : `${text} @${slots.handle ?? slots.brand}`;
    case 'message':
      return rng.chance(0.4) ? `Hi! ${text}` : text;
    case 'ticket':
      return `Hi ${slots.brand} team,\n\n${text}${/[.!?]$/.test(text) ? '' : '.'} ${rng.choice(['Can you help?', 'Please advise.', 'Thanks in advance.', 'What are my options?'])}\n\n${slots.firstName ?? ''}`.trim();
    default:
      return text;
  }
}

/** Builds one text of the requested label, language and kind, with the truth it was built from. */
export function generateText(rng: Rng, request: TextRequest): GeneratedText {
  const { label, lang, slots, kind } = request;
  let text: string;
  let polarity: number;
  let themes: Theme[];
  let isComplaint = false;
  let sarcastic = false;

  if (lang === 'en' && label === 'mixed') {
    const mixed = mixedEnglish(rng, slots);
    ({ text, polarity, themes } = mixed);
    isComplaint = true;
  } else {
    const table = lang === 'en' ? EN : FOREIGN[lang];
    let pool: readonly Template[];
    if (label === 'mixed') pool = (table as ForeignTemplates).mixed;
    else pool = table[label];
    if (request.theme) {
      const themed = pool.filter((t) => t[2].includes(request.theme as Theme));
      if (themed.length > 0) pool = themed;
    }
    const [template, basePolarity, baseThemes, complaint, isSarcastic] = rng.choice(pool);
    text = fill(template, slots, rng);
    polarity = basePolarity + (label === 'neutral' ? 0 : rng.normal(0, 0.06));
    themes = baseThemes.slice();
    isComplaint = complaint === true || label === 'mixed';
    sarcastic = isSarcastic === true;
  }

  const social = kind === 'comment' || kind === 'mention' || kind === 'message';
  if (lang === 'en' && !sarcastic && label !== 'neutral' && label !== 'mixed' && rng.chance(0.2)) {
    // Intensifier in front of the first adjective-ish word: "really disappointed", "so good".
    text = text.replace(/\b(disappointed|good|impressed|fast|comfy|great)\b/, (w) => `${rng.choice(INTENSIFIERS)} ${w}`);
    polarity *= 1.12;
  }
  if (social && lang === 'en' && rng.chance(0.08)) text = `${rng.choice(SLANG)} ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  if (social && label !== 'neutral' && rng.chance(0.05)) {
    text = text.toUpperCase();
    polarity *= 1.1;
  }
  if (social && (label === 'positive' || label === 'negative') && !/[?!]$/.test(text) && rng.chance(0.35)) {
    text += rng.choice(['!', '!!', '!!!']);
    polarity *= 1.05;
  }
  if (social && !sarcastic && rng.chance(0.3)) {
    const emoji = label === 'positive' ? POSITIVE_EMOJI : label === 'negative' ? NEGATIVE_EMOJI : NEUTRAL_EMOJI;
    text += ` ${rng.choice(emoji)}`;
  }
  if (social && rng.chance(0.07)) text = addTypo(text, rng);
  if (social && rng.chance(0.1)) text = text.toLowerCase();
  text = frame(kind, text, lang, slots, rng);

  return { text, lang, truth: { polarity: clampPolarity(polarity, label), label, themes, isComplaint, sarcastic } };
}

const BRAND_REPLIES: Record<'thanks' | 'apology' | 'answer', readonly string[]> = {
  thanks: ['Thanks so much, {firstName}! 💙', 'So glad you love it! Happy trails 🥾', 'This made our day, thank you!', 'Love to hear it! Tag us on your next hike 🙌'],
  apology: [
    "So sorry about this, {firstName}. Please DM us your order number and we'll sort it out.",
    "We hear you and we're on it. Sending you a DM now.",
    "That's not the experience we want for you. Our team will reach out today.",
  ],
  answer: ['Hi {firstName}, yes! It comes in {color}.', 'Great question! Our return window is 60 days, sale items included.', 'Hi {firstName}, we ship to the US, Canada and the EU.', 'It is fully waterproof (20k mm rating).'],
};

/** Builds the brand's public reply to a text with the given truth (thanks, apology or answer). */
export function brandReplyText(rng: Rng, to: TextTruth, slots: TextSlots): GeneratedText {
  const kind = to.themes.includes('question') ? 'answer' : to.label === 'positive' ? 'thanks' : to.label === 'neutral' ? 'answer' : 'apology';
  const text = fill(rng.choice(BRAND_REPLIES[kind]), { ...slots, firstName: slots.firstName ?? 'there' }, rng);
  const polarity = kind === 'thanks' ? 0.7 : 0;
  return {
    text,
    lang: 'en',
    truth: { polarity, label: kind === 'thanks' ? 'positive' : 'neutral', themes: kind === 'answer' ? ['question'] : ['service'], isComplaint: false, sarcastic: false },
  };
}

const AGENT_REPLIES: readonly string[] = [
  "Hi {firstName}, thanks for reaching out. I've looked into order {order} and issued a refund; you'll see it in 5–7 business days.",
  "Hi {firstName}, sorry for the wait. Your order {order} is with the carrier and should arrive within 2 days.",
  "Hi {firstName}, I've set up an exchange for a different size. A prepaid return label is attached.",
  'Hi {firstName}, I can see the duplicate charge and have reversed it. Apologies for the trouble.',
  "Hi {firstName}, thanks for the details. I've passed this to our warehouse team and will update you tomorrow.",
];

/** Builds a support agent's reply on a ticket (neutral, helpful). */
export function agentReplyText(rng: Rng, slots: TextSlots): GeneratedText {
  const text = fill(rng.choice(AGENT_REPLIES), { ...slots, firstName: slots.firstName ?? 'there' }, rng);
  return { text, lang: 'en', truth: { polarity: 0, label: 'neutral', themes: ['service'], isComplaint: false, sarcastic: false } };
}

/** Returns a short review title matching a 1–5 rating. */
export function reviewTitle(rng: Rng, rating: number): string {
  const titles: Record<number, readonly string[]> = {
    1: ['Disappointed', 'Fell apart', 'Do not buy', 'Waste of money'],
    2: ['Not great', 'Runs small', 'Expected better'],
    3: ['It’s okay', 'Decent for the price', 'Mixed feelings'],
    4: ['Really good', 'Solid pick', 'Happy with it'],
    5: ['Love it!', 'Perfect', 'Best purchase this year', 'Five stars'],
  };
  return rng.choice(titles[rating] ?? titles[3] ?? ['Review']);
}
