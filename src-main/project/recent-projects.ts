import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../src-shared/api/dto';
import { backupPathOf, writeFileAtomicSync } from './atomic-write';
import { DB_FILE_NAME } from './project-paths';

/**
 * The "recent projects" list of the start screen, kept as a small JSON array in the user's settings folder.
 * It is a convenience: a damaged or unwritable file must never stop the app from starting or a project from opening,
 * so reading tolerates anything and a failed write is only logged.
 */

export const MAX_RECENT_PROJECTS = 10;

interface StoredEntry {
  readonly path: string;
  readonly name: string;
  readonly openedAt: string;
}

export class RecentProjects {
  constructor(private readonly file: string) {}

  /** Most recent first; `exists` is checked now, so a moved or deleted project shows as such. */
  list(): RecentProject[] {
    return this.load().map((e) => ({ ...e, exists: projectExists(e.path) }));
  }

  /** Puts the project at the top (adding it if needed), keeping at most MAX_RECENT_PROJECTS entries. */
  touch(projectPath: string, name: string): void {
    const resolved = path.resolve(projectPath);
    const others = this.load().filter((e) => !samePath(e.path, resolved));
    this.store([{ path: resolved, name, openedAt: new Date().toISOString() }, ...others].slice(0, MAX_RECENT_PROJECTS));
  }

  forget(projectPath: string): void {
    const resolved = path.resolve(projectPath);
    const entries = this.load();
    const kept = entries.filter((e) => !samePath(e.path, resolved));
    if (kept.length !== entries.length) this.store(kept);
  }

  private load(): StoredEntry[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return []; // missing or not JSON: start afresh (the next touch() replaces the file)
    }
    if (!Array.isArray(parsed)) return [];
    const entries: StoredEntry[] = [];
    for (const item of parsed as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const o = item as Record<string, unknown>;
      if (typeof o['path'] !== 'string' || o['path'] === '') continue;
      if (entries.some((e) => samePath(e.path, o['path'] as string))) continue;
      entries.push({
        path: o['path'],
        name: typeof o['name'] === 'string' ? o['name'] : path.basename(o['path']),
        openedAt: typeof o['openedAt'] === 'string' ? o['openedAt'] : '',
      });
    }
    return entries.slice(0, MAX_RECENT_PROJECTS);
  }

  private store(entries: readonly StoredEntry[]): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomicSync(this.file, JSON.stringify(entries, null, 2) + '\n');
    } catch (err) {
      console.warn(`DNA LM Studio: could not update the recent projects list ${this.file}:`, err);
    }
  }
}

/** A project can be opened if its folder still holds the database (or the backup a crashed save leaves). */
function projectExists(folder: string): boolean {
  const db = path.join(folder, DB_FILE_NAME);
  return fs.existsSync(db) || fs.existsSync(backupPathOf(db));
}

/** Windows and macOS file systems usually ignore case, so `C:\Data\x.dnalm` and `c:\data\X.dnalm` are one project. */
function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
