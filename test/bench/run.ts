/**
 * `npm run bench [-- --scale 1,10 --stages ingest,extract,… --runs 3 --out bench-results]`:
 * measures pulse on the sample world at each scale, every stage run in its own child process
 * (`test/bench/stages/<stage>.ts`) so stages do not share memory or warm caches, each figure the
 * median of `--runs` runs; writes `results.json` and `results.md` into `--out` and refreshes
 * `BENCHMARKS.md` at the repository root (`--benchmarks-file ''` to leave it alone).
 * `--from results.json` measures nothing and renders those results again.
 * Not part of `npm test` except as a tiny smoke run (test/bench/smoke.test.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { ARTIFACTS, REPO_ROOT, RESULT_PREFIX, cliNodeFlags, type Figure, type StageReport, type WorldInfo } from './harness.ts';
import { renderBenchmarksFile, renderTable, evaluateTargets, type BenchResults, type StageResult } from './render.ts';

/** Every stage, in the order they run (later ones use what earlier ones leave). */
export const STAGES = ['ingest', 'extract', 'build', 'incremental', 'publish', 'report', 'sentiment', 'clv', 'demo'] as const;
export type Stage = (typeof STAGES)[number];

/** What a stage needs before it can run: the world server, and an artifact an earlier stage leaves. */
const NEEDS: Record<Stage, { world: boolean; after?: Stage }> = {
  ingest: { world: false },
  extract: { world: true },
  build: { world: false, after: 'extract' },
  incremental: { world: false, after: 'build' },
  publish: { world: false, after: 'build' },
  report: { world: false, after: 'publish' },
  sentiment: { world: true },
  clv: { world: false },
  demo: { world: false },
};

/** Stages that do a warm-up run first (reported separately, not in the median). */
const WARM_UP: ReadonlySet<Stage> = new Set(['extract']);
/** The demo's target is defined at scale 1, and its fakes pace requests like the real APIs, so it only runs at scales ≤ 1. */
const DEMO_MAX_SCALE = 1;
/** Whether `stage` needs what `other` leaves, directly or through another stage. */
function dependsOn(stage: Stage, other: Stage): boolean {
  for (let need = NEEDS[stage].after; need; need = NEEDS[need].after) if (need === other) return true;
  return false;
}

/** Under a budget, stages projected shorter than this keep their room when a long one would take it. */
const SHORT_MS = 5 * 60_000;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1,10' },
    stages: { type: 'string', default: STAGES.join(',') },
    runs: { type: 'string', default: '3' },
    'budget-minutes': { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench-results' },
    work: { type: 'string' },
    'benchmarks-file': { type: 'string', default: 'BENCHMARKS.md' },
    'timeout-minutes': { type: 'string', default: '30' },
    'max-old-space-mb': { type: 'string', default: '4096' },
    keep: { type: 'boolean', default: false },
    from: { type: 'string' },
  },
});
const scales = values.scale.split(',').map(Number);
const selected = values.stages.split(',').map((s) => s.trim()) as Stage[];
// One run count for every scale, or one per scale (`--runs 3,1`).
const runCounts = values.runs.split(',').map(Number);
const runsAt = (scale: number): number => runCounts[scales.indexOf(scale)] ?? runCounts[runCounts.length - 1]!;
const budgetMs = Number(values['budget-minutes']) * 60_000;
const timeoutMs = Number(values['timeout-minutes']) * 60_000;
const unknown = selected.filter((s) => !STAGES.includes(s));
if (unknown.length || scales.some((s) => !(s > 0)) || runCounts.some((r) => !(r >= 1)) || !(budgetMs >= 0)) {
  process.stderr.write(`usage: run.ts [--scale 1,10] [--stages ${STAGES.join(',')}] [--runs 3 | --runs 3,1] [--budget-minutes 20] [--out DIR]${unknown.length ? `\nunknown stages: ${unknown.join(', ')}` : ''}\n`);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Node arguments for a child: the CLI's own flags, tsx, and a heap large enough for scale 10. */
function nodeArgs(heapMb: number, script: string): string[] {
  return [...cliNodeFlags(), `--max-old-space-size=${heapMb}`, '--import', 'tsx', script];
}

/** Runs one stage once in a child process; resolves with its report. */
function runStageOnce(stage: Stage, scale: number, work: string, run: number): Promise<StageReport> {
  const script = join(import.meta.dirname, 'stages', `${stage}.ts`);
  const args = [...nodeArgs(Number(values['max-old-space-mb']), script), '--scale', String(scale), '--work', work, '--run', String(run)];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, TZ: 'UTC', DOTENV_CONFIG_QUIET: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) return resolvePromise(JSON.parse(line.slice(RESULT_PREFIX.length)) as StageReport);
      const tail = (Buffer.concat(err).toString('utf8') + stdout).trim().split('\n').slice(-12).join('\n');
      reject(new Error(`${stage} at scale ${scale} ${signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${values['timeout-minutes']} min` : ''})` : `exited with ${code}`}: ${tail}`));
    });
  });
}

/** Starts the world server for `scale` and waits until it serves. */
async function startWorld(scale: number, work: string): Promise<{ child: ChildProcess; info: WorldInfo }> {
  const script = join(import.meta.dirname, 'world-server.ts');
  // Scale 10 needs ~2 GB of heap for the world alone.
  const child = spawn(process.execPath, [...nodeArgs(Math.max(4096, Math.ceil(scale * 800)), script), '--scale', String(scale), '--work', work], {
    cwd: REPO_ROOT,
    env: { ...process.env, TZ: 'UTC', DOTENV_CONFIG_QUIET: 'true' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('the world server did not start within 10 minutes')), 10 * 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolvePromise();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the world server exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`));
    });
  });
  const info = JSON.parse(readFileSync(join(work, ARTIFACTS.world), 'utf8')) as WorldInfo;
  return { child, info };
}

function stopWorld(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise();
    child.once('exit', () => resolvePromise());
    child.stdin!.end();
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Medians of numeric figures across runs; other figures from the last run. */
function summarize(reports: StageReport[]): Pick<StageResult, 'figures' | 'samples' | 'peakRssMiB'> {
  const samples: Record<string, Figure[]> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.figures)) (samples[k] ??= []).push(v);
  const figures: Record<string, Figure> = {};
  for (const [k, vs] of Object.entries(samples)) {
    const numbers = vs.filter((v): v is number => typeof v === 'number');
    figures[k] = numbers.length === vs.length && numbers.length > 0 ? median(numbers) : (vs[vs.length - 1] ?? null);
  }
  return { figures, samples, peakRssMiB: Math.max(...reports.map((r) => r.maxRssMiB)) };
}

/** One stage at one scale; `measured` is false for a stage run only because a selected one needs what it leaves. */
interface Unit {
  stage: Stage;
  scale: number;
  measured: boolean;
}

/**
 * Everything to run, in order: the demo first (it needs nothing, and under a budget its one run
 * is then certain), then per scale the selected stages and what they need.
 */
function plan(): Unit[] {
  const units: Unit[] = [];
  if (selected.includes('demo')) for (const scale of scales.filter((s) => s <= DEMO_MAX_SCALE)) units.push({ stage: 'demo', scale, measured: true });
  for (const scale of scales) {
    const wanted = new Set<Stage>(selected.filter((s) => s !== 'demo'));
    for (const stage of [...wanted]) {
      for (let need = NEEDS[stage].after; need; need = NEEDS[need].after) wanted.add(need);
    }
    units.push(...STAGES.filter((s) => wanted.has(s)).map((stage) => ({ stage, scale, measured: selected.includes(stage) })));
  }
  return units;
}

/**
 * The time budget: the duration of every run so far, and what later runs are projected to take
 * (the same stage's last run at that scale, else its run at a smaller scale grown linearly).
 */
class Budget {
  private readonly last = new Map<string, number>();
  private readonly started = performance.now();

  constructor(private readonly totalMs: number) {}

  record(stage: string, scale: number, ms: number): void {
    this.last.set(`${stage}@${scale}`, ms);
  }

  project(stage: string, scale: number): number {
    const same = this.last.get(`${stage}@${scale}`);
    if (same !== undefined) return same;
    const smaller = scales.filter((s) => s < scale && this.last.has(`${stage}@${s}`)).sort((x, y) => y - x)[0];
    if (smaller !== undefined) return this.last.get(`${stage}@${smaller}`)! * (scale / smaller);
    // Nothing measured yet: a guess (the demo paces its requests like the real APIs, minutes at scale 1).
    return (stage === 'demo' ? 240_000 : 60_000) * Math.max(1, scale);
  }

  leftMs(): number {
    return this.totalMs > 0 ? this.totalMs - (performance.now() - this.started) : Infinity;
  }

  /** Whether a run projected to take `ms` fits, keeping `reserveMs` for what must still run. */
  fits(ms: number, reserveMs = 0): boolean {
    return ms + reserveMs <= this.leftMs();
  }
}

async function duckdbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('select version() as v');
  const version = String(reader.getRowObjects()[0]?.['v'] ?? 'unknown');
  connection.closeSync();
  instance.closeSync();
  return version;
}

async function main(): Promise<void> {
  const started = new Date();
  const root = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  const results: StageResult[] = [];
  const worlds: BenchResults['worlds'] = [];
  const loadBefore = loadavg();
  const budget = new Budget(budgetMs);
  const units = plan();
  const failed = new Set<string>();
  const key = (stage: Stage, scale: number) => `${stage}@${scale}`;
  let world: { scale: number; child: ChildProcess; info: WorldInfo } | undefined;
  const workOf = (scale: number) => join(root, `scale-${scale}`);
  log(`scales ${scales.join(', ')}; stages ${selected.join(', ')}; runs ${scales.map(runsAt).join(', ')}; ${budgetMs ? `budget ${values['budget-minutes']} min; ` : ''}work in ${root}`);
  const done: { unit: Unit; reports: StageReport[] }[] = [];
  /** Runs a unit once more (run index `run`), logging what it is, and records its time. */
  const runLabelled = async (unit: Unit, work: string, run: number): Promise<StageReport> => {
    const { stage, scale } = unit;
    const label = !unit.measured ? '(preparing what a later stage needs)' : WARM_UP.has(stage) && run === 0 ? 'first run (fakes cold)' : `run ${run + (WARM_UP.has(stage) ? 0 : 1)}`;
    log(`scale ${scale}: ${stage} ${label}`);
    const t = performance.now();
    const report = await runStageOnce(stage, scale, work, run);
    budget.record(stage, scale, performance.now() - t);
    return report;
  };
  /** The result of a unit's runs: the median figures, the warm-up apart. */
  const resultOf = (unit: Unit, reports: StageReport[]): StageResult => {
    const { stage, scale } = unit;
    // The first extract fills the fakes' answer cache: reported on its own, and in the median only when it is the only run.
    const first = WARM_UP.has(stage) && reports.length > 1 ? reports[0] : undefined;
    const measuredReports = first ? reports.slice(1) : reports;
    // A preparation run is kept too (marked), so ratios such as incremental ÷ full build have both sides.
    const result: StageResult = {
      stage,
      scale,
      runs: measuredReports.length,
      runsRequested: unit.measured ? runsAt(scale) : 1,
      ...summarize(measuredReports),
      ...(WARM_UP.has(stage) ? { warmUp: (first ?? reports[0]!).figures, ...(first ? {} : { coldOnly: true }) } : {}),
      ...(unit.measured ? {} : { prep: true }),
    };
    if (first) result.peakRssMiB = Math.max(result.peakRssMiB, first.maxRssMiB);
    if (unit.measured) log(`scale ${scale}: ${stage} done (${result.runs} run${result.runs === 1 ? '' : 's'}): ${JSON.stringify(Object.fromEntries(Object.entries(result.figures).filter(([k]) => !k.includes('.')).slice(0, 6)))}`);
    return result;
  };
  const skip = (unit: Unit, why: string) => {
    failed.add(key(unit.stage, unit.scale));
    log(`scale ${unit.scale}: ${unit.stage} ${why}`);
    if (unit.measured) results.push({ stage: unit.stage, scale: unit.scale, runs: 0, runsRequested: runsAt(unit.scale), figures: {}, samples: {}, peakRssMiB: 0, error: why });
  };
  try {
    for (const [index, unit] of units.entries()) {
      const { stage, scale } = unit;
      const work = workOf(scale);
      if (!existsSync(work)) {
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work, { recursive: true });
      }
      const later = units.slice(index + 1);
      // What the units after this one are projected to need for one run each (and their worlds);
      // a first run only keeps room for the short ones (a long stage is skipped rather than crowd
      // out several short ones), a repeat keeps room for all of them.
      const oneRun = (u: Unit) => budget.project(u.stage, u.scale) * (WARM_UP.has(u.stage) ? 2 : 1);
      const worldsMs = [...new Set(later.filter((u) => NEEDS[u.stage].world && u.scale !== world?.scale).map((u) => u.scale))].reduce((ms, s) => ms + budget.project('world', s), 0);
      const reserveMs = later.reduce((ms, u) => ms + oneRun(u), 0) + worldsMs;
      // Stages that need this one's output are not kept room for: they cannot run without it.
      const dependsOnThis = (u: Unit): boolean => u.scale === scale && dependsOn(u.stage, stage);
      const shortReserveMs = later.filter((u) => oneRun(u) < SHORT_MS && !dependsOnThis(u)).reduce((ms, u) => ms + oneRun(u), 0);
      // The first pass of this unit; `return` leaves it (skipped or failed), the scale's end still follows.
      const firstPass = async (): Promise<void> => {
        const need = NEEDS[stage];
        if (need.after && failed.has(key(need.after, scale))) {
          skip(unit, `not run: ${need.after} did not run at this scale`);
          return;
        }
        if (world && world.scale !== scale) {
          await stopWorld(world.child);
          world = undefined;
        }
        if (need.world && !world) {
          log(`scale ${scale}: generating and serving the sample world`);
          const t = performance.now();
          try {
            world = { scale, ...(await startWorld(scale, work)) };
          } catch (error) {
            skip(unit, `not run: ${(error as Error).message}`);
            return;
          }
          budget.record('world', scale, performance.now() - t);
          worlds.push({ scale, generateMs: world.info.generateMs, serverRssMiB: world.info.maxRssMiB, summary: world.info.summary });
          log(`scale ${scale}: world generated in ${(world.info.generateMs / 1000).toFixed(1)} s`);
        }
        const projected = budget.project(stage, scale);
        if (!budget.fits(projected, shortReserveMs)) {
          skip(unit, `skipped to stay within the ${values['budget-minutes']}-minute budget: one run was projected at ${(projected / 60_000).toFixed(1)} min (linear from the smaller scale) with ${(Math.max(0, budget.leftMs()) / 60_000).toFixed(1)} min left, ${(shortReserveMs / 60_000).toFixed(1)} of them kept for the shorter stages after it`);
          return;
        }
        // The first pass runs each stage once (after a warm-up where it has one), so every stage of
        // every scale gets a figure; repeats come after the last stage of the scale, when each
        // stage's cost is known rather than guessed.
        const first = (unit.measured && WARM_UP.has(stage) ? 2 : 1);
        const reports: StageReport[] = [];
        try {
          for (let run = 0; run < first; run++) {
            if (run > 0 && !budget.fits(budget.project(stage, scale), reserveMs)) break;
            reports.push(await runLabelled(unit, work, run));
          }
        } catch (error) {
          failed.add(key(stage, scale));
          log(`scale ${scale}: ${stage} FAILED: ${(error as Error).message}`);
          if (unit.measured) results.push({ stage, scale, runs: reports.length, runsRequested: runsAt(scale), figures: {}, samples: {}, peakRssMiB: 0, error: (error as Error).message.slice(0, 2000) });
          return;
        }
        done.push({ unit, reports });
      };
      await firstPass();
      if (later.some((u) => u.scale === scale)) continue;
      // The last stage of this scale: repeat each measured stage, in order, while what the later
      // scales need for one run each still fits.
      const laterScales = later.filter((u) => u.scale !== scale);
      const laterReserveMs =
        laterScales.reduce((ms, u) => ms + budget.project(u.stage, u.scale) * (WARM_UP.has(u.stage) ? 2 : 1), 0) +
        [...new Set(laterScales.filter((u) => NEEDS[u.stage].world).map((u) => u.scale))].reduce((ms, s) => ms + budget.project('world', s), 0);
      for (const entry of done.filter((d) => d.unit.scale === scale && d.unit.measured)) {
        const warm = WARM_UP.has(entry.unit.stage) ? 1 : 0;
        while (entry.reports.length - warm < runsAt(scale) && budget.fits(budget.project(entry.unit.stage, scale), laterReserveMs)) {
          if (NEEDS[entry.unit.stage].world && !world) {
            try {
              world = { scale, ...(await startWorld(scale, work)) };
            } catch (error) {
              log(`scale ${scale}: no repeat of ${entry.unit.stage}: ${(error as Error).message}`);
              break;
            }
          }
          try {
            entry.reports.push(await runLabelled(entry.unit, work, entry.reports.length));
          } catch (error) {
            // The runs so far stand; a failed repeat is reported and not retried.
            log(`scale ${scale}: ${entry.unit.stage} repeat FAILED: ${(error as Error).message}`);
            break;
          }
        }
      }
      for (const entry of done.filter((d) => d.unit.scale === scale)) results.push(resultOf(entry.unit, entry.reports));
      if (world) {
        await stopWorld(world.child);
        world = undefined;
      }
      if (!values.keep) rmSync(work, { recursive: true, force: true });
    }
  } finally {
    if (world) await stopWorld(world.child);
    if (!values.keep && !values.work) rmSync(root, { recursive: true, force: true });
  }

  const finished = new Date();
  const bench: BenchResults = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationS: Math.round((finished.getTime() - started.getTime()) / 1000),
    command: `npm run bench -- --scale ${scales.join(',')} --stages ${selected.join(',')} --runs ${values.runs}${budgetMs ? ` --budget-minutes ${values['budget-minutes']}` : ''}`,
    commit: gitDescribe(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      duckdb: await duckdbVersion(),
      loadAverageBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
      loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    scales,
    runs: scales.map(runsAt),
    budgetMinutes: Number(values['budget-minutes']),
    stages: selected,
    worlds,
    results,
    targets: [],
  };
  await writeOutputs(bench);
  log(`done in ${bench.durationS} s; results in ${resolve(values.out)}`);
}

/** Judges the targets and writes results.json, results.md and BENCHMARKS.md. */
async function writeOutputs(bench: BenchResults): Promise<void> {
  bench.targets = evaluateTargets(bench);
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const table = renderTable(bench);
  writeFileSync(join(out, 'results.json'), JSON.stringify(bench, null, 2) + '\n');
  writeFileSync(join(out, 'results.md'), table);
  if (values['benchmarks-file']) {
    const file = resolve(REPO_ROOT, values['benchmarks-file']);
    writeFileSync(`${file}.tmp`, renderBenchmarksFile(bench, relative(REPO_ROOT, out) || '.'));
    // Written whole, then renamed: a reader never sees half a file.
    renameSync(`${file}.tmp`, file);
  }
  process.stdout.write(table);
}

/** The commit benchmarked, and whether the working tree had changes on top of it. */
function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
    return dirty ? `${head} + ${dirty} uncommitted changed files` : head;
  } catch {
    return 'unknown';
  }
}

if (values.from) await writeOutputs(JSON.parse(readFileSync(resolve(values.from), 'utf8')) as BenchResults);
else await main();
