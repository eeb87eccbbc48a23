/**
 * What every benchmark stage shares: the arguments a stage child is started with, the world the
 * world server describes, how a child reports its figures (one `BENCH_RESULT {json}` line on
 * stdout, with its own peak RSS), and small file helpers.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The prefix of the one stdout line a stage child reports on (other output may share stdout). */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** A measured value: numbers are medianed across runs; strings and booleans are kept from the last run. */
export type Figure = number | string | boolean | null;

/** What one stage run reports. */
export interface StageReport {
  figures: Record<string, Figure>;
  /** Peak resident set of the stage's process (and of the CLI it ran, when it ran one), MiB. */
  maxRssMiB: number;
}

/** What the world server prints once the world is generated and served. */
export interface WorldInfo {
  scale: number;
  /** Source configs (input form) pointing at the fakes on 127.0.0.1 and at the sample files. */
  sources: Record<string, Record<string, unknown> & { type: string }>;
  /** Counts of the world's entities. */
  summary: Record<string, number>;
  /** Every customer-written text of the world, for the sentiment stage (a JSON array of strings). */
  textsFile: string;
  generateMs: number;
  /** Last local day of the world. */
  end: string;
  maxRssMiB: number;
}

/** Arguments every stage child gets from the runner. */
export interface StageArgs {
  scale: number;
  /** This scale's work folder: shared artifacts (`extracted.duckdb`, `built.duckdb`, …) live here. */
  work: string;
  /** A fresh folder for this run only. */
  runDir: string;
  /** 0 for a warm-up or preparation run, else 1-based. */
  run: number;
  /** The served world (absent for stages that do not need it). */
  world: WorldInfo | undefined;
}

/** Files the stages hand to each other inside a scale's work folder. */
export const ARTIFACTS = {
  world: 'world.json',
  extracted: 'extracted.duckdb',
  built: 'built.duckdb',
  published: 'published.duckdb',
} as const;

/** Reads the arguments the runner passes (`--scale --work --run`) and the world file if there is one. */
export function stageArgs(): StageArgs {
  const { values } = parseArgs({
    options: { scale: { type: 'string' }, work: { type: 'string' }, run: { type: 'string', default: '1' } },
    allowPositionals: false,
  });
  if (!values.scale || !values.work) throw new Error('usage: <stage>.ts --scale N --work DIR [--run I]');
  const work = values.work;
  const run = Number(values.run);
  const runDir = join(work, `run-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const worldFile = join(work, ARTIFACTS.world);
  const world = existsSync(worldFile) ? (JSON.parse(readFileSync(worldFile, 'utf8')) as WorldInfo) : undefined;
  return { scale: Number(values.scale), work, runDir, run, world };
}

/** Returns the served world or throws naming the stage that needed it. */
export function requireWorld(args: StageArgs, stage: string): WorldInfo {
  if (!args.world) throw new Error(`the ${stage} stage needs the world server's ${ARTIFACTS.world} in ${args.work}`);
  return args.world;
}

/** Returns the path of a shared artifact, throwing when an earlier stage did not leave it. */
export function requireArtifact(args: StageArgs, name: keyof typeof ARTIFACTS): string {
  const path = join(args.work, ARTIFACTS[name]);
  if (!existsSync(path)) throw new Error(`missing ${ARTIFACTS[name]} in ${args.work}: the stage that produces it did not run or failed`);
  return path;
}

/** This process's peak resident set so far, MiB. */
export function ownMaxRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints the stage's figures as the result line and removes the run folder. */
export function report(args: StageArgs, figures: Record<string, Figure>, extraRssMiB = 0): void {
  rmSync(args.runDir, { recursive: true, force: true });
  const result: StageReport = { figures, maxRssMiB: Math.round(Math.max(ownMaxRssMiB(), extraRssMiB)) };
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Runs `fn` and returns its result with the elapsed wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Copies a closed DuckDB file (and its WAL, if any) to `to`. */
export function copyDatabase(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
  else rmSync(`${to}.wal`, { force: true });
}

/** Moves a closed DuckDB file (and its WAL, if any) to `to`, replacing what was there. */
export function moveDatabase(from: string, to: string): void {
  renameSync(from, to);
  if (existsSync(`${from}.wal`)) renameSync(`${from}.wal`, `${to}.wal`);
  else rmSync(`${to}.wal`, { force: true });
}

/** Bytes on disk of a file plus its WAL, or of every file under a folder. */
export function bytesOnDisk(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (stat.isFile()) return stat.size + (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);
  let total = 0;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

/** The repository root (where `bin/pulse.js` is). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/**
 * The Node flags the CLI starts with (the ones its shebang passes), so measured runs, including
 * the ingest stage's in-process extract, run with the heap settings users' runs have.
 */
export function cliNodeFlags(): string[] {
  const shebang = readFileSync(join(REPO_ROOT, 'bin', 'pulse.js'), 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\/usr\/bin\/env -S node\b(.*)$/.exec(shebang);
  return match ? match[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

/** What a spawned CLI did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set of the CLI process (not of processes it started), MiB. */
  maxRssMiB: number;
}

/** Runs `node bin/pulse.js ARGS` with the RSS probe preloaded; resolves when it exits. */
export function runPulse(cliArgs: string[], options: { cwd: string; timeoutMs: number }): Promise<CliRun> {
  const rssFile = join(options.cwd, `.rss-${process.pid}-${Date.now()}`);
  const probe = join(import.meta.dirname, 'rss-probe.ts');
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    // tsx by URL: the CLI runs in a folder outside the repository, where a bare `tsx` would not resolve.
    const child = spawn(process.execPath, [...cliNodeFlags(), '--import', import.meta.resolve('tsx'), '--import', pathToFileURL(probe).href, join(REPO_ROOT, 'bin', 'pulse.js'), ...cliArgs], {
      cwd: options.cwd,
      env: { ...process.env, PULSE_BENCH_RSS_FILE: rssFile, DOTENV_CONFIG_QUIET: 'true', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : 0;
      rmSync(rssFile, { force: true });
      resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms, maxRssMiB: rssKiB / 1024 });
    });
  });
}
