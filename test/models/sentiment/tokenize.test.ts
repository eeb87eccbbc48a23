import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../models/sentiment/index.ts';

function words(text: string): string[] {
  const t = tokenize(text);
  return t.words.slice(0, t.count);
}

describe('tokenize', () => {
  it('keeps contractions whole and lower-cases', () => {
    expect(words("I DON'T love it, can’t wait")).toEqual(['i', "don't", 'love', 'it', "can't", 'wait']);
  });

  it('keeps emoji as single tokens without modifiers', () => {
    expect(words('love it 😍😍 👍🏽 ❤️')).toEqual(['love', 'it', '😍', '😍', '👍', '❤']);
  });

  it('finds emoticons, also glued to words, but not inside URLs or ordinary colons', () => {
    expect(words('great:) see https://x.co/a:(b and note: fine :-( <3')).toEqual(['great', ':)', 'see', 'and', 'note', 'fine', ':-(', '<3']);
    expect(words('Note:Please')).toEqual(['note', 'please']);
  });

  it('drops mentions and keeps hashtag words', () => {
    expect(words('@brand your app #fail')).toEqual(['your', 'app', 'fail']);
  });

  it('splits French and Italian elisions', () => {
    expect(words("je n'aime pas l'application")).toEqual(['je', "n'", 'aime', 'pas', "l'", 'application']);
  });

  it('flags capitals, clause ends and punctuation counts', () => {
    const t = tokenize('This is GREAT. Really?? Yes!!');
    expect(Array.from(t.allCaps.slice(0, t.count))).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(t.clauseEnd.slice(0, t.count))).toEqual([0, 0, 1, 1, 1]);
    expect(t.questions).toBe(2);
    expect(t.exclamations).toBe(2);
    expect(t.capsWords).toBe(1);
    expect(t.casedWords).toBe(5);
  });

  it('reuses a buffer without leaking tokens between texts', () => {
    const buffer = tokenize('one two three four');
    tokenize('five', buffer);
    expect(buffer.count).toBe(1);
    expect(buffer.words[0]).toBe('five');
  });
});
