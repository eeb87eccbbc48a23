import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../core/errors.ts';
import { acquireWarehouseLock, lockPathFor, readLock } from '../../../jobs/lock.ts';
import { memoryLogger } from './helpers.ts';

function warehouse(): string {
  return join(mkdtempSync(join(tmpdir(), 'pulse-lock-')), 'warehouse.duckdb');
}

/** Starts a plain node process that creates the lock file itself (O_EXCL) and then idles until killed. */
async function childHoldingLock(lockPath: string) {
  const script = `
    const fs = require('node:fs'); const os = require('node:os');
    const fd = fs.openSync(process.argv[1], 'wx');
    fs.writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), hostname: os.hostname(), command: 'schedule' }));
    fs.closeSync(fd);
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script, lockPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

describe('warehouse job lock', () => {
  it('is created atomically with pid, start time, host and command, and released on release()', () => {
    const wh = warehouse();
    const lock = acquireWarehouseLock(wh, { command: 'schedule', log: memoryLogger() });
    expect(lock.path).toBe(`${wh}.lock`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual({ pid: process.pid, startedAt: lock.info.startedAt, hostname: hostname(), command: 'schedule' });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lock.release(); // twice is fine
  });

  it('refuses a second holder while the first is alive, naming its pid (a second scheduler in another process)', async () => {
    const wh = warehouse();
    const child = await childHoldingLock(lockPathFor(wh));
    try {
      let error: unknown;
      try {
        acquireWarehouseLock(wh, { command: 'schedule', log: memoryLogger() });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TransientError); // exit code 75
      expect((error as Error).message).toContain(`is in use by \`pulse schedule\` (pid ${child.pid} on ${hostname()}`);
      expect((error as TransientError).hint).toBe(`only one scheduler or job run may write a warehouse: stop that process (kill ${child.pid}) or wait for it to finish`);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    // SIGKILL ran no exit handler: the lock file is left behind with a dead pid, and is recovered.
    expect(readLock(lockPathFor(wh))?.pid).toBe(child.pid);
    const log = memoryLogger();
    const lock = acquireWarehouseLock(wh, { command: 'run nightly', log });
    expect(readLock(lock.path)).toMatchObject({ pid: process.pid, command: 'run nightly' });
    expect(log.lines.join('\n')).toMatch(new RegExp(`WARN recovering a stale warehouse lock: its process is gone .*pid=${child.pid} command=schedule`));
    lock.release();
  });

  it('refuses within one process too, and release() leaves someone else’s lock alone', () => {
    const wh = warehouse();
    const first = acquireWarehouseLock(wh, { command: 'schedule', log: memoryLogger() });
    expect(() => acquireWarehouseLock(wh, { command: 'schedule', log: memoryLogger() })).toThrow(`(pid ${process.pid}`);
    // Someone took it over (e.g. after deciding ours was stale): our release must not delete theirs.
    writeFileSync(first.path, JSON.stringify({ pid: 999_999, startedAt: 'x', hostname: hostname(), command: 'schedule' }));
    first.release();
    expect(readLock(first.path)?.pid).toBe(999_999);
  });

  it('recovers a lock with a dead pid, and an empty (half-written) lock file', () => {
    const wh = warehouse();
    const path = lockPathFor(wh);
    writeFileSync(path, JSON.stringify({ pid: 4_000_000, startedAt: '2026-01-01T00:00:00.000Z', hostname: hostname(), command: 'schedule' }));
    const lock = acquireWarehouseLock(wh, { command: 'schedule', log: memoryLogger(), isAlive: () => false });
    lock.release();
    writeFileSync(path, '');
    const log = memoryLogger();
    acquireWarehouseLock(wh, { command: 'schedule', log }).release();
    expect(log.lines.join('\n')).toMatch(/removing an unreadable warehouse lock file/);
  });

  it('does not take over a lock from another host (its pid means nothing here)', () => {
    const wh = warehouse();
    writeFileSync(lockPathFor(wh), JSON.stringify({ pid: 4_000_000, startedAt: '2026-01-01T00:00:00.000Z', hostname: 'elsewhere', command: 'schedule' }));
    expect(() => acquireWarehouseLock(wh, { command: 'schedule', log: memoryLogger(), isAlive: () => false })).toThrow(/pid 4000000 on elsewhere/);
  });
});
