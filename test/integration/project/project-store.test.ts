import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APPLICATION_ID,
  LOCK_FILE_NAME,
  MIGRATIONS,
  ProjectStore,
  SCHEMA_VERSION,
  preMigrationBackupPath,
  type Migration,
} from '../../../src-main/project';
import { deadPid, expectApiError, makeTempDir, sha256 } from './helpers';

const appVersion = '0.1.0-test';
let SQL: SqlJsStatic;
let tmp: { dir: string; cleanup: () => void };
const stores: ProjectStore[] = [];

beforeAll(async () => {
  SQL = await initSqlJs();
});
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) s.close();
  tmp.cleanup();
});

async function create(name = 'Promoters', opts: Partial<Parameters<typeof ProjectStore.create>[1]> = {}): Promise<ProjectStore> {
  const store = await ProjectStore.create(path.join(tmp.dir, name), { appVersion, ...opts });
  stores.push(store);
  return store;
}

async function open(folder: string, opts: Partial<Parameters<typeof ProjectStore.open>[1]> = {}): Promise<ProjectStore> {
  const store = await ProjectStore.open(folder, { appVersion, ...opts });
  stores.push(store);
  return store;
}

function addDataset(store: ProjectStore, name: string, description = ''): void {
  store.write((db) => {
    db.run('INSERT INTO datasets (name, description, created_at) VALUES (?, ?, ?)', [name, description, new Date().toISOString()]);
  });
}

function datasetNames(store: ProjectStore): string[] {
  return store.read((db) => (db.exec('SELECT name FROM datasets ORDER BY id')[0]?.values ?? []).map((r) => String(r[0])));
}

/** Reads a database file directly with sql.js, bypassing the store, to check what is really on disk. */
function inspectFile(file: string): { userVersion: number; applicationId: number; tables: string[]; datasets: string[] } {
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    const one = (sql: string): unknown => db.exec(sql)[0]?.values[0]?.[0];
    const tables = (db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]?.values ?? []).map((r) =>
      String(r[0]),
    );
    return {
      userVersion: Number(one('PRAGMA user_version')),
      applicationId: Number(one('PRAGMA application_id')),
      tables,
      datasets: tables.includes('datasets')
        ? (db.exec('SELECT name FROM datasets ORDER BY id')[0]?.values ?? []).map((r) => String(r[0]))
        : [],
    };
  } finally {
    db.close();
  }
}

/** A project with enough rows to span many database pages, closed again. Returns its folder. */
async function projectWithData(rows = 200): Promise<string> {
  const store = await create('Data');
  store.write((db) => {
    for (let i = 0; i < rows; i++) {
      db.run('INSERT INTO datasets (name, description, created_at) VALUES (?, ?, ?)', [`set-${i}`, 'ACGT'.repeat(150), 'now']);
    }
  });
  addDataset(store, 'last');
  store.close();
  return store.path;
}

describe('creating and reopening a project', () => {
  it('finds the name, description, schema version and the data written earlier after a reopen', async () => {
    const store = await create('Promoters', { description: 'E. coli promoters', isDemo: true });
    expect(store.path).toBe(path.join(tmp.dir, 'Promoters.dnalm'));
    expect(store.name).toBe('Promoters');
    addDataset(store, 'sigma70');
    store.setSetting('ui.lastTab', { tab: 'runs', zoom: 2 });
    store.close();

    const reopened = await open(store.path);
    const summary = reopened.summary();
    expect(summary).toMatchObject({
      path: store.path,
      name: 'Promoters',
      description: 'E. coli promoters',
      isDemo: true,
      schemaVersion: SCHEMA_VERSION,
      createdWithVersion: appVersion,
      counts: { datasets: 1, runs: 0, models: 0, predictions: 0, jobs: 0 },
    });
    expect(Date.parse(summary.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(datasetNames(reopened)).toEqual(['sigma70']);
    expect(reopened.getSetting('ui.lastTab')).toEqual({ tab: 'runs', zoom: 2 });
    expect(reopened.getSetting('no.such.key')).toBeUndefined();
  });

  it('lays out the folder: .dnalm name, artifacts/, a marked SQLite file, and a lock only while open', async () => {
    const store = await create('Layout');
    expect(fs.statSync(store.artifactsDir).isDirectory()).toBe(true);
    expect(store.artifactsDir).toBe(path.join(store.path, 'artifacts'));
    const lockFile = path.join(store.path, LOCK_FILE_NAME);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, hostname: os.hostname(), appVersion });
    const file = inspectFile(path.join(store.path, 'project.sqlite'));
    expect(file.applicationId).toBe(APPLICATION_ID);
    expect(file.userVersion).toBe(SCHEMA_VERSION);
    expect(file.tables).toContain('meta_migrations');
    store.close();
    store.close(); // idempotent
    expect(fs.existsSync(lockFile)).toBe(false);
    expect(fs.readdirSync(store.path).sort()).toEqual(['artifacts', 'project.sqlite']);
  });

  it('does not create over a folder that has content, and leaves that content alone', async () => {
    const folder = path.join(tmp.dir, 'Busy.dnalm');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const err = await expectApiError(ProjectStore.create(folder, { appVersion }), 'PROJECT_EXISTS');
    expect(err.message).toContain(folder);
    expect(fs.readdirSync(folder)).toEqual(['notes.txt']);

    const empty = path.join(tmp.dir, 'Empty.dnalm');
    fs.mkdirSync(empty);
    stores.push(await ProjectStore.create(empty, { appVersion }));
    expect(fs.existsSync(path.join(empty, 'project.sqlite'))).toBe(true);
  });

  it('removes a half-created project when creation fails', async () => {
    const folder = path.join(tmp.dir, 'Broken.dnalm');
    const broken: Migration[] = [{ version: 1, name: 'broken', sql: 'CREATE TABLE settings (key, value); NOT SQL' }];
    await expect(ProjectStore.create(folder, { appVersion, migrations: broken })).rejects.toThrow(/syntax error/);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('opens a project given the path of its project.sqlite', async () => {
    const store = await create('ByFile');
    addDataset(store, 'x');
    store.close();
    const reopened = await open(path.join(store.path, 'project.sqlite'));
    expect(reopened.path).toBe(store.path);
    expect(datasetNames(reopened)).toEqual(['x']);
  });

  it('refuses to work after close()', async () => {
    const store = await create('Closed');
    store.close();
    await expectApiError(() => store.read(() => 1), 'NO_PROJECT');
    await expectApiError(() => store.write(() => 1), 'NO_PROJECT');
  });
});

describe('write()', () => {
  it('leaves both memory and disk unchanged when the change fails', async () => {
    const store = await create('Failing');
    addDataset(store, 'first');
    addDataset(store, 'second');
    const dbFile = path.join(store.path, 'project.sqlite');
    const before = { db: sha256(dbFile), bak: sha256(dbFile + '.bak'), mtime: fs.statSync(dbFile).mtimeMs };

    const boom = new Error('validation failed half-way');
    expect(() =>
      store.write((db) => {
        db.run("INSERT INTO datasets (name, created_at) VALUES ('third', 'now')");
        db.run("DELETE FROM datasets WHERE name = 'first'");
        db.run(`UPDATE settings SET value = '"Renamed"' WHERE key = 'project.name'`);
        throw boom;
      }),
    ).toThrow(boom);

    expect(datasetNames(store)).toEqual(['first', 'second']);
    expect(store.name).toBe('Failing');
    expect({ db: sha256(dbFile), bak: sha256(dbFile + '.bak'), mtime: fs.statSync(dbFile).mtimeMs }).toEqual(before);
    // and the store still works afterwards
    addDataset(store, 'third');
    expect(inspectFile(dbFile).datasets).toEqual(['first', 'second', 'third']);
  });

  it('reports a save that fails (disk full) as a failed change: memory and disk stay as they were', async () => {
    const store = await create('DiskFull');
    addDataset(store, 'saved');
    const dbFile = path.join(store.path, 'project.sqlite');
    const before = sha256(dbFile);
    const rename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(to) === dbFile) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      rename(from, to);
    });
    const err = await expectApiError(() => addDataset(store, 'lost'), 'INTERNAL');
    expect(err.message).toMatch(/disk is full.*not saved/);
    expect(err.message).toContain(dbFile);
    vi.restoreAllMocks();

    expect(datasetNames(store)).toEqual(['saved']);
    expect(sha256(dbFile)).toBe(before);
    expect(fs.readdirSync(store.path).filter((f) => f.includes('.tmp-'))).toEqual([]);
    addDataset(store, 'after');
    expect(inspectFile(dbFile).datasets).toEqual(['saved', 'after']);
    // foreign keys are still on in the reloaded connection
    expect(() => store.write((db) => db.run("INSERT INTO job_events (job_id, at, type) VALUES (7, 'now', 'x')"))).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('keeps the previous save as project.sqlite.bak', async () => {
    const store = await create('Backup');
    addDataset(store, 'one');
    addDataset(store, 'two');
    expect(inspectFile(path.join(store.path, 'project.sqlite')).datasets).toEqual(['one', 'two']);
    expect(inspectFile(path.join(store.path, 'project.sqlite.bak')).datasets).toEqual(['one']);
    expect(fs.readdirSync(store.path).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('joins nested writes into one transaction, undoing only a failed inner part that the outer one handles', async () => {
    const store = await create('Nested');
    const result = store.write((db) => {
      db.run("INSERT INTO datasets (name, created_at) VALUES ('outer', 'now')");
      store.write((inner) => inner.run("INSERT INTO datasets (name, created_at) VALUES ('inner-ok', 'now')"));
      try {
        store.write((inner) => {
          inner.run("INSERT INTO datasets (name, created_at) VALUES ('inner-bad', 'now')");
          throw new Error('inner failure');
        });
      } catch {
        // handled by the outer change
      }
      return 42;
    });
    expect(result).toBe(42);
    expect(datasetNames(store)).toEqual(['outer', 'inner-ok']);
    expect(inspectFile(path.join(store.path, 'project.sqlite')).datasets).toEqual(['outer', 'inner-ok']);
  });

  it('rejects an asynchronous callback without saving anything', async () => {
    const store = await create('Async');
    const dbFile = path.join(store.path, 'project.sqlite');
    const before = sha256(dbFile);
    await expectApiError(
      () =>
        store.write(async (db) => {
          db.run("INSERT INTO datasets (name, created_at) VALUES ('later', 'now')");
          await Promise.resolve();
        }),
      'INTERNAL',
    );
    expect(datasetNames(store)).toEqual([]);
    expect(sha256(dbFile)).toBe(before);
  });

  it('still enforces foreign keys after a save (sql.js resets them on export)', async () => {
    const store = await create('ForeignKeys');
    addDataset(store, 'a'); // a save has happened
    expect(() =>
      store.write((db) => db.run("INSERT INTO job_events (job_id, at, type) VALUES (999, 'now', 'log')")),
    ).toThrow(/FOREIGN KEY/);
  });

  it('opens read-only without a lock and refuses changes', async () => {
    const store = await create('ReadOnly');
    addDataset(store, 'a');
    const viewer = await open(store.path, { readOnly: true }); // works although the project is open for writing
    expect(datasetNames(viewer)).toEqual(['a']);
    await expectApiError(() => viewer.write(() => 1), 'UNSUPPORTED');
    viewer.close();
    expect(fs.existsSync(path.join(store.path, LOCK_FILE_NAME))).toBe(true); // the writer's lock is untouched
  });
});

describe('upgrading an older project', () => {
  const v2: Migration = {
    version: 2,
    name: 'dataset tags',
    sql: `CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
          ALTER TABLE datasets ADD COLUMN tag_id INTEGER REFERENCES tags(id);`,
  };
  const firstOnly = MIGRATIONS.slice(0, 1);

  it('applies the pending migrations, keeps the data, and keeps a copy of the old file', async () => {
    const old = await create('Old', { migrations: firstOnly });
    addDataset(old, 'kept');
    old.close();
    const dbFile = path.join(old.path, 'project.sqlite');
    const oldBytes = sha256(dbFile);

    const upgraded = await open(old.path, { migrations: [...firstOnly, v2], appVersion: '0.2.0' });
    expect(upgraded.schemaVersion).toBe(2);
    expect(datasetNames(upgraded)).toEqual(['kept']);
    upgraded.write((db) => db.run("INSERT INTO tags (label) VALUES ('bacterial')"));
    const history = upgraded.read((db) => db.exec('SELECT version, name, app_version FROM meta_migrations ORDER BY version')[0]?.values);
    expect(history).toEqual([
      [1, firstOnly[0]?.name, appVersion],
      [2, 'dataset tags', '0.2.0'],
    ]);
    upgraded.close();

    const preMigration = preMigrationBackupPath(dbFile, 1);
    expect(path.basename(preMigration)).toBe('project.sqlite.pre-v1.bak');
    expect(sha256(preMigration)).toBe(oldBytes);
    expect(inspectFile(preMigration)).toMatchObject({ userVersion: 1, datasets: ['kept'] });
    expect(inspectFile(dbFile)).toMatchObject({ userVersion: 2 });
    expect(inspectFile(dbFile).tables).toContain('tags');
  });

  it('upgrades a hand-made version-0 file (only the DNA LM Studio marker) to the current schema', async () => {
    const folder = path.join(tmp.dir, 'Bare.dnalm');
    fs.mkdirSync(folder);
    const db = new SQL.Database();
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    fs.writeFileSync(path.join(folder, 'project.sqlite'), db.export());
    db.close();

    const store = await open(folder);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.name).toBe('Bare');
    expect(store.summary().counts).toEqual({ datasets: 0, runs: 0, models: 0, predictions: 0, jobs: 0 });
    expect(inspectFile(path.join(folder, 'project.sqlite.pre-v0.bak')).userVersion).toBe(0);
    expect(fs.statSync(path.join(folder, 'artifacts')).isDirectory()).toBe(true);
  });

  it('upgrades in memory only when opened read-only', async () => {
    const old = await create('OldViewer', { migrations: firstOnly });
    old.close();
    const dbFile = path.join(old.path, 'project.sqlite');
    const before = sha256(dbFile);
    const viewer = await open(old.path, { migrations: [...firstOnly, v2], readOnly: true });
    expect(viewer.schemaVersion).toBe(2);
    viewer.close();
    expect(sha256(dbFile)).toBe(before);
    expect(fs.existsSync(preMigrationBackupPath(dbFile, 1))).toBe(false);
  });

  it('leaves the project as it was when a migration fails', async () => {
    const old = await create('BadMigration', { migrations: firstOnly });
    addDataset(old, 'kept');
    old.close();
    const dbFile = path.join(old.path, 'project.sqlite');
    const before = sha256(dbFile);
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE ok_so_far (x); ALTER TABLE nope ADD y;' };
    const err = await expectApiError(open(old.path, { migrations: [...firstOnly, broken] }), 'INTERNAL');
    expect(err.message).toMatch(/not changed/);
    expect(sha256(dbFile)).toBe(before);
    expect(fs.existsSync(path.join(old.path, LOCK_FILE_NAME))).toBe(false);
    const again = await open(old.path, { migrations: firstOnly });
    expect(again.schemaVersion).toBe(1);
    expect(datasetNames(again)).toEqual(['kept']);
  });
});

describe('files that are not a healthy project are refused and left untouched', () => {
  async function expectRejected(folder: string, code: 'PROJECT_CORRUPT' | 'NOT_A_PROJECT' | 'PROJECT_TOO_NEW') {
    const files = fs.readdirSync(folder).filter((f) => fs.statSync(path.join(folder, f)).isFile());
    const before = Object.fromEntries(files.map((f) => [f, sha256(path.join(folder, f))]));
    const err = await expectApiError(ProjectStore.open(folder, { appVersion }), code);
    const after = Object.fromEntries(files.map((f) => [f, sha256(path.join(folder, f))]));
    expect(after).toEqual(before);
    expect(fs.readdirSync(folder).sort()).toEqual(Object.keys(before).concat(fs.existsSync(path.join(folder, 'artifacts')) ? ['artifacts'] : []).sort());
    return err;
  }

  it('reports a truncated file as damaged, naming the file and the readable backup', async () => {
    const folder = await projectWithData();
    const dbFile = path.join(folder, 'project.sqlite');
    const size = fs.statSync(dbFile).size;
    expect(size).toBeGreaterThan(50_000);
    fs.truncateSync(dbFile, Math.floor(size / 2));

    const err = await expectRejected(folder, 'PROJECT_CORRUPT');
    expect(err.message).toContain(dbFile);
    expect(err.message).toMatch(/damaged/);
    expect(err.message).toMatch(/project\.sqlite\.bak .*is readable/);
    expect(err.message).toMatch(/rename project\.sqlite\.bak to project\.sqlite/);
    expect(err.details).toMatchObject({ backupExists: true, backupUsable: true });
  });

  it('reports random bytes in the middle of the file as damage, and says when there is no backup', async () => {
    const folder = await projectWithData();
    const dbFile = path.join(folder, 'project.sqlite');
    fs.rmSync(dbFile + '.bak');
    const bytes = fs.readFileSync(dbFile);
    const pageSize = 4096;
    const middlePage = Math.floor(bytes.length / pageSize / 2);
    crypto.randomBytes(pageSize).copy(bytes, middlePage * pageSize);
    fs.writeFileSync(dbFile, bytes);

    const err = await expectRejected(folder, 'PROJECT_CORRUPT');
    expect(err.message).toContain(dbFile);
    expect(err.message).toMatch(/no backup copy/);
    expect(err.details).toMatchObject({ backupExists: false, backupUsable: false });
  });

  it('says so when the backup is damaged as well', async () => {
    const folder = await projectWithData();
    const dbFile = path.join(folder, 'project.sqlite');
    fs.truncateSync(dbFile, 4096 * 3);
    fs.truncateSync(dbFile + '.bak', 4096 * 3);
    const err = await expectRejected(folder, 'PROJECT_CORRUPT');
    expect(err.message).toMatch(/backup copy project\.sqlite\.bak next to it cannot be used either/);
  });

  it("recognises another program's SQLite database", async () => {
    const folder = path.join(tmp.dir, 'Foreign.dnalm');
    fs.mkdirSync(folder);
    const db = new SQL.Database();
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Rosalind')");
    fs.writeFileSync(path.join(folder, 'project.sqlite'), db.export());
    db.close();
    const err = await expectRejected(folder, 'NOT_A_PROJECT');
    expect(err.message).toMatch(/SQLite database .*another program/);
    expect(err.message).toContain(path.join(folder, 'project.sqlite'));
  });

  it('recognises a database with a different application id', async () => {
    const folder = path.join(tmp.dir, 'OtherApp.dnalm');
    fs.mkdirSync(folder);
    const db = new SQL.Database();
    db.exec('PRAGMA application_id = 1234; CREATE TABLE t (x)');
    fs.writeFileSync(path.join(folder, 'project.sqlite'), db.export());
    db.close();
    const err = await expectRejected(folder, 'NOT_A_PROJECT');
    expect(err.message).toMatch(/application id 0x4d2/);
  });

  it('recognises a text file', async () => {
    const folder = path.join(tmp.dir, 'Text.dnalm');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'project.sqlite'), '>seq1\nACGTACGT\n'.repeat(100));
    const err = await expectRejected(folder, 'NOT_A_PROJECT');
    expect(err.message).toMatch(/not an SQLite database/);

    const fasta = path.join(tmp.dir, 'reads.fasta');
    fs.writeFileSync(fasta, '>x\nACGT\n');
    await expectApiError(ProjectStore.open(fasta, { appVersion }), 'NOT_A_PROJECT');
  });

  it('refuses a project saved by a newer app version', async () => {
    const store = await create('Future');
    store.close();
    const dbFile = path.join(store.path, 'project.sqlite');
    const db = new SQL.Database(fs.readFileSync(dbFile));
    db.run("UPDATE meta_migrations SET app_version = '9.0.0'");
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    fs.writeFileSync(dbFile, db.export());
    db.close();
    const err = await expectRejected(store.path, 'PROJECT_TOO_NEW');
    expect(err.message).toMatch(/newer version of DNA LM Studio/);
    expect(err.message).toMatch(/9\.0\.0/);
    expect(err.message).toMatch(/Update DNA LM Studio/);
  });

  it('reports a missing folder or a folder without a project as not found, without creating anything', async () => {
    const missing = path.join(tmp.dir, 'Gone.dnalm');
    const err = await expectApiError(ProjectStore.open(missing, { appVersion }), 'PROJECT_NOT_FOUND');
    expect(err.message).toContain(missing);
    expect(fs.existsSync(missing)).toBe(false);

    const emptyFolder = path.join(tmp.dir, 'Empty');
    fs.mkdirSync(emptyFolder);
    await expectApiError(ProjectStore.open(emptyFolder, { appVersion }), 'PROJECT_NOT_FOUND');
    expect(fs.readdirSync(emptyFolder)).toEqual([]);
  });
});

describe('recovering from a save interrupted between its renames', () => {
  it('uses project.sqlite.bak when project.sqlite is missing, and writes it back', async () => {
    const store = await create('Interrupted');
    addDataset(store, 'one');
    addDataset(store, 'two');
    store.close();
    const dbFile = path.join(store.path, 'project.sqlite');
    fs.rmSync(dbFile);

    const reopened = await open(store.path);
    expect(datasetNames(reopened)).toEqual(['one']);
    expect(inspectFile(dbFile).datasets).toEqual(['one']);
  });

  it('refuses a damaged backup when project.sqlite is missing', async () => {
    const folder = await projectWithData();
    const dbFile = path.join(folder, 'project.sqlite');
    fs.rmSync(dbFile);
    fs.truncateSync(dbFile + '.bak', 8192);
    const err = await expectApiError(ProjectStore.open(folder, { appVersion }), 'PROJECT_CORRUPT');
    expect(err.message).toMatch(/is missing, and its backup project\.sqlite\.bak cannot be used/);
    expect(fs.existsSync(dbFile)).toBe(false);
  });
});

describe('one writer at a time', () => {
  it('refuses a second open of the same project and names who holds it', async () => {
    const store = await create('Locked');
    const err = await expectApiError(ProjectStore.open(store.path, { appVersion }), 'PROJECT_LOCKED');
    expect(err.message).toContain(os.hostname());
    expect(err.message).toContain(String(process.pid));
    expect(err.message).toMatch(/close the project there first/i);
    store.close();
    stores.push(await ProjectStore.open(store.path, { appVersion })); // free again after close
  });

  it('takes over the lock of an app that died (process gone), and cleans up its half-written temp files', async () => {
    const store = await create('Crashed');
    addDataset(store, 'saved');
    store.close();
    const pid = await deadPid();
    const lockFile = path.join(store.path, LOCK_FILE_NAME);
    fs.writeFileSync(lockFile, JSON.stringify({ pid, hostname: os.hostname(), createdAt: new Date().toISOString(), appVersion }));
    const leftover = path.join(store.path, `project.sqlite.tmp-${pid}-abcdef`);
    fs.writeFileSync(leftover, 'half a save');

    const reopened = await open(store.path);
    expect(datasetNames(reopened)).toEqual(['saved']);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(fs.existsSync(leftover)).toBe(false);
  });

  it('respects a lock held from another computer', async () => {
    const store = await create('Shared');
    store.close();
    const lockFile = path.join(store.path, LOCK_FILE_NAME);
    const lock = JSON.stringify({ pid: await deadPid(), hostname: 'lab-workstation-7', createdAt: '2024-05-01T09:00:00.000Z', appVersion });
    fs.writeFileSync(lockFile, lock);
    const err = await expectApiError(ProjectStore.open(store.path, { appVersion }), 'PROJECT_LOCKED');
    expect(err.message).toContain('lab-workstation-7');
    expect(err.message).toMatch(/if that computer crashed/);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(lock);
  });
});
