/**
 * Sentiment stage: `scoreMany` over every customer-written text of the sample world (comments,
 * mentions, messages, ticket comments, reviews, survey answers), languages detected per text as
 * the feedback mart does when a source gives none.
 */
import { readFileSync } from 'node:fs';
import { scoreMany } from '../../../models/sentiment/index.ts';
import { report, requireWorld, stageArgs, timed } from '../harness.ts';

const args = stageArgs();
const texts = JSON.parse(readFileSync(requireWorld(args, 'sentiment').textsFile, 'utf8')) as string[];
// The first pass pays for loading each language's vocabulary and for JIT compilation, which a
// long scoring run pays once; the second pass is the steady rate.
const { ms: firstMs } = await timed(() => scoreMany(texts));
const { value: scored, ms } = await timed(() => scoreMany(texts));
const unsupported = scored.filter((s) => s.label === 'unsupported').length;
report(args, {
  texts: texts.length,
  scoreMs: Math.round(ms),
  textsPerSecond: Math.round(texts.length / (ms / 1000)),
  firstPassMs: Math.round(firstMs),
  unsupportedLanguage: unsupported,
});
