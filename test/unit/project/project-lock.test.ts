import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, ProjectLock, readLock } from '../../../src-main/project/project-lock';
import { deadPid, expectApiError, makeTempDir } from '../../integration/project/helpers';

let tmp: { dir: string; cleanup: () => void };
let lockFile: string;
beforeEach(() => {
  tmp = makeTempDir('dnalm-lock-');
  lockFile = path.join(tmp.dir, LOCK_FILE_NAME);
});
afterEach(() => tmp.cleanup());

function writeLock(content: object | string, ageMs = 0): void {
  fs.writeFileSync(lockFile, typeof content === 'string' ? content : JSON.stringify(content));
  if (ageMs > 0) {
    const t = (Date.now() - ageMs) / 1000;
    fs.utimesSync(lockFile, t, t);
  }
}

describe('ProjectLock', () => {
  it('writes who holds the lock and removes it on release', () => {
    const lock = ProjectLock.acquire(tmp.dir, '1.2.3');
    const info = readLock(tmp.dir);
    expect(info).toMatchObject({ pid: process.pid, hostname: os.hostname(), appVersion: '1.2.3' });
    expect(Date.parse(info?.createdAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    lock.release();
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('refuses while a live process on this computer holds it', async () => {
    const first = ProjectLock.acquire(tmp.dir, '1');
    const err = await expectApiError(() => ProjectLock.acquire(tmp.dir, '1'), 'PROJECT_LOCKED');
    expect(err.message).toContain(`process ${process.pid}`);
    expect(err.details).toMatchObject({ pid: process.pid, hostname: os.hostname(), lockFile });
    first.release();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    writeLock({ pid: await deadPid(), hostname: os.hostname(), createdAt: new Date().toISOString(), appVersion: '0.9' });
    const lock = ProjectLock.acquire(tmp.dir, '1');
    expect(readLock(tmp.dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock written before this computer last started, even if its pid is in use again', () => {
    const beforeBoot = new Date(Date.now() - os.uptime() * 1000 - 3_600_000).toISOString();
    writeLock({ pid: process.ppid, hostname: os.hostname(), createdAt: beforeBoot, appVersion: '0.9' });
    ProjectLock.acquire(tmp.dir, '1').release();
  });

  it('respects a lock from another computer even when the pid means nothing here', async () => {
    const content = JSON.stringify({ pid: await deadPid(), hostname: 'sequencer-pc', createdAt: '2020-01-01T00:00:00Z', appVersion: '0.9' });
    writeLock(content);
    const err = await expectApiError(() => ProjectLock.acquire(tmp.dir, '1'), 'PROJECT_LOCKED');
    expect(err.message).toContain('"sequencer-pc"');
    expect(err.message).toMatch(/Close it there first; if that computer crashed/);
    expect(err.message).toContain(lockFile);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(content);
  });

  it('treats unreadable content as a lock being written for 10 s, then as abandoned', async () => {
    writeLock('{"pid": 12');
    await expectApiError(() => ProjectLock.acquire(tmp.dir, '1'), 'PROJECT_LOCKED');
    writeLock('{"pid": 12', 11_000);
    const lock = ProjectLock.acquire(tmp.dir, '1');
    expect(readLock(tmp.dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('does not remove a lock that is no longer its own', () => {
    const lock = ProjectLock.acquire(tmp.dir, '1');
    const other = JSON.stringify({ pid: 1, hostname: 'elsewhere', createdAt: new Date().toISOString(), appVersion: '1' });
    fs.writeFileSync(lockFile, other);
    lock.release();
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(other);
  });

  it('leaves no debris from a takeover', async () => {
    writeLock({ pid: await deadPid(), hostname: os.hostname(), createdAt: new Date().toISOString(), appVersion: '0.9' });
    ProjectLock.acquire(tmp.dir, '1').release();
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });
});
