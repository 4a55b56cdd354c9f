/**
 * The motif_scans table (schema v4) <-> MotifScanSummary, and the commit that records a scan: the staged folder
 * (matrix.tsv + motifs.json) is moved to artifacts/motif-scans/<id>/ and the row written in one ProjectStore.write(),
 * so either both exist or neither.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type MotifScanSettings, type MotifScanSummary, type MotifScanTop } from '../../src-shared/api';
import type { Database, ProjectStore } from '../project';
import { DESCRIPTION_FILE, MATRIX_FILE, type ScanDescription } from './scan-run';

export const MOTIF_SCANS_DIR = 'motif-scans';

type Row = Record<string, unknown>;

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

function summaryOf(row: Row): MotifScanSummary {
  let settings: MotifScanSettings;
  try {
    settings = JSON.parse(String(row['settings_json'] ?? '{}')) as MotifScanSettings;
  } catch {
    settings = { regions: { kind: 'fasta', path: '' }, scoring: 'max', background: 'uniform' };
  }
  return {
    id: Number(row['id']),
    name: String(row['name'] ?? ''),
    settings,
    regions: Number(row['regions'] ?? 0),
    motifs: Number(row['motifs'] ?? 0),
    seconds: Number(row['seconds'] ?? 0),
    matrixPath: String(row['artifact_path'] ?? ''),
    createdAt: String(row['created_at'] ?? ''),
  };
}

const COLUMNS = 'id, name, settings_json, artifact_path, regions, motifs, seconds, created_at';

export function listMotifScans(store: ProjectStore): MotifScanSummary[] {
  return store.read((db) => rows(db, `SELECT ${COLUMNS} FROM motif_scans ORDER BY id DESC`).map(summaryOf));
}

export function getMotifScan(store: ProjectStore, id: number): MotifScanSummary {
  const row = store.read((db) => rows(db, `SELECT ${COLUMNS} FROM motif_scans WHERE id = ?`, [id])[0]);
  if (!row) throw new ApiError('INVALID_REQUEST', `There is no motif scan ${id} in this project.`);
  return summaryOf(row);
}

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

export interface StagedScan {
  readonly stagingDir: string;
  readonly name: string;
  readonly settings: MotifScanSettings;
  readonly regions: number;
  readonly motifs: number;
  readonly seconds: number;
}

export function commitMotifScan(store: ProjectStore, staged: StagedScan): MotifScanSummary {
  if (!fs.existsSync(path.join(staged.stagingDir, MATRIX_FILE))) {
    throw new ApiError('INTERNAL', 'The motif scan did not leave its matrix; nothing was added to the project.');
  }
  let moved: string | null = null;
  try {
    return store.write((db) => {
      db.run(
        `INSERT INTO motif_scans (name, settings_json, artifact_path, regions, motifs, seconds, created_at) VALUES (?, ?, '', ?, ?, ?, ?)`,
        [staged.name, JSON.stringify(staged.settings), staged.regions, staged.motifs, staged.seconds, new Date().toISOString()],
      );
      const id = Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
      const dir = path.join(store.artifactsDir, MOTIF_SCANS_DIR, String(id));
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.rmSync(dir, { recursive: true, force: true }); // debris of a crash between a move and its save
      fs.renameSync(staged.stagingDir, dir);
      moved = dir;
      fsyncFolder(path.dirname(dir));
      db.run('UPDATE motif_scans SET artifact_path = ? WHERE id = ?', [`${MOTIF_SCANS_DIR}/${id}/${MATRIX_FILE}`, id]);
      const row = rows(db, `SELECT ${COLUMNS} FROM motif_scans WHERE id = ?`, [id])[0];
      if (!row) throw new Error('the new motif scan row is missing');
      return summaryOf(row);
    });
  } catch (err) {
    if (moved !== null) fs.rmSync(moved, { recursive: true, force: true });
    throw err;
  }
}

/** The last matrix read, so that paging through a large scan does not re-read the file for every page. */
let lastMatrix: { readonly file: string; readonly key: string; readonly lines: readonly string[] } | null = null;

function matrixLines(file: string): readonly string[] {
  const st = fs.statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  if (lastMatrix !== null && lastMatrix.file === file && lastMatrix.key === key) return lastMatrix.lines;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  lastMatrix = { file, key, lines };
  return lines;
}

/** Rows offset..offset+limit of a scan's matrix with each region's `top` best motifs. */
export function topMotifs(store: ProjectStore, id: number, offset: number, limit: number, top: number): { total: number; rows: MotifScanTop[] } {
  const scan = getMotifScan(store, id);
  const file = path.join(store.artifactsDir, scan.matrixPath);
  let lines: readonly string[];
  try {
    lines = matrixLines(file);
  } catch {
    throw new ApiError('INVALID_REQUEST', `The matrix of motif scan "${scan.name}" is missing from the project folder (${scan.matrixPath}).`);
  }
  let description: ScanDescription | null = null;
  try {
    description = JSON.parse(fs.readFileSync(path.join(path.dirname(file), DESCRIPTION_FILE), 'utf8')) as ScanDescription;
  } catch {
    description = null;
  }
  const header = (lines[0] ?? '').split('\t').slice(1);
  const info = new Map((description?.motifs ?? []).map((m) => [m.id, m]));
  const total = Math.max(0, lines.length - 1);
  const out: MotifScanTop[] = [];
  const from = Math.max(0, offset);
  for (let r = from; r < Math.min(total, from + Math.max(0, limit)); r++) {
    const cells = (lines[r + 1] ?? '').split('\t');
    const scored = header.map((motif, k) => {
      const score = Number(cells[k + 1]);
      const m = info.get(motif);
      // Max scores of long motifs are larger by construction: rank by the fraction of each motif's possible range.
      const rank = scan.settings.scoring === 'max' && m !== undefined && m.maxScore > m.minScore ? (score - m.minScore) / (m.maxScore - m.minScore) : score;
      return { motif, name: m?.name ?? motif, score, rank };
    });
    scored.sort((a, b) => b.rank - a.rank);
    out.push({ region: cells[0] ?? '', top: scored.slice(0, top).map(({ motif, name, score }) => ({ motif, name, score })) });
  }
  return { total, rows: out };
}
