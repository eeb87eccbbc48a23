/**
 * Unit tests of int_social_texts (the exact shape other marts build on, ids, kinds, the brand's
 * own texts, pseudonymisation) and int_brand_daily (brand beside competitors) on the fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { loadSocialFixture } from './fixture.ts';
import { buildSocial, emptySocialWarehouse } from './helpers.ts';

let wh: Warehouse;

beforeAll(async () => {
  wh = await emptySocialWarehouse();
  await loadSocialFixture(wh);
  await buildSocial(wh);
}, 60_000);

afterAll(() => wh?.close());

const pseudonym = async (value: string) => (await wh.all(`select pseudonym($1) as p`, [value]))[0]!.p as string;

describe('int_social_texts', () => {
  it('has exactly the agreed columns and types', async () => {
    const columns = await wh.all(`select column_name, data_type from information_schema.columns where table_schema = 'intermediate' and table_name = 'int_social_texts' order by ordinal_position`);
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'text_id VARCHAR', 'source VARCHAR', 'platform VARCHAR', 'kind VARCHAR', 'created_at TIMESTAMP WITH TIME ZONE', 'text VARCHAR', 'lang VARCHAR',
      'author_key VARCHAR', 'is_brand BOOLEAN', 'thread_id VARCHAR', 'parent_text_id VARCHAR', 'mentioned_brand VARCHAR',
    ]);
  });

  it('holds one row per text of every platform, with kinds, threads, parents and the brand’s own texts', async () => {
    const rows = await wh.all(`select text_id, source, platform, kind, is_brand, thread_id, parent_text_id, mentioned_brand, lang from intermediate.int_social_texts order by text_id`);
    expect(rows).toEqual([
      { text_id: 'facebook:comment:C1', source: 'facebook', platform: 'facebook', kind: 'comment', is_brand: false, thread_id: 'P1_1', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'facebook:comment:C2', source: 'facebook', platform: 'facebook', kind: 'reply', is_brand: true, thread_id: 'P1_1', parent_text_id: 'facebook:comment:C1', mentioned_brand: null, lang: null },
      { text_id: 'facebook:message:m1', source: 'facebook', platform: 'facebook', kind: 'message', is_brand: false, thread_id: 't1', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'facebook:message:m2', source: 'facebook', platform: 'facebook', kind: 'message', is_brand: true, thread_id: 't1', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'facebook:message:m3', source: 'facebook', platform: 'facebook', kind: 'message', is_brand: false, thread_id: 't2', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'instagram:comment:IC1', source: 'instagram', platform: 'instagram', kind: 'comment', is_brand: false, thread_id: 'M1', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'instagram:comment:IC2', source: 'instagram', platform: 'instagram', kind: 'reply', is_brand: true, thread_id: 'M1', parent_text_id: 'instagram:comment:IC1', mentioned_brand: null, lang: null },
      // A tag of the brand is a mention of it, labelled with the brand's X label.
      { text_id: 'instagram:media:T1', source: 'instagram', platform: 'instagram', kind: 'mention', is_brand: false, thread_id: 'T1', parent_text_id: null, mentioned_brand: 'acme', lang: null },
      { text_id: 'linkedin:comment:11', source: 'linkedin', platform: 'linkedin', kind: 'comment', is_brand: false, thread_id: 'urn:li:share:1', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'linkedin:comment:12', source: 'linkedin', platform: 'linkedin', kind: 'reply', is_brand: true, thread_id: 'urn:li:share:1', parent_text_id: 'linkedin:comment:11', mentioned_brand: null, lang: null },
      // 201 is in both the replies and the mentions stream: one row; it answers the brand's post 100 (the thread).
      { text_id: 'x:tweet:201', source: 'x', platform: 'x', kind: 'comment', is_brand: false, thread_id: '100', parent_text_id: null, mentioned_brand: null, lang: 'en' },
      { text_id: 'x:tweet:202', source: 'x', platform: 'x', kind: 'reply', is_brand: true, thread_id: '100', parent_text_id: 'x:tweet:201', mentioned_brand: null, lang: 'en' },
      { text_id: 'x:tweet:300', source: 'x', platform: 'x', kind: 'mention', is_brand: false, thread_id: '300', parent_text_id: null, mentioned_brand: 'acme', lang: 'es' },
      // 400 answers the brand's deleted post 99 (the conversation root, addressed to the brand): a comment, not a mention.
      { text_id: 'x:tweet:400', source: 'x', platform: 'x', kind: 'comment', is_brand: false, thread_id: '99', parent_text_id: null, mentioned_brand: null, lang: 'en' },
      { text_id: 'youtube:comment:YC1', source: 'youtube', platform: 'youtube', kind: 'comment', is_brand: false, thread_id: 'V1', parent_text_id: null, mentioned_brand: null, lang: null },
      { text_id: 'youtube:comment:YC1.r', source: 'youtube', platform: 'youtube', kind: 'reply', is_brand: true, thread_id: 'V1', parent_text_id: 'youtube:comment:YC1', mentioned_brand: null, lang: null },
    ]);
  });

  it('keeps people as pseudonymous keys and masks their names, handles and e-mail addresses in the texts', async () => {
    const texts = Object.fromEntries((await wh.all(`select text_id, text, author_key from intermediate.int_social_texts`)).map((r) => [r.text_id, r]));
    expect(texts['facebook:comment:C1']!.text).toBe('Love it! mail me at [email]');
    expect(texts['facebook:comment:C2']!.text).toBe('Thanks so much, [name]!');
    expect(texts['facebook:message:m1']!.text).toBe('Hi Brand team, do you ship to Canada?'); // the Page's own name stays
    expect(texts['facebook:message:m2']!.text).toBe('Hi [name], sure');
    expect(texts['instagram:comment:IC1']!.text).toBe('@user love this, says @user');
    expect(texts['x:tweet:201']!.text).toBe('@user great, cc @user');
    expect(texts['youtube:comment:YC1']!.text).toBe('great video @user');
    expect(texts['facebook:comment:C1']!.author_key).toBe(await pseudonym('U1'));
    expect(texts['instagram:comment:IC1']!.author_key).toBe(await pseudonym('IGU1'));
    expect(texts['instagram:media:T1']!.author_key).toBe(await pseudonym('fan_01'));
    expect(texts['x:tweet:300']!.author_key).toBe(await pseudonym('XU2'));
    expect(texts['linkedin:comment:11']!.author_key).toBe(await pseudonym('urn:li:person:abc'));
    expect(texts['youtube:comment:YC1']!.author_key).toBe(await pseudonym('UC_FAN'));
    const all = JSON.stringify(await wh.all(`select * from intermediate.int_social_texts`));
    for (const personal of ['Ann', 'Lee', 'Bob', 'Stone', 'Cy Young', 'jane_doe', 'fan_01', 'xu1handle', 'ann.lee@example.com', 'U1', 'XU1', 'urn:li:person:abc', 'UC_FAN']) {
      expect(all, personal).not.toContain(personal);
    }
  });

  it('has no column holding a name, handle, e-mail or raw id of a person in any social model', async () => {
    const columns = await wh.all(`select table_name, column_name from information_schema.columns where table_schema in ('staging', 'intermediate', 'marts') and (table_name like '%facebook%' or table_name like '%instagram%' or table_name like '%x\\_\\_%' escape '\\' or table_name like '%linkedin%' or table_name like '%youtube%' or table_name like 'int_social%' or table_name in ('int_brand_daily', 'fct_post_engagement', 'fct_account_daily'))`);
    const personal = columns.filter((c) => /^(name|email|author_id|author_name|author_username|sender_id|sender_name|actor|from|username|handle|display_name|user_name)$/.test(c.column_name as string));
    // Tracked business accounts keep their handles: X users_daily, YouTube channels, Instagram snapshots and discovery media.
    expect(personal.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual([
      'stg_instagram__account_snapshots.username',
      'stg_instagram__discovery_media.username',
      'stg_x__users_daily.username',
      'stg_youtube__channels_daily.handle',
    ]);
  });
});

describe('int_brand_daily', () => {
  it('puts the brand beside its competitors, labelled by X label and handle', async () => {
    const rows = await wh.all(`select day::varchar as day, brand, is_own_brand, platform, followers, posts, mentions, engagements from intermediate.int_brand_daily where platform in ('x', 'instagram', 'youtube') order by platform, brand, day`);
    expect(rows).toEqual([
      // Instagram: the brand from its own account (followers rebuilt, posts, engagements 40+6+2+4, tags as mentions)
      { day: '2026-03-01', brand: 'acme', is_own_brand: true, platform: 'instagram', followers: 2006, posts: 0, mentions: 0, engagements: 0 },
      { day: '2026-03-02', brand: 'acme', is_own_brand: true, platform: 'instagram', followers: 2011, posts: 1, mentions: 1, engagements: 52 },
      // @rivalco matches the X account labelled rival: posts and likes + comments (100 + 10) of discovery media, followers of the snapshot day
      { day: '2026-03-01', brand: 'rival', is_own_brand: false, platform: 'instagram', followers: null, posts: 1, mentions: null, engagements: 110 },
      { day: '2026-03-03', brand: 'rival', is_own_brand: false, platform: 'instagram', followers: 5000, posts: null, mentions: null, engagements: null },
      // X: the brand's own post (engagements 20) and query counts
      { day: '2026-03-01', brand: 'acme', is_own_brand: true, platform: 'x', followers: 800, posts: 0, mentions: 5, engagements: 0 },
      { day: '2026-03-02', brand: 'acme', is_own_brand: true, platform: 'x', followers: 810, posts: 1, mentions: 7, engagements: 20 },
      // competitor posts from the post counter: 103 − 100 = 3 on 03-02, unknown on the first snapshot
      { day: '2026-03-01', brand: 'rival', is_own_brand: false, platform: 'x', followers: 3000, posts: null, mentions: null, engagements: null },
      { day: '2026-03-02', brand: 'rival', is_own_brand: false, platform: 'x', followers: 3010, posts: 3, mentions: 9, engagements: null },
      { day: '2026-03-02', brand: 'acme', is_own_brand: true, platform: 'youtube', followers: 300, posts: 1, mentions: null, engagements: 50 },
      { day: '2026-03-02', brand: 'rival', is_own_brand: false, platform: 'youtube', followers: 700, posts: null, mentions: null, engagements: null },
    ]);
  });
});
