/**
 * Prediction records in the project: rows of `predictions` (summary and result JSON) and their files under
 * artifacts/predictions/<id>/. Read by the handlers, the reports and the CLI.
 */
import type {
  PredictionDetail,
  PredictionRowsPage,
  PredictionRowsQuery,
  PredictionSummary,
  ScanTrack,
  VariantRowsPage,
} from '../../src-shared/api';
import type { ProjectStore } from '../project';
import { notYet } from '../service/not-yet';

export function listPredictions(_store: ProjectStore): PredictionSummary[] {
  return [];
}

export function getPrediction(_store: ProjectStore, _id: number): PredictionDetail {
  return notYet('Predictions');
}

export function predictionRows(_store: ProjectStore, _query: PredictionRowsQuery): PredictionRowsPage {
  return notYet('Predictions');
}

export function variantRows(
  _store: ProjectStore,
  _query: { id: number; offset: number; limit: number; sortBy?: 'index' | 'delta' | 'absDelta'; descending?: boolean },
): VariantRowsPage {
  return notYet('Variant scoring');
}

export function scanTrack(_store: ProjectStore, _query: { id: number; start?: number; end?: number; maxPoints?: number }): ScanTrack {
  return notYet('Scanning');
}
