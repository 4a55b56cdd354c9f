import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type DatasetDetail,
  type DatasetStats,
  type DatasetSummary,
  type ImportOptions,
  type LengthSummary,
} from '../../src-shared/api';
import type { Database, ProjectStore } from '../project';
import type { StagedDataset } from './import-pipeline';
import { DATASETS_DIR_NAME } from './staging';

/** The datasets table (schema v2) <-> DatasetSummary, and the commits that change it. */

const COLUMNS = `id, name, description, created_at, content_hash, record_count, classes_json, splits_json, counts_json,
  length_min, length_median, length_max, length_mean, source_json, options_json, split_description, licence,
  stored_bytes, artifact_path`;

type Row = Record<string, unknown>;

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

function summaryOf(row: Row): DatasetSummary {
  const sources = json<unknown>(row['source_json'], []);
  const lengths: LengthSummary = {
    min: Number(row['length_min'] ?? 0),
    median: Number(row['length_median'] ?? 0),
    max: Number(row['length_max'] ?? 0),
    mean: Number(row['length_mean'] ?? 0),
  };
  return {
    id: Number(row['id']),
    name: String(row['name'] ?? ''),
    description: String(row['description'] ?? ''),
    createdAt: String(row['created_at'] ?? ''),
    contentHash: String(row['content_hash'] ?? ''),
    records: Number(row['record_count'] ?? 0),
    classes: json<string[]>(row['classes_json'], []),
    splits: json<string[]>(row['splits_json'], []),
    counts: json<Record<string, Record<string, number>>>(row['counts_json'], {}),
    lengths,
    sources: Array.isArray(sources) ? (sources as { path: string; bytes: number }[]) : [],
    options: json<ImportOptions>(row['options_json'], {} as ImportOptions),
    splitDescription: String(row['split_description'] ?? ''),
    licence: String(row['licence'] ?? ''),
    storedBytes: Number(row['stored_bytes'] ?? 0),
  };
}

function rows(db: Database, sql: string, params: (string | number)[] = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const out: Row[] = [];
    while (stmt.step()) out.push(stmt.getAsObject());
    return out;
  } finally {
    stmt.free();
  }
}

export function listDatasets(store: ProjectStore): DatasetSummary[] {
  return store.read((db) => rows(db, `SELECT ${COLUMNS} FROM datasets ORDER BY id`).map(summaryOf));
}

export interface StoredDataset {
  readonly summary: DatasetSummary;
  readonly stats: DatasetStats;
  /** Absolute path of the `.seqs` file, or null for a dataset without stored sequences. */
  readonly file: string | null;
}

function notFound(what: string): ApiError {
  return new ApiError('DATASET_NOT_FOUND', `There is no dataset ${what} in this project; it may have been deleted.`);
}

export function getDataset(store: ProjectStore, id: number): StoredDataset {
  const row = store.read((db) => rows(db, `SELECT ${COLUMNS}, stats_json FROM datasets WHERE id = ?`, [id])[0]);
  if (!row) throw notFound(`number ${id}`);
  const artifact = row['artifact_path'];
  const emptyStats: DatasetStats = { lengthHistogram: [], gcHistogram: [], topKmers: [], kmerK: 6 };
  return {
    summary: summaryOf(row),
    stats: json<DatasetStats>(row['stats_json'], emptyStats),
    file: typeof artifact === 'string' && artifact !== '' ? path.join(store.artifactsDir, artifact) : null,
  };
}

export function detailOf(stored: StoredDataset): DatasetDetail {
  return { ...stored.summary, stats: stored.stats };
}

/** By id ("12") or by name (exact, then ignoring case): what a person types on the command line. */
export function findDataset(store: ProjectStore, nameOrId: string): StoredDataset {
  const all = listDatasets(store);
  const match =
    (/^\d+$/.test(nameOrId) ? all.find((d) => d.id === Number(nameOrId)) : undefined) ??
    all.find((d) => d.name === nameOrId) ??
    all.find((d) => d.name.toLowerCase() === nameOrId.toLowerCase());
  if (!match) throw notFound(`named "${nameOrId}"`);
  return getDataset(store, match.id);
}

function nameTaken(db: Database, name: string, exceptId?: number): boolean {
  return rows(db, 'SELECT id FROM datasets WHERE name = ? COLLATE NOCASE AND id != ?', [name, exceptId ?? -1]).length > 0;
}

function exists(name: string): ApiError {
  return new ApiError('DATASET_EXISTS', `This project already has a dataset named "${name}". Choose another name.`, { name });
}

/** Names are unique ignoring case ("Promoters" and "promoters" would be told apart by nobody). */
export function assertNameFree(store: ProjectStore, name: string, exceptId?: number): void {
  if (store.read((db) => nameTaken(db, name, exceptId))) throw exists(name);
}

function fsyncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here (Windows, some network drives): the rename is as durable as the system makes it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export interface StagedForCommit {
  readonly stagedFile: string;
  readonly dataset: StagedDataset;
  readonly stats: DatasetStats;
}

/**
 * Moves the staged `.seqs` file to `artifacts/datasets/<uuid>.seqs` and records the dataset, in one
 * ProjectStore.write(): if the row cannot be saved, the moved file is removed again, so either both exist or neither.
 */
export function commitStagedDataset(store: ProjectStore, staged: StagedForCommit, licence = ''): DatasetSummary {
  const d = staged.dataset;
  const relative = `${DATASETS_DIR_NAME}/${crypto.randomUUID()}.seqs`;
  const finalPath = path.join(store.artifactsDir, relative);
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  let moved = false;
  try {
    return store.write((db) => {
      if (nameTaken(db, d.name)) throw exists(d.name);
      fs.renameSync(staged.stagedFile, finalPath);
      moved = true;
      fsyncFolder(path.dirname(finalPath));
      db.run(
        `INSERT INTO datasets (name, description, content_hash, source_json, licence, created_at, artifact_path,
           record_count, classes_json, splits_json, counts_json, length_min, length_median, length_max, length_mean,
           stats_json, options_json, split_description, stored_bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          d.name,
          d.description,
          d.contentHash,
          JSON.stringify(d.sources),
          licence,
          new Date().toISOString(),
          relative,
          d.records,
          JSON.stringify(d.classes),
          JSON.stringify(d.splits),
          JSON.stringify(d.counts),
          d.lengths.min,
          d.lengths.median,
          d.lengths.max,
          d.lengths.mean,
          JSON.stringify(staged.stats),
          JSON.stringify(d.options),
          d.splitDescription,
          d.storedBytes,
        ],
      );
      const id = Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
      const row = rows(db, `SELECT ${COLUMNS} FROM datasets WHERE id = ?`, [id])[0];
      if (!row) throw new Error('the new dataset row is missing');
      return summaryOf(row);
    });
  } catch (err) {
    if (moved) fs.rmSync(finalPath, { force: true });
    throw err;
  }
}

export function updateDataset(store: ProjectStore, id: number, changes: { name?: string; description?: string }): DatasetSummary {
  getDataset(store, id);
  return store.write((db) => {
    if (changes.name !== undefined) {
      if (nameTaken(db, changes.name, id)) throw exists(changes.name);
      db.run('UPDATE datasets SET name = ? WHERE id = ?', [changes.name, id]);
    }
    if (changes.description !== undefined) db.run('UPDATE datasets SET description = ? WHERE id = ?', [changes.description, id]);
    const row = rows(db, `SELECT ${COLUMNS} FROM datasets WHERE id = ?`, [id])[0];
    if (!row) throw notFound(`number ${id}`);
    return summaryOf(row);
  });
}

/**
 * Removes the row (the commit is what the user sees), then the file. A crash in between leaves an unreferenced file,
 * which the next open removes (removeImportLeftovers).
 */
export function deleteDataset(store: ProjectStore, id: number): void {
  const { summary, file } = getDataset(store, id);
  store.write((db) => {
    const runs = Number(db.exec('SELECT COUNT(*) FROM runs WHERE dataset_id = ?', [id])[0]?.values[0]?.[0] ?? 0);
    if (runs > 0) {
      throw new ApiError(
        'INVALID_REQUEST',
        `The dataset "${summary.name}" is used by ${runs} training run${runs === 1 ? '' : 's'}; delete those first.`,
      );
    }
    db.run('DELETE FROM datasets WHERE id = ?', [id]);
  });
  if (file) fs.rmSync(file, { force: true });
}
