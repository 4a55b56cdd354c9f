/**
 * The runs, run_metrics and models tables (schema v3) <-> RunSummary / RunDetail / ModelSummary / CompareSummary,
 * and the commits that change them. Every change is one ProjectStore.write().
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type CompareArm,
  type CompareRow,
  type CompareSettings,
  type CompareSummary,
  type EpochRecord,
  type EvaluationResult,
  type ModelSummary,
  type RunDetail,
  type RunStatus,
  type RunSummary,
  type TrainSettings,
} from '../../src-shared/api';
import type { Database, ProjectStore } from '../project';
import { type RunOutcome, readCheckpointState, readHistory, readOutcome } from './artifacts';

type Row = Record<string, unknown>;

export function rows(db: Database, sql: string, params: (string | number | null)[] = []): Row[] {
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

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function runNotFound(id: number): ApiError {
  return new ApiError('INVALID_REQUEST', `There is no training run number ${id} in this project; it may have been deleted.`);
}

const RUN_COLUMNS = `r.id, r.kind, r.name, r.dataset_id, r.config_json, r.seed, r.backend, r.status, r.created_at, r.finished_at,
  r.compare_id, r.architecture, r.threads, r.epochs_done, r.best_epoch, r.test_json, r.result_json, r.artifact_path, r.error,
  d.name AS dataset_name, (SELECT MIN(m.id) FROM models m WHERE m.run_id = r.id) AS model_id`;

function runStatus(v: unknown): RunStatus {
  return v === 'success' || v === 'failure' || v === 'cancelled' ? v : 'running';
}

function summaryOf(row: Row): RunSummary {
  return {
    id: Number(row['id']),
    name: String(row['name'] ?? ''),
    datasetId: Number(row['dataset_id'] ?? 0),
    datasetName: String(row['dataset_name'] ?? ''),
    architecture: row['architecture'] === 'bert' ? 'bert' : 'cnn',
    status: runStatus(row['status']),
    seed: Number(row['seed'] ?? 0),
    backend: row['backend'] === null || row['backend'] === undefined ? null : String(row['backend']),
    threads: numOrNull(row['threads']),
    createdAt: String(row['created_at'] ?? ''),
    finishedAt: row['finished_at'] === null || row['finished_at'] === undefined ? null : String(row['finished_at']),
    epochsDone: Number(row['epochs_done'] ?? 0),
    bestEpoch: numOrNull(row['best_epoch']),
    test: json<EvaluationResult | null>(row['test_json'], null),
    modelId: numOrNull(row['model_id']),
    compareId: numOrNull(row['compare_id']),
  };
}

export function runRow(db: Database, id: number): Row | undefined {
  return rows(db, `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?`, [id])[0];
}

export function listRuns(store: ProjectStore): RunSummary[] {
  return store.read((db) =>
    rows(db, `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN datasets d ON d.id = r.dataset_id WHERE r.kind = 'train' ORDER BY r.id`).map(summaryOf),
  );
}

export function getRunSummary(store: ProjectStore, id: number): RunSummary {
  const row = store.read((db) => runRow(db, id));
  if (!row || row['kind'] !== 'train') throw runNotFound(id);
  return summaryOf(row);
}

function historyOf(db: Database, runId: number): EpochRecord[] {
  const byEpoch = new Map<number, Record<string, number>>();
  for (const r of rows(db, 'SELECT step, name, value FROM run_metrics WHERE run_id = ? ORDER BY step', [runId])) {
    const epoch = Number(r['step']);
    const rec = byEpoch.get(epoch) ?? {};
    rec[String(r['name'])] = Number(r['value']);
    byEpoch.set(epoch, rec);
  }
  return [...byEpoch.entries()].map(([epoch, m]) => ({
    epoch,
    trainLoss: m['trainLoss'] ?? NaN,
    valLoss: m['valLoss'] ?? NaN,
    valAccuracy: m['valAccuracy'] ?? NaN,
    valMcc: m['valMcc'] ?? NaN,
    learningRate: m['learningRate'] ?? NaN,
    seconds: m['seconds'] ?? NaN,
  }));
}

export function runDirFor(store: ProjectStore, row: Row): string | null {
  const rel = row['artifact_path'];
  return typeof rel === 'string' && rel !== '' ? path.join(store.artifactsDir, rel) : null;
}

export function getRunDetail(store: ProjectStore, id: number): RunDetail {
  return store.read((db) => {
    const row = runRow(db, id);
    if (!row || row['kind'] !== 'train') throw runNotFound(id);
    const summary = summaryOf(row);
    const dir = runDirFor(store, row);
    const resumable = (summary.status === 'cancelled' || summary.status === 'failure') && dir !== null && readCheckpointState(dir) !== null;
    return { ...summary, settings: json<TrainSettings>(row['config_json'], {} as TrainSettings), history: historyOf(db, id), resumable };
  });
}

export interface NewRun {
  readonly settings: TrainSettings;
  readonly name: string;
  readonly compareId: number | null;
  readonly threads: number;
}

/** Inside a write(): the run row, status running, its folder named runs/<id>. */
export function insertRun(db: Database, run: NewRun): number {
  db.run(
    `INSERT INTO runs (kind, name, dataset_id, config_json, seed, status, created_at, compare_id, architecture, threads, epochs_done)
     VALUES ('train', ?, ?, ?, ?, 'running', ?, ?, ?, ?, 0)`,
    [run.name, run.settings.datasetId, JSON.stringify(run.settings), run.settings.seed, new Date().toISOString(), run.compareId, run.settings.model.architecture, run.threads],
  );
  const id = Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
  db.run('UPDATE runs SET artifact_path = ? WHERE id = ?', [`runs/${id}`, id]);
  return id;
}

function replaceHistory(db: Database, runId: number, history: readonly EpochRecord[]): void {
  db.run('DELETE FROM run_metrics WHERE run_id = ?', [runId]);
  for (const h of history) {
    const put = (split: string, name: string, value: number): void => {
      if (Number.isFinite(value)) db.run('INSERT INTO run_metrics (run_id, step, split, name, value) VALUES (?, ?, ?, ?, ?)', [runId, h.epoch, split, name, value]);
    };
    put('train', 'trainLoss', h.trainLoss);
    put('validation', 'valLoss', h.valLoss);
    put('validation', 'valAccuracy', h.valAccuracy);
    put('validation', 'valMcc', h.valMcc);
    put('train', 'learningRate', h.learningRate);
    put('train', 'seconds', h.seconds);
  }
}

function checkOutcome(outcome: RunOutcome | null, runId: number): RunOutcome {
  if (!outcome || outcome.runId !== runId || !outcome.test || !Array.isArray(outcome.history) || typeof outcome.modelPath !== 'string') {
    throw new ApiError('INTERNAL', 'The training engine returned an incomplete result; the run was not recorded as finished.');
  }
  if (!/^models\/run-\d+$/.test(outcome.modelPath)) throw new ApiError('INTERNAL', 'The trained model was saved outside the project.');
  return outcome;
}

/** Records a finished run (its result.json): history, test metrics, the model row, status success. */
export function commitFinishedRun(store: ProjectStore, runId: number, jobId: number | null): RunSummary {
  const row = store.read((db) => runRow(db, runId));
  if (!row) throw runNotFound(runId);
  const dir = runDirFor(store, row);
  const outcome = checkOutcome(dir ? readOutcome(dir) : null, runId);
  const modelDir = path.join(store.artifactsDir, outcome.modelPath);
  if (!fs.existsSync(path.join(modelDir, 'weights.f32'))) throw new ApiError('INTERNAL', 'The trained model file is missing.');
  store.write((db) => {
    replaceHistory(db, runId, outcome.history);
    db.run(
      `UPDATE runs SET status = 'success', finished_at = ?, epochs_done = ?, best_epoch = ?, test_json = ?, backend = ?, threads = ?,
         error = NULL, job_id = COALESCE(?, job_id) WHERE id = ?`,
      [new Date().toISOString(), outcome.epochsDone, outcome.bestEpoch, JSON.stringify(outcome.test), outcome.backend, outcome.threads, jobId, runId],
    );
    db.run('DELETE FROM models WHERE run_id = ?', [runId]);
    db.run(
      `INSERT INTO models (name, kind, run_id, artifact_path, config_json, licence, created_at, role, dataset_id, classes_json, parameters, size_bytes)
       VALUES (?, ?, ?, ?, ?, '', ?, 'classifier', ?, ?, ?, ?)`,
      [
        String(row['name'] ?? `run ${runId}`),
        outcome.architecture,
        runId,
        outcome.modelPath,
        JSON.stringify(outcome.modelConfig),
        new Date().toISOString(),
        Number(row['dataset_id'] ?? 0),
        JSON.stringify(outcome.classes),
        outcome.parameters,
        outcome.modelBytes,
      ],
    );
  });
  return getRunSummary(store, runId);
}

/** A run that ended without success: keeps the epochs its history.json records (resumable with a checkpoint). */
export function markRunEnded(store: ProjectStore, runId: number, status: 'cancelled' | 'failure', error: string | null, jobId: number | null): void {
  const row = store.read((db) => runRow(db, runId));
  if (!row || runStatus(row['status']) !== 'running') return;
  const dir = runDirFor(store, row);
  const history = dir ? readHistory(dir) : { epochs: [], bestEpoch: null };
  store.write((db) => {
    replaceHistory(db, runId, history.epochs);
    db.run('UPDATE runs SET status = ?, finished_at = ?, epochs_done = ?, best_epoch = ?, error = ?, job_id = COALESCE(?, job_id) WHERE id = ?', [
      status,
      new Date().toISOString(),
      history.epochs.length,
      history.bestEpoch,
      error,
      jobId,
      runId,
    ]);
  });
}

/** Re-opens a cancelled or failed run with a checkpoint (status running again). */
export function reopenRun(store: ProjectStore, runId: number): { settings: TrainSettings; row: Row } {
  const row = store.read((db) => runRow(db, runId));
  if (!row || row['kind'] !== 'train') throw runNotFound(runId);
  const status = runStatus(row['status']);
  if (status === 'running') throw new ApiError('INVALID_REQUEST', `Run ${runId} is still running.`);
  if (status === 'success') throw new ApiError('INVALID_REQUEST', `Run ${runId} has already finished.`);
  const dir = runDirFor(store, row);
  if (!dir || !readCheckpointState(dir)) {
    throw new ApiError('INVALID_REQUEST', `Run ${runId} stopped before its first epoch ended, so there is no checkpoint to resume from; start a new run.`);
  }
  store.write((db) => db.run("UPDATE runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?", [runId]));
  return { settings: json<TrainSettings>(row['config_json'], {} as TrainSettings), row };
}

export function deleteRun(store: ProjectStore, id: number): void {
  const row = store.read((db) => runRow(db, id));
  if (!row || row['kind'] !== 'train') throw runNotFound(id);
  if (runStatus(row['status']) === 'running') throw new ApiError('INVALID_REQUEST', 'This run is still training; cancel its job first.');
  const dir = runDirFor(store, row);
  store.write((db) => {
    // The trained model stays (it may be in use for predictions); it only loses its link to the run.
    db.run('UPDATE models SET run_id = NULL WHERE run_id = ?', [id]);
    db.run('DELETE FROM run_metrics WHERE run_id = ?', [id]);
    db.run('DELETE FROM runs WHERE id = ?', [id]);
  });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

// ---- models ----

function modelSummaryOf(row: Row): ModelSummary {
  return {
    id: Number(row['id']),
    name: String(row['name'] ?? ''),
    architecture: row['kind'] === 'bert' ? 'bert' : 'cnn',
    role: row['role'] === 'pretrained' ? 'pretrained' : 'classifier',
    runId: numOrNull(row['run_id']),
    datasetName: row['dataset_name'] === null || row['dataset_name'] === undefined ? null : String(row['dataset_name']),
    classes: json<string[]>(row['classes_json'], []),
    parameters: Number(row['parameters'] ?? 0),
    sizeBytes: Number(row['size_bytes'] ?? 0),
    createdAt: String(row['created_at'] ?? ''),
    licence: String(row['licence'] ?? ''),
  };
}

const MODEL_SQL = `SELECT m.*, d.name AS dataset_name FROM models m LEFT JOIN datasets d ON d.id = m.dataset_id`;

export function listModels(store: ProjectStore): ModelSummary[] {
  return store.read((db) => rows(db, `${MODEL_SQL} ORDER BY m.id`).map(modelSummaryOf));
}

export function getModel(store: ProjectStore, id: number): { summary: ModelSummary; dir: string } {
  const row = store.read((db) => rows(db, `${MODEL_SQL} WHERE m.id = ?`, [id])[0]);
  if (!row) throw new ApiError('INVALID_REQUEST', `There is no model number ${id} in this project; it may have been deleted.`);
  return { summary: modelSummaryOf(row), dir: path.join(store.artifactsDir, String(row['artifact_path'] ?? '')) };
}

export function deleteModel(store: ProjectStore, id: number): void {
  const { summary, dir } = getModel(store, id);
  store.write((db) => {
    const uses = Number(db.exec('SELECT COUNT(*) FROM predictions WHERE model_id = ?', [id])[0]?.values[0]?.[0] ?? 0);
    if (uses > 0) throw new ApiError('INVALID_REQUEST', `The model "${summary.name}" has ${uses} saved predictions; delete those first.`);
    db.run('DELETE FROM models WHERE id = ?', [id]);
  });
  if (path.resolve(dir) !== path.resolve(store.artifactsDir)) fs.rmSync(dir, { recursive: true, force: true });
}

// ---- compare experiments ----

export function insertCompare(db: Database, settings: CompareSettings, name: string): number {
  db.run(
    `INSERT INTO runs (kind, name, dataset_id, config_json, seed, status, created_at, result_json) VALUES ('compare', ?, ?, ?, ?, 'running', ?, '[]')`,
    [name, settings.datasetId, JSON.stringify(settings), settings.seed, new Date().toISOString()],
  );
  return Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
}

const METRICS = ['accuracy', 'f1', 'mcc', 'rocAuc', 'prAuc'] as const;

/** Mean and sample standard deviation (n - 1) per arm and metric over the finished runs. */
export function compareTable(
  arms: readonly CompareArm[],
  runs: readonly { arm: CompareArm; test: EvaluationResult | null; modelId?: number }[],
  /** One 'bert-pretrained' row group per model (pretrainedModelIds), with the models' names. */
  pretrained?: readonly { readonly modelId: number; readonly label: string }[],
): CompareRow[] {
  const out: CompareRow[] = [];
  type Group = { readonly arm: CompareArm; readonly model: { readonly modelId: number; readonly label: string } | undefined };
  const groups = arms.flatMap((arm): Group[] =>
    arm === 'bert-pretrained' && pretrained && pretrained.length > 0 ? pretrained.map((p) => ({ arm, model: p })) : [{ arm, model: undefined }],
  );
  for (const { arm, model } of groups) {
    for (const metric of METRICS) {
      const values = runs
        .filter((r) => r.arm === arm && r.test !== null && (model === undefined || r.modelId === model.modelId))
        .map((r) => r.test?.[metric])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      const n = values.length;
      if (n === 0) continue;
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
      out.push({ arm, metric, mean, sd, n, ...(model === undefined ? {} : { modelId: model.modelId, label: model.label }) });
    }
  }
  return out;
}

function armOf(settings: TrainSettings): CompareArm {
  if (settings.model.architecture === 'cnn') return 'cnn';
  return settings.model.init.from === 'model' ? 'bert-pretrained' : 'bert-random';
}

function compareOf(db: Database, row: Row): CompareSummary {
  const id = Number(row['id']);
  const runs = rows(db, `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN datasets d ON d.id = r.dataset_id WHERE r.compare_id = ? ORDER BY r.id`, [id]);
  return {
    id,
    name: String(row['name'] ?? ''),
    datasetId: Number(row['dataset_id'] ?? 0),
    datasetName: String(row['dataset_name'] ?? ''),
    settings: json<CompareSettings>(row['config_json'], {} as CompareSettings),
    status: runStatus(row['status']),
    createdAt: String(row['created_at'] ?? ''),
    runIds: runs.map((r) => Number(r['id'])),
    table: json<CompareRow[]>(row['result_json'], []),
  };
}

export function listCompares(store: ProjectStore): CompareSummary[] {
  return store.read((db) => rows(db, `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN datasets d ON d.id = r.dataset_id WHERE r.kind = 'compare' ORDER BY r.id`).map((r) => compareOf(db, r)));
}

export function getCompare(store: ProjectStore, id: number): CompareSummary {
  return store.read((db) => {
    const row = runRow(db, id);
    if (!row || row['kind'] !== 'compare') throw new ApiError('INVALID_REQUEST', `There is no compare experiment number ${id} in this project.`);
    return compareOf(db, row);
  });
}

/** Computes and stores the table from the arms' runs as they are now, and the experiment's status. */
export function finishCompare(store: ProjectStore, id: number, status: RunStatus, jobId: number | null): CompareSummary {
  const current = getCompare(store, id);
  const runs = current.runIds.map((rid) => {
    const detail = getRunDetail(store, rid);
    const init = detail.settings.model?.architecture === 'bert' ? detail.settings.model.init : undefined;
    return { arm: armOf(detail.settings), test: detail.status === 'success' ? detail.test : null, ...(init?.from === 'model' ? { modelId: init.modelId } : {}) };
  });
  const ids = current.settings.pretrainedModelIds;
  const pretrained = ids?.map((modelId) => {
    const name = store.read((db) => rows(db, 'SELECT name FROM models WHERE id = ?', [modelId])[0]?.['name']);
    return { modelId, label: typeof name === 'string' ? name : `model ${modelId}` };
  });
  const table = compareTable(current.settings.arms, runs, pretrained);
  store.write((db) =>
    db.run('UPDATE runs SET status = ?, finished_at = ?, result_json = ?, job_id = COALESCE(?, job_id) WHERE id = ?', [
      status,
      new Date().toISOString(),
      JSON.stringify(table),
      jobId,
      id,
    ]),
  );
  return getCompare(store, id);
}

// ---- models that come from outside a run (imported checkpoints) ----

export interface ModelRowInput {
  readonly name: string;
  readonly architecture: 'cnn' | 'bert';
  readonly role: 'classifier' | 'pretrained';
  /** Relative to artifacts/. */
  readonly artifactPath: string;
  readonly config: unknown;
  readonly licence: string;
  readonly classes: readonly string[];
  readonly parameters: number;
  readonly sizeBytes: number;
}

/** Inserts a model row without a run or dataset (one ProjectStore.write()) and returns its summary. */
export function insertModelRow(store: ProjectStore, m: ModelRowInput): ModelSummary {
  const id = store.write((db) => {
    db.run(
      `INSERT INTO models (name, kind, run_id, artifact_path, config_json, licence, created_at, role, dataset_id, classes_json, parameters, size_bytes)
       VALUES (?, ?, NULL, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      [m.name, m.architecture, m.artifactPath, JSON.stringify(m.config), m.licence, new Date().toISOString(), m.role, JSON.stringify(m.classes), m.parameters, m.sizeBytes],
    );
    return Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
  });
  return getModel(store, id).summary;
}
