import type { Database } from 'sql.js';
import type { Migration } from './schema';
import { pragmaNumber } from './sqlite';

/**
 * Brings a database up to the newest schema. Migrations run inside the caller's transaction, so an upgrade either
 * happens completely or not at all; `PRAGMA user_version` is part of the same transaction and always names the last
 * migration applied. `meta_migrations` records when and by which app version each step ran, for support questions.
 */

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations[migrations.length - 1]?.version ?? 0;
}

/** A broken list is a programming error; catching it here beats half-migrating a user's project. */
export function assertValidMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`Migrations must have increasing positive integer versions; got ${m.version} after ${previous}`);
    }
    previous = m.version;
  }
}

export interface MigrationOutcome {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly Migration[];
}

/**
 * Applies every migration newer than the database's user_version. Must be called inside a transaction, on a
 * connection whose foreign keys are still off (the SQLite default; the store turns them on afterwards), so that a
 * migration can rebuild a referenced table the way https://www.sqlite.org/lang_altertable.html describes.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[], appVersion: string): MigrationOutcome {
  assertValidMigrations(migrations);
  const from = pragmaNumber(db, 'user_version');
  const pending = migrations.filter((m) => m.version > from);
  db.exec(`CREATE TABLE IF NOT EXISTS meta_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    app_version TEXT NOT NULL
  )`);
  for (const m of pending) {
    db.exec(m.sql);
    db.run('INSERT INTO meta_migrations (version, name, applied_at, app_version) VALUES (?, ?, ?, ?)', [
      m.version,
      m.name,
      new Date().toISOString(),
      appVersion,
    ]);
    // PRAGMA takes no bound parameters; the version is a checked integer.
    db.exec(`PRAGMA user_version = ${m.version}`);
  }
  return { from, to: pending.length > 0 ? latestVersion(migrations) : from, applied: pending };
}

/** Runs fn in BEGIN/COMMIT; on any error rolls back and rethrows, leaving the database as it was. */
export function inTransaction<T>(db: Database, fn: () => T): T {
  db.exec('BEGIN');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    rollbackQuietly(db);
    throw err;
  }
}

/** ROLLBACK fails when SQLite already ended the transaction itself (e.g. after some errors); that is fine. */
export function rollbackQuietly(db: Database): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // no transaction active
  }
}
