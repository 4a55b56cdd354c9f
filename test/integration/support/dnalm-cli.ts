import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../../..');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type DnalmCli = (...args: string[]) => CliResult;

/** Runs `bin/dnalm.cjs` with `DNALM_HOME` set to `home`, each call ended after `timeoutMs`; exit code and output. */
export function dnalmCli(home: string, timeoutMs: number): DnalmCli {
  return (...args) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/dnalm.cjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DNALM_HOME: home },
      timeout: timeoutMs,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}
