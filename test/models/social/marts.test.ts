/**
 * Unit tests of the social marts on a tiny hand-made world (fixture.ts): every KPI formula and
 * the column mapping of each platform, with the arithmetic written out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { loadSocialFixture } from './fixture.ts';
import { buildSocial, emptySocialWarehouse } from './helpers.ts';

let wh: Warehouse;

beforeAll(async () => {
  wh = await emptySocialWarehouse();
  await loadSocialFixture(wh);
  const result = await buildSocial(wh);
  const failing = result.tests.filter((t) => t.status !== 'pass').map((t) => `${t.model} ${t.test}`);
  expect(failing).toEqual([]);
}, 60_000);

afterAll(() => wh?.close());

const post = async (platform: string, postId: string) => {
  const rows = await wh.all(`select * exclude (published_at, day), day::varchar as day from marts.fct_post_engagement where platform = $1 and post_id = $2`, [platform, postId]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
};

const accountDay = async (platform: string, day: string) => {
  const rows = await wh.all(`select * exclude (day), day::varchar as day from marts.fct_account_daily where platform = $1 and day = $2::date`, [platform, day]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
};

describe('fct_post_engagement', () => {
  it('maps Facebook: reactions are likes, no saves (0 in engagements), followers of the post day, UTM tags of the link', async () => {
    expect(await post('facebook', 'P1_1')).toEqual({
      post_id: 'P1_1', platform: 'facebook', account_id: 'P1', day: '2026-03-02',
      likes: 30, comments: 5, shares: 3, saves: null, clicks: 7, impressions: 600, reach: 300, views: null, video_views: 50,
      // engagements = 30 + 5 + 3 + 0 (Facebook reports no saves) = 38
      engagements: 38,
      // followers on 2026-03-02 = page_follows of that day's latest load = 1010 (the earlier load said 1005)
      followers: 1010,
      engagement_rate_by_reach: 38 / 300, // 0.1267
      engagement_rate_by_impressions: 38 / 600, // 0.0633
      engagement_rate_by_followers: 38 / 1010, // 0.0376
      // latest Facebook day = 2026-03-02; window = days after 2026-03-02 − 28 = 2026-02-02
      is_provisional: true,
      link_url: 'https://shop.example/p?utm_source=facebook&utm_medium=social&utm_campaign=Spring%20Sale&utm_content=post_1',
      utm_source: 'facebook', utm_medium: 'social', utm_campaign: 'Spring Sale', utm_content: 'post_1', utm_term: null,
    });
  });

  it('counts omitted Facebook shares as 0, leaves followers NULL before any count, and settles posts outside the 28 days', async () => {
    expect(await post('facebook', 'P1_2')).toMatchObject({
      shares: 0,
      // 10 + 2 + 0 + 0 = 12
      engagements: 12,
      engagement_rate_by_reach: 12 / 50, // 0.24
      engagement_rate_by_impressions: 12 / 100,
      followers: null,
      engagement_rate_by_followers: null,
      // 2026-01-10 is not after 2026-02-02
      is_provisional: false,
      link_url: null,
      utm_campaign: null,
    });
  });

  it('maps Instagram: views are impressions, saves count, no clicks; followers rebuilt from the snapshot', async () => {
    expect(await post('instagram', 'M1')).toMatchObject({
      account_id: 'IG1', day: '2026-03-02',
      likes: 40, comments: 6, shares: 2, saves: 4, clicks: null, impressions: 350, reach: 200, views: null, video_views: null,
      // 40 + 6 + 2 + 4 = 52
      engagements: 52,
      // snapshot 2011 at the start of 2026-03-03 → end of 2026-03-02 = 2011
      followers: 2011,
      engagement_rate_by_reach: 52 / 200, // 0.26
      engagement_rate_by_impressions: 52 / 350,
      engagement_rate_by_followers: 52 / 2011,
      is_provisional: true,
      link_url: 'https://shop.example/drop',
      utm_source: null,
    });
  });

  it('maps X: replies are comments, retweets + quotes are shares, bookmarks are saves, private impressions and clicks, no reach', async () => {
    expect(await post('x', '100')).toMatchObject({
      account_id: 'X1',
      likes: 10, comments: 2,
      shares: 4, // 3 retweets + 1 quote
      saves: 4,
      clicks: 8, // 6 link + 2 profile clicks
      impressions: 520, // non_public 520 preferred over public 500
      reach: null,
      // 10 + 2 + 4 + 4 = 20
      engagements: 20,
      followers: 810,
      engagement_rate_by_reach: null,
      engagement_rate_by_impressions: 20 / 520,
      engagement_rate_by_followers: 20 / 810,
      utm_source: 'x', utm_medium: 'social', utm_campaign: 'spring',
    });
  });

  it('maps LinkedIn: unique impressions are reach, no saves (0), no follower count', async () => {
    expect(await post('linkedin', 'urn:li:share:1')).toMatchObject({
      account_id: 'urn:li:organization:1', day: '2026-03-02',
      likes: 20, comments: 3, shares: 2, saves: null, clicks: 12, impressions: 1000, reach: 400,
      // 20 + 3 + 2 + 0 = 25
      engagements: 25,
      engagement_rate_by_reach: 25 / 400, // 0.0625
      engagement_rate_by_impressions: 25 / 1000, // 0.025
      followers: null,
      engagement_rate_by_followers: null,
      utm_source: 'linkedin', utm_campaign: 'hiring',
    });
  });

  it('maps YouTube: views in their own column (and video_views), no impressions, reach, shares or saves', async () => {
    expect(await post('youtube', 'V1')).toMatchObject({
      account_id: 'UC_OWN',
      likes: 45, comments: 5, shares: null, saves: null, clicks: null, impressions: null, reach: null, views: 900, video_views: 900,
      // 45 + 5 + 0 + 0 = 50
      engagements: 50,
      engagement_rate_by_reach: null,
      engagement_rate_by_impressions: null,
      followers: 300, // subscribers in the 2026-03-02 snapshot
      engagement_rate_by_followers: 50 / 300,
      utm_medium: 'video', utm_campaign: 'spring launch',
    });
  });
});

describe('fct_account_daily', () => {
  it('computes follower growth, unfollow rate, posts, average likes and engagement rate by followers', async () => {
    expect(await accountDay('facebook', '2026-03-02')).toEqual({
      platform: 'facebook', account_id: 'P1', day: '2026-03-02',
      followers: 1010,
      followers_start: 1000, // the end of 2026-03-01
      follower_growth: (1010 - 1000) / 1000, // 0.01
      follows: 20, unfollows: 10, net_follows: 10,
      unfollow_rate: 10 / 1000, // 0.01
      impressions: 900, reach: 500, reach_organic: null, reach_paid: null, video_views: 40,
      posts: 2, // P1_1 and P1_3
      likes_total: 50, // 30 + 20
      avg_likes_per_post: 50 / 2, // 25
      engagements: 60, // (30 + 5 + 3) + (20 + 1 + 1)
      engagement_rate_by_followers: 60 / 1010,
      is_provisional: true,
    });
  });

  it('leaves growth and unfollow rate NULL without a previous day, and averages NULL without posts', async () => {
    expect(await accountDay('facebook', '2026-03-01')).toMatchObject({
      followers: 1000, followers_start: null, follower_growth: null, unfollow_rate: null,
      posts: 0, likes_total: 0, avg_likes_per_post: null, engagements: 0, engagement_rate_by_followers: 0,
    });
    // A day with a post but no insights: followers unknown.
    expect(await accountDay('facebook', '2026-01-10')).toMatchObject({ followers: null, posts: 1, likes_total: 10, avg_likes_per_post: 10, engagements: 12, engagement_rate_by_followers: null, is_provisional: false });
  });

  it('rebuilds Instagram followers from the latest snapshot and the daily follows and unfollows', async () => {
    // followers(d) = 2011 (snapshot at the start of 03-03) − net follows of days d+1 … 03-02
    // 03-02: 2011; 03-01: 2011 − (8 − 3) = 2006
    expect(await accountDay('instagram', '2026-03-01')).toMatchObject({ followers: 2006, follows: 10, unfollows: 4, net_follows: 6, impressions: 700, reach: 150, reach_organic: null });
    expect(await accountDay('instagram', '2026-03-02')).toMatchObject({
      followers: 2011,
      followers_start: 2006,
      follower_growth: (2011 - 2006) / 2006,
      unfollow_rate: 3 / 2006,
      posts: 1, likes_total: 40, avg_likes_per_post: 40, engagements: 52, engagement_rate_by_followers: 52 / 2011,
    });
  });

  it('takes LinkedIn reach as organic and net gains without a follower total; X and YouTube followers from snapshots', async () => {
    expect(await accountDay('linkedin', '2026-03-02')).toMatchObject({ followers: null, net_follows: 5, follows: null, impressions: 1200, reach: 450, reach_organic: 450, reach_paid: null, posts: 1, engagements: 25 });
    expect(await accountDay('x', '2026-03-02')).toMatchObject({ account_id: 'X1', followers: 810, followers_start: 800, follower_growth: 10 / 800, posts: 1, engagements: 20 });
    expect(await accountDay('youtube', '2026-03-02')).toMatchObject({ account_id: 'UC_OWN', followers: 300, posts: 1, engagements: 50, engagement_rate_by_followers: 50 / 300 });
  });
});
