import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainValue } from '../../core/warehouse.ts';
import { CHANNEL_GROUPS, CHANNEL_RULES, createMacros, SOURCE_CATEGORIES } from '../../models/macros.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await createMacros({ run: (sql) => conn.run(sql) });
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function rows<T = Record<string, unknown>>(sql: string, params: (string | null)[] = []): Promise<T[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS().map((r) => plainValue(r) as T);
}

/** Evaluates the macro in DuckDB for one (source, medium, campaign). */
async function channelGroup(source: string | null, medium: string | null, campaign: string | null): Promise<string> {
  const [row] = await rows<{ g: string }>('select channel_group($1::varchar, $2::varchar, $3::varchar) as g', [source, medium, campaign]);
  return row!.g;
}

type Case = [source: string | null, medium: string | null, campaign: string | null, expected: string];

describe('channel_group: one case per GA4 rule', () => {
  const cases: Case[] = [
    ['(direct)', '(none)', '(not set)', 'Direct'],
    ['google', 'cpc', 'brand_pmax_cross-network', 'Cross-network'],
    ['amazon', 'cpc', 'spring', 'Paid Shopping'],
    ['newsletter-partner', 'paid', 'summer shop', 'Paid Shopping'],
    ['google', 'cpc', 'brand', 'Paid Search'],
    ['facebook', 'paid_social', 'launch', 'Paid Social'],
    ['x', 'paid_social', 'launch', 'Paid Social'],
    ['youtube', 'cpv', 'launch', 'Paid Video'],
    ['adnetwork', 'banner', 'launch', 'Display'],
    ['adnetwork', 'retargeting', 'launch', 'Paid Other'],
    ['etsy', 'referral', '(not set)', 'Organic Shopping'],
    ['partner', 'referral', 'holiday-shopping', 'Organic Shopping'],
    ['l.instagram.com', 'referral', '(not set)', 'Organic Social'],
    ['partner', 'social-media', 'launch', 'Organic Social'],
    ['vimeo.com', 'referral', '(not set)', 'Organic Video'],
    ['partner', 'video_embed', 'launch', 'Organic Video'],
    ['bing', 'organic', '(not set)', 'Organic Search'],
    ['partner', 'organic', '(not set)', 'Organic Search'],
    ['blog.example.com', 'referral', '(not set)', 'Referral'],
    ['newsletter', 'e-mail', 'march', 'Email'],
    ['email', 'newsletter', 'march', 'Email'],
    ['partner', 'affiliate', 'march', 'Affiliates'],
    ['spotify', 'audio', 'march', 'Audio'],
    ['sms', 'text', 'march', 'SMS'],
    ['app', 'web_push', 'march', 'Mobile Push Notifications'],
    ['firebase', 'inapp', 'march', 'Mobile Push Notifications'],
    ['partner', 'notification-center', 'march', 'Mobile Push Notifications'],
    ['partner', 'print', 'march', 'Unassigned'],
  ];
  it.each(cases)('(%s, %s, %s) → %s', async (source, medium, campaign, expected) => {
    expect(await channelGroup(source, medium, campaign)).toBe(expected);
  });

  it('covers every group', () => {
    expect(new Set(cases.map((c) => c[3]))).toEqual(new Set(CHANNEL_GROUPS));
    expect(CHANNEL_RULES.map((r) => r.group)).toEqual(CHANNEL_GROUPS.slice(0, -1));
  });
});

describe('channel_group: precedence and inputs', () => {
  const cases: Case[] = [
    // Paid rules come before organic ones: the medium decides between Paid Social and Organic Social.
    ['facebook', 'cpc', 'launch', 'Paid Social'],
    ['facebook', 'social', 'launch', 'Organic Social'],
    ['facebook', 'referral', 'launch', 'Organic Social'],
    // Cross-network beats every source-based rule.
    ['facebook', 'cpc', 'Q3 Cross-Network', 'Cross-network'],
    // A shopping campaign makes a paid search click Paid Shopping (Paid Shopping is tried first).
    ['google', 'cpc', 'shopping_feed', 'Paid Shopping'],
    // "shop" must start a word (or follow "e"): "workshop" is not a shopping campaign.
    ['google', 'cpc', 'workshop-series', 'Paid Search'],
    ['google', 'cpc', 'eshop', 'Paid Shopping'],
    // "cpm" is paid: from a search site it is Paid Search, elsewhere Display (before Paid Other).
    ['google', 'cpm', 'brand', 'Paid Search'],
    ['adnetwork', 'cpm', 'brand', 'Display'],
    // YouTube is a video site, not a social one.
    ['youtube', 'referral', '(not set)', 'Organic Video'],
    // Source lists beat medium rules: a search site with medium "referral" is Organic Search.
    ['google', 'referral', '(not set)', 'Organic Search'],
    // Social before Email: the source decides before the email medium is looked at.
    ['linkedin', 'email', 'digest', 'Organic Social'],
    // Inputs are lower-cased; a leading www. is dropped for the site lists.
    ['Facebook', 'CPC', 'Launch', 'Paid Social'],
    ['(DIRECT)', '(None)', null, 'Direct'],
    ['www.google.com', 'organic', null, 'Organic Search'],
    // Direct needs medium (none) or (not set); NULL or empty is (not set).
    ['(direct)', '(not set)', null, 'Direct'],
    ['(direct)', null, null, 'Direct'],
    ['(direct)', '', '', 'Direct'],
    ['(direct)', 'referral', null, 'Referral'],
    // An empty or missing source matches no site list; the medium alone decides.
    ['', 'cpc', 'brand', 'Paid Other'],
    [null, 'organic', null, 'Organic Search'],
    ['', '', '', 'Unassigned'],
    [null, null, null, 'Unassigned'],
  ];
  it.each(cases)('(%s, %s, %s) → %s', async (source, medium, campaign, expected) => {
    expect(await channelGroup(source, medium, campaign)).toBe(expected);
  });

  it('classifies a whole column in one query', async () => {
    const result = await rows<{ source: string; g: string }>(
      `select source, channel_group(source, medium, campaign) as g
       from (values ('google', 'cpc', 'x'), ('t.co', 'referral', 'x'), ('(direct)', '(none)', null)) as t(source, medium, campaign)
       order by source`,
    );
    expect(result).toEqual([
      { source: '(direct)', g: 'Direct' },
      { source: 'google', g: 'Paid Search' },
      { source: 't.co', g: 'Organic Social' },
    ]);
  });
});

describe('channel source lists and rules as tables', () => {
  it('lists each source once, in one category', async () => {
    const sources = Object.values(SOURCE_CATEGORIES).flat();
    expect(new Set(sources).size).toBe(sources.length);
    for (const source of sources) expect(source).toBe(source.toLowerCase());
    const [counts] = await rows<{ n: number; distinct_sources: number }>(`select count(*) n, count(distinct source) distinct_sources from channel_source_categories()`);
    expect(counts).toEqual({ n: sources.length, distinct_sources: sources.length });
    expect(await rows(`select category from channel_source_categories() where source in ('youtube', 'facebook', 'google', 'amazon') order by source`)).toEqual([
      { category: 'shopping' },
      { category: 'social' },
      { category: 'search' },
      { category: 'video' },
    ]);
  });

  it('documents the rules in order', async () => {
    const rules = await rows<{ position: number; channel_group: string }>(`select position, channel_group from channel_group_rules() order by position`);
    expect(rules.map((r) => r.channel_group)).toEqual([...CHANNEL_GROUPS]);
  });
});

describe('settings macros', () => {
  it('cut days in the reporting time zone, carry the windows, and pseudonymise people stably', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { createMacros } = await import('../../models/macros.ts');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await createMacros(conn, { reportingTimeZone: 'America/New_York', churnWindowDays: 60, attributionLookbackDays: 14 });
    const reader = await conn.runAndReadAll(`select
        report_date(timestamptz '2026-03-01 03:30:00+00')::varchar as before_midnight_ny,
        report_date(timestamptz '2026-03-01 05:30:00+00')::varchar as after_midnight_ny,
        churn_window_days() as churn, attribution_lookback_days() as lookback,
        pseudonym('Ann@Example.com ') = pseudonym('ann@example.com') as stable,
        pseudonym('ann@example.com') like 'p_%' and length(pseudonym('ann@example.com')) = 18 as shaped,
        pseudonym(null) is null as null_stays_null`);
    expect(reader.getRowObjectsJS()[0]).toEqual({ before_midnight_ny: '2026-02-28', after_midnight_ny: '2026-03-01', churn: 60, lookback: 14, stable: true, shaped: true, null_stays_null: true });
    conn.closeSync();
    db.closeSync();
  });
});

describe('name masking macros', () => {
  const mask = async (names: (string | null)[], text: string) => {
    const [row] = await rows<{ words: string[]; masked: string }>(
      `select name_words($1::varchar[]) as words, mask_names($2::varchar, name_pattern($1::varchar[])) as masked`,
      [`[${names.map((n) => (n === null ? 'NULL' : `'${n.replace(/'/g, "''")}'`)).join(', ')}]`, text] as never,
    );
    return row!;
  };

  it('lists the words of the names in reverse alphabetical order (a word before its prefixes), without one-letter words or punctuation at their ends', async () => {
    expect((await mask(['Jean-Luc Picard', 'J.R. Smith', 'Jean Q', null, 'Chloé'], '')).words).toEqual(['Smith', 'Picard', 'Jean-Luc', 'Jean', 'J.R', 'Chloé']);
  });

  it('masks whole words only, accented letters included, names one space apart included, and keeps the rest', async () => {
    const { masked } = await mask(['Ann Lee', 'Chloé Zoë', 'J.R. Smith'], 'Ann Lee Chloé, hi Zoë! Annie, Leeds, ChloéX, J.R. and Smith’s cat; (Ann)');
    expect(masked).toBe('[name] [name] [name], hi [name]! Annie, Leeds, ChloéX, [name]. and [name]’s cat; ([name])');
  });

  it('leaves a text unchanged when no name has a word of two letters or more', async () => {
    const [row] = await rows<{ pattern: string | null; masked: string }>(`select name_pattern(['X Y']) as pattern, mask_names('X marks it', name_pattern(['X Y'])) as masked`);
    expect(row).toEqual({ pattern: null, masked: 'X marks it' });
  });

  it('escapes pattern characters in names', async () => {
    const { masked } = await mask(['A+B (C.D)'], 'A+B met C.D, not AxB or CxD');
    expect(masked).toBe('[name] met [name], not AxB or CxD');
  });
});
