import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSession, type StudioSession } from './session';

const root = path.resolve(__dirname, '../../..');

/** Runs `bin/dnalm.cjs` (with the caller's environment); throws with its stderr when it fails. */
export function dnalm(...args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dnalm ${args.join(' ')} failed: ${r.stderr}`);
}

export interface CliProject {
  /** Prefix of the temporary folder, e.g. `dnalm-e2e-train-`. */
  readonly tmpPrefix: string;
  /** The project's name: `<tmp>/<name>.dnalm`, and what the status bar shows once it is open. */
  readonly name: string;
  /** The `dnalm dataset import` arguments after the project path; `tmp` is the session's folder, for inputs written there. */
  importArgs(tmp: string): string[];
}

/**
 * A project created and filled with the CLI before the app starts, then a session (see `startSession`) with it open:
 * the temporary folder holds the project and the host's per-user folder, and is removed by `close()`.
 */
export async function startSessionWithProject(spec: CliProject): Promise<StudioSession> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), spec.tmpPrefix));
  const project = path.join(tmp, `${spec.name}.dnalm`);
  dnalm('project', 'create', project);
  dnalm('dataset', 'import', project, ...spec.importArgs(tmp));
  const session = await startSession(tmp);
  const { studio } = session;
  await studio.byTestId('open-project-path').fill(project);
  await studio.byTestId('open-project-submit').click();
  await studio.byTestId('status-project').filter({ hasText: spec.name }).waitFor();
  return session;
}
