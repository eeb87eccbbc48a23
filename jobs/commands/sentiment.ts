/**
 * `pulse sentiment`: scores texts from stdin and writes one NDJSON line per input line, in order,
 * as it goes. A line is plain text, or an NDJSON object `{"text": "…", "lang"?: "…", "id"?: …}`
 * (a line starting with "{" is read as JSON). Output: `{"id"?, "score", "label", "lang"}`; a line
 * that starts with "{" but is not such an object gives `{"error": "…", "line": N}` and the run
 * goes on. Needs no config and no warehouse.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { scoreText } from '../../models/sentiment/index.ts';

/** The output of one input line. */
export type SentimentLine =
  | { id?: unknown; score: number | null; label: string; lang: string }
  | { error: string; line: number };

/** Scores one input line (1-based `lineNumber`) into its output object. */
export function scoreLine(line: string, lineNumber: number): SentimentLine {
  const text = lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line;
  if (!text.trimStart().startsWith('{')) {
    const result = scoreText(text);
    return { score: result.score, label: result.label, lang: result.lang };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}`, line: lineNumber };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'expected a JSON object with a string "text"', line: lineNumber };
  const record = parsed as Record<string, unknown>;
  if (typeof record['text'] !== 'string') return { error: 'expected a string "text" field', line: lineNumber };
  const lang = record['lang'];
  if (lang !== undefined && lang !== null && typeof lang !== 'string') return { error: '"lang" must be a string language code', line: lineNumber };
  const result = scoreText(record['text'], typeof lang === 'string' && lang.trim() !== '' ? lang : undefined);
  return { ...('id' in record ? { id: record['id'] } : {}), score: result.score, label: result.label, lang: result.lang };
}

/**
 * Reads lines from `input` and writes one NDJSON line per input line to `output`, waiting for
 * the output to drain when it is full. Returns the exit code: 0, also when some lines were
 * malformed (those are reported in the output); 1 when the output closed early (EPIPE).
 */
export async function sentimentCommand(input: Readable, output: Writable): Promise<number> {
  let closed = false;
  const onError = () => {
    closed = true;
  };
  output.on('error', onError);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      if (closed) break;
      lineNumber++;
      const ok = output.write(JSON.stringify(scoreLine(line, lineNumber)) + '\n');
      if (!ok && !closed) await Promise.race([once(output, 'drain'), once(output, 'close')]);
    }
  } finally {
    lines.close();
    output.off('error', onError);
  }
  return closed ? 1 : 0;
}
