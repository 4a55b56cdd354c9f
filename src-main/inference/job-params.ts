/**
 * What main hands the worker for an inference job (prepare) and what the worker hands back (the staged prediction
 * that finalize commits). Plain JSON: it travels between processes.
 */
import { ApiError, type InferenceEngine, type PredictionKind, type PredictionResult } from '../../src-shared/api';
import type { ResolvedDataset } from './predict-inputs';

export interface InferenceJob {
  readonly kind: PredictionKind;
  /** The settings as the user gave them (checked in main). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly modelId: number;
  readonly modelName: string;
  /** Absolute folder of the saved model. */
  readonly modelDir: string;
  /** artifacts/.staging/<uuid>/: the worker writes only here. */
  readonly stagingDir: string;
  readonly artifactsDir: string;
  readonly name: string;
  readonly dataset?: ResolvedDataset;
}

export interface StagedPrediction {
  readonly kind: PredictionKind;
  readonly name: string;
  readonly inputHash: string;
  readonly inputDescription: string;
  readonly engine: InferenceEngine;
  readonly backend: string;
  readonly count: number;
  readonly seconds: number;
  readonly result: PredictionResult;
  readonly stagingDir: string;
}

export function inferenceJobOf(params: Readonly<Record<string, unknown>>): InferenceJob {
  const j = params['job'] as InferenceJob | undefined;
  if (!j || typeof j.modelDir !== 'string' || typeof j.stagingDir !== 'string' || typeof j.settings !== 'object') {
    throw new ApiError('INVALID_REQUEST', 'The inference job is incomplete; start it from the app or the dnalm command.');
  }
  return j;
}
