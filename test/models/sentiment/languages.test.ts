import { describe, expect, it } from 'vitest';
import { detectLanguage, normalizeLanguageTag, scoreText } from '../../../models/sentiment/index.ts';

describe('scoring other languages', () => {
  it.each([
    ['es', 'Me encanta este producto, muy buena calidad', 'positive'],
    ['es', 'Pésima atención, nunca más compro aquí', 'negative'],
    ['es', 'No me gusta nada el nuevo diseño', 'negative'],
    ['fr', "J'adore ce produit, vraiment génial !", 'positive'],
    ['fr', "Je n'aime pas la nouvelle version", 'negative'],
    ['fr', 'Pas mal du tout', 'positive'],
    ['de', 'Ich liebe dieses Produkt, absolut super!', 'positive'],
    ['de', 'Die Lieferung war nicht gut', 'negative'],
    ['de', 'Das Design gefällt mir nicht', 'negative'],
    ['pt', 'Amei o produto, super recomendo', 'positive'],
    ['pt', 'Não gostei da embalagem', 'negative'],
    ['it', 'Non mi piace il nuovo design', 'negative'],
    ['nl', 'Snelle levering en goede kwaliteit', 'positive'],
    ['ca', "M'encanta aquest producte", 'positive'],
  ] as const)('%s: %s → %s', (lang, text, label) => {
    expect(scoreText(text, lang).label).toBe(label);
    // detection agrees with the given language on these
    expect(scoreText(text)).toEqual(scoreText(text, lang));
  });

  it('accepts region tags and any case', () => {
    expect(scoreText('great', 'en-US')).toEqual({ ...scoreText('great', 'en') });
    expect(scoreText('Amei', 'pt-BR').lang).toBe('pt');
    expect(normalizeLanguageTag(' PT_br ')).toBe('pt');
    expect(normalizeLanguageTag('')).toBe('und');
  });
});

describe('unsupported languages', () => {
  it('labels detected Indonesian unsupported with a null score', () => {
    expect(scoreText('Pelayanan sangat buruk, barang tidak sampai')).toEqual({ score: null, label: 'unsupported', lang: 'id' });
    expect(scoreText('Produknya bagus banget, pengiriman cepat 👍')).toEqual({ score: null, label: 'unsupported', lang: 'id' });
  });

  it('labels a given language without a vocabulary unsupported', () => {
    expect(scoreText('すごく良い', 'ja')).toEqual({ score: null, label: 'unsupported', lang: 'ja' });
    expect(scoreText('great', 'id').label).toBe('unsupported');
  });

  it('scores texts with no language evidence (emoji, bare slang) with the English lexicon as "und"', () => {
    expect(scoreText('😍😍')).toMatchObject({ label: 'positive', lang: 'und' });
    expect(scoreText('🔥🔥🔥')).toMatchObject({ label: 'positive', lang: 'und' });
    expect(scoreText('12345')).toEqual({ score: 0, label: 'neutral', lang: 'und' });
  });
});

describe('detectLanguage', () => {
  it.each([
    ['The delivery was late and nobody answered', 'en'],
    ['El pedido llegó tarde y roto', 'es'],
    ['O pedido chegou atrasado e a embalagem estava rasgada', 'pt'],
    ["Le colis n'est jamais arrivé", 'fr'],
    ['Ich warte seit drei Wochen auf meine Rückerstattung', 'de'],
    ['Il pacco è arrivato in ritardo', 'it'],
    ['De app werkt niet en de klantenservice reageert niet', 'nl'],
    ['Kapan tokonya buka besok?', 'id'],
    ['😍😍', 'und'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});
