/**
 * Runs the real `pulse` CLI as a child process, for end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Absolute path of the CLI entry. */
export const PULSE_BIN = resolve(import.meta.dirname, '../../bin/pulse.js');

/** The outcome of one CLI run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `pulse ARGS` and returns the child (for tests that kill it). */
export function spawnPulse(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [PULSE_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, CI: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `pulse ARGS` to completion. */
export function runPulse(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const child = spawnPulse(args, options);
  return collect(child);
}

/** Collects a child's output and exit. */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise) => child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })));
}

/** Writes a config file exporting `config` and returns its path. */
export function writeConfig(dir: string, config: unknown, name = 'pulse.config.ts'): string {
  const file = join(dir, name);
  writeFileSync(file, `export default ${JSON.stringify(config, null, 2)};\n`);
  return file;
}
