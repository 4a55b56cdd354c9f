import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { errorCode } from './atomic-write';
import { DB_FILE_NAME, PROJECT_EXTENSION, type ProjectFiles } from './project-paths';
import { APPLICATION_ID } from './schema';
import { hasSqliteMagic, queryValue, quickCheck, readSqliteHeader, type Database, type SqlJsStatic } from './sqlite';

/**
 * Reads and vets a project database before anything is allowed to write to it. Everything here only reads: a file
 * that is rejected (someone else's database, a damaged file, one from a newer app) is left byte-for-byte as it was,
 * and the error message says what the file is and what the user can do about it.
 */

export type Verdict =
  | { readonly ok: true; readonly db: Database; readonly userVersion: number }
  | { readonly ok: false; readonly code: 'NOT_A_PROJECT' | 'PROJECT_CORRUPT' | 'PROJECT_TOO_NEW'; readonly reason: string };

/** Classifies database bytes. On success the caller owns (and must eventually close) the returned Database. */
export function examineProjectBytes(SQL: SqlJsStatic, bytes: Uint8Array, newestKnownVersion: number): Verdict {
  if (bytes.length === 0) return { ok: false, code: 'PROJECT_CORRUPT', reason: 'the file is empty' };
  const header = readSqliteHeader(bytes);
  if (header === null) {
    return hasSqliteMagic(bytes)
      ? { ok: false, code: 'PROJECT_CORRUPT', reason: `the file is cut short, only ${bytes.length} bytes are left` }
      : { ok: false, code: 'NOT_A_PROJECT', reason: 'it is not an SQLite database at all' };
  }
  // The application id sits in the header, so another program's database is recognised even if it is damaged too.
  if (header.applicationId !== APPLICATION_ID) {
    const reason =
      header.applicationId === 0
        ? 'it is an SQLite database without the DNA LM Studio marker, probably one made by another program'
        : `it is an SQLite database made by another program (application id 0x${header.applicationId.toString(16)})`;
    return { ok: false, code: 'NOT_A_PROJECT', reason };
  }

  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (err) {
    return { ok: false, code: 'PROJECT_CORRUPT', reason: describe(err) };
  }
  const problem = quickCheck(db);
  if (problem !== null) {
    db.close();
    return { ok: false, code: 'PROJECT_CORRUPT', reason: `SQLite reports: ${problem}` };
  }
  if (header.userVersion > newestKnownVersion) {
    const madeBy = lastMigratedBy(db);
    db.close();
    return {
      ok: false,
      code: 'PROJECT_TOO_NEW',
      reason:
        `it uses project format ${header.userVersion}${madeBy === null ? '' : ` (saved by DNA LM Studio ${madeBy})`}, ` +
        `and this version of DNA LM Studio only knows formats up to ${newestKnownVersion}`,
    };
  }
  return { ok: true, db, userVersion: header.userVersion };
}

function lastMigratedBy(db: Database): string | null {
  try {
    const v = queryValue(db, 'SELECT app_version FROM meta_migrations ORDER BY version DESC LIMIT 1');
    return typeof v === 'string' && v !== '' ? v : null;
  } catch {
    return null;
  }
}

export interface LoadedProjectFile {
  readonly db: Database;
  /** The bytes the database was loaded from (kept for the pre-migration copy). */
  readonly bytes: Uint8Array;
  readonly userVersion: number;
  /** 'backup' when project.sqlite was missing and project.sqlite.bak was used: the caller should save it back. */
  readonly source: 'main' | 'backup';
}

/**
 * Loads project.sqlite, or project.sqlite.bak when the main file is missing (a crash between the two renames of a
 * save on a filesystem that does not order them). A damaged main file is never silently replaced by the backup: the
 * user is told that the backup exists and how to use it, because they may prefer to rescue the damaged file first.
 */
export function loadProjectFile(SQL: SqlJsStatic, files: ProjectFiles, newestKnownVersion: number): LoadedProjectFile {
  const main = readIfExists(files.db);
  if (main !== null) {
    const verdict = examineProjectBytes(SQL, main, newestKnownVersion);
    if (verdict.ok) return { db: verdict.db, bytes: main, userVersion: verdict.userVersion, source: 'main' };
    throw rejection(SQL, files, files.db, verdict, newestKnownVersion);
  }

  const backup = readIfExists(files.backup);
  if (backup === null) throw projectNotFound(files);
  const verdict = examineProjectBytes(SQL, backup, newestKnownVersion);
  if (verdict.ok) return { db: verdict.db, bytes: backup, userVersion: verdict.userVersion, source: 'backup' };
  throw new ApiError(
    verdict.code,
    `The project file ${files.db} is missing, and its backup ${path.basename(files.backup)} cannot be used: ` +
      `${verdict.reason}. Both were left untouched. Restore the folder ${files.folder} from your own backups, if any.`,
    { file: files.db, backupFile: files.backup, backupUsable: false },
  );
}

export function projectNotFound(files: ProjectFiles): ApiError {
  return new ApiError(
    'PROJECT_NOT_FOUND',
    `${files.folder} does not contain a DNA LM Studio project: there is no ${DB_FILE_NAME} inside. Choose the project ` +
      `folder (its name ends in ${PROJECT_EXTENSION}).`,
    { path: files.folder },
  );
}

function rejection(
  SQL: SqlJsStatic,
  files: ProjectFiles,
  file: string,
  verdict: Extract<Verdict, { ok: false }>,
  newestKnownVersion: number,
): ApiError {
  switch (verdict.code) {
    case 'NOT_A_PROJECT':
      return new ApiError(
        'NOT_A_PROJECT',
        `${file} is not a DNA LM Studio project file: ${verdict.reason}. Nothing was changed in it. Choose a project ` +
          `folder created by DNA LM Studio (its name ends in ${PROJECT_EXTENSION}).`,
        { file },
      );
    case 'PROJECT_TOO_NEW':
      return new ApiError(
        'PROJECT_TOO_NEW',
        `The project ${files.folder} was saved by a newer version of DNA LM Studio: ${verdict.reason}. Update ` +
          `DNA LM Studio to open it. The project was left untouched.`,
        { file },
      );
    case 'PROJECT_CORRUPT': {
      const backup = describeBackup(SQL, files, newestKnownVersion);
      return new ApiError(
        'PROJECT_CORRUPT',
        `The project file ${file} is damaged and cannot be opened (${verdict.reason}). It was left untouched. ` +
          backup.advice,
        { file, backupFile: files.backup, backupExists: backup.exists, backupUsable: backup.usable },
      );
    }
  }
}

function describeBackup(
  SQL: SqlJsStatic,
  files: ProjectFiles,
  newestKnownVersion: number,
): { exists: boolean; usable: boolean; advice: string } {
  const bakName = path.basename(files.backup);
  const bytes = readIfExists(files.backup);
  if (bytes === null) {
    return {
      exists: false,
      usable: false,
      advice: `There is no backup copy (${bakName}) in the project folder; restore the folder from your own backups, if any.`,
    };
  }
  const verdict = examineProjectBytes(SQL, bytes, newestKnownVersion);
  if (!verdict.ok) {
    return {
      exists: true,
      usable: false,
      advice:
        `The backup copy ${bakName} next to it cannot be used either (${verdict.reason}); restore the folder from your ` +
        `own backups, if any.`,
    };
  }
  verdict.db.close();
  let savedAt = '';
  try {
    savedAt = ` (saved ${fs.statSync(files.backup).mtime.toISOString()})`;
  } catch {
    // the date is only a courtesy
  }
  return {
    exists: true,
    usable: true,
    advice:
      `The backup copy ${bakName}${savedAt} is readable; it holds the project as it was one save earlier, so only the ` +
      `last change is missing from it. To use it: close DNA LM Studio, rename ${DB_FILE_NAME} to ` +
      `${DB_FILE_NAME}.damaged, rename ${bakName} to ${DB_FILE_NAME}, and open the project again.`,
  };
}

function readIfExists(file: string): Uint8Array | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'EISDIR') return null;
    throw new ApiError('INTERNAL', `Could not read ${file} (${describe(err)}). Check that you are allowed to read it.`, {
      file,
      cause: code ?? null,
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
