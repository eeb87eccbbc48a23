/**
 * Name masking of stg_facebook__post_comments: the names of everyone commenting on a post (not the
 * Page's) are masked as whole words in every comment of that post, one pattern per post. Covers
 * the cases the per-post joined replacement must treat exactly like a replacement per comment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { stgFacebookPostComments } from '../../../models/staging/social/facebook.ts';
import { emptySocialWarehouse, insertRaw } from './helpers.ts';

let wh: Warehouse;
const SEP = String.fromCharCode(31);

beforeAll(async () => {
  wh = await emptySocialWarehouse();
  const comment = (id: string, post: string, from: { id: string; name: string } | null, message: string) => ({
    id, post_id: post, message, created_time: '2026-03-02T11:00:00Z', from, like_count: 0, comment_count: 0, is_hidden: false,
  });
  const page = { id: 'P1', name: 'Brand Team' };
  await insertRaw(wh, 'facebook__post_comments', [
    // Post P1_1: names with regex characters and a hyphen; the Page's own name stays; an empty text.
    comment('A1', 'P1_1', { id: 'U1', name: 'J.R. Smith' }, 'first! Smithers is not Smith'),
    comment('A5', 'P1_1', { id: 'U7', name: 'Chloé Éloïse Zoë' }, 'Chloé Éloïse Zoë here; Zoëtrope and ChloéX are not names, Chloé, Zoë!'),
    comment('A2', 'P1_1', { id: 'U2', name: 'Jean-Luc Picard' }, 'Jean-Luc and Jean, JRX and J.R. here'),
    comment('A3', 'P1_1', page, 'Thanks J.R. and Jean-Luc, from Brand Team'),
    comment('A4', 'P1_1', { id: 'U3', name: 'Q' }, ''),
    // Post P1_2: a text holding the separator the per-post join uses falls back to one replacement a comment.
    comment('B1', 'P1_2', { id: 'U4', name: 'Ann Lee' }, `Ann${SEP}Lee wrote this`),
    comment('B2', 'P1_2', { id: 'U5', name: 'Bo Diddley' }, 'hi Ann, hi Bo'),
    comment('B3', 'P1_2', page, 'Ann Lee Bo'),
    // Post P1_3: only one-letter name words, so nothing is masked (an empty pattern would match everywhere).
    comment('C1', 'P1_3', { id: 'U6', name: 'X Y' }, 'X marks the spot, Y not'),
    // Post P1_4: only the Page comments.
    comment('D1', 'P1_4', page, 'Brand Team here'),
  ]);
  const result = await buildModels(wh, [stgFacebookPostComments]);
  expect(result.ok, JSON.stringify(result.models)).toBe(true);
}, 60_000);

afterAll(() => wh?.close());

describe('stg_facebook__post_comments name masking', () => {
  it('masks commenters’ names as whole words within each post, and leaves the rest exactly as written', async () => {
    const rows = await wh.all<{ comment_id: string; text: string | null }>(`select comment_id, text from staging.stg_facebook__post_comments order by comment_id`);
    expect(Object.fromEntries(rows.map((r) => [r.comment_id, r.text]))).toEqual({
      A1: 'first! Smithers is not [name]',
      // "Jean-Luc" is masked whole (longest name first); "Jean" alone is not a name here; a name
      // word ending in punctuation ("J.R.") is matched without it, so it is masked too.
      A2: '[name] and Jean, JRX and [name]. here',
      A3: 'Thanks [name]. and [name], from Brand Team',
      A4: '',
      // Letters beyond ASCII count as letters; three names one space apart are all masked.
      A5: '[name] [name] [name] here; Zoëtrope and ChloéX are not names, [name], [name]!',
      B1: `[name]${SEP}[name] wrote this`,
      B3: '[name] [name] [name]', // the Page's own reply names them too; three names one space apart
      B2: 'hi [name], hi [name]',
      C1: 'X marks the spot, Y not',
      D1: 'Brand Team here',
    });
  });
});
