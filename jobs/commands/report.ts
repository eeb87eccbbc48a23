/**
 * `pulse report [--out DIR]`: builds the static report site (`reports/`, an Observable Framework
 * project) from the published analytics file into DIR (default `site/` beside the warehouse).
 *
 * Every build copies `reports/src` to a private folder, so Framework's loader cache starts empty
 * (a reused cache would show yesterday's numbers) and two builds never share one; runs the data
 * loaders in this process over one read-only connection and writes their JSON into that copy;
 * builds into a temp folder beside DIR and renames it into place, so a reader never sees half a
 * site. No step reaches the network: pages import Plot, d3 and Inputs from node_modules, and
 * Framework's npm version lookups are answered from a seeded cache.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerminalError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { CommandContext } from '../context.ts';
import type { JobConfig } from '../job-config.ts';
import { duration } from '../progress.ts';
import { runLoaders, type FreshnessSlas } from '../../reports/lib/analytics.ts';

/** The report project folder (`reports/` at the repository root). */
export const REPORTS_DIR = fileURLToPath(new URL('../../reports/', import.meta.url));

const REPO_DIR = resolve(REPORTS_DIR, '..');

export type { FreshnessSlas };

/** Options of `buildReport`. */
export interface BuildReportOptions {
  /** The published analytics file the loaders read. */
  analyticsPath: string;
  /** Where the site goes; replaced as a whole. */
  out: string;
  log: Logger;
  /** Freshness SLAs from the configured jobs, for the Data health page. */
  freshness?: FreshnessSlas;
  /** Receives Framework's output lines (default: the logger at debug level). */
  onOutput?: (line: string) => void;
}

/** What a report build produced. */
export interface ReportResult {
  path: string;
  pages: number;
  files: number;
  bytes: number;
  durationMs: number;
}

/** The default site folder: `site/` beside the warehouse file. */
export function defaultSiteDir(warehousePath: string): string {
  const remote = warehousePath.startsWith('md:') || warehousePath.includes('://') || warehousePath === ':memory:';
  return remote ? resolve('site') : join(dirname(resolve(warehousePath)), 'site');
}

/** Merges the freshness SLAs of every job, keeping the strictest thresholds per source. */
export function freshnessSlas(jobs: Record<string, Pick<JobConfig, 'freshness'>>): FreshnessSlas {
  const slas: FreshnessSlas = {};
  for (const job of Object.values(jobs)) {
    for (const [source, sla] of Object.entries(job.freshness ?? {})) {
      const seen = slas[source];
      slas[source] = seen ? { warnAfterHours: Math.min(seen.warnAfterHours, sla.warnAfterHours), errorAfterHours: Math.min(seen.errorAfterHours, sla.errorAfterHours) } : { ...sla };
    }
  }
  return slas;
}

/** Lists the files under `dir` with their sizes. */
function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path, bytes: statSync(path).size };
    });
}

/** Runs `observable build` in `reports/` with the loaders' environment; rejects with its last output lines on failure. */
function runFramework(env: NodeJS.ProcessEnv, onOutput: (line: string) => void): Promise<void> {
  const bin = join(REPO_DIR, 'node_modules', '@observablehq', 'framework', 'dist', 'bin', 'observable.js');
  if (!existsSync(bin)) return Promise.reject(new TerminalError('Observable Framework is not installed', { hint: 'run `npm ci` in the repository' }));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'build'], { cwd: REPORTS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        onOutput(line);
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new TerminalError(`the report build failed (exit ${code}):\n${tail.join('\n')}`, { hint: 'see the lines above; a loader error names the page and the query' }));
    });
  });
}

/**
 * Libraries Framework's client runtime can load lazily (`npm:d3`, `npm:echarts`, …). Bundling the
 * runtime resolves their latest versions from registry.npmjs.org, which fails or hangs with no
 * network; the pages never load them (they import from node_modules), so any version will do.
 */
const LAZY_NPM_LIBRARIES = [
  '@observablehq/duckdb', '@observablehq/inputs', '@observablehq/plot', '@observablehq/sample-datasets', '@uwdata/vgplot', '@viz-js/viz',
  'apache-arrow', 'arquero', 'd3', 'd3-dsv', 'echarts', 'exceljs', 'htl', 'jszip', 'katex', 'leaflet', 'lodash', 'mapbox-gl', 'mermaid',
  'parquet-wasm', 'react', 'react-dom', 'sql.js', 'topojson-client', 'vega', 'vega-lite', 'vega-lite-api',
];

/** Seeds Framework's npm version cache under `root` (installed versions where known), so the build makes no registry request. */
function seedNpmVersionCache(root: string): void {
  for (const name of LAZY_NPM_LIBRARIES) {
    let version = '0.0.0';
    try {
      version = (JSON.parse(readFileSync(join(REPO_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Not installed: never loaded by the pages either.
    }
    mkdirSync(join(root, '.observablehq', 'cache', '_npm', `${name}@${version}`), { recursive: true });
  }
}

/**
 * Where bundled node_modules (`.observablehq/cache/_node`) are kept between builds, keyed by the
 * lockfile: they depend only on installed packages, unlike loader outputs, which every build
 * recomputes. Bundling d3 and Plot anew is most of a build's time.
 */
function nodeBundleCache(): string {
  let key = 'no-lockfile';
  try {
    key = createHash('sha256').update(readFileSync(join(REPO_DIR, 'package-lock.json'))).digest('hex').slice(0, 12);
  } catch {
    // No lockfile: one shared key.
  }
  return join(REPORTS_DIR, '.observablehq', `node-bundles-${key}`);
}

/** Lists the data files a build must produce: one per loader in `reports/src/data`. */
function expectedDataFiles(): string[] {
  return readdirSync(join(REPORTS_DIR, 'src', 'data'))
    .filter((f) => /\.json\.ts$/.test(f))
    .map((f) => f.replace(/\.json\.ts$/, ''));
}

/**
 * Builds the site from `analyticsPath` into `out`: fresh loader cache, build into a temp folder,
 * check every data loader produced its file, then swap the folder into place.
 */
export async function buildReport(options: BuildReportOptions): Promise<ReportResult> {
  const started = Date.now();
  const analyticsPath = resolve(options.analyticsPath);
  if (!existsSync(analyticsPath)) {
    throw new TerminalError(`no published analytics file at ${analyticsPath}`, { context: { file: analyticsPath }, hint: 'run `pulse build` and `pulse publish` first' });
  }
  const out = resolve(options.out);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const root = join(REPORTS_DIR, `.build-${token}`);
  mkdirSync(dirname(out), { recursive: true });
  const temp = join(dirname(out), `.${basename(out)}.tmp-${token}`);
  const old = join(dirname(out), `.${basename(out)}.old-${token}`);
  try {
    // A private copy of the sources: an empty loader cache, untouched by concurrent builds.
    cpSync(join(REPORTS_DIR, 'src'), root, { recursive: true, filter: (src) => !src.includes(`${sep}.observablehq`) });
    seedNpmVersionCache(root);
    // Run every loader here, over one read-only connection, and hand Framework their outputs as
    // static files: a process per loader (Framework's way) costs seconds each.
    const outputs = await runLoaders(join(REPORTS_DIR, 'src', 'data'), analyticsPath, options.freshness ?? {}, (message) => options.log.warn(message));
    for (const [name, json] of outputs) {
      writeFileSync(join(root, 'data', name), json);
      rmSync(join(root, 'data', `${name}.ts`));
    }
    const bundles = nodeBundleCache();
    if (existsSync(bundles)) cpSync(bundles, join(root, '.observablehq', 'cache', '_node'), { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Framework runs .ts loaders with `tsx`, found on PATH.
      PATH: `${join(REPO_DIR, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`,
      OBSERVABLE_TELEMETRY_DISABLE: 'true',
      PULSE_ANALYTICS_PATH: analyticsPath,
      PULSE_FRESHNESS_SLA: JSON.stringify(options.freshness ?? {}),
      PULSE_SITE_ROOT: relative(REPORTS_DIR, root),
      PULSE_SITE_OUTPUT: temp,
      NO_COLOR: '1',
    };
    options.log.info('building the report site', { analytics: analyticsPath, out });
    await runFramework(env, options.onOutput ?? ((line) => options.log.debug(line)));
    // Framework logs a failed loader and carries on; a page without its data is not a report.
    const dataDir = join(temp, '_file', 'data');
    const built = existsSync(dataDir) ? readdirSync(dataDir) : [];
    const missing = expectedDataFiles().filter((name) => !built.some((f) => f.startsWith(`${name}.`) && f.endsWith('.json')));
    if (missing.length > 0) {
      throw new TerminalError(`report data loaders failed: ${missing.map((m) => `data/${m}.json`).join(', ')}`, { hint: 'run `pulse report --log-level debug` to see their errors' });
    }
    if (!existsSync(bundles) && existsSync(join(root, '.observablehq', 'cache', '_node'))) {
      const staged = `${bundles}.tmp-${token}`;
      cpSync(join(root, '.observablehq', 'cache', '_node'), staged, { recursive: true });
      try {
        renameSync(staged, bundles);
      } catch {
        rmSync(staged, { recursive: true, force: true }); // another build saved them first
      }
    }
    if (existsSync(out)) renameSync(out, old);
    renameSync(temp, out);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
  }
  const files = filesUnder(out);
  return {
    path: out,
    pages: files.filter((f) => f.path.endsWith('.html')).length,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    durationMs: Date.now() - started,
  };
}

/** Formats a byte count: 1.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Renders a report result for people. */
export function renderReport(result: ReportResult): string {
  return [
    `site built in ${duration(result.durationMs)}: ${result.pages} pages, ${result.files} files, ${formatBytes(result.bytes)} in total`,
    `  ${result.path}`,
    `serve the folder from any static host, e.g. \`python3 -m http.server -d ${result.path}\`; it needs no network`,
  ].join('\n');
}

/** Runs the report command; returns the exit code. */
export async function reportCommand(ctx: CommandContext, options: { out?: string } = {}): Promise<number> {
  const result = await buildReport({
    analyticsPath: ctx.config.warehouse.analyticsPath,
    out: options.out ? resolve(options.out) : defaultSiteDir(ctx.config.warehouse.path),
    log: ctx.log,
    freshness: freshnessSlas(ctx.config.jobs),
  });
  ctx.out(ctx.flags.json ? JSON.stringify({ status: 'succeeded', ...result }, null, 2) : renderReport(result));
  return 0;
}

/** The scheduler's `report` step: builds the site beside the warehouse from the analytics file the job published. */
export async function reportJobStep(ctx: { log: Logger; wh?: { path: string } }, options: { analyticsPath?: string; siteDir?: string; freshness?: FreshnessSlas }): Promise<{ detail: ReportResult }> {
  if (!options.analyticsPath) throw new TerminalError('the report step needs the analytics path from the config');
  const out = options.siteDir ?? defaultSiteDir(ctx.wh?.path ?? options.analyticsPath);
  const result = await buildReport({ analyticsPath: options.analyticsPath, out, log: ctx.log, ...(options.freshness ? { freshness: options.freshness } : {}) });
  return { detail: result };
}
