import { describe, expect, it } from 'vitest';
import { labelFor, scoreMany, scoreText } from '../../../models/sentiment/index.ts';

/** Scores English text and returns the compound score, failing loudly if it is unsupported. */
function en(text: string): number {
  const result = scoreText(text, 'en');
  if (result.score === null) throw new Error(`unexpectedly unsupported: ${text}`);
  return result.score;
}

describe('scoreText: VADER rules', () => {
  it('rates lexicon words by valence and keeps scores in [-1, 1]', () => {
    expect(en('good')).toBeGreaterThan(0.05);
    expect(en('bad')).toBeLessThan(-0.05);
    expect(en('the store opens at nine')).toBe(0);
    const extreme = en('LOVE LOVE LOVE LOVE amazing awesome perfect!!!!!!!! 😍😍😍');
    expect(extreme).toBeLessThanOrEqual(1);
    expect(extreme).toBeGreaterThan(0.9);
  });

  it('negates the three preceding words, contractions included', () => {
    expect(en("don't love it")).toBeLessThan(0);
    expect(en('dont love it')).toBeLessThan(0);
    expect(en('not bad')).toBeGreaterThan(0);
    expect(en("isn't good")).toBeLessThan(0);
    expect(en('never been good')).toBeLessThan(0);
    expect(en('not at all good')).toBeLessThan(0);
    expect(en('without any problems')).toBeGreaterThan(0);
    expect(en('nothing works')).toBeLessThan(0);
  });

  it('does not let negation cross a clause break or reach four words back', () => {
    expect(en('not sure. great')).toBeGreaterThan(0);
    expect(en('not one of these days was good')).toBeGreaterThan(0);
  });

  it('applies negation once for French "ne … pas"', () => {
    expect(scoreText("ce n'est pas bon", 'fr').score).toBeLessThan(0);
  });

  it('reads "never so / never better" as emphasis, as VADER does', () => {
    expect(en('never been so happy')).toBeGreaterThan(en('happy'));
    expect(en('my skin has never looked better')).toBeGreaterThan(0);
    expect(en("couldn't be happier")).toBeGreaterThan(0);
  });

  it('weights words after "but" 1.5× and before it 0.5×', () => {
    expect(en('the food was good but the service was terrible')).toBeLessThan(0);
    expect(en('the service was terrible but the food was good')).toBeGreaterThan(0);
  });

  it('boosts with intensifiers and lowers with dampeners', () => {
    expect(en('very good')).toBeGreaterThan(en('good'));
    expect(en('extremely bad')).toBeLessThan(en('bad'));
    expect(en('slightly good')).toBeLessThan(en('good'));
    expect(en('kinda good')).toBeGreaterThan(0);
    expect(en('kinda good')).toBeLessThan(en('good'));
    expect(en('sooo good')).toBeGreaterThan(en('good'));
  });

  it('emphasises a capitalised word only when the rest is not shouted', () => {
    expect(en('the movie was GREAT')).toBeGreaterThan(en('the movie was great'));
    expect(en('the movie was TERRIBLE')).toBeLessThan(en('the movie was terrible'));
    // all caps is the writer's style, not emphasis on one word
    expect(en('THE MOVIE WAS GREAT')).toBeCloseTo(en('the movie was great'), 10);
  });

  it('amplifies by exclamation marks, up to four', () => {
    expect(en('good!')).toBeGreaterThan(en('good'));
    expect(en('good!!!')).toBeGreaterThan(en('good!'));
    expect(en('good!!!!')).toBeCloseTo(en('good!!!!!!!!'), 10);
    expect(en('bad!!!')).toBeLessThan(en('bad'));
    // punctuation alone carries no direction
    expect(en('the store opens at nine!!!')).toBe(0);
  });

  it('amplifies by repeated question marks', () => {
    expect(en('why is this so bad???')).toBeLessThan(en('why is this so bad'));
  });

  it('flips after "least" unless it reads "at least"', () => {
    expect(en('the least helpful agent')).toBeLessThan(0);
    expect(en('at least helpful')).toBeGreaterThan(0);
  });

  it('scores emoji and emoticons, glued to words or not', () => {
    expect(en('😍')).toBeGreaterThan(0.05);
    expect(en('😡')).toBeLessThan(-0.05);
    expect(en('❤️')).toBeGreaterThan(0.05);
    expect(en('👍🏽')).toBeGreaterThan(0.05);
    expect(en('new phone :)')).toBeGreaterThan(0.05);
    expect(en('new phone:(')).toBeLessThan(-0.05);
    expect(en('love u <3')).toBeGreaterThan(en('love u'));
    // negation applies to words, not to the writer's emoji
    expect(en("don't love it 😡")).toBeLessThan(en("don't love it"));
  });

  it('knows social slang', () => {
    expect(en('this track is fire')).toBeGreaterThan(0.05);
    expect(en('this party is lit')).toBeGreaterThan(0.05);
    expect(en('lol')).toBeGreaterThan(0.05);
    expect(en('meh')).toBeLessThan(-0.05);
    expect(en('this sucks')).toBeLessThan(-0.05);
  });

  it('scores idioms as a whole', () => {
    expect(en('yeah right')).toBeLessThan(-0.05);
    expect(en("can't wait for the launch")).toBeGreaterThan(0.05);
    expect(en('what a waste of money')).toBeLessThan(-0.05);
  });

  it('keeps "no" as a negator before a sentiment word and negative on its own', () => {
    expect(en('no problems at all')).toBeGreaterThan(0);
    expect(en('no.')).toBeLessThan(0);
  });
});

describe('labels', () => {
  it('uses VADER thresholds ±0.05', () => {
    expect(labelFor(0.05)).toBe('positive');
    expect(labelFor(0.0499)).toBe('neutral');
    expect(labelFor(-0.0499)).toBe('neutral');
    expect(labelFor(-0.05)).toBe('negative');
    expect(scoreText('I love it', 'en').label).toBe('positive');
    expect(scoreText('I hate it', 'en').label).toBe('negative');
    expect(scoreText('The store opens at nine', 'en').label).toBe('neutral');
  });
});

describe('determinism and batching', () => {
  const texts = ["don't love it 😡", 'Me encanta 😍', 'Das ist nicht gut', 'Produknya bagus banget', 'GREAT service!!!'];

  it('returns identical results on repeated and batched calls', () => {
    const first = texts.map((t) => scoreText(t));
    for (let round = 0; round < 3; round++) expect(texts.map((t) => scoreText(t))).toEqual(first);
    expect(scoreMany(texts)).toEqual(first);
  });

  it('uses per-text languages in scoreMany', () => {
    const [a, b] = scoreMany(['no me gusta', 'no me gusta'], ['es', 'id']);
    expect(a?.label).toBe('negative');
    expect(b?.label).toBe('unsupported');
  });
});
