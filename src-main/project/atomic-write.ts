import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Crash-safe file replacement. The new contents go to a temporary file in the same folder (so the final rename stays on
 * one filesystem and is atomic), are flushed to disk, and only then renamed over the target. A crash, a kill -9 or a
 * full disk at any point leaves either the old file or the new one in place, never a missing or half-written one.
 */

export interface AtomicWriteOptions {
  /** Keep exactly one `<name>.bak` with the contents the target had before this write. */
  readonly backup?: boolean;
}

const TEMP_MARKER = '.tmp-';

export function backupPathOf(file: string): string {
  return `${file}.bak`;
}

/** `<name>.tmp-<pid>-<random>`: the pid tells a human whose save it was; the random part keeps writers apart. */
function tempPathFor(file: string, suffix = ''): string {
  return `${file}${TEMP_MARKER}${process.pid}-${crypto.randomBytes(6).toString('hex')}${suffix}`;
}

export function writeFileAtomicSync(file: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): void {
  const temp = tempPathFor(file);
  try {
    writeAndFlush(temp, data);
    if (options.backup === true) replaceBackup(file);
    renameWithRetry(temp, file);
  } catch (err) {
    removeQuietly(temp);
    throw err;
  }
  fsyncFolder(path.dirname(file));
}

/** Writes a new file (never an existing one) and fsyncs it before returning. */
export function writeAndFlush(file: string, data: Uint8Array | string): void {
  // 'wx': never follow or reuse something that already has this (random) name.
  const fd = fs.openSync(file, 'wx');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    // Without the fsync the rename could reach the disk before the data does, and a power cut would leave an empty
    // file under the final name (the classic ext4/XFS zero-length-file problem).
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Points `<name>.bak` at the current contents of the target. A hard link costs nothing (the bytes are already on disk
 * and stay there under the backup name once the target is replaced); filesystems without hard links (FAT, some
 * network shares) get a copy instead. The link/copy is made under a temp name and renamed, so `.bak` itself is also
 * never half-written.
 */
function replaceBackup(file: string): void {
  const backupTemp = tempPathFor(file, '.bak');
  try {
    try {
      fs.linkSync(file, backupTemp);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT') return; // first save: nothing to back up yet
      if (code === 'EEXIST') throw err;
      // EPERM, ENOTSUP, EXDEV, EMLINK, ENOSYS...: hard links not available here.
      fs.copyFileSync(file, backupTemp, fs.constants.COPYFILE_EXCL);
      const fd = fs.openSync(backupTemp, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    renameWithRetry(backupTemp, backupPathOf(file));
  } catch (err) {
    removeQuietly(backupTemp);
    throw err;
  }
}

/**
 * On Windows a rename over a file that a virus scanner or indexer has just opened fails for a moment with
 * EPERM/EACCES/EBUSY; retrying briefly is what npm, git and others do. Elsewhere the first error is final.
 */
function renameWithRetry(from: string, to: string): void {
  const retryable = process.platform === 'win32' ? ['EPERM', 'EACCES', 'EBUSY'] : [];
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (err) {
      if (attempt >= 10 || !retryable.includes(errorCode(err) ?? '')) throw err;
      sleepSync(20 * (attempt + 1));
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Makes the rename itself durable. Some platforms cannot open or fsync a folder (Windows: EISDIR/EPERM; some network
 * and FUSE filesystems: EINVAL/ENOTSUP); there the rename is as durable as the OS makes it and we carry on.
 */
function fsyncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF'].includes(errorCode(err) ?? '')) throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Removes `<name>.tmp-*` files left behind by a save that was killed half-way. Only call this while holding the
 * project lock: then no other process can be in the middle of a save to the same file.
 * Returns the paths it removed.
 */
export function removeLeftoverTempFiles(file: string): string[] {
  const folder = path.dirname(file);
  const prefix = path.basename(file) + TEMP_MARKER;
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const full = path.join(folder, name);
    if (removeQuietly(full)) removed.push(full);
  }
  return removed;
}

function removeQuietly(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
