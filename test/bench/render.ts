/**
 * Turns benchmark results into the figures table (`results.md`), the verdict on each target, and
 * `BENCHMARKS.md`. Pure functions of the results, so a results.json can be re-rendered.
 */
import type { Figure } from './harness.ts';

/** One stage at one scale: medians of its runs, or why it has none. */
export interface StageResult {
  stage: string;
  scale: number;
  /** Runs in the median (the first extract run, with the fakes cold, is kept apart when there are more). */
  runs: number;
  runsRequested: number;
  /** Only the fakes-cold first run fitted the budget: the figures are that run's. */
  coldOnly?: boolean;
  figures: Record<string, Figure>;
  samples: Record<string, Figure[]>;
  /** Peak RSS over the runs, MiB. */
  peakRssMiB: number;
  /** Run only to prepare what a selected stage needs (one run, not in the table). */
  prep?: boolean;
  /** Figures of the warm-up run, when the stage has one. */
  warmUp?: Record<string, Figure>;
  error?: string;
}

/** A target and whether the run met it. */
export interface TargetResult {
  id: string;
  description: string;
  /** The scale it was judged at. */
  scale: number | null;
  value: number | null;
  display: string;
  met: boolean | null;
  /** Why it was missed (or could not be measured); empty when met. */
  why: string;
}

/** Everything a bench run produced. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  command: string;
  commit: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; duckdb: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  scales: number[];
  /** Runs requested at each scale (in the order of `scales`). */
  runs: number[];
  /** The time budget the run was given, minutes (0: none). */
  budgetMinutes: number;
  stages: string[];
  worlds: { scale: number; generateMs: number; serverRssMiB: number; summary: Record<string, number> }[];
  results: StageResult[];
  targets: TargetResult[];
}

const RSS_LIMIT_MIB = 1536;

type Kind = 'time' | 'rate' | 'size' | 'ratio' | 'count';

/** One row of the table: a figure of a stage at every scale. */
interface Row {
  stage: string;
  label: string;
  kind: Kind;
  value: (b: BenchResults, scale: number) => number | null;
  target?: string;
}

function result(b: BenchResults, stage: string, scale: number): StageResult | undefined {
  return b.results.find((r) => r.stage === stage && r.scale === scale);
}

function num(b: BenchResults, stage: string, scale: number, figure: string): number | null {
  const v = result(b, stage, scale)?.figures[figure];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/** The incremental build's time as a share of the full build's, measured at the same scale in the same run. */
function incrementalShare(b: BenchResults, scale: number): number | null {
  const inc = num(b, 'incremental', scale, 'incrementalMs');
  const full = num(b, 'build', scale, 'buildMs');
  return inc === null || full === null || full === 0 ? null : inc / full;
}

const ROWS: Row[] = [
  { stage: 'world', label: 'sample world generation (s, world server, once)', kind: 'time', value: (b, s) => seconds(b.worlds.find((w) => w.scale === s)?.generateMs ?? null) },
  { stage: 'ingest', label: 'records (100k × scale)', kind: 'count', value: (b, s) => num(b, 'ingest', s, 'rows') },
  { stage: 'ingest', label: "DuckDB read_json, rows/s", kind: 'rate', value: (b, s) => num(b, 'ingest', s, 'nativeRowsPerSecond') },
  { stage: 'ingest', label: 'pulse extract + load over HTTP, validated, rows/s', kind: 'rate', value: (b, s) => num(b, 'ingest', s, 'pulseRowsPerSecond') },
  { stage: 'ingest', label: 'ratio pulse ÷ read_json', kind: 'ratio', value: (b, s) => num(b, 'ingest', s, 'ratio'), target: 'ingest-ratio' },
  { stage: 'extract', label: 'rows extracted (all connectors)', kind: 'count', value: (b, s) => num(b, 'extract', s, 'rows') },
  { stage: 'extract', label: 'wall time (s)', kind: 'time', value: (b, s) => seconds(num(b, 'extract', s, 'wallMs')) },
  { stage: 'extract', label: 'rows/s', kind: 'rate', value: (b, s) => num(b, 'extract', s, 'rowsPerSecond') },
  { stage: 'extract', label: 'first run, fakes cold (s)', kind: 'time', value: (b, s) => { const v = result(b, 'extract', s)?.warmUp?.['wallMs']; return typeof v === 'number' ? v / 1000 : null; } },
  { stage: 'extract', label: 'warehouse on disk after extract (MiB)', kind: 'size', value: (b, s) => num(b, 'extract', s, 'warehouseMiB') },
  { stage: 'build', label: 'full build of PRODUCT_MODELS with tests (s)', kind: 'time', value: (b, s) => seconds(num(b, 'build', s, 'buildMs')) },
  { stage: 'build', label: 'models built / failed', kind: 'count', value: (b, s) => num(b, 'build', s, 'modelsBuilt') },
  { stage: 'build', label: 'warehouse on disk after build (MiB)', kind: 'size', value: (b, s) => num(b, 'build', s, 'warehouseMiB') },
  { stage: 'incremental', label: 'rebuild after +1% raw rows (s)', kind: 'time', value: (b, s) => seconds(num(b, 'incremental', s, 'incrementalMs')) },
  { stage: 'incremental', label: 'incremental ÷ full build', kind: 'ratio', value: incrementalShare, target: 'incremental-share' },
  { stage: 'publish', label: 'publish (audit + write analytics.duckdb) (s)', kind: 'time', value: (b, s) => seconds(num(b, 'publish', s, 'publishMs')) },
  { stage: 'publish', label: 'analytics.duckdb on disk (MiB)', kind: 'size', value: (b, s) => num(b, 'publish', s, 'analyticsMiB') },
  { stage: 'report', label: '`pulse report` site build (s)', kind: 'time', value: (b, s) => seconds(num(b, 'report', s, 'reportMs')) },
  { stage: 'sentiment', label: 'texts scored (the world’s customer texts)', kind: 'count', value: (b, s) => num(b, 'sentiment', s, 'texts') },
  { stage: 'sentiment', label: 'texts/s', kind: 'rate', value: (b, s) => num(b, 'sentiment', s, 'textsPerSecond'), target: 'sentiment-rate' },
  { stage: 'clv', label: 'customers (100k × scale)', kind: 'count', value: (b, s) => num(b, 'clv', s, 'customers') },
  { stage: 'clv', label: 'BG/NBD + Gamma-Gamma fit (s)', kind: 'time', value: (b, s) => seconds(num(b, 'clv', s, 'fitMs')) },
  { stage: 'clv', label: 'predictions (s)', kind: 'time', value: (b, s) => seconds(num(b, 'clv', s, 'predictMs')) },
  { stage: 'demo', label: '`pulse demo` wall time (s)', kind: 'time', value: (b, s) => seconds(num(b, 'demo', s, 'demoMs')), target: 'demo-time' },
];

const RSS_STAGES = ['ingest', 'extract', 'build', 'incremental', 'publish', 'report', 'sentiment', 'clv', 'demo'];

function rssRow(stage: string): Row {
  return { stage, label: 'peak RSS (MiB)', kind: 'size', value: (b, s) => { const r = result(b, stage, s); return r && !r.error ? r.peakRssMiB : null; }, target: `rss-${stage}` };
}

function format(v: number | null, kind: Kind): string {
  if (v === null) return '—';
  if (kind === 'ratio') return v.toFixed(3);
  if (kind === 'time') return v < 10 ? v.toFixed(2) : v.toFixed(1);
  if (kind === 'size') return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return Math.round(v).toLocaleString('en-US');
}

/** Judges every target: each at the largest scale run, the demo at scale 1. */
export function evaluateTargets(b: BenchResults): TargetResult[] {
  const largest = Math.max(...b.scales);
  const targets: TargetResult[] = [];
  const add = (id: string, description: string, scale: number, value: number | null, display: (v: number) => string, met: (v: number) => boolean, why: (v: number) => string, missing: string) => {
    const stage = id.startsWith('rss-') ? id.slice(4) : ({ 'ingest-ratio': 'ingest', 'incremental-share': 'incremental', 'sentiment-rate': 'sentiment', 'demo-time': 'demo' } as Record<string, string>)[id] ?? '';
    const r = result(b, stage, scale);
    if (!b.stages.includes(stage)) return;
    if (value === null) {
      targets.push({ id, description, scale, value: null, display: '—', met: null, why: r?.error ? `not measured: ${r.error.split('\n')[0]}` : missing });
      return;
    }
    const ok = met(value);
    targets.push({ id, description, scale, value, display: display(value), met: ok, why: ok ? '' : why(value) });
  };

  // Each target is judged at the largest scale where its figure was measured (a budget may have skipped a stage at the largest).
  const at = (value: (scale: number) => number | null): number => [...b.scales].sort((x, y) => y - x).find((s) => value(s) !== null) ?? largest;
  const ingestAt = at((s) => num(b, 'ingest', s, 'ratio'));
  const incrementalAt = at((s) => incrementalShare(b, s));
  const sentimentAt = at((s) => num(b, 'sentiment', s, 'textsPerSecond'));
  add('ingest-ratio', 'ingest: pulse extract + load ≥ 0.5 × DuckDB read_json', ingestAt, num(b, 'ingest', ingestAt, 'ratio'), (v) => v.toFixed(3), (v) => v >= 0.5, () => whyIngest(b, ingestAt), 'not measured');
  add('incremental-share', 'incremental build after +1% rows ≤ 10% of the full build', incrementalAt, incrementalShare(b, incrementalAt), (v) => `${(v * 100).toFixed(0)}%`, (v) => v <= 0.1, () => whyIncremental(b, incrementalAt), 'not measured (needs the build and incremental stages)');
  add('sentiment-rate', 'sentiment ≥ 100,000 texts/s', sentimentAt, num(b, 'sentiment', sentimentAt, 'textsPerSecond'), (v) => `${Math.round(v).toLocaleString('en-US')}/s`, (v) => v >= 100_000, (v) => `scoring costs ${(1e6 / v).toFixed(1)} µs per text (tokenizing, language detection and the VADER rules per text, on one JS thread)`, 'not measured');
  const demoScale = b.scales.includes(1) ? 1 : Math.min(...b.scales);
  add('demo-time', `\`pulse demo --scale 1\` under 60 s${demoScale === 1 ? '' : ` (only scale ${demoScale} was run)`}`, demoScale, seconds(num(b, 'demo', demoScale, 'demoMs')), (v) => `${v.toFixed(0)} s`, (v) => demoScale !== 1 || v < 60, () => whyDemo(b, demoScale), 'not measured');
  for (const stage of RSS_STAGES) {
    const rssAt = stage === 'demo' ? demoScale : at((s) => { const r = result(b, stage, s); return r && !r.error ? r.peakRssMiB : null; });
    const r = result(b, stage, rssAt);
    if (b.stages.includes(stage) && stage !== 'demo' && rssAt < largest && r && !r.error) {
      // The target is about the largest scale: a figure from a smaller one cannot meet it.
      const skipped = result(b, stage, largest)?.error?.split(':')[0];
      targets.push({ id: `rss-${stage}`, description: `${stage}: peak RSS < 1.5 GiB at the largest scale`, scale: rssAt, value: r.peakRssMiB, display: `${Math.round(r.peakRssMiB)} MiB`, met: null, why: `not measured at scale ${largest}${skipped ? ` (${skipped})` : ''}; ${Math.round(r.peakRssMiB)} MiB at scale ${rssAt}` });
      continue;
    }
    add(`rss-${stage}`, `${stage}: peak RSS < 1.5 GiB at the largest scale`, rssAt, r && !r.error ? r.peakRssMiB : null, (v) => `${Math.round(v)} MiB`, (v) => v < RSS_LIMIT_MIB, (v) => `peaks at ${Math.round(v)} MiB at scale ${rssAt}`, 'not measured');
  }
  return targets;
}

function whyIngest(b: BenchResults, scale: number): string {
  const pulse = num(b, 'ingest', scale, 'pulseRowsPerSecond');
  const native = num(b, 'ingest', scale, 'nativeRowsPerSecond');
  if (pulse === null || native === null) return 'not measured';
  return `pulse spends ${(1e6 / pulse).toFixed(2)} µs per record against DuckDB's ${(1e6 / native).toFixed(2)} µs: both cores are busy, so it is the sum of the work that counts: per million records (profiled apart from this run) the JS thread spends about 1.4 CPU-s fetching, splitting and spooling pages (the byte scan alone about 0.55) and V8's collector threads about 0.35, DuckDB about 2.5 CPU-s reading, typing, checking and merging them in 200k-row batches (read_json into one table about 1.6) and the page server about 0.35: about 4.6 CPU-s on 2 cores against read_json's 1.6`;
}

function whyIncremental(b: BenchResults, scale: number): string {
  const r = result(b, 'incremental', scale);
  const built = num(b, 'incremental', scale, 'modelsBuilt');
  const incremental = num(b, 'incremental', scale, 'modelsIncremental');
  const total = num(b, 'build', scale, 'models');
  if (!r || built === null) return 'not measured';
  return `new raw rows change the inputs of ${built} of ${total ?? '?'} models, and ${built - (incremental ?? 0)} of those rebuild in full (only ${incremental ?? 0} merge: a lookback window, or the orders and customers whose inputs changed): staging views and table models recompute everything, and the build is CPU-bound on 2 cores, so the time falls only as more models become incremental${typeof r.figures['slowestModels'] === 'string' ? `; slowest (4 models at a time on 2 cores, so each time is inflated): ${r.figures['slowestModels']}` : ''}`;
}

function whyDemo(b: BenchResults, scale: number): string {
  const r = result(b, 'demo', scale);
  if (!r) return 'not measured';
  const steps = Object.entries(r.figures)
    .filter(([k, v]) => k.startsWith('step.') && k.endsWith('.ms') && typeof v === 'number')
    .map(([k, v]) => [k.slice(5, -3), v as number] as const)
    .sort((x, y) => y[1] - x[1]);
  const extract = num(b, 'extract', scale, 'wallMs');
  const list = steps.map(([s, ms]) => `${s} ${(ms / 1000).toFixed(0)} s`).join(', ');
  return `${list || 'no step timings'}${extract !== null ? `; the same extract with the fakes' rate limits lifted takes ${(extract / 1000).toFixed(0)} s, so the demo's extract waits mostly on the emulated limits (Shopify 2 calls/s, Zendesk 10 export calls/min) and on its in-process fakes` : ''}`;
}

/** The Markdown table of every figure at every scale, with growth and targets. */
export function renderTable(b: BenchResults): string {
  const scales = [...b.scales].sort((x, y) => x - y);
  const first = scales[0]!;
  const last = scales[scales.length - 1]!;
  const targets = new Map(b.targets.map((t) => [t.id, t]));
  const growthHeader = scales.length > 1 ? `× (${last} vs ${first})` : '×';
  const lines = [
    `| stage | figure | ${scales.map((s) => `scale ${s}`).join(' | ')} | ${growthHeader} | target | met |`,
    `|---|---|${scales.map(() => '---:').join('|')}|---:|---|---|`,
  ];
  const rows = [...ROWS, ...RSS_STAGES.map(rssRow)];
  for (const row of rows) {
    if (row.stage !== 'world' && !b.stages.includes(row.stage)) continue;
    const values = scales.map((s) => row.value(b, s));
    const a = row.value(b, first);
    const z = row.value(b, last);
    const growth = scales.length > 1 && a !== null && z !== null && a !== 0 ? `${(z / a).toFixed(1)}${row.kind === 'rate' ? ' (rate)' : ''}` : '—';
    const t = row.target ? targets.get(row.target) : undefined;
    const targetText = t ? t.description.replace(/^[a-z]+: /, '') : '';
    const met = t ? (t.met === null ? 'not measured' : t.met ? `met (${t.display}, scale ${t.scale})` : `**NOT met** (${t.display}, scale ${t.scale}): ${t.why}`) : '';
    let cells = values.map((v) => format(v, row.kind));
    if (row.stage === 'build' && row.label.startsWith('models built')) cells = scales.map((s) => `${format(num(b, 'build', s, 'modelsBuilt'), 'count')} / ${format(num(b, 'build', s, 'modelsFailed'), 'count')}`);
    if (row.stage === 'report' && scales.every((s) => result(b, 'report', s)?.figures['available'] === false)) cells = scales.map(() => 'not available');
    lines.push(`| ${row.stage} | ${row.label} | ${cells.join(' | ')} | ${row.kind === 'count' && !row.label.startsWith('models') ? '' : growth} | ${targetText} | ${met} |`);
  }
  for (const stage of RSS_STAGES.filter((st) => b.stages.includes(st))) {
    const cells = scales.map((sc) => {
      const r = result(b, stage, sc);
      if (!r) return stage === 'demo' ? 'not run' : '—';
      if (r.error) return '0';
      return `${r.runs}${r.runs < r.runsRequested ? ` of ${r.runsRequested} (budget)` : ''}${r.coldOnly ? ', fakes cold' : ''}`;
    });
    lines.push(`| ${stage} | runs in the median | ${cells.join(' | ')} |  |  |  |`);
  }
  const errors = b.results.filter((r) => r.error);
  if (errors.length) {
    lines.push('', 'Stages that did not produce figures:', '');
    for (const r of errors) lines.push(`- ${r.stage} at scale ${r.scale}: ${r.error!.split('\n').slice(0, 3).join(' ').slice(0, 400)}`);
  }
  return lines.join('\n') + '\n';
}

/** Per-source rows and seconds of the extract stage at each scale. */
function renderSources(b: BenchResults): string {
  const scales = [...b.scales].sort((x, y) => x - y);
  const sources = new Set<string>();
  for (const s of scales) for (const k of Object.keys(result(b, 'extract', s)?.figures ?? {})) if (k.startsWith('source.') && k.endsWith('.ms')) sources.add(k.slice(7, -3));
  if (sources.size === 0) return '';
  const lines = [`| source | ${scales.map((s) => `rows @${s} | s @${s} | rows/s @${s}`).join(' | ')} |`, `|---|${scales.map(() => '---:|---:|---:').join('|')}|`];
  for (const source of sources) {
    const cells = scales.flatMap((s) => {
      const rows = num(b, 'extract', s, `source.${source}.rows`);
      const ms = num(b, 'extract', s, `source.${source}.ms`);
      return [format(rows, 'count'), format(seconds(ms), 'time'), rows !== null && ms ? format(rows / (ms / 1000), 'rate') : '—'];
    });
    lines.push(`| ${source} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** BENCHMARKS.md: the latest table, the machine, how to reproduce, and the verdict on each target. */
export function renderBenchmarksFile(b: BenchResults, outDir: string): string {
  const m = b.machine;
  const largestScale = Math.max(...b.scales);
  const verdicts = b.targets.map((t) => `| ${t.description} | ${t.display}${t.scale !== null ? ` at scale ${t.scale}${t.scale < largestScale && !t.id.includes('demo') ? ' (not measured at the largest)' : ''}` : ''} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**NOT met**'} | ${t.why} |`);
  const largest = Math.max(...b.scales);
  const build = result(b, 'build', largest);
  return `# Benchmarks

Generated by \`npm run bench\` (test/bench/run.ts) on ${b.finishedAt.slice(0, 16).replace('T', ' ')} UTC, commit \`${b.commit}\`, in ${Math.round(b.durationS / 60)} min.
Do not edit by hand: the next run rewrites this file. Raw figures (every run) are in \`${outDir}/results.json\`.

## Reproduce

\`\`\`sh
${b.command}
\`\`\`

## Machine

| cpus | model | memory | node | DuckDB | load average (1/5/15 min) before → after |
|---|---|---|---|---|---|
| ${m.cpus} | ${m.cpuModel} | ${m.memoryGiB} GiB | ${m.node} | ${m.duckdb} | ${m.loadAverageBefore.join(' / ')} → ${m.loadAverageAfter.join(' / ')} |

The machine was shared with other work while this ran (see the load average): absolute numbers are noisy,
ratios measured side by side in one run (ingest ratio, incremental ÷ full) are the ones to compare.

## Targets

| target | measured | verdict | why (when missed) |
|---|---|---|---|
${verdicts.join('\n')}

## Figures

Each figure is the median of the runs shown in the "runs in the median" rows (${b.runs.join(', ')} requested at scale ${b.scales.join(', ')}${b.budgetMinutes ? `; a ${b.budgetMinutes}-minute budget stops repeats, and skips a stage, when what is left would not fit` : ''}),
each run in its own child process. "×" is the figure at the largest
scale divided by the figure at the smallest: for times and sizes, a value near the scale ratio means linear cost;
for rates ("rate"), near 1 means linear.

${renderTable(b)}
## Extract by source

${renderSources(b) || 'No extract figures.'}
${build && typeof build.figures['slowestModels'] === 'string' ? `Slowest models of the full build at scale ${largest}: ${build.figures['slowestModels']}.\n` : ''}
## How it is measured

- **World**: one process per scale generates the sample world (seed 42) and serves every connector's fake on
  127.0.0.1, so neither the world's memory nor the fakes' CPU counts against the stage measured. For the extract
  figures the fakes' emulated rate limits (Shopify 2 calls/s, Zendesk 10 export calls/min) and the sources' own
  pacing (Shopify, Stripe, Zendesk) are lifted, and answers are kept by request, so the figure is pulse's own cost;
  the first extract of a scale fills that cache and is reported as "fakes cold" (and is the figure when the budget
  allowed only that run). \`pulse demo\` runs the product's own fakes in its own process, limits included.
- **ingest**: 100k × scale 12-field post-metric records as Graph-style pages from a server in its own process;
  \`extractSource\` with every record validated, against \`read_json\` with declared columns on the same NDJSON.
- **extract**: \`runExtract\` over every connector into a fresh warehouse, reading up to two days after the world's
  last day (so every run sends the same requests).
- **build**: \`buildStep\` over \`PRODUCT_MODELS\` (data tests included) on a copy of the extracted warehouse, less
  the last-loaded 1% of each raw table, held out for the incremental stage.
- **incremental**: on a copy of the built warehouse, the held-out 1% of each raw table is loaded again with a fresh
  \`_loaded_at\` (real records: keys, nested ids and references stay consistent), then \`buildStep\` runs again
  without full refresh.
- **publish**: \`publishStep\` on a copy of the built warehouse. **report**: \`pulse report\` from the published file.
- **sentiment**: \`scoreMany\` over every customer-written text of the world, language detected per text.
- **clv**: \`fitClv\` on 100k × scale customers simulated from known BG/NBD and Gamma-Gamma parameters.
- **demo**: \`node bin/pulse.js demo --scale 1\`, only at scales ≤ 1.
- **peak RSS**: \`process.resourceUsage().maxRSS\` of the stage's process (for demo and report, of the pulse CLI;
  processes the CLI starts itself, such as Observable Framework's build, are not included).
`;
}
