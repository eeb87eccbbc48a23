import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import type { ModelDef } from '../../../models/engine/index.ts';
import { fctFeedback, topTerms } from '../../../models/marts/feedback/fct_feedback.ts';
import { buildAll, insertRows, setupFeedbackWarehouse, socialText } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const DAY = '2026-03-01';

/** Six customer texts on Facebook, a brand reply and a competitor mention, all on one day. */
const TEXTS = [
  socialText({ text_id: 'facebook:comment:1', created_at: `${DAY}T09:00:00Z`, text: 'I love this jacket, amazing quality!' }),
  socialText({ text_id: 'facebook:comment:2', created_at: `${DAY}T09:10:00Z`, text: 'Great service, thank you so much' }),
  socialText({ text_id: 'facebook:comment:3', created_at: `${DAY}T09:20:00Z`, text: 'The delivery was late and the package arrived damaged. Terrible.' }),
  socialText({ text_id: 'facebook:comment:4', created_at: `${DAY}T09:30:00Z`, text: 'Worst refund process ever, still no money back' }),
  socialText({ text_id: 'facebook:comment:5', created_at: `${DAY}T09:40:00Z`, text: 'The store opens at nine' }),
  socialText({ text_id: 'facebook:comment:6', created_at: `${DAY}T09:50:00Z`, text: 'これは素晴らしいジャケットです', lang: 'ja' }),
  socialText({ text_id: 'facebook:comment:7', created_at: `${DAY}T10:00:00Z`, text: 'Love it 😍' }),
  socialText({ text_id: 'facebook:reply:8', created_at: `${DAY}T10:05:00Z`, text: 'Thanks so much, we love hearing this!', is_brand: true, author_key: null }),
  socialText({ text_id: 'x:mention:9', source: 'x', platform: 'x', kind: 'mention', created_at: `${DAY}T11:00:00Z`, text: 'Rival jackets are awful, terrible quality', mentioned_brand: 'Rival' }),
];

async function seed(w: Warehouse): Promise<void> {
  await insertRows(w, 'raw.stand_in__social_texts', TEXTS);
  await insertRows(w, 'raw.stand_in__brand_daily', [
    { day: DAY, brand: 'Northwind', is_own_brand: true, platform: 'facebook', followers: 1000, posts: 1, mentions: 3, engagements: 50 },
    { day: DAY, brand: 'Rival', is_own_brand: false, platform: 'x', followers: 2000, posts: 2, mentions: 1, engagements: 10 },
  ]);
}

describe('fct_feedback', () => {
  it('scores customer texts only, labels by the ±0.05 thresholds, and marks unsupported languages', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await seed(wh);
    await buildAll(wh, setup.models, ['+fct_feedback']);
    const rows = await wh.all<{ text_id: string; label: string; score: number | null; lang: string; is_complaint: boolean; complaint_topics: string[]; themes: string[]; is_brand: boolean; day: string }>(
      `select text_id, label, score, lang, is_complaint, complaint_topics, themes, is_brand, day::varchar as day from marts.fct_feedback order by text_id`,
    );
    // The brand's own reply (facebook:reply:8) is not feedback.
    expect(rows.map((r) => [r.text_id, r.label])).toEqual([
      ['facebook:comment:1', 'positive'],
      ['facebook:comment:2', 'positive'],
      ['facebook:comment:3', 'negative'],
      ['facebook:comment:4', 'negative'],
      ['facebook:comment:5', 'neutral'],
      ['facebook:comment:6', 'unsupported'],
      ['facebook:comment:7', 'positive'],
      ['x:mention:9', 'negative'],
    ]);
    for (const r of rows) {
      expect(r.is_brand).toBe(false);
      expect(r.day).toBe(DAY);
      if (r.label === 'positive') expect(r.score).toBeGreaterThanOrEqual(0.05);
      if (r.label === 'negative') expect(r.score).toBeLessThanOrEqual(-0.05);
    }
    const unsupported = rows.find((r) => r.text_id === 'facebook:comment:6');
    expect(unsupported).toMatchObject({ score: null, lang: 'ja', is_complaint: false, themes: [], complaint_topics: [] });
    expect(rows.find((r) => r.text_id === 'facebook:comment:5')?.score).toBe(0);
    expect(rows.find((r) => r.text_id === 'facebook:comment:3')).toMatchObject({ is_complaint: true, complaint_topics: ['delivery', 'quality'] });
    expect(rows.find((r) => r.text_id === 'facebook:comment:4')).toMatchObject({ is_complaint: true });
    expect(rows.find((r) => r.text_id === 'facebook:comment:1')?.is_complaint).toBe(false);
    expect(rows.find((r) => r.text_id === 'facebook:comment:3')?.themes).toContain('deliveri');
  });

  it('scores each text once: a later build scores only new and edited texts, and drops those that are gone', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await seed(wh);
    let scored: string[] = [];
    const counting: ModelDef = {
      ...fctFeedback,
      compute: {
        version: fctFeedback.compute!.version,
        run: (rows, ctx) => {
          scored.push(...rows.map((r) => String(r['text_id'])));
          return fctFeedback.compute!.run(rows, ctx);
        },
      },
    };
    const models = setup.models.map((m) => (m.name === 'fct_feedback' ? counting : m));
    await buildAll(wh, models, ['+fct_feedback']);
    // 9 texts − 1 brand reply = 8 scored
    expect(scored).toHaveLength(8);
    const before = await wh.all(`select text_id, score from marts.fct_feedback order by text_id`);

    scored = [];
    await insertRows(wh, 'raw.stand_in__social_texts', [
      socialText({ text_id: 'facebook:comment:10', created_at: '2026-03-02T09:00:00Z', text: 'Awful, the zipper broke' }),
      socialText({ text_id: 'facebook:comment:11', created_at: '2026-03-02T09:05:00Z', text: 'Nice colours' }),
    ]);
    const second = await buildAll(wh, models, ['+fct_feedback']);
    expect(scored.sort()).toEqual(['facebook:comment:10', 'facebook:comment:11']);
    expect(second.models.find((m) => m.model === 'fct_feedback')).toMatchObject({ mode: 'incremental', rowsWritten: 2, rows: 10 });
    expect(await wh.all(`select text_id, score from marts.fct_feedback where text_id not in ('facebook:comment:10', 'facebook:comment:11') order by text_id`)).toEqual(before);

    scored = [];
    await buildAll(wh, models, ['+fct_feedback']);
    expect(scored).toEqual([]);

    // An edited text is scored again; a text that is gone leaves the table, as in a full rebuild.
    await wh.run(`update raw.stand_in__social_texts set text = 'Love it, best jacket ever' where text_id = 'facebook:comment:3'`);
    await wh.run(`delete from raw.stand_in__social_texts where text_id = 'facebook:comment:5'`);
    const third = await buildAll(wh, models, ['+fct_feedback']);
    expect(scored).toEqual(['facebook:comment:3']);
    expect(third.models.find((m) => m.model === 'fct_feedback')).toMatchObject({ mode: 'incremental', rowsWritten: 1, rows: 9 });
    const [edited] = await wh.all<{ label: string; is_complaint: boolean }>(`select label, is_complaint from marts.fct_feedback where text_id = 'facebook:comment:3'`);
    expect(edited).toEqual({ label: 'positive', is_complaint: false });
    expect(await wh.all(`select text_id from marts.fct_feedback where text_id = 'facebook:comment:5'`)).toEqual([]);
  });

  it('keeps a text\'s most frequent terms as its themes, first appearance breaking ties', () => {
    expect(topTerms(['a', 'b', 'c', 'b', 'd', 'e', 'f', 'a b', 'b c'], 3)).toEqual(['b', 'a', 'c']);
  });
});

describe('fct_sentiment_daily', () => {
  it('counts labels and computes net sentiment, mean score and complaint rate over scored texts', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await seed(wh);
    await buildAll(wh, setup.models, ['+fct_sentiment_daily']);
    const scores = await wh.all<{ score: number }>(`select score from marts.fct_feedback where platform = 'facebook' and score is not null`);
    const [row] = await wh.all<Record<string, unknown>>(`select * exclude (day, top_themes), day::varchar as day from marts.fct_sentiment_daily where platform = 'facebook'`);
    // facebook comments: 1, 2, 7 positive; 3, 4 negative; 5 neutral; 6 unsupported (not in texts); 8 is the brand's
    // texts = 6; net sentiment = (3 − 2) / 6 = 0.1666…; complaints = 2 (3, 4) → complaint rate = 2 / 6
    expect(row).toMatchObject({ day: DAY, kind: 'comment', texts: 6, positive: 3, neutral: 1, negative: 2, unsupported: 1, complaints: 2 });
    expect(row?.['net_sentiment']).toBeCloseTo(1 / 6, 12);
    expect(row?.['complaint_rate']).toBeCloseTo(2 / 6, 12);
    // mean of the six scores (the unsupported text has none)
    expect(scores).toHaveLength(6);
    expect(row?.['mean_score']).toBeCloseTo(scores.reduce((s, r) => s + r.score, 0) / 6, 12);
    // the mention of a competitor is left out: no x row
    expect(await wh.all(`select * from marts.fct_sentiment_daily where platform = 'x'`)).toEqual([]);
  });

  it('ranks top themes by group volume × smoothed IDF over the day, needing two texts', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    const at = (m: number) => `2026-03-05T10:${String(m).padStart(2, '0')}:00Z`;
    await insertRows(wh, 'raw.stand_in__social_texts', [
      socialText({ text_id: 'x:1', platform: 'x', created_at: at(1), text: 'zipper zipper zipper' }),
      socialText({ text_id: 'x:2', platform: 'x', created_at: at(2), text: 'zipper pocket' }),
      socialText({ text_id: 'x:3', platform: 'x', created_at: at(3), text: 'pocket hood' }),
      socialText({ text_id: 'ig:1', platform: 'instagram', created_at: at(4), text: 'hood pocket' }),
      socialText({ text_id: 'ig:2', platform: 'instagram', created_at: at(5), text: 'hood' }),
    ]);
    await buildAll(wh, setup.models, ['+fct_sentiment_daily']);
    const themes = await wh.all<{ text_id: string; themes: string[] }>(`select text_id, themes from marts.fct_feedback order by text_id`);
    expect(themes).toEqual([
      { text_id: 'ig:1', themes: ['hood', 'pocket', 'hood pocket'] },
      { text_id: 'ig:2', themes: ['hood'] },
      { text_id: 'x:1', themes: ['zipper'] },
      { text_id: 'x:2', themes: ['zipper', 'pocket', 'zipper pocket'] },
      { text_id: 'x:3', themes: ['pocket', 'hood', 'pocket hood'] },
    ]);
    // The day has N = 5 texts; texts listing a term: zipper 2, pocket 3, hood 3 (each bigram 1).
    // x: zipper 2 × (ln(6/3) + 1) = 3.386; pocket 2 × (ln(6/4) + 1) = 2.811; hood 1 text → not a theme.
    // instagram: hood 2 × (ln(6/4) + 1) = 2.811; pocket 1 text → not a theme.
    const rows = await wh.all(`select platform, top_themes from marts.fct_sentiment_daily order by platform`);
    expect(rows).toEqual([
      { platform: 'instagram', top_themes: ['hood'] },
      { platform: 'x', top_themes: ['zipper', 'pocket'] },
    ]);
  });
});
