import fs from 'node:fs';
import { ApiError } from '../../src-shared/api/errors';
import type { ProjectCounts, ProjectSummary } from '../../src-shared/api/dto';
import { errorCode, removeLeftoverTempFiles, writeFileAtomicSync } from './atomic-write';
import { loadProjectFile, projectNotFound } from './load-project-file';
import { applyMigrations, assertValidMigrations, inTransaction, latestVersion, rollbackQuietly } from './migrate';
import { ProjectLock } from './project-lock';
import {
  defaultProjectName,
  preMigrationBackupPath,
  projectFiles,
  resolveProjectFolder,
  withProjectExtension,
  type ProjectFiles,
} from './project-paths';
import { APPLICATION_ID, MIGRATIONS, type Migration } from './schema';
import { applyConnectionSettings, loadSqlJs, pragmaNumber, queryValue, type Database, type SqlJsStatic } from './sqlite';

/**
 * An open project. The database lives in memory (sql.js) and every committed change is written to disk at once as a
 * whole new file, atomically, with the previous file kept as project.sqlite.bak. There is no "unsaved changes" state:
 * what write() returned is on disk, and a crash loses at most the change being made.
 *
 * The Database handed to read()/write() callbacks is only valid during the call: a save reopens the connection
 * (sql.js `export()` closes it, which also frees prepared statements and custom functions), so do not keep it or
 * statements prepared on it, and never call `export()` or `close()` on it yourself.
 */

export interface CreateProjectOptions {
  readonly appVersion: string;
  /** Display name; by default the folder name without `.dnalm`. */
  readonly name?: string;
  readonly description?: string;
  readonly isDemo?: boolean;
  /** Tests only: the schema to create instead of the app's MIGRATIONS. */
  readonly migrations?: readonly Migration[];
}

export interface OpenProjectOptions {
  readonly appVersion: string;
  /** No lock is taken and nothing is ever written (an older project is upgraded in memory only). */
  readonly readOnly?: boolean;
  /** Tests only: the schema to upgrade to instead of the app's MIGRATIONS. */
  readonly migrations?: readonly Migration[];
}

export const SETTING_KEYS = {
  name: 'project.name',
  createdAt: 'project.createdAt',
  createdWithVersion: 'project.createdWithVersion',
  description: 'project.description',
  isDemo: 'project.isDemo',
} as const;

export class ProjectStore {
  /** The project folder (`NAME.dnalm`). */
  readonly path: string;
  readonly artifactsDir: string;
  readonly readOnly: boolean;
  private readonly files: ProjectFiles;
  private readonly SQL: SqlJsStatic;
  private db: Database;
  private lock: ProjectLock | null;
  private writeDepth = 0;
  private closed = false;

  private constructor(SQL: SqlJsStatic, files: ProjectFiles, db: Database, lock: ProjectLock | null, readOnly: boolean) {
    this.SQL = SQL;
    this.files = files;
    this.path = files.folder;
    this.artifactsDir = files.artifacts;
    this.db = db;
    this.lock = lock;
    this.readOnly = readOnly;
    applyConnectionSettings(db);
  }

  static async create(folderPath: string, opts: CreateProjectOptions): Promise<ProjectStore> {
    const migrations = opts.migrations ?? MIGRATIONS;
    assertValidMigrations(migrations);
    const SQL = await loadSqlJs();
    const files = projectFiles(withProjectExtension(folderPath));
    const folderExisted = assertUsableForNewProject(files.folder);

    fs.mkdirSync(files.artifacts, { recursive: true });
    let lock: ProjectLock | null = null;
    let db: Database | null = null;
    try {
      lock = ProjectLock.acquire(files.folder, opts.appVersion);
      const created = new SQL.Database();
      db = created;
      created.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      inTransaction(created, () => {
        applyMigrations(created, migrations, opts.appVersion);
        const settings: Record<string, unknown> = {
          [SETTING_KEYS.name]: opts.name ?? defaultProjectName(files.folder),
          [SETTING_KEYS.createdAt]: new Date().toISOString(),
          [SETTING_KEYS.createdWithVersion]: opts.appVersion,
          [SETTING_KEYS.description]: opts.description ?? '',
          [SETTING_KEYS.isDemo]: opts.isDemo ?? false,
        };
        for (const [key, value] of Object.entries(settings)) upsertSetting(created, key, value);
      });
      writeFileAtomicSync(files.db, created.export());
      return new ProjectStore(SQL, files, created, lock, false);
    } catch (err) {
      db?.close();
      lock?.release();
      removeHalfCreatedProject(files, folderExisted);
      throw err;
    }
  }

  static async open(folderPath: string, opts: OpenProjectOptions): Promise<ProjectStore> {
    const migrations = opts.migrations ?? MIGRATIONS;
    assertValidMigrations(migrations);
    const readOnly = opts.readOnly ?? false;
    const SQL = await loadSqlJs();
    const files = projectFiles(resolveProjectFolder(folderPath));
    // Checked before locking, so that pointing at an arbitrary folder does not create a lock file in it.
    if (!fs.existsSync(files.db) && !fs.existsSync(files.backup)) throw projectNotFound(files);

    // Lock first, then read: the file we vet is then the file we will write over, with no save of another app between.
    const lock = readOnly ? null : acquireLock(files.folder, opts.appVersion);
    let db: Database | null = null;
    try {
      const loaded = loadProjectFile(SQL, files, latestVersion(migrations));
      db = loaded.db;
      let mustSave = loaded.source === 'backup';

      if (loaded.userVersion < latestVersion(migrations)) {
        if (!readOnly) writeFileAtomicSync(preMigrationBackupPath(files.db, loaded.userVersion), loaded.bytes);
        const upgrading = db;
        try {
          inTransaction(upgrading, () => applyMigrations(upgrading, migrations, opts.appVersion));
        } catch (err) {
          throw new ApiError(
            'INTERNAL',
            `Could not upgrade the project ${files.folder} from format ${loaded.userVersion} to ` +
              `${latestVersion(migrations)} (${err instanceof Error ? err.message : String(err)}). The project file was ` +
              `not changed.`,
            { file: files.db },
          );
        }
        mustSave = true;
      }

      if (!readOnly) {
        removeLeftoverTempFiles(files.db); // debris of a save that was killed half-way; we hold the lock
        fs.mkdirSync(files.artifacts, { recursive: true });
        if (mustSave) writeFileAtomicSync(files.db, db.export(), { backup: true });
      }
      return new ProjectStore(SQL, files, db, lock, readOnly);
    } catch (err) {
      db?.close();
      lock?.release();
      throw err;
    }
  }

  /** Display name: the `project.name` setting, else the folder name without `.dnalm`. */
  get name(): string {
    const name = this.getSetting<unknown>(SETTING_KEYS.name);
    return typeof name === 'string' && name !== '' ? name : defaultProjectName(this.path);
  }

  get schemaVersion(): number {
    return pragmaNumber(this.openDb(), 'user_version');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  read<T>(fn: (db: Database) => T): T {
    return fn(this.openDb());
  }

  /**
   * The one place where changes are made: runs fn in a transaction, commits, and saves the file before returning.
   * If fn throws, everything it did is rolled back, nothing is saved, and the error is rethrown. A write() inside a
   * write() joins the outer transaction (as a savepoint, so an inner failure that the outer fn catches undoes only
   * the inner part); the file is saved once, when the outermost write() commits.
   * fn must be synchronous: sql.js is, and a transaction left open across an await would capture unrelated changes.
   */
  write<T>(fn: (db: Database) => T): T {
    const db = this.openDb();
    if (this.readOnly) {
      throw new ApiError('UNSUPPORTED', `The project ${this.path} was opened read-only; changes cannot be saved.`, {
        path: this.path,
      });
    }
    if (this.writeDepth > 0) return this.nestedWrite(db, fn);

    db.exec('BEGIN');
    this.writeDepth = 1;
    let result: T;
    try {
      result = fn(db);
      assertSynchronous(result);
      db.exec('COMMIT');
    } catch (err) {
      rollbackQuietly(db);
      throw err;
    } finally {
      this.writeDepth = 0;
    }
    this.save();
    return result;
  }

  private nestedWrite<T>(db: Database, fn: (db: Database) => T): T {
    const savepoint = `nested_write_${this.writeDepth}`;
    db.exec(`SAVEPOINT ${savepoint}`);
    this.writeDepth++;
    try {
      const result = fn(db);
      assertSynchronous(result);
      db.exec(`RELEASE ${savepoint}`);
      return result;
    } catch (err) {
      try {
        db.exec(`ROLLBACK TO ${savepoint}`);
        db.exec(`RELEASE ${savepoint}`);
      } catch {
        // SQLite already rolled the whole transaction back; the outer write() will notice at COMMIT.
      }
      throw err;
    } finally {
      this.writeDepth--;
    }
  }

  /**
   * Writes the committed in-memory database to disk. If that fails (disk full, drive unplugged), memory is reset to
   * what is on disk, so the caller's error really means "this change did not happen" and the two never disagree.
   */
  private save(): void {
    const bytes = this.db.export();
    applyConnectionSettings(this.db); // export() reopened the connection with default settings
    try {
      writeFileAtomicSync(this.files.db, bytes, { backup: true });
    } catch (err) {
      this.reloadFromDisk();
      throw new ApiError('INTERNAL', `Could not save the project to ${this.files.db}: ${explainWriteError(err)}`, {
        file: this.files.db,
        cause: errorCode(err) ?? null,
      });
    }
  }

  private reloadFromDisk(): void {
    try {
      const fresh = new this.SQL.Database(fs.readFileSync(this.files.db));
      this.db.close();
      this.db = fresh;
      applyConnectionSettings(fresh);
    } catch {
      // The disk copy is unreachable too; keep the in-memory state so that the next successful save stores it.
    }
  }

  summary(): ProjectSummary {
    const db = this.openDb();
    const count = (table: keyof ProjectCounts): number => Number(queryValue(db, `SELECT COUNT(*) FROM ${table}`) ?? 0);
    const text = (key: string): string => {
      const v = this.getSetting<unknown>(key);
      return typeof v === 'string' ? v : '';
    };
    return {
      path: this.path,
      name: this.name,
      schemaVersion: this.schemaVersion,
      createdAt: text(SETTING_KEYS.createdAt),
      createdWithVersion: text(SETTING_KEYS.createdWithVersion),
      isDemo: this.getSetting<unknown>(SETTING_KEYS.isDemo) === true,
      description: text(SETTING_KEYS.description),
      counts: {
        datasets: count('datasets'),
        runs: count('runs'),
        models: count('models'),
        predictions: count('predictions'),
        jobs: count('jobs'),
      },
    };
  }

  /** The parsed JSON value of a setting, or undefined. The type is the caller's claim, not checked. */
  getSetting<T>(key: string): T | undefined {
    const raw = queryValue(this.openDb(), 'SELECT value FROM settings WHERE key = ?', [key]);
    if (typeof raw !== 'string') return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  /** Stores value as JSON (saved at once); undefined removes the setting. */
  setSetting(key: string, value: unknown): void {
    this.write((db) => upsertSetting(db, key, value));
  }

  /** Releases the lock and frees the in-memory database. Safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      this.lock?.release();
      this.lock = null;
    }
  }

  private openDb(): Database {
    if (this.closed) throw new ApiError('NO_PROJECT', `The project ${this.path} has been closed.`, { path: this.path });
    return this.db;
  }
}

function upsertSetting(db: Database, key: string, value: unknown): void {
  const json = value === undefined ? undefined : JSON.stringify(value);
  if (json === undefined) {
    db.run('DELETE FROM settings WHERE key = ?', [key]);
  } else {
    db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [
      key,
      json,
    ]);
  }
}

/** A project on a read-only medium or in someone else's folder can still be looked at: say so. */
function acquireLock(folder: string, appVersion: string): ProjectLock {
  try {
    return ProjectLock.acquire(folder, appVersion);
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw err;
    throw new ApiError(
      'UNSUPPORTED',
      `Cannot open ${folder} for editing: DNA LM Studio may not create files in that folder (${code}). Open the ` +
        `project read-only, or copy the folder to a place where you can write.`,
      { path: folder, cause: code },
    );
  }
}

function assertSynchronous(result: unknown): void {
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
    throw new ApiError('INTERNAL', 'ProjectStore.write() callbacks must be synchronous (got a Promise).');
  }
}

/** Returns whether the folder already existed (then it is empty), after refusing anything that holds data. */
function assertUsableForNewProject(folder: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
  if (!stat.isDirectory()) {
    throw new ApiError('PROJECT_EXISTS', `Cannot create a project at ${folder}: a file with that name already exists.`, {
      path: folder,
    });
  }
  if (fs.readdirSync(folder).length > 0) {
    throw new ApiError(
      'PROJECT_EXISTS',
      `Cannot create a project at ${folder}: the folder already exists and is not empty. Open it instead, or choose ` +
        `another name.`,
      { path: folder },
    );
  }
  return true;
}

/** Undoes a failed create() without touching anything that was there before. */
function removeHalfCreatedProject(files: ProjectFiles, folderExisted: boolean): void {
  try {
    if (folderExisted) {
      fs.rmSync(files.db, { force: true });
      fs.rmdirSync(files.artifacts);
    } else {
      fs.rmSync(files.folder, { recursive: true, force: true });
    }
  } catch {
    // best effort: leftovers make the next create() say "not empty", which is still a clear message
  }
}

function explainWriteError(err: unknown): string {
  const code = errorCode(err);
  const text = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full. Free some space and try again; the change was not saved.';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `no permission to write there (${text}). The change was not saved.`;
    case 'ENOENT':
      return 'the project folder is gone (moved, deleted, or its drive was disconnected). The change was not saved.';
    default:
      return `${text}. The change was not saved.`;
  }
}
