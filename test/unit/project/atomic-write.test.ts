import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupPathOf, removeLeftoverTempFiles, writeFileAtomicSync } from '../../../src-main/project/atomic-write';
import { makeTempDir } from '../../integration/project/helpers';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = makeTempDir('dnalm-atomic-');
});
afterEach(() => {
  vi.restoreAllMocks();
  tmp.cleanup();
});

const listing = (): string[] => fs.readdirSync(tmp.dir).sort();

describe('writeFileAtomicSync', () => {
  it('writes the new contents and leaves no temporary file behind', () => {
    const file = path.join(tmp.dir, 'data.bin');
    writeFileAtomicSync(file, new Uint8Array([1, 2, 3]));
    writeFileAtomicSync(file, 'second');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(listing()).toEqual(['data.bin']);
  });

  it('keeps exactly one .bak holding the previous contents', () => {
    const file = path.join(tmp.dir, 'project.sqlite');
    writeFileAtomicSync(file, 'v1', { backup: true }); // nothing to back up yet
    expect(listing()).toEqual(['project.sqlite']);
    writeFileAtomicSync(file, 'v2', { backup: true });
    writeFileAtomicSync(file, 'v3', { backup: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('v3');
    expect(fs.readFileSync(backupPathOf(file), 'utf8')).toBe('v2');
    expect(listing()).toEqual(['project.sqlite', 'project.sqlite.bak']);
  });

  it('falls back to copying when the filesystem has no hard links', () => {
    const file = path.join(tmp.dir, 'project.sqlite');
    writeFileAtomicSync(file, 'old');
    const link = vi.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    });
    writeFileAtomicSync(file, 'new', { backup: true });
    expect(link).toHaveBeenCalled();
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readFileSync(backupPathOf(file), 'utf8')).toBe('old');
    expect(listing()).toEqual(['project.sqlite', 'project.sqlite.bak']);
  });

  it('leaves the old file complete and cleans up when the final rename fails', () => {
    const file = path.join(tmp.dir, 'project.sqlite');
    writeFileAtomicSync(file, 'old');
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => writeFileAtomicSync(file, 'new', { backup: true })).toThrow(/no space/);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(listing()).toEqual(['project.sqlite']);
  });

  it('leaves the old file complete when the data cannot be written', () => {
    const file = path.join(tmp.dir, 'project.sqlite');
    writeFileAtomicSync(file, 'old');
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('i/o error'), { code: 'EIO' });
    });
    expect(() => writeFileAtomicSync(file, 'new')).toThrow(/i\/o error/);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(listing()).toEqual(['project.sqlite']);
  });
});

describe('removeLeftoverTempFiles', () => {
  it("removes only the temp files of that file's interrupted saves", () => {
    const file = path.join(tmp.dir, 'project.sqlite');
    fs.writeFileSync(file, 'db');
    for (const name of ['project.sqlite.tmp-123-abc', 'project.sqlite.tmp-9-ff.bak', 'other.tmp-1-2', 'project.sqlite.bak']) {
      fs.writeFileSync(path.join(tmp.dir, name), 'x');
    }
    const removed = removeLeftoverTempFiles(file).map((f) => path.basename(f)).sort();
    expect(removed).toEqual(['project.sqlite.tmp-123-abc', 'project.sqlite.tmp-9-ff.bak']);
    expect(listing()).toEqual(['other.tmp-1-2', 'project.sqlite', 'project.sqlite.bak']);
  });
});
