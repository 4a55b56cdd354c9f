import path from 'node:path';
import initSqlJs, { type Database, type SqlJsConfig, type SqlJsStatic, type SqlValue } from 'sql.js';

export type { Database, SqlJsStatic };

/**
 * sql.js keeps the whole database in wasm memory and knows nothing about files: the project layer reads the file,
 * hands the bytes to sql.js, and writes `db.export()` back itself. That is what lets every save be atomic.
 */

/** Every SQLite file starts with this 16-byte magic string (https://www.sqlite.org/fileformat.html). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** The database header is the first 100 bytes; the fields below are read from it without opening the file. */
export const SQLITE_HEADER_SIZE = 100;
const USER_VERSION_OFFSET = 60;
const APPLICATION_ID_OFFSET = 68;

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * Loads the sql.js wasm once per process. The wasm file is located through the resolver of the running module, so it
 * is found in node_modules, inside app.asar, and from a bundle in another folder alike. `require` exists both in the
 * esbuild CommonJS bundle and under vitest (which provides it to ES modules); where it does not, sql.js falls back to
 * its own `__dirname`, which is right as long as sql.js itself is not bundled. We deliberately avoid `import.meta`,
 * which esbuild cannot express in CommonJS output.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (sqlJs === undefined) {
    const config: SqlJsConfig =
      typeof require === 'function'
        ? { locateFile: (file: string) => path.join(path.dirname(require.resolve('sql.js')), file) }
        : {};
    sqlJs = initSqlJs(config).catch((err: unknown) => {
      sqlJs = undefined; // let a later call retry rather than caching the failure forever
      throw err;
    });
  }
  return sqlJs;
}

/** True when the bytes begin like an SQLite database (a truncated header counts: it is damage, not another format). */
export function hasSqliteMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SQLITE_MAGIC.length);
  if (n === 0) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset, n).equals(SQLITE_MAGIC.subarray(0, n));
}

export interface SqliteHeader {
  readonly applicationId: number;
  readonly userVersion: number;
}

/** Reads application_id and user_version straight from the header, so a damaged body cannot hide what the file is. */
export function readSqliteHeader(bytes: Uint8Array): SqliteHeader | null {
  if (bytes.length < SQLITE_HEADER_SIZE || !hasSqliteMagic(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, SQLITE_HEADER_SIZE);
  return {
    applicationId: view.getInt32(APPLICATION_ID_OFFSET, false) >>> 0,
    userVersion: view.getInt32(USER_VERSION_OFFSET, false),
  };
}

/** First column of the first row of a query, or undefined when there is no row. */
export function queryValue(db: Database, sql: string, params: SqlValue[] = []): unknown {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    return stmt.step() ? stmt.get()[0] : undefined;
  } finally {
    stmt.free();
  }
}

export function pragmaNumber(db: Database, pragma: 'user_version' | 'application_id'): number {
  return Number(queryValue(db, `PRAGMA ${pragma}`) ?? 0);
}

/**
 * Runs `PRAGMA quick_check` and returns null when the database is sound, or SQLite's own description of the first
 * problems found. sql.js opens lazily, so damage often only shows up here, as an exception ("malformed").
 */
export function quickCheck(db: Database): string | null {
  try {
    const rows = db.exec('PRAGMA quick_check(5)')[0]?.values ?? [];
    const messages = rows.map((r) => String(r[0]));
    return messages.length === 1 && messages[0] === 'ok' ? null : messages.join('; ') || 'no answer from quick_check';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** sql.js resets connection settings whenever the database is reopened, which `export()` does: call after each. */
export function applyConnectionSettings(db: Database): void {
  db.exec('PRAGMA foreign_keys = ON');
}
