import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { errorCode } from './atomic-write';

/**
 * One writer per project. sql.js holds the database in memory and saves whole files, so two apps writing the same
 * project would silently overwrite each other's work; the lock file turns that into a clear message instead.
 * The lock is advisory and lives next to the database so that it travels with the folder (USB stick, network share).
 */

export const LOCK_FILE_NAME = 'project.lock';

/** A lock whose content cannot be parsed is assumed to be mid-write for this long, then considered abandoned. */
export const UNPARSEABLE_LOCK_GRACE_MS = 10_000;

/** Allowance for clock adjustments when comparing a lock's creation time with the computer's boot time. */
const BOOT_TIME_MARGIN_MS = 5 * 60_000;

export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  readonly createdAt: string;
  readonly appVersion: string;
}

export class ProjectLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly info: LockInfo,
  ) {}

  /** Takes the lock of the project folder, taking over a stale one; throws PROJECT_LOCKED when someone holds it. */
  static acquire(folder: string, appVersion: string): ProjectLock {
    const file = path.join(folder, LOCK_FILE_NAME);
    // A few rounds: a stale lock we remove may be re-created by another app racing us, and then that one wins.
    for (let attempt = 0; attempt < 5; attempt++) {
      const info: LockInfo = { pid: process.pid, hostname: os.hostname(), createdAt: new Date().toISOString(), appVersion };
      if (tryCreate(file, info)) return new ProjectLock(file, info);

      let content: string;
      let mtimeMs: number;
      try {
        content = fs.readFileSync(file, 'utf8');
        mtimeMs = fs.statSync(file).mtimeMs;
      } catch (err) {
        if (errorCode(err) === 'ENOENT') continue; // released between our create and our read: try again
        throw err;
      }
      const holder = parseLock(content);
      if (holder === null) {
        if (Date.now() - mtimeMs < UNPARSEABLE_LOCK_GRACE_MS) {
          throw new ApiError(
            'PROJECT_LOCKED',
            `This project is being opened by another DNA LM Studio at this moment. Wait a few seconds and try again.`,
            { lockFile: file },
          );
        }
      } else if (!isStale(holder)) {
        throw lockedError(file, holder);
      }
      removeStale(file, content);
    }
    throw new ApiError('PROJECT_LOCKED', `Could not take the lock ${file}: other programs keep changing it. Try again.`, {
      lockFile: file,
    });
  }

  /** Removes the lock file if it is still ours (someone may have deleted it by hand and another app taken over). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const current = parseLock(fs.readFileSync(this.file, 'utf8'));
      if (current !== null && sameLock(current, this.info)) fs.unlinkSync(this.file);
    } catch {
      // Already gone, or the folder went away (unplugged drive): nothing left to release.
    }
  }
}

/** The current lock holder, or null when there is no (readable) lock. For messages and diagnostics. */
export function readLock(folder: string): LockInfo | null {
  try {
    return parseLock(fs.readFileSync(path.join(folder, LOCK_FILE_NAME), 'utf8'));
  } catch {
    return null;
  }
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx'); // exclusive create: of two apps racing, exactly one succeeds
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, JSON.stringify(info, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function parseLock(content: string): LockInfo | null {
  try {
    const v: unknown = JSON.parse(content);
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    if (typeof o['pid'] !== 'number' || !Number.isInteger(o['pid']) || typeof o['hostname'] !== 'string') return null;
    return {
      pid: o['pid'],
      hostname: o['hostname'],
      createdAt: typeof o['createdAt'] === 'string' ? o['createdAt'] : '',
      appVersion: typeof o['appVersion'] === 'string' ? o['appVersion'] : '',
    };
  } catch {
    return null;
  }
}

function sameLock(a: LockInfo, b: LockInfo): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.createdAt === b.createdAt;
}

/**
 * Only a lock from this computer can be judged: a process id means nothing on another host, so those locks are
 * always respected (the message tells the user what to do if that computer crashed).
 */
function isStale(lock: LockInfo): boolean {
  if (lock.hostname !== os.hostname()) return false;
  if (!isProcessAlive(lock.pid)) return true;
  // After a crash and reboot the old pid is often reused by some unrelated process; a lock written before the
  // computer last started cannot belong to a running app.
  const created = Date.parse(lock.createdAt);
  const bootedAt = Date.now() - os.uptime() * 1000;
  return Number.isFinite(created) && created < bootedAt - BOOT_TIME_MARGIN_MS;
}

export function isProcessAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return errorCode(err) !== 'ESRCH';
  }
}

/**
 * Moves the stale lock aside under a unique name before deleting it, then checks that what was moved is the lock we
 * judged stale. If another app replaced it in between (it took over first), its lock is put back and we lose the race.
 */
function removeStale(file: string, staleContent: string): void {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw err;
  }
  let moved: string | null = null;
  try {
    moved = fs.readFileSync(aside, 'utf8');
  } catch {
    // unreadable: it cannot be shown to be the stale one, so it goes back
  }
  if (moved !== staleContent) {
    try {
      fs.linkSync(aside, file); // fails harmlessly if yet another lock appeared meanwhile
    } catch {
      // nothing to restore into
    }
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    // best effort
  }
}

function lockedError(file: string, holder: LockInfo): ApiError {
  const here = holder.hostname === os.hostname();
  const where = here ? `on this computer (${holder.hostname})` : `on the computer "${holder.hostname}"`;
  const since = holder.createdAt === '' ? '' : `, since ${holder.createdAt}`;
  const message = here
    ? `This project is already open in DNA LM Studio ${where}, process ${holder.pid}${since}. ` +
      `Switch to that window, or close the project there first. If no DNA LM Studio is running, delete the file ` +
      `${file} and open the project again.`
    : `This project is open in DNA LM Studio ${where} (process ${holder.pid}${since}). Close it there first; if that ` +
      `computer crashed or the app is no longer running there, delete the file ${file} and open the project again.`;
  return new ApiError('PROJECT_LOCKED', message, {
    lockFile: file,
    pid: holder.pid,
    hostname: holder.hostname,
    createdAt: holder.createdAt,
    appVersion: holder.appVersion,
  });
}
