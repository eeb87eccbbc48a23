/**
 * Prints how well the scorer agrees with the human ratings in test/models/sentiment/eval/*.tsv.
 *
 * Run: ./node_modules/.bin/tsx models/sentiment/evaluate.ts [--worst N]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateRatedTexts, readRatedTexts } from './eval-set.ts';

const evalDir = fileURLToPath(new URL('../../test/models/sentiment/eval/', import.meta.url));
const worstFlag = process.argv.indexOf('--worst');
const worstCount = worstFlag >= 0 ? Number(process.argv[worstFlag + 1] ?? 10) : 0;

for (const file of readdirSync(evalDir).filter((f) => f.endsWith('.tsv')).sort()) {
  const rows = readRatedTexts(join(evalDir, file));
  const detected = evaluateRatedTexts(rows, false, worstCount);
  const given = evaluateRatedTexts(rows, true);
  const fmt = (x: number): string => x.toFixed(3);
  console.log(
    `${file}: rows=${detected.total} scored=${detected.scored} ` +
      `pearson(detected lang)=${fmt(detected.pearson)} pearson(given lang)=${fmt(given.pearson)} ` +
      `label agreement=${fmt(detected.labelAgreement)}`,
  );
  for (const w of detected.worst) console.log(`  rating ${w.rating.toFixed(1)}  score ${w.score.toFixed(3)}  ${w.text}`);
}
