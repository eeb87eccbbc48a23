/**
 * High-frequency opinion words per language that natural's vocabularies miss or rate near zero.
 * natural's non-English lists are lemma lists from formal text (senticon, Pattern, a short AFINN):
 * Spanish has no "encanta", Portuguese no "ótimo", Pattern rates German "schrecklich" at -0.02,
 * Basque has "on" but not its common form "ona". Valences use VADER's -4..4 scale and win over
 * natural's values. Keep these lists short and general: they patch coverage, they are not a
 * second lexicon.
 */
import type { SentimentLanguage } from './languages.ts';

/** Per-language supplements, keyed by lower-case word. */
export const CORE_WORDS: Readonly<Record<SentimentLanguage, Readonly<Record<string, number>>>> = {
  en: {},
  es: {
    encanta: 3.0, encantó: 3.0, encantan: 3.0, encantado: 2.5, encantada: 2.5, gusta: 1.8, gustó: 1.8,
    genial: 2.8, excelente: 3.0, perfecto: 2.8, perfecta: 2.8, buenísimo: 3.0, buenísima: 3.0,
    increíble: 2.6, maravilloso: 3.0, recomiendo: 2.0, recomendable: 2.0, gracias: 1.8, mejor: 2.0,
    pésimo: -3.0, pésima: -3.0, horrible: -3.0, fatal: -2.5, malísimo: -3.0, peor: -2.4, asco: -2.8,
    decepción: -2.2, decepcionado: -2.2, decepcionada: -2.2, decepcionante: -2.2, desastre: -2.6,
    estafa: -2.8, vergüenza: -2.2, basura: -2.5, roto: -1.6, rota: -1.6, lento: -1.2, lenta: -1.2,
    caro: -1.0, tarde: -0.6, funciona: 0.9, funcionó: 0.9,
  },
  pt: {
    amei: 3.0, adorei: 2.8, amo: 3.0, adoro: 2.8, ótimo: 2.8, ótima: 2.8, excelente: 3.0, perfeito: 2.8,
    perfeita: 2.8, incrível: 2.6, maravilhoso: 3.0, maravilhosa: 3.0, recomendo: 2.0, obrigado: 1.8,
    obrigada: 1.8, top: 2.0, péssimo: -3.0, péssima: -3.0, horrível: -3.0, lixo: -2.5, decepção: -2.2,
    decepcionado: -2.2, decepcionada: -2.2, raiva: -2.2, quebrado: -1.6, quebrada: -1.6, lento: -1.2,
    lenta: -1.2, caro: -1.0, defeito: -2.0, atrasado: -1.2, atrasada: -1.2, pior: -2.4, melhor: 2.0, funciona: 0.9, funcionou: 0.9,
  },
  fr: {
    adore: 3.0, adoré: 2.8, aime: 2.2, génial: 2.8, géniale: 2.8, top: 2.2, parfait: 2.8, parfaite: 2.8,
    magnifique: 3.0, excellent: 3.0, excellente: 3.0, super: 2.6, nickel: 2.2, merci: 1.8, meilleur: 2.2,
    recommande: 2.0, nul: -2.5, nulle: -2.5, déçu: -2.2, déçue: -2.2, décevant: -2.2, décevante: -2.2,
    horrible: -3.0, honteux: -2.4, honte: -2.2, arnaque: -2.8, pire: -2.6, lent: -1.2, lente: -1.2,
    cher: -1.0, chère: -1.0, cassé: -1.6, cassée: -1.6, mauvais: -2.2, mauvaise: -2.2, marche: 0.9,
    fonctionne: 0.9,
  },
  de: {
    gut: 1.9, toll: 2.6, super: 2.6, klasse: 2.4, spitze: 2.6, perfekt: 2.8, liebe: 2.6, lieben: 2.6,
    danke: 1.8, schön: 2.0, lecker: 2.2, geil: 2.4, empfehlen: 1.8, empfehlenswert: 2.2, gefällt: 1.8,
    schlecht: -2.4, schrecklich: -3.0, furchtbar: -3.0, mies: -2.4, nervig: -2.0, enttäuscht: -2.2,
    enttäuschend: -2.2, kaputt: -1.8, langsam: -1.0, teuer: -1.0, katastrophe: -2.8, ärgerlich: -2.0,
    scheiße: -3.0, scheisse: -3.0, mist: -2.0, schade: -1.5, betrug: -2.8, funktioniert: 0.9,
  },
  it: {
    adoro: 3.0, fantastico: 3.0, fantastica: 3.0, ottimo: 2.8, ottima: 2.8, bellissimo: 3.0,
    bellissima: 3.0, bravo: 2.2, bravi: 2.2, grazie: 1.8, perfetto: 2.8, perfetta: 2.8, consigliato: 2.0,
    consiglio: 1.0, piace: 1.8, pessimo: -3.0, pessima: -3.0, schifo: -3.0, orribile: -3.0,
    terribile: -3.0, delusione: -2.2, deluso: -2.2, delusa: -2.2, scadente: -2.4, rotto: -1.6,
    rotta: -1.6, lento: -1.2, lenta: -1.2, caro: -0.8, vergogna: -2.2, peggiore: -2.4, migliore: 2.0,
    funziona: 0.9,
  },
  nl: {
    geweldig: 2.8, top: 2.2, super: 2.6, prima: 2.0, leuk: 2.0, mooi: 2.0, lekker: 2.2, perfect: 2.8,
    aanrader: 2.4, bedankt: 1.8, dankjewel: 1.8, dank: 1.5, goed: 1.9, slecht: -2.4, vreselijk: -3.0,
    waardeloos: -2.8, teleurgesteld: -2.2, teleurstellend: -2.2, kapot: -1.8, traag: -1.2, duur: -1.0,
    klote: -2.5, belachelijk: -2.4, jammer: -1.5, oplichting: -2.8, werkt: 0.9,
  },
  ca: {
    encanta: 3.0, genial: 2.8, bo: 1.9, bona: 1.9, perfecte: 2.8, excel·lent: 3.0, gràcies: 1.8,
    recomano: 2.0, dolent: -2.2, dolenta: -2.2, fatal: -2.5, horrible: -3.0, mal: -1.8, pèssim: -3.0,
    pèssima: -3.0, decebut: -2.2, lent: -1.2, car: -1.0, funciona: 0.9,
  },
  gl: {
    encanta: 3.0, encantou: 3.0, encantoume: 3.0, bo: 1.9, boa: 1.9, xenial: 2.8, perfecto: 2.8,
    grazas: 1.8, recomendo: 2.0, mal: -1.8, malo: -2.2, mala: -2.2, pésimo: -3.0, péssimo: -3.0,
    horrible: -3.0, lento: -1.2, caro: -1.0, funciona: 0.9,
  },
  eu: {
    ona: 2.2, onak: 2.2, on: 2.0, ederra: 2.4, zoragarria: 3.0, bikaina: 3.0, eskerrik: 1.8, eskerrak: 1.8,
    gomendatzen: 1.8, gomendagarria: 2.0, pozik: 2.2, txarra: -2.2, txarrak: -2.2, txar: -2.2,
    gaizki: -2.0, tristea: -2.0, haserre: -2.0, motela: -1.2, garestia: -1.0,
  },
};
