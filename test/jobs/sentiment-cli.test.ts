import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreText } from '../../models/sentiment/index.ts';
import { collect, PULSE_BIN, type CliResult } from '../support/cli.ts';

/** Runs `pulse sentiment` in an empty folder (no config, no warehouse) with `input` on stdin. */
function runSentiment(input: string): Promise<CliResult> {
  const cwd = mkdtempSync(`${tmpdir()}/pulse-sentiment-`);
  const child = spawn(process.execPath, [PULSE_BIN, 'sentiment'], { cwd, env: { ...process.env, CI: 'true' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const result = collect(child);
  child.stdin.end(input);
  return result;
}

// One process for every case (starting the CLI is the slow part): lines 1–5 mixed text and
// NDJSON, 6–10 malformed or odd lines, then many lines to stream.
const MIXED = [
  'I love this jacket!',
  '{"text": "terrible delivery, never again", "id": 7}',
  '{"text": "La entrega fue horrible", "lang": "es", "id": "a"}',
  '{"text": "これは素晴らしい", "lang": "ja"}',
  'the store opens at nine',
];
const ODD = ['{not json', '{"id": 3}', '{"text": 5}', '["text"]', '{"text": "good", "lang": 1, "id": 9}'];
const MANY = 2000;
const STREAM = Array.from({ length: MANY }, (_, i) => JSON.stringify({ id: i, text: i % 2 ? 'awful' : 'great' }));

let result: CliResult;
let out: string[];
beforeAll(async () => {
  // CRLF line ends, as Windows tools write them
  result = await runSentiment([...MIXED, ...ODD, ...STREAM].join('\r\n') + '\r\n');
  out = result.stdout.endsWith('\n') ? result.stdout.slice(0, -1).split('\n') : [result.stdout];
}, 60_000);

describe('pulse sentiment', () => {
  it('exits 0 without a config and writes exactly one NDJSON line per input line', () => {
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(out).toHaveLength(MIXED.length + ODD.length + MANY);
    for (const line of out) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('scores plain text and NDJSON in input order, echoing ids, in the exact output format', () => {
    const positive = scoreText('I love this jacket!');
    const negative = scoreText('terrible delivery, never again');
    const spanish = scoreText('La entrega fue horrible', 'es');
    expect(out.slice(0, 5)).toEqual([
      JSON.stringify({ score: positive.score, label: 'positive', lang: 'en' }),
      JSON.stringify({ id: 7, score: negative.score, label: 'negative', lang: 'en' }),
      JSON.stringify({ id: 'a', score: spanish.score, label: 'negative', lang: 'es' }),
      '{"score":null,"label":"unsupported","lang":"ja"}',
      '{"score":0,"label":"neutral","lang":"en"}',
    ]);
  });

  it('answers a malformed NDJSON line with {"error","line"} and goes on; a line not starting with "{" is text', () => {
    const odd = out.slice(5, 10).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, line] of [[0, 6], [1, 7], [2, 8], [4, 10]] as const) {
      expect(Object.keys(odd[i]!)).toEqual(['error', 'line']);
      expect(odd[i]!['line']).toBe(line);
      expect(typeof odd[i]!['error']).toBe('string');
    }
    expect(odd[3]).toEqual({ ...scoreText('["text"]') });
  });

  it('streams many lines in order', () => {
    const streamed = out.slice(10).map((l) => JSON.parse(l) as { id: number; label: string });
    expect(streamed.map((o) => o.id)).toEqual(Array.from({ length: MANY }, (_, i) => i));
    expect(streamed.every((o) => o.label === (o.id % 2 ? 'negative' : 'positive'))).toBe(true);
  });
});
