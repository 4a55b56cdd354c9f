import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { backupPathOf } from './atomic-write';

/**
 * The on-disk layout of a project. A project is a folder rather than a single file so that large artifacts (model
 * weights) sit next to the database as ordinary files instead of bloating it, and the whole thing can be copied,
 * zipped or backed up as one unit.
 *
 *   NAME.dnalm/
 *     project.sqlite        the database (replaced atomically on every save)
 *     project.sqlite.bak    the previous save
 *     artifacts/            model weights, prediction outputs ...
 *     project.lock          present while an app has the project open for writing
 */

export const PROJECT_EXTENSION = '.dnalm';
export const DB_FILE_NAME = 'project.sqlite';
export const ARTIFACTS_DIR_NAME = 'artifacts';

export interface ProjectFiles {
  readonly folder: string;
  readonly db: string;
  readonly backup: string;
  readonly artifacts: string;
}

export function projectFiles(folder: string): ProjectFiles {
  const db = path.join(folder, DB_FILE_NAME);
  return { folder, db, backup: backupPathOf(db), artifacts: path.join(folder, ARTIFACTS_DIR_NAME) };
}

/** `Genomes` -> `Genomes.dnalm`, so that the folder is recognisable as a project in a file manager. */
export function withProjectExtension(folder: string): string {
  const resolved = path.resolve(folder);
  return resolved.toLowerCase().endsWith(PROJECT_EXTENSION) ? resolved : resolved + PROJECT_EXTENSION;
}

export function defaultProjectName(folder: string): string {
  const base = path.basename(folder);
  return base.toLowerCase().endsWith(PROJECT_EXTENSION) ? base.slice(0, -PROJECT_EXTENSION.length) : base;
}

/** Kept before an upgrade so that a user can go back to the older app version with their data intact. */
export function preMigrationBackupPath(dbFile: string, fromVersion: number): string {
  return `${dbFile}.pre-v${fromVersion}.bak`;
}

/**
 * Accepts the project folder or the project.sqlite inside it (what a user picks in a file dialog filtered on
 * *.sqlite), and returns the folder. Throws PROJECT_NOT_FOUND / NOT_A_PROJECT when the path cannot be a project.
 */
export function resolveProjectFolder(input: string): string {
  const resolved = path.resolve(input);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    if (path.basename(resolved) === DB_FILE_NAME && fs.existsSync(path.dirname(resolved))) {
      return path.dirname(resolved); // project.sqlite itself missing: the folder check reports it (and looks for .bak)
    }
    throw new ApiError(
      'PROJECT_NOT_FOUND',
      `No project found at ${resolved}: the folder does not exist. It may have been moved, renamed or deleted, or it is ` +
        `on a drive that is not connected.`,
      { path: resolved },
    );
  }
  if (stat.isDirectory()) return resolved;
  if (path.basename(resolved) === DB_FILE_NAME) return path.dirname(resolved);
  throw new ApiError(
    'NOT_A_PROJECT',
    `${resolved} is a file, not a DNA LM Studio project. Choose the project folder (its name ends in ${PROJECT_EXTENSION}) ` +
      `or the ${DB_FILE_NAME} file inside it.`,
    { path: resolved },
  );
}
