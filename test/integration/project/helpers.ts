import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ApiError, type ErrorCode } from '../../../src-shared/api/errors';

/** A fresh temporary folder per test, removed again by the returned cleanup. */
export function makeTempDir(prefix = 'dnalm-project-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Awaits a promise or calls a function that must fail with an ApiError of this code, and returns the error. */
export async function expectApiError(action: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<ApiError> {
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ApiError ${code}`).toBeInstanceOf(ApiError);
  const err = caught as ApiError;
  expect(err.code, err.message).toBe(code);
  return err;
}

/** A pid that certainly belonged to a process that has exited. */
export async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  if (pid === undefined) throw new Error('child process has no pid');
  return pid;
}
