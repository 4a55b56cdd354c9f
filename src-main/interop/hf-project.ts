/** Import and export against a project: the models table and `artifacts/models/`. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type ModelSummary } from '../../src-shared/api';
import { getDataset } from '../datasets/dataset-repository';
import { appVersion } from '../paths';
import type { ProjectStore } from '../project';
import { MODELS_DIR, readModel, writeModel } from '../training/artifacts';
import { getModel, getRunDetail, insertModelRow } from '../training/run-repository';
import { type ExportResult, writeHfFolder } from './hf-export';
import { type HfImportReport, readHfCheckpoint } from './hf-import';
import type { ModelCardInfo } from './model-card';
import { InteropError } from './tensors';

/** Written beside model.json for an imported model: where it came from and what the import did. */
export const IMPORT_RECORD = 'import.json';

export interface HfImportRequest {
  readonly path: string;
  readonly name?: string;
  readonly licence: string;
  readonly licenceConfirmed: boolean;
}

async function asApiError<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof InteropError) throw new ApiError('INVALID_REQUEST', err.message);
    throw err;
  }
}

export async function importHfModel(store: ProjectStore, req: HfImportRequest): Promise<{ summary: ModelSummary; report: HfImportReport }> {
  if (req.licence.trim() === '') throw new ApiError('INVALID_REQUEST', 'Give the licence of the weights (for example "Apache-2.0" or the terms you received them under).');
  if (!req.licenceConfirmed) throw new ApiError('INVALID_REQUEST', 'Confirm that the licence of these weights allows you to use them before importing.');
  const source = path.resolve(req.path);
  const converted = await asApiError(() => readHfCheckpoint(source));
  const rel = `${MODELS_DIR}/import-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;
  const dir = path.join(store.artifactsDir, rel);
  try {
    const bytes = writeModel(dir, converted.config, converted.weights);
    const record = { ...converted.report, licence: req.licence.trim(), importedAt: new Date().toISOString(), appVersion };
    fs.writeFileSync(path.join(dir, IMPORT_RECORD), JSON.stringify(record, null, 1));
    const summary = insertModelRow(store, {
      name: req.name?.trim() || path.basename(source),
      architecture: 'bert',
      role: converted.config.role,
      artifactPath: rel,
      config: converted.config,
      licence: req.licence.trim(),
      classes: converted.config.classes,
      parameters: converted.config.parameters,
      sizeBytes: bytes,
    });
    return { summary, report: converted.report };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function readImportRecord(dir: string): (HfImportReport & { licence?: string }) | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, IMPORT_RECORD), 'utf8')) as HfImportReport & { licence?: string };
  } catch {
    return null;
  }
}

/** What the model card says about a project model: its run's dataset (hash, licence), settings and test metrics. */
function cardInfo(store: ProjectStore, summary: ModelSummary, dir: string): ModelCardInfo {
  let info: ModelCardInfo = { name: summary.name, appVersion, modelLicence: summary.licence, createdAt: new Date().toISOString() };
  if (summary.runId !== null) {
    try {
      const run = getRunDetail(store, summary.runId);
      info = { ...info, settings: run.settings, test: run.test };
      const d = getDataset(store, run.settings.datasetId).summary;
      info = { ...info, dataset: { name: d.name, contentHash: d.contentHash, licence: d.licence, records: d.records } };
    } catch {
      // the run or its dataset was deleted: the card says less
    }
  }
  const imported = readImportRecord(dir);
  if (imported) info = { ...info, source: { path: imported.source, files: imported.files, hiddenAct: imported.hiddenAct } };
  return info;
}

export async function exportHfModel(store: ProjectStore, id: number, out: string): Promise<ExportResult> {
  if (typeof out !== 'string' || out.trim() === '') throw new ApiError('INVALID_REQUEST', 'Give the folder to export to.');
  const { summary, dir } = getModel(store, id);
  if (summary.architecture !== 'bert') throw new ApiError('INVALID_REQUEST', `"${summary.name}" is a CNN; only BERT models can be exported as Hugging Face checkpoints.`);
  const target = path.resolve(out);
  const artifacts = path.resolve(store.artifactsDir);
  if (target === artifacts || target.startsWith(`${artifacts}${path.sep}`)) throw new ApiError('INVALID_REQUEST', 'Export to a folder outside the project.');
  let model: ReturnType<typeof readModel>;
  try {
    model = readModel(dir);
  } catch {
    throw new ApiError('INVALID_REQUEST', `The files of the model "${summary.name}" are missing or damaged.`);
  }
  return asApiError(() => writeHfFolder(model, target, cardInfo(store, summary, dir)));
}
