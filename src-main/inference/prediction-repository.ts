/**
 * Prediction records in the project: rows of `predictions` (summary and result JSON) and their files under
 * artifacts/predictions/<id>/. Read by the handlers, the reports and the CLI. Every change is one ProjectStore.write().
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type ExplainResult,
  type PredictionDetail,
  type PredictionKind,
  type PredictionResult,
  type PredictionRow,
  type PredictionRowsPage,
  type PredictionRowsQuery,
  type PredictionSummary,
  type ScanResult,
  type ScanTrack,
  type VariantRow,
  type VariantRowsPage,
} from '../../src-shared/api';
import type { ProjectStore } from '../project';
import { rows } from '../training/run-repository';
import type { StagedPrediction } from './job-params';
import { FILES, PREDICTIONS_DIR, readFloat32, readFloat32Range, type RowColumns } from './prediction-files';
import { maxPool } from './regions';

type Row = Record<string, unknown>;

const SQL = `SELECT p.*, m.name AS model_name, m.classes_json AS model_classes FROM predictions p LEFT JOIN models m ON m.id = p.model_id`;

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

function kindOf(v: unknown): PredictionKind {
  return v === 'scan' || v === 'variants' || v === 'explain' ? v : 'predict';
}

function summaryOf(row: Row): PredictionSummary {
  return {
    id: Number(row['id']),
    kind: kindOf(row['kind']),
    name: String(row['name'] ?? ''),
    modelId: Number(row['model_id'] ?? 0),
    modelName: String(row['model_name'] ?? `model ${String(row['model_id'])}`),
    classes: json<string[]>(row['model_classes'], []),
    inputHash: String(row['input_hash'] ?? ''),
    inputDescription: String(row['input_description'] ?? ''),
    engine: row['engine'] === 'onnx' ? 'onnx' : 'tfjs',
    backend: String(row['backend'] ?? ''),
    count: Number(row['item_count'] ?? 0),
    seconds: Number(row['seconds'] ?? 0),
    createdAt: String(row['created_at'] ?? ''),
  };
}

function notFound(id: number): ApiError {
  return new ApiError('INVALID_REQUEST', `There is no prediction number ${id} in this project; it may have been deleted.`);
}

function rowOf(store: ProjectStore, id: number): Row {
  const row = store.read((db) => rows(db, `${SQL} WHERE p.id = ?`, [id])[0]);
  if (!row) throw notFound(id);
  return row;
}

/** The prediction's folder (absolute), or null when it has none. */
export function predictionDir(store: ProjectStore, id: number): string | null {
  const rel = rowOf(store, id)['artifact_path'];
  return typeof rel === 'string' && rel !== '' ? path.join(store.artifactsDir, rel) : null;
}

function dirOf(store: ProjectStore, row: Row): string {
  const rel = row['artifact_path'];
  if (typeof rel !== 'string' || rel === '') throw new ApiError('INTERNAL', `The prediction ${String(row['id'])} has no stored files.`);
  return path.join(store.artifactsDir, rel);
}

export function listPredictions(store: ProjectStore): PredictionSummary[] {
  return store.read((db) => rows(db, `${SQL} ORDER BY p.id`).map(summaryOf));
}

export function getPrediction(store: ProjectStore, id: number): PredictionDetail {
  const row = rowOf(store, id);
  let result = json<PredictionResult | null>(row['result_json'], null);
  if (result === null) throw new ApiError('INTERNAL', `The prediction ${id} has no stored result.`);
  if (result.kind === 'explain' && result.attention) result = { ...result, attention: attentionOf(dirOf(store, row), result.attention) };
  return { ...summaryOf(row), result };
}

function attentionOf(dir: string, a: NonNullable<ExplainResult['attention']>): NonNullable<ExplainResult['attention']> {
  const flat = readFloat32(path.join(dir, FILES.attention));
  const n = a.tokens.length;
  let at = 0;
  const weights = Array.from({ length: a.layers }, () =>
    Array.from({ length: a.heads }, () =>
      Array.from({ length: n }, () => {
        const r = Array.from(flat.subarray(at, at + n));
        at += n;
        return r;
      }),
    ),
  );
  return { ...a, weights };
}

/** Every row of a predict record, in input order. */
export function allPredictionRows(store: ProjectStore, id: number): { classes: readonly string[]; threshold: number; rows: PredictionRow[] } {
  const detail = getPrediction(store, id);
  if (detail.result.kind !== 'predict') throw new ApiError('INVALID_REQUEST', `The prediction ${id} is a ${detail.kind}, not a table of sequences.`);
  const dir = dirOf(store, rowOf(store, id));
  const cols = JSON.parse(fs.readFileSync(path.join(dir, FILES.rows), 'utf8')) as RowColumns;
  const probs = readFloat32(path.join(dir, FILES.probabilities));
  const classes = detail.classes;
  const k = classes.length;
  const threshold = detail.result.threshold;
  const out: PredictionRow[] = cols.ids.map((rid, i) => {
    const p = Array.from(probs.subarray(i * k, i * k + k));
    let best = 0;
    if (k === 2) best = (p[1] ?? 0) >= threshold ? 1 : 0;
    else for (let c = 1; c < k; c++) if ((p[c] ?? 0) > (p[best] ?? 0)) best = c;
    const label = cols.labels?.[i];
    const split = cols.splits?.[i];
    return {
      index: i,
      id: rid,
      length: cols.lengths[i] ?? 0,
      probabilities: p,
      predicted: classes[best] ?? '',
      score: k === 2 ? (p[1] ?? 0) : (p[best] ?? 0),
      ...(label === undefined || label === null ? {} : { label }),
      ...(split === undefined || split === null ? {} : { split }),
    };
  });
  return { classes, threshold, rows: out };
}

export function predictionRows(store: ProjectStore, query: PredictionRowsQuery): PredictionRowsPage {
  let list = allPredictionRows(store, query.id).rows;
  if (query.predicted !== undefined) list = list.filter((r) => r.predicted === query.predicted);
  if (query.search !== undefined && query.search !== '') {
    const s = query.search.toLowerCase();
    list = list.filter((r) => r.id.toLowerCase().includes(s));
  }
  if (query.sortBy === 'score') list = [...list].sort((a, b) => a.score - b.score || a.index - b.index);
  if (query.descending === true) list = [...list].reverse();
  const offset = Math.max(0, query.offset);
  return { total: list.length, rows: list.slice(offset, offset + Math.max(0, query.limit)) };
}

export function allVariantRows(store: ProjectStore, id: number): VariantRow[] {
  const row = rowOf(store, id);
  if (kindOf(row['kind']) !== 'variants') throw new ApiError('INVALID_REQUEST', `The prediction ${id} is not a variant set.`);
  return JSON.parse(fs.readFileSync(path.join(dirOf(store, row), FILES.variants), 'utf8')) as VariantRow[];
}

export function variantRows(
  store: ProjectStore,
  query: { id: number; offset: number; limit: number; sortBy?: 'index' | 'delta' | 'absDelta'; descending?: boolean },
): VariantRowsPage {
  let list = allVariantRows(store, query.id);
  if (query.sortBy === 'delta') list = [...list].sort((a, b) => a.delta - b.delta || a.index - b.index);
  else if (query.sortBy === 'absDelta') list = [...list].sort((a, b) => Math.abs(a.delta) - Math.abs(b.delta) || a.index - b.index);
  if (query.descending === true) list = [...list].reverse();
  const offset = Math.max(0, query.offset);
  return { total: list.length, rows: list.slice(offset, offset + Math.max(0, query.limit)) };
}

/** Makes a rename durable (the folder entry), where the platform allows opening folders. */
function fsyncFolder(folder: string): void {
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Windows cannot open folders; NTFS journals the rename itself.
  }
}

/**
 * A stretch [start, end) of a scan's track: the windows whose centre lies in it, max-pooled to at most maxPoints
 * per strand. A window with no score (mostly N) is NaN (null once the web host's JSON has carried it): a gap.
 */
export function scanTrack(store: ProjectStore, query: { id: number; start?: number; end?: number; maxPoints?: number }): ScanTrack {
  const row = rowOf(store, query.id);
  const result = json<ScanResult | null>(row['result_json'], null);
  if (!result || result.kind !== 'scan') throw new ApiError('INVALID_REQUEST', `The prediction ${query.id} is not a scan.`);
  const dir = dirOf(store, row);
  const half = result.window / 2;
  const centre = (i: number): number => result.start + i * result.stride + half;
  const start = Math.max(result.start, query.start ?? result.start);
  const end = Math.min(result.end, query.end ?? result.end);
  // Windows i with start <= centre(i) < end.
  const first = Math.max(0, Math.ceil((start - result.start - half) / result.stride));
  const last = Math.min(result.windows - 1, Math.ceil((end - result.start - half) / result.stride) - 1);
  const count = Math.max(0, last - first + 1);
  const maxPoints = Math.max(1, Math.min(query.maxPoints ?? 2000, 100_000));
  const fwd = maxPool(readFloat32Range(path.join(dir, FILES.forward), first, count), maxPoints);
  const both = result.settings.strands === 'both';
  const rev = both ? maxPool(readFloat32Range(path.join(dir, FILES.reverse), first, count), maxPoints) : null;
  return {
    start,
    end,
    positions: fwd.first.map((j) => centre(first + j)),
    forward: fwd.max,
    reverse: rev ? rev.max : null,
  };
}

/**
 * Moves the staged folder to artifacts/predictions/<id>/ and inserts the row, in one ProjectStore.write(): if the
 * row cannot be saved the moved folder is removed again, so either both exist or neither.
 */
export function commitStagedPrediction(store: ProjectStore, staged: StagedPrediction, modelId: number, jobId: number | null): PredictionSummary {
  let moved: string | null = null;
  try {
    return store.write((db) => {
      db.run(
        `INSERT INTO predictions (model_id, kind, input_hash, settings_json, artifact_path, created_at, name, input_description,
           engine, backend, item_count, seconds, result_json, job_id) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
        [
          modelId,
          staged.kind,
          staged.inputHash,
          JSON.stringify(staged.result.settings),
          new Date().toISOString(),
          staged.name,
          staged.inputDescription,
          staged.engine,
          staged.backend,
          staged.count,
          staged.seconds,
          jobId,
        ],
      );
      const id = Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
      const rel = `${PREDICTIONS_DIR}/${id}`;
      const finalDir = path.join(store.artifactsDir, rel);
      fs.mkdirSync(path.dirname(finalDir), { recursive: true });
      fs.rmSync(finalDir, { recursive: true, force: true }); // debris of a crash between a move and its save
      fs.mkdirSync(staged.stagingDir, { recursive: true });
      fs.renameSync(staged.stagingDir, finalDir);
      moved = finalDir;
      fsyncFolder(path.dirname(finalDir));
      let result = staged.result;
      if (result.kind === 'scan') result = { ...result, files: { bedGraph: `${rel}/${FILES.bedGraph}`, bed: `${rel}/${FILES.bed}` } };
      db.run('UPDATE predictions SET artifact_path = ?, result_json = ? WHERE id = ?', [rel, JSON.stringify(result), id]);
      const row = rows(db, `${SQL} WHERE p.id = ?`, [id])[0];
      if (!row) throw new Error('the new prediction row is missing');
      return summaryOf(row);
    });
  } catch (err) {
    if (moved !== null) fs.rmSync(moved, { recursive: true, force: true });
    throw err;
  }
}

/** Removes the row, then its folder (a crash between the two leaves only a folder that no row names). */
export function deletePrediction(store: ProjectStore, id: number): void {
  const dir = predictionDir(store, id);
  store.write((db) => db.run('DELETE FROM predictions WHERE id = ?', [id]));
  if (dir !== null && path.resolve(dir) !== path.resolve(store.artifactsDir)) fs.rmSync(dir, { recursive: true, force: true });
}
