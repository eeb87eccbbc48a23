import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildAll, insertRows, setupFeedbackWarehouse, socialText } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const DAY = '2026-03-01';

describe('fct_survey_daily', () => {
  it('computes NPS, CSAT and CES per day and survey from hand-counted answers', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    const answer = (id: string, survey: string, score: number, comment: string | null = null) => ({
      response_id: id, survey, score, responded_at: `${DAY}T12:00:00Z`, customer_id: `c-${id}`, respondent_email: `${id}@example.com`,
      order_id: null, ticket_id: null, comment, lang: comment ? 'en' : null,
    });
    await insertRows(wh, 'raw.surveys__responses', [
      // NPS: 5 promoters (9–10), 3 passives (7–8), 2 detractors (0–6)
      ...[9, 10, 9, 10, 10, 7, 8, 7, 0, 6].map((s, i) => answer(`nps${i}`, 'nps', s, i === 0 ? 'Love the jackets' : null)),
      // CSAT: 5, 4 satisfied of 4 answers
      ...[5, 4, 3, 1].map((s, i) => answer(`csat${i}`, 'csat', s)),
      // CES: 2, 3, 7
      ...[2, 3, 7].map((s, i) => answer(`ces${i}`, 'ces', s)),
    ]);
    await buildAll(wh, setup.models, ['+fct_survey_daily', '+fct_feedback']);
    const rows = await wh.all(`select * exclude (day) from marts.fct_survey_daily order by survey`);
    expect(rows).toEqual([
      // CES = (2 + 3 + 7) / 3 = 4
      { survey: 'ces', responses: 3, comments: 0, promoters: null, passives: null, detractors: null, nps: null, csat: null, ces: 4 },
      // CSAT = 2 / 4 = 0.5
      { survey: 'csat', responses: 4, comments: 0, promoters: null, passives: null, detractors: null, nps: null, csat: 0.5, ces: null },
      // NPS = 100 × (5 − 2) / 10 = 30
      { survey: 'nps', responses: 10, comments: 1, promoters: 5, passives: 3, detractors: 2, nps: 30, csat: null, ces: null },
    ]);
    // the comment is a survey_answer text
    expect(await wh.all(`select text_id, kind, channel, label from marts.fct_feedback`)).toEqual([{ text_id: 'survey:nps0', kind: 'survey_answer', channel: 'survey', label: 'positive' }]);
  });

  it('keeps emails and names out of staging and marts: respondents and requesters are pseudonymous keys', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await insertRows(wh, 'raw.surveys__responses', [
      { response_id: 'r1', survey: 'nps', score: 9, responded_at: `${DAY}T12:00:00Z`, customer_id: '42', respondent_email: 'ann@example.com', order_id: null, ticket_id: null, comment: 'Great', lang: 'en' },
    ]);
    await insertRows(wh, 'raw.surveys__reviews', [
      { review_id: 'v1', product_id: 'p1', customer_id: '42', order_id: 'o1', rating: 5, title: 'Love it!', body: 'Warm and light', lang: 'en', created_at: `${DAY}T13:00:00Z`, verified_buyer: true },
    ]);
    await insertRows(wh, 'raw.zendesk__users', [{ id: 7, name: 'Ann Example', email: 'ann@example.com', external_id: '42', role: 'end-user', locale: 'en', created_at: `${DAY}T00:00:00Z` }]);
    await buildAll(wh, setup.models);
    const columns = await wh.all<{ table_schema: string; table_name: string; column_name: string }>(
      `select table_schema, table_name, column_name from information_schema.columns where table_schema in ('staging', 'intermediate', 'marts')`,
    );
    expect(columns.length).toBeGreaterThan(50);
    expect(columns.filter((c) => /email|name$|phone|handle|username/.test(c.column_name) && c.column_name !== 'theme')).toEqual([]);
    const [keys] = await wh.all<{ k: string }>(`select pseudonym('42') as k`);
    expect(keys?.k).toMatch(/^p_[0-9a-f]{16}$/);
    expect(await wh.all(`select customer_key from staging.stg_surveys__responses`)).toEqual([{ customer_key: keys?.k }]);
    expect(await wh.all(`select customer_key from staging.stg_zendesk__users`)).toEqual([{ customer_key: keys?.k }]);
    // the review's author is the same key; its title is scored with its body
    expect(await wh.all(`select author_key, text from intermediate.int_feedback_texts where kind = 'review'`)).toEqual([{ author_key: keys?.k, text: 'Love it!\nWarm and light' }]);
    for (const table of ['marts.fct_feedback', 'marts.fct_sentiment_daily', 'marts.fct_survey_daily']) {
      const dump = JSON.stringify(await wh.all(`select * from ${table}`));
      expect(dump).not.toContain('ann@example.com');
      expect(dump).not.toContain('Ann');
    }
  });
});

describe('fct_share_of_voice', () => {
  it('computes share of voice, engagement rate and the sentiment of mentions per day and brand', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await insertRows(wh, 'raw.stand_in__brand_daily', [
      { day: DAY, brand: 'Northwind', is_own_brand: true, platform: 'facebook', followers: 1000, posts: 2, mentions: 30, engagements: 50 },
      { day: DAY, brand: 'Northwind', is_own_brand: true, platform: 'x', followers: null, posts: 1, mentions: 10, engagements: 20 },
      { day: DAY, brand: 'Rival', is_own_brand: false, platform: 'facebook', followers: 2000, posts: 3, mentions: 40, engagements: 100 },
      { day: DAY, brand: 'Other', is_own_brand: false, platform: 'x', followers: 500, posts: 1, mentions: 20, engagements: null },
    ]);
    const mention = (id: string, text: string, brand: string, lang = 'en') =>
      socialText({ text_id: `x:mention:${id}`, source: 'x', platform: 'x', kind: 'mention', created_at: `${DAY}T10:00:00Z`, text, lang, mentioned_brand: brand });
    await insertRows(wh, 'raw.stand_in__social_texts', [
      mention('1', 'I love my Northwind jacket!', 'Northwind'),
      mention('2', 'Northwind support was great, thanks', 'Northwind'),
      mention('3', 'Northwind delivery was terrible', 'Northwind'),
      mention('4', 'ノースウィンドのジャケット', 'Northwind', 'ja'),
    ]);
    await buildAll(wh, setup.models, ['+fct_share_of_voice']);
    const scored = await wh.all<{ label: string; score: number | null }>(`select label, score from marts.fct_feedback order by text_id`);
    expect(scored.map((s) => s.label)).toEqual(['positive', 'positive', 'negative', 'unsupported']);
    const rows = await wh.all<Record<string, unknown>>(`select * exclude (day) from marts.fct_share_of_voice order by brand`);
    // all mentions that day: Northwind 30 + 10, Rival 40, Other 20 = 100
    // Northwind: SOV 40 / 100 = 0.4; engagement rate over platforms with both numbers = 50 / 1000 = 0.05
    //   mentions scored: 2 positive, 1 negative (the Japanese one is unsupported) → net (2 − 1) / 3; mean of the 3 scores
    // Rival: 40 / 100 = 0.4, 100 / 2000 = 0.05, no texts → NULL sentiment
    // Other: 20 / 100 = 0.2, no engagements → NULL rate
    expect(rows.map((r) => [r['brand'], r['is_own_brand'], r['mentions'], r['share_of_voice'], r['followers'], r['engagements'], r['engagement_rate'], r['mention_texts']])).toEqual([
      ['Northwind', true, 40, 0.4, 1000, 70, 0.05, 3],
      ['Other', false, 20, 0.2, 500, null, null, 0],
      ['Rival', false, 40, 0.4, 2000, 100, 0.05, 0],
    ]);
    const northwind = rows[0]!;
    expect(northwind['mention_net_sentiment']).toBeCloseTo(1 / 3, 12);
    const mean = ((scored[0]!.score as number) + (scored[1]!.score as number) + (scored[2]!.score as number)) / 3;
    expect(northwind['mention_mean_score']).toBeCloseTo(mean, 12);
    expect(rows[2]).toMatchObject({ mention_mean_score: null, mention_net_sentiment: null });
  });
});
