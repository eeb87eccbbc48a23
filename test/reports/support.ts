/**
 * Shared by the report tests: a published analytics file from a small sample-world demo (built
 * once per test file), and a static server for a built site on 127.0.0.1.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { demoCommand } from '../../jobs/commands/demo.ts';

/** The output of a demo run: its folder, the analytics file and the site. */
export interface DemoOutput {
  dir: string;
  analytics: string;
  site: string | null;
  /** Removes the demo's folder (unless it was reused from PULSE_TEST_DEMO_DIR). */
  cleanup(): void;
}

/**
 * Runs `pulse demo --scale 0.02` into a temp folder (or reuses `PULSE_TEST_DEMO_DIR` when set, to
 * iterate on pages without re-running the pipeline) and returns its outputs.
 */
export async function runSmallDemo(): Promise<DemoOutput> {
  const reuse = process.env['PULSE_TEST_DEMO_DIR'];
  if (reuse && existsSync(join(reuse, 'analytics.duckdb'))) {
    return { dir: reuse, analytics: join(reuse, 'analytics.duckdb'), site: existsSync(join(reuse, 'site')) ? join(reuse, 'site') : null, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pulse-report-'));
  let json = '';
  const code = await demoCommand({ json: true, logLevel: 'error', logFormat: 'text' }, { scale: 0.02, out: dir, serve: false }, (text) => (json += text));
  const summary = JSON.parse(json) as { analytics: string | null; site: string | null; steps: { step: string; status: string; detail?: unknown }[] };
  if (!summary.analytics) throw new Error(`the demo published no analytics file (exit ${code}): ${JSON.stringify(summary.steps.map((s) => [s.step, s.status]))}`);
  return { dir, analytics: summary.analytics, site: summary.site, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves `root` on 127.0.0.1; extensionless paths map to `.html` as Framework's links may omit it. */
export async function serveStatic(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = resolve(root);
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    let file = normalize(join(base, pathname));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    else if (!existsSync(file) && !extname(file)) file = `${file}.html`;
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}
