import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ProjectStore } from '../project';

/**
 * Imports are written to `artifacts/.staging/<uuid>/` and only moved into `artifacts/datasets/` by the commit that
 * records them in project.sqlite. Anything found under `.staging` when a project opens is debris of an import that
 * was killed; so is a `.seqs` file in `datasets/` that no dataset row names (a crash between move and save, or
 * between a delete's save and its unlink).
 */
export const STAGING_DIR_NAME = '.staging';
export const DATASETS_DIR_NAME = 'datasets';

/** A fresh per-job staging folder (not created yet: the import creates it when it starts writing). */
export function newStagingDir(store: ProjectStore): string {
  return path.join(store.artifactsDir, STAGING_DIR_NAME, crypto.randomUUID());
}

/** True for `<anything>/artifacts/.staging/<name>`: cleanup never removes a folder it did not hand out. */
export function isStagingDir(dir: string): boolean {
  const resolved = path.resolve(dir);
  const parent = path.dirname(resolved);
  return (
    path.basename(parent) === STAGING_DIR_NAME &&
    path.basename(path.dirname(parent)) === 'artifacts' &&
    /^[0-9a-f-]{36}$/.test(path.basename(resolved))
  );
}

/** Removes a staging folder and, when it was the last one, `.staging` itself (a rejected import leaves no trace). */
export function removeStagingDir(dir: string): void {
  if (!isStagingDir(dir)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.rmdirSync(path.dirname(path.resolve(dir)));
  } catch {
    // not empty (another import is staging) or already gone
  }
}

/**
 * The hook for opening a project for writing (the service calls it after open; the CLI before an import): removes
 * staged imports that never finished and dataset files that no dataset row refers to. Returns what it removed.
 * Only call it while holding the project lock, with no import of this process running.
 */
export function removeImportLeftovers(store: ProjectStore): string[] {
  if (store.readOnly) return [];
  const removed: string[] = [];
  const staging = path.join(store.artifactsDir, STAGING_DIR_NAME);
  if (fs.existsSync(staging)) {
    fs.rmSync(staging, { recursive: true, force: true });
    removed.push(staging);
  }
  const folder = path.join(store.artifactsDir, DATASETS_DIR_NAME);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return removed;
  }
  const referenced = new Set(
    store.read((db) => (db.exec('SELECT artifact_path FROM datasets WHERE artifact_path IS NOT NULL')[0]?.values ?? []).map((r) => String(r[0]))),
  );
  for (const name of names) {
    if (referenced.has(`${DATASETS_DIR_NAME}/${name}`)) continue;
    const full = path.join(folder, name);
    try {
      if (!fs.statSync(full).isFile()) continue;
      fs.rmSync(full, { force: true });
      removed.push(full);
    } catch {
      // vanished meanwhile
    }
  }
  return removed;
}
