/**
 * Preloaded into a CLI the benchmark spawns (`node --import tsx --import rss-probe.ts …`): on exit,
 * writes the process's peak resident set in KiB to the file named by `PULSE_BENCH_RSS_FILE`, since
 * a parent cannot read a child's `maxRSS` from Node.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['PULSE_BENCH_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
