/** Reading what a report needs from the project: runs, experiments, prediction records and model lineage. */
import type { DatasetSummary, PredictionDetail } from '../../src-shared/api';
import { getDataset } from '../datasets/dataset-repository';
import { getPrediction, predictionRows, scanTrack, variantRows } from '../inference/prediction-repository';
import { appName, appVersion } from '../paths';
import type { ProjectStore } from '../project';
import { readDataLicences } from '../service/about';
import { getCompare, getModel, getRunDetail, getRunSummary } from '../training/run-repository';
import { REPORT_TOP_ROWS, type PredictionReportInput } from './prediction-report';
import type { LineageDataset, LineageModel, ReportMeta } from './report-parts';
import type { CompareReportInput, RunReportInput } from './run-report';

/** Points per strand of a scan track in a report: enough for a page-wide plot, few enough to keep the PDF small. */
const TRACK_POINTS = 2000;

export function reportMeta(now = new Date()): ReportMeta {
  return { appName, appVersion, createdAt: now, dataLicences: readDataLicences() };
}

function datasetOrNull(store: ProjectStore, id: number): DatasetSummary | null {
  try {
    return getDataset(store, id).summary;
  } catch {
    return null; // deleted after training: the report says so instead of failing
  }
}

function lineageDataset(d: DatasetSummary | null): LineageDataset | null {
  return d ? { id: d.id, name: d.name, contentHash: d.contentHash, records: d.records, licence: d.licence } : null;
}

/** The model, the run that trained it, its dataset and the model it was fine-tuned from, as far as they still exist. */
export function modelLineage(store: ProjectStore, modelId: number, depth = 0): LineageModel | null {
  let model;
  try {
    model = getModel(store, modelId).summary;
  } catch {
    return null;
  }
  let run: LineageModel['run'] = null;
  let dataset: LineageDataset | null = null;
  let startedFrom: LineageModel | null = null;
  if (model.runId !== null) {
    try {
      const detail = getRunDetail(store, model.runId);
      run = { id: detail.id, name: detail.name, seed: detail.seed };
      dataset = lineageDataset(datasetOrNull(store, detail.datasetId));
      const m = detail.settings.model;
      // Depth guard: lineage is a chain in practice, but a damaged project must not loop forever.
      if (m.architecture === 'bert' && m.init.from === 'model' && depth < 8) startedFrom = modelLineage(store, m.init.modelId, depth + 1);
    } catch {
      run = null;
    }
  }
  return {
    id: model.id,
    name: model.name,
    architecture: model.architecture,
    role: model.role,
    parameters: model.parameters,
    classes: model.classes,
    licence: model.licence,
    run,
    dataset,
    startedFrom,
  };
}

export function runReportInput(store: ProjectStore, runId: number, meta: ReportMeta): RunReportInput {
  const run = getRunDetail(store, runId);
  let compare: RunReportInput['compare'] = null;
  if (run.compareId !== null) {
    try {
      const summary = getCompare(store, run.compareId);
      compare = { summary, runs: summary.runIds.map((id) => getRunSummary(store, id)) };
    } catch {
      compare = null;
    }
  }
  return { meta, run, dataset: datasetOrNull(store, run.datasetId), model: run.modelId === null ? null : modelLineage(store, run.modelId), compare };
}

export function compareReportInput(store: ProjectStore, compareId: number, meta: ReportMeta): CompareReportInput {
  const compare = getCompare(store, compareId);
  return { meta, compare, runs: compare.runIds.map((id) => getRunSummary(store, id)), dataset: datasetOrNull(store, compare.datasetId) };
}

/** The record and the rows its kind of report shows. */
export function predictionReportInput(store: ProjectStore, predictionId: number, meta: ReportMeta): PredictionReportInput {
  const prediction: PredictionDetail = getPrediction(store, predictionId);
  const base = { meta, prediction, model: modelLineage(store, prediction.modelId) };
  switch (prediction.result.kind) {
    case 'predict':
      return { ...base, topRows: predictionRows(store, { id: predictionId, offset: 0, limit: REPORT_TOP_ROWS, sortBy: 'score', descending: true }).rows };
    case 'scan':
      return { ...base, track: scanTrack(store, { id: predictionId, maxPoints: TRACK_POINTS }) };
    case 'variants': {
      const page = variantRows(store, { id: predictionId, offset: 0, limit: REPORT_TOP_ROWS, sortBy: 'absDelta', descending: true });
      return { ...base, variants: { rows: page.rows, total: page.total } };
    }
    default:
      return base;
  }
}
