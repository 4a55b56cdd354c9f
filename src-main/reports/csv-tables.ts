/**
 * Every table of the app as CSV: the same columns the screens show, full precision (String(number) round-trips a
 * double exactly), one row per item. Column names are snake_case so R and pandas can use them as identifiers.
 */
import { ApiError, type CsvTable } from '../../src-shared/api';
import { allPredictionRows, allVariantRows, getPrediction } from '../inference/prediction-repository';
import type { ProjectStore } from '../project';
import { getCompare, getRunDetail, listModels, listRuns } from '../training/run-repository';
import type { CsvCell, CsvData } from './csv-writer';

export interface CsvExport {
  readonly title: string;
  readonly data: CsvData;
}

function predictionOfKind(store: ProjectStore, id: number, kind: 'predict' | 'scan' | 'variants', table: string) {
  const p = getPrediction(store, id);
  if (p.kind !== kind) {
    throw new ApiError('INVALID_REQUEST', `Prediction record ${id} is a ${p.kind} record, which has no ${table}; choose a ${kind} record.`);
  }
  return p;
}

function predictionRowsTable(store: ProjectStore, id: number): CsvExport {
  const p = predictionOfKind(store, id, 'predict', 'prediction rows');
  const rows = allPredictionRows(store, id).rows;
  const labelled = rows.some((r) => r.label !== undefined);
  const header = ['index', 'id', 'length', ...(labelled ? ['label', 'split'] : []), 'predicted', 'score', ...p.classes.map((c) => `p_${c}`)];
  return {
    title: `Predictions ${id}: ${p.name} (rows)`,
    data: {
      header,
      rows: rows.map((r): CsvCell[] => [r.index, r.id, r.length, ...(labelled ? [r.label ?? '', r.split ?? ''] : []), r.predicted, r.score, ...r.probabilities]),
    },
  };
}

function scanCallsTable(store: ProjectStore, id: number): CsvExport {
  const p = predictionOfKind(store, id, 'scan', 'called regions');
  if (p.result.kind !== 'scan') throw new ApiError('INTERNAL', `Prediction record ${id} has no scan result.`);
  const r = p.result;
  return {
    title: `Scan ${id}: ${p.name} (called regions)`,
    data: {
      // BED-style 0-based half-open coordinates, as the .bed file the scan wrote.
      header: ['chrom', 'start', 'end', 'score', 'strand', 'nearest_site_distance', 'nearest_site_name'],
      rows: r.calls.map((c) => [c.chrom, c.start, c.end, c.score, c.strand, c.nearestSite, c.nearestName]),
    },
  };
}

function variantRowsTable(store: ProjectStore, id: number): CsvExport {
  const p = predictionOfKind(store, id, 'variants', 'variant rows');
  const rows = [...allVariantRows(store, id)].sort((a, b) => a.index - b.index);
  return {
    title: `Variants ${id}: ${p.name} (rows)`,
    data: {
      header: ['index', 'id', 'chrom', 'pos', 'ref', 'alt', 'ref_probability', 'alt_probability', 'delta', 'log_odds_ratio'],
      rows: rows.map((v) => [v.index, v.id, v.chrom, v.pos, v.ref, v.alt, v.refProbability, v.altProbability, v.delta, v.logOddsRatio]),
    },
  };
}

function runHistoryTable(store: ProjectStore, runId: number): CsvExport {
  const run = getRunDetail(store, runId);
  return {
    title: `Training run ${runId}: ${run.name} (history)`,
    data: {
      header: ['epoch', 'train_loss', 'val_loss', 'val_accuracy', 'val_mcc', 'learning_rate', 'seconds'],
      rows: run.history.map((e) => [e.epoch, e.trainLoss, e.valLoss, e.valAccuracy, e.valMcc, e.learningRate, e.seconds]),
    },
  };
}

function runMetricsTable(store: ProjectStore, runId: number): CsvExport {
  const run = getRunDetail(store, runId);
  const t = run.test;
  if (!t) throw new ApiError('INVALID_REQUEST', `Run ${runId} has no test metrics (status: ${run.status}); export its history instead.`);
  const overall = t.classes.length === 2 ? `overall (class ${t.classes[1] ?? ''})` : 'overall (macro)';
  return {
    title: `Training run ${runId}: ${run.name} (test metrics)`,
    data: {
      header: ['class', 'precision', 'recall', 'f1', 'support', 'accuracy', 'mcc', 'roc_auc', 'pr_auc'],
      rows: [
        ...t.perClass.map((c): CsvCell[] => [c.label, c.precision, c.recall, c.f1, c.support]),
        [overall, t.precision, t.recall, t.f1, t.perClass.reduce((a, c) => a + c.support, 0), t.accuracy, t.mcc, t.rocAuc, t.prAuc],
      ],
    },
  };
}

function compareTableCsv(store: ProjectStore, compareId: number): CsvExport {
  const c = getCompare(store, compareId);
  return {
    title: `Compare experiment ${compareId}: ${c.name} (mean ± sd)`,
    data: { header: ['arm', 'metric', 'mean', 'sd', 'n'], rows: c.table.map((r) => [r.arm, r.metric, r.mean, r.sd, r.n]) },
  };
}

function modelsTable(store: ProjectStore): CsvExport {
  return {
    title: 'Models',
    data: {
      header: ['id', 'name', 'architecture', 'role', 'run_id', 'dataset', 'classes', 'parameters', 'size_bytes', 'created_at', 'licence'],
      rows: listModels(store).map((m) => [m.id, m.name, m.architecture, m.role, m.runId, m.datasetName, m.classes.join(';'), m.parameters, m.sizeBytes, m.createdAt, m.licence]),
    },
  };
}

function runsTable(store: ProjectStore): CsvExport {
  return {
    title: 'Training runs',
    data: {
      header: ['id', 'name', 'dataset', 'architecture', 'status', 'seed', 'backend', 'threads', 'epochs_done', 'best_epoch', 'accuracy', 'f1', 'mcc', 'roc_auc', 'pr_auc', 'compare_id', 'created_at', 'finished_at'],
      rows: listRuns(store).map((r) => [
        r.id,
        r.name,
        r.datasetName,
        r.architecture,
        r.status,
        r.seed,
        r.backend,
        r.threads,
        r.epochsDone,
        r.bestEpoch,
        r.test?.accuracy,
        r.test?.f1,
        r.test?.mcc,
        r.test?.rocAuc,
        r.test?.prAuc,
        r.compareId,
        r.createdAt,
        r.finishedAt,
      ]),
    },
  };
}

export function csvExport(store: ProjectStore, table: CsvTable): CsvExport {
  switch (table.kind) {
    case 'prediction-rows':
      return predictionRowsTable(store, table.predictionId);
    case 'scan-calls':
      return scanCallsTable(store, table.predictionId);
    case 'variant-rows':
      return variantRowsTable(store, table.predictionId);
    case 'run-history':
      return runHistoryTable(store, table.runId);
    case 'run-metrics':
      return runMetricsTable(store, table.runId);
    case 'compare-table':
      return compareTableCsv(store, table.compareId);
    case 'models':
      return modelsTable(store);
    case 'runs':
      return runsTable(store);
  }
}
