import { describe, expect, it } from 'vitest';
import { complaintTopics, extractTerms, isComplaint, scoreText, stemWord, themeGrowth, topThemes } from '../../../models/sentiment/index.ts';

function complaint(text: string, lang?: string): boolean {
  const s = scoreText(text, lang);
  return isComplaint(text, s.score, lang ?? s.lang);
}

describe('complaints', () => {
  it.each([
    ['my package is 2 weeks late and nobody answers', ['delivery']],
    ['I was charged twice for the same order. Not happy.', ['delivery', 'billing']],
    ['the app crashes every time I open it, terrible', ['app_website']],
    ['cheap material, the zipper broke after a week', ['quality']],
    ['the size chart is completely wrong, too tight', ['size_fit']],
    ['still waiting for my refund, awful', ['refund']],
    ['customer service was rude and useless', ['service']],
  ])('%s', (text, topics) => {
    expect(complaintTopics(text, 'en')).toEqual(expect.arrayContaining(topics));
    expect(complaint(text, 'en')).toBe(true);
  });

  it('needs negative sentiment', () => {
    expect(complaint('fast delivery and friendly driver', 'en')).toBe(false);
    expect(complaint('refund processed in 2 days, impressed', 'en')).toBe(false);
  });

  it('needs a complaint topic', () => {
    expect(complaint('ugh monday', 'en')).toBe(false);
    expect(complaint('I hate rainy days', 'en')).toBe(false);
  });

  it('does not match prefixes inside unrelated words', () => {
    expect(complaintTopics('appalling weather, disappointing happenings', 'en')).toEqual([]);
  });

  it('knows keyword families in other languages', () => {
    expect(complaint('El pedido llegó tarde y roto. Muy mal servicio', 'es')).toBe(true);
    expect(complaintTopics('El pedido llegó tarde y roto. Muy mal servicio', 'es')).toEqual(['delivery', 'service', 'quality']);
    expect(complaint('Colis perdu, remboursement toujours pas reçu. Honteux', 'fr')).toBe(true);
    expect(complaint('Die App stürzt ständig ab, total nervig', 'de')).toBe(true);
    expect(complaint('Meu pedido chegou quebrado', 'pt')).toBe(true);
  });

  it('never calls an unsupported-language post a complaint', () => {
    expect(isComplaint('Pelayanan sangat buruk, barang tidak sampai', null, 'id')).toBe(false);
  });
});

describe('extractTerms', () => {
  it('stems content words and pairs neighbours within a clause', () => {
    expect(extractTerms('The delivery was late again!', 'en')).toEqual(['deliveri', 'late', 'deliveri late']);
    expect(extractTerms('Deliveries late. Refunds slow', 'en')).toEqual(['deliveri', 'late', 'refund', 'slow', 'deliveri late', 'refund slow']);
  });

  it('drops stop words, fillers, emoji, numbers, mentions and URLs', () => {
    expect(extractTerms('@brand lol my order #123 is 😡 https://t.co/x', 'en')).toEqual(['order']);
  });

  it('uses natural stemmers for other languages', () => {
    expect(extractTerms('Entregas lentas', 'es')).toEqual([stemWord('entregas', 'es'), stemWord('lentas', 'es'), `${stemWord('entregas', 'es')} ${stemWord('lentas', 'es')}`]);
    expect(extractTerms('Die Lieferungen kommen nie', 'de')[0]).toBe('liefer');
    expect(extractTerms('pengiriman lambat', 'id')[0]).toBe('kirim');
  });

  it('keeps words unstemmed where natural has no stemmer', () => {
    expect(extractTerms('entrega lenta', 'ca')).toEqual(['entrega', 'lenta', 'entrega lenta']);
  });
});

describe('themes', () => {
  const docs = [
    { text: 'delivery late again', score: -0.5 },
    { text: 'late delivery, driver rude', score: -0.7 },
    { text: 'delivery was late', score: -0.3 },
    { text: 'love the new flavor', score: 0.8 },
    { text: 'new flavor is amazing', score: 0.9 },
    { text: 'brand brand brand', score: null },
  ].map((d) => ({ terms: extractTerms(d.text, 'en'), score: d.score }));

  it('ranks by TF-IDF and reports volume and mean sentiment', () => {
    const themes = topThemes(docs, 5);
    // "late delivery" pairs as "late deliveri", so "deliveri late" has volume 2, not 3
    expect(themes.map((t) => t.term)).toEqual(['deliveri', 'late', 'deliveri late', 'flavor', 'new']);
    const delivery = themes[0];
    expect(delivery?.volume).toBe(3);
    expect(delivery?.meanScore).toBeCloseTo(-0.5, 10);
    expect(delivery?.negativeShare).toBe(1);
    expect(themes.find((t) => t.term === 'flavor')?.meanScore).toBeCloseTo(0.85, 10);
  });

  it('respects minVolume and is deterministic', () => {
    expect(topThemes(docs, 50, { minVolume: 3 }).map((t) => t.term)).toEqual(['deliveri', 'late']);
    expect(topThemes(docs, 50).every((t) => t.volume >= 2)).toBe(true);
    expect(topThemes(docs, 10)).toEqual(topThemes([...docs], 10));
  });

  it('finds growing themes between periods', () => {
    const previous = Array.from({ length: 20 }, (_, i) => ({ terms: i < 2 ? ['refund', 'app'] : ['app'], score: 0 }));
    const current = Array.from({ length: 20 }, (_, i) => ({ terms: i < 10 ? ['refund', 'app'] : ['app'], score: i < 10 ? -0.6 : 0.1 }));
    const growth = themeGrowth(previous, current, 5);
    expect(growth[0]?.term).toBe('refund');
    expect(growth[0]?.previousVolume).toBe(2);
    expect(growth[0]?.currentVolume).toBe(10);
    expect(growth[0]?.growth).toBeCloseTo(11 / 3 - 1, 10);
    expect(growth[0]?.currentMeanScore).toBeCloseTo(-0.6, 10);
    expect(growth[1]).toMatchObject({ term: 'app', growth: 0 });
  });
});
