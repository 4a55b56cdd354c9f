/**
 * Pretraining runs and ablations in the project file (schema v4): a pretraining run is a `runs` row of kind
 * 'pretrain' (settings in config_json, corpus and schedule in result_json, steps_done, losses in run_metrics with
 * step = optimizer step, split train | validation); its model is a `models` row of role 'pretrained'. An ablation is a
 * `runs` row of kind 'ablation' whose pretraining runs and compare experiment point at it through compare_id.
 * Every change is one ProjectStore.write().
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type AblationSettings,
  type AblationSummary,
  type CorpusSummary,
  type MaskSchedulePhase,
  type PretrainPoint,
  type PretrainSettings,
  type PretrainSummary,
  type RunStatus,
} from '../../src-shared/api';
import type { Database, ProjectStore } from '../project';
import { getCompare, rows } from '../training/run-repository';
import { type PretrainOutcome, readPretrainCheckpointState, readPretrainHistory, readPretrainOutcome } from './pretrain-fit';

type Row = Record<string, unknown>;

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

function status(v: unknown): RunStatus {
  return v === 'success' || v === 'failure' || v === 'cancelled' ? v : 'running';
}

interface ResultJson {
  readonly corpus: CorpusSummary | null;
  readonly schedule: readonly MaskSchedulePhase[];
}

export function pretrainRunDir(store: ProjectStore, id: number): string {
  return path.join(store.artifactsDir, 'runs', String(id));
}

export function pretrainModelDir(artifactsDir: string, id: number): string {
  return path.join(artifactsDir, 'models', `pretrain-${id}`);
}

function historyOf(db: Database, runId: number): PretrainPoint[] {
  const points = new Map<string, { step: number; split: 'train' | 'validation'; values: Record<string, number> }>();
  for (const r of rows(db, 'SELECT step, split, name, value FROM run_metrics WHERE run_id = ? ORDER BY step, id', [runId])) {
    const split = r['split'] === 'validation' ? 'validation' : 'train';
    const key = `${split} ${Number(r['step'])}`;
    const p = points.get(key) ?? { step: Number(r['step']), split, values: {} };
    p.values[String(r['name'])] = Number(r['value']);
    points.set(key, p);
  }
  return [...points.values()];
}

function summaryOf(store: ProjectStore, db: Database, row: Row): PretrainSummary {
  const id = Number(row['id']);
  const st = status(row['status']);
  const result = json<ResultJson>(row['result_json'], { corpus: null, schedule: [] });
  const dir = pretrainRunDir(store, id);
  let history = historyOf(db, id);
  // A running (or just stopped, not yet committed) run: its points are in its folder.
  if (history.length === 0 && st === 'running') history = readPretrainHistory(dir);
  const model = rows(db, 'SELECT MIN(id) AS id FROM models WHERE run_id = ?', [id])[0]?.['id'];
  return {
    id,
    name: String(row['name'] ?? ''),
    status: st,
    settings: json<PretrainSettings>(row['config_json'], {} as PretrainSettings),
    corpus: result.corpus ?? null,
    schedule: result.schedule ?? [],
    stepsDone: Number(row['steps_done'] ?? 0),
    history,
    modelId: model === null || model === undefined ? null : Number(model),
    backend: row['backend'] === null || row['backend'] === undefined ? null : String(row['backend']),
    createdAt: String(row['created_at'] ?? ''),
    finishedAt: row['finished_at'] === null || row['finished_at'] === undefined ? null : String(row['finished_at']),
    resumable: (st === 'cancelled' || st === 'failure') && readPretrainCheckpointState(dir) !== null,
  };
}

export function listPretrains(store: ProjectStore): PretrainSummary[] {
  return store.read((db) => rows(db, "SELECT * FROM runs WHERE kind = 'pretrain' ORDER BY id").map((r) => summaryOf(store, db, r)));
}

export function getPretrain(store: ProjectStore, id: number): PretrainSummary {
  return store.read((db) => {
    const row = rows(db, "SELECT * FROM runs WHERE id = ? AND kind = 'pretrain'", [id])[0];
    if (!row) throw new ApiError('INVALID_REQUEST', `There is no pretraining run number ${id} in this project; it may have been deleted.`);
    return summaryOf(store, db, row);
  });
}

/** Inside a write(): the run row, status running, its folder runs/<id>. */
export function insertPretrain(db: Database, settings: PretrainSettings, name: string, threads: number, schedule: readonly MaskSchedulePhase[], ablationId: number | null): number {
  const datasetId = settings.corpus.kind === 'dataset' ? settings.corpus.datasetId : null;
  db.run(
    `INSERT INTO runs (kind, name, dataset_id, config_json, seed, status, created_at, compare_id, architecture, threads, epochs_done, steps_done, result_json)
     VALUES ('pretrain', ?, ?, ?, ?, 'running', ?, ?, 'bert', ?, 0, 0, ?)`,
    [name, datasetId, JSON.stringify(settings), settings.seed, new Date().toISOString(), ablationId, threads, JSON.stringify({ corpus: null, schedule })],
  );
  const id = Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
  db.run('UPDATE runs SET artifact_path = ? WHERE id = ?', [`runs/${id}`, id]);
  return id;
}

function replaceHistory(db: Database, runId: number, history: readonly PretrainPoint[]): void {
  db.run('DELETE FROM run_metrics WHERE run_id = ?', [runId]);
  for (const p of history) {
    for (const [name, value] of Object.entries(p.values)) {
      if (Number.isFinite(value)) db.run('INSERT INTO run_metrics (run_id, step, split, name, value) VALUES (?, ?, ?, ?, ?)', [runId, p.step, p.split, name, value]);
    }
  }
}

function checkOutcome(o: PretrainOutcome | null, runId: number): PretrainOutcome {
  if (!o || o.runId !== runId || !Array.isArray(o.history) || typeof o.modelPath !== 'string') {
    throw new ApiError('INTERNAL', 'The pretraining engine returned an incomplete result; the run was not recorded as finished.');
  }
  if (!/^models\/pretrain-\d+$/.test(o.modelPath)) throw new ApiError('INTERNAL', 'The pretrained model was saved outside the project.');
  return o;
}

/** Records a finished run: its losses, the corpus it read, the 'pretrained' model row, status success. */
export function commitFinishedPretrain(store: ProjectStore, runId: number, jobId: number | null): PretrainSummary {
  const o = checkOutcome(readPretrainOutcome(pretrainRunDir(store, runId)), runId);
  store.write((db) => {
    const row = rows(db, 'SELECT name, status, dataset_id FROM runs WHERE id = ?', [runId])[0];
    if (!row) throw new ApiError('INVALID_REQUEST', `The pretraining run ${runId} was deleted while it ran.`);
    if (row['status'] === 'success') return;
    replaceHistory(db, runId, o.history);
    db.run(
      `UPDATE runs SET status = 'success', finished_at = ?, backend = ?, threads = ?, steps_done = ?, result_json = ?, job_id = COALESCE(?, job_id), error = NULL WHERE id = ?`,
      [new Date().toISOString(), o.backend, o.threads, o.stepsDone, JSON.stringify({ corpus: o.corpus, schedule: o.schedule, tokensPerSecond: o.tokensPerSecond }), jobId, runId],
    );
    db.run(
      `INSERT INTO models (name, kind, run_id, artifact_path, config_json, licence, created_at, role, dataset_id, classes_json, parameters, size_bytes)
       VALUES (?, 'bert', ?, ?, ?, '', ?, 'pretrained', ?, '[]', ?, ?)`,
      [String(row['name']), runId, o.modelPath, JSON.stringify(o.modelConfig), new Date().toISOString(), row['dataset_id'] === null ? null : Number(row['dataset_id']), o.modelConfig.parameters, o.modelBytes],
    );
  });
  return getPretrain(store, runId);
}

/** A run that was cancelled or failed: the points its last checkpoint holds stay; it can be resumed from there. */
export function markPretrainEnded(store: ProjectStore, runId: number, st: 'cancelled' | 'failure', error: string | null, jobId: number | null): void {
  const dir = pretrainRunDir(store, runId);
  const ckpt = readPretrainCheckpointState(dir);
  const history = ckpt?.history ?? readPretrainHistory(dir);
  store.write((db) => {
    const row = rows(db, 'SELECT status FROM runs WHERE id = ?', [runId])[0];
    if (!row || row['status'] === 'success') return;
    replaceHistory(db, runId, history);
    db.run('UPDATE runs SET status = ?, finished_at = ?, steps_done = ?, error = ?, job_id = COALESCE(?, job_id) WHERE id = ?', [
      st,
      new Date().toISOString(),
      ckpt?.step ?? 0,
      error,
      jobId,
      runId,
    ]);
  });
}

/** Sets a stopped run running again (resume); its settings. */
export function reopenPretrain(store: ProjectStore, runId: number): PretrainSettings {
  const run = getPretrain(store, runId);
  if (run.status === 'running') throw new ApiError('INVALID_REQUEST', `The pretraining run "${run.name}" is already running.`);
  if (run.status === 'success') throw new ApiError('INVALID_REQUEST', `The pretraining run "${run.name}" has finished; there is nothing to resume.`);
  if (!run.resumable) throw new ApiError('INVALID_REQUEST', `The pretraining run "${run.name}" has no checkpoint to resume from; start it again instead.`);
  store.write((db) => db.run("UPDATE runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?", [runId]));
  return run.settings;
}

// ---- ablations ----

export function insertAblation(db: Database, settings: AblationSettings, name: string): number {
  db.run(
    `INSERT INTO runs (kind, name, dataset_id, config_json, seed, status, created_at, architecture) VALUES ('ablation', ?, ?, ?, ?, 'running', ?, 'bert')`,
    [name, settings.datasetId, JSON.stringify(settings), settings.pretrain.seed, new Date().toISOString()],
  );
  return Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
}

function ablationOf(store: ProjectStore, db: Database, row: Row): AblationSummary {
  const id = Number(row['id']);
  const pretrainIds = rows(db, "SELECT id FROM runs WHERE compare_id = ? AND kind = 'pretrain' ORDER BY id", [id]).map((r) => Number(r['id']));
  const compareRow = rows(db, "SELECT id FROM runs WHERE compare_id = ? AND kind = 'compare' ORDER BY id", [id])[0];
  let compare = null;
  if (compareRow) {
    try {
      compare = getCompare(store, Number(compareRow['id']));
    } catch {
      compare = null;
    }
  }
  return {
    id,
    name: String(row['name'] ?? ''),
    status: status(row['status']),
    settings: json<AblationSettings>(row['config_json'], {} as AblationSettings),
    pretrainIds,
    compare,
    createdAt: String(row['created_at'] ?? ''),
  };
}

export function listAblations(store: ProjectStore): AblationSummary[] {
  return store.read((db) => rows(db, "SELECT * FROM runs WHERE kind = 'ablation' ORDER BY id").map((r) => ablationOf(store, db, r)));
}

export function getAblation(store: ProjectStore, id: number): AblationSummary {
  return store.read((db) => {
    const row = rows(db, "SELECT * FROM runs WHERE id = ? AND kind = 'ablation'", [id])[0];
    if (!row) throw new ApiError('INVALID_REQUEST', `There is no pretraining ablation number ${id} in this project.`);
    return ablationOf(store, db, row);
  });
}

export function finishAblation(store: ProjectStore, id: number, st: RunStatus, error: string | null): void {
  store.write((db) => db.run('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?', [st, new Date().toISOString(), error, id]));
}

/** Removes a pretraining run's folder when its row is gone (not used for kept runs). */
export function removeRunDir(store: ProjectStore, id: number): void {
  fs.rmSync(pretrainRunDir(store, id), { recursive: true, force: true });
}
