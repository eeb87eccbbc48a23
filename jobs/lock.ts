/**
 * One job writer per warehouse: `pulse schedule` and `pulse run` hold `<warehouse>.lock`, a JSON
 * file `{pid, startedAt, hostname, command}` created atomically (O_EXCL), for as long as they run.
 * A lock left by a process that no longer exists on this host is taken over with a warning; a
 * live holder makes the caller fail with a `TransientError` naming it (exit code 75).
 *
 * The DuckDB file lock only covers the moments a file is open; the scheduler keeps the warehouse
 * closed between runs (so analysts and `pulse status` can read it), hence this longer-lived lock.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname as osHostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TransientError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  startedAt: string;
  hostname: string;
  command: string;
}

/** A held lock. */
export interface WarehouseLock {
  readonly path: string;
  readonly info: LockInfo;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

/** Options for `acquireWarehouseLock`; the process facts are injectable for tests. */
export interface LockOptions {
  command: string;
  log: Logger;
  pid?: number;
  hostname?: string;
  now?: () => Date;
  isAlive?: (pid: number) => boolean;
}

/** Where the lock of a warehouse lives: next to a local file; under the temp folder for md:/s3 paths. */
export function lockPathFor(warehousePath: string): string {
  if (warehousePath.startsWith('md:') || warehousePath.includes('://')) {
    // A remote warehouse has no folder of ours; this only keeps two schedulers on one machine apart.
    return join(tmpdir(), `pulse-${warehousePath.replace(/[^A-Za-z0-9_.-]+/g, '_')}.lock`);
  }
  return `${resolve(warehousePath)}.lock`;
}

/** Tells whether a process with `pid` exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Reads a lock file; undefined when it is gone, `null` when it is unreadable (half-written). */
export function readLock(path: string): LockInfo | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockInfo>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, startedAt: String(parsed.startedAt), hostname: String(parsed.hostname), command: String(parsed.command) } : null;
  } catch {
    return null;
  }
}

/** Takes the warehouse's job lock, recovering a stale one; throws a `TransientError` naming a live holder. */
export function acquireWarehouseLock(warehousePath: string, options: LockOptions): WarehouseLock {
  const path = lockPathFor(warehousePath);
  const isAlive = options.isAlive ?? isProcessAlive;
  const info: LockInfo = {
    pid: options.pid ?? process.pid,
    startedAt: (options.now?.() ?? new Date()).toISOString(),
    hostname: options.hostname ?? osHostname(),
    command: options.command,
  };
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, info)) return held(path, info);
    const holder = readLock(path);
    if (holder === undefined) continue; // released between our two calls: try again
    if (holder === null) {
      // A crash between create and write leaves an empty file; it cannot belong to a live writer
      // for long, but a writer may be between those two calls right now, so look once more.
      if (attempt === 0) continue;
      options.log.warn('removing an unreadable warehouse lock file', { lock: path });
      takeOver(path, null);
      continue;
    }
    const sameHost = holder.hostname === info.hostname;
    if (sameHost && holder.pid !== info.pid && !isAlive(holder.pid)) {
      options.log.warn('recovering a stale warehouse lock: its process is gone', { lock: path, pid: holder.pid, command: holder.command, since: holder.startedAt });
      takeOver(path, holder);
      continue;
    }
    throw new TransientError(
      `warehouse ${warehousePath} is in use by \`pulse ${holder.command}\` (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt})`,
      {
        context: { file: path },
        hint: sameHost
          ? `only one scheduler or job run may write a warehouse: stop that process (kill ${holder.pid}) or wait for it to finish`
          : `that process runs on another machine; stop it there, or delete ${path} if you are sure it is gone`,
      },
    );
  }
  throw new TransientError(`could not take the warehouse lock ${path}: other processes keep taking and releasing it`, { context: { file: path }, hint: 'try again' });
}

/** Creates the lock file only if none exists (O_EXCL); true when it is ours. */
function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside. Renaming is atomic, so of two processes recovering the same stale lock
 * one wins; the loser may have renamed the winner's fresh lock instead, so it checks what it moved
 * and puts back anything that is not the stale lock it judged.
 */
function takeOver(path: string, stale: LockInfo | null): void {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readLock(aside);
  const same = stale === null ? moved === null : moved != null && moved.pid === stale.pid && moved.startedAt === stale.startedAt;
  if (!same && !existsSync(path)) {
    renameSync(aside, path);
    return;
  }
  try {
    unlinkSync(aside);
  } catch {
    // Leaving a renamed stale file behind is harmless.
  }
}

function held(path: string, info: LockInfo): WarehouseLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const current = readLock(path);
    // Only remove our own lock: after a takeover the file may belong to someone else.
    if (current && current.pid === info.pid && current.startedAt === info.startedAt) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  };
  // A crash that still runs exit handlers releases the lock; SIGKILL leaves it stale, and the
  // next process recovers it.
  process.on('exit', release);
  return { path, info, release };
}
