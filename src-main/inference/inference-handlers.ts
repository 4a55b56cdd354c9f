import { Events, type Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { requireInteger, requireString } from '../service/request-validation';
import { exportOnnxModel } from './onnx/onnx-export';
import { onnxRuntimeStatus } from './onnx/onnx-runtime';
import { deletePrediction, getPrediction, listPredictions, predictionRows, scanTrack, variantRows } from './prediction-repository';

export type InferenceChannel =
  | typeof Invoke.modelsExportOnnx
  | typeof Invoke.inferenceStatus
  | typeof Invoke.predictionsList
  | typeof Invoke.predictionsGet
  | typeof Invoke.predictionsRows
  | typeof Invoke.predictionsVariants
  | typeof Invoke.predictionsTrack
  | typeof Invoke.predictionsDelete;

const optionalInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : undefined);

/** Prediction records, their rows and tracks, ONNX export. Starting predictions goes through jobs:start. */
export function inferenceHandlers(ctx: ServiceContext): HandlerMap<InferenceChannel> {
  return {
    'models:exportOnnx': async (r) => exportOnnxModel(ctx.requireProject(), requireInteger(r, 'id'), requireString(r, 'path', 'the .onnx file to write')),
    // Only finds the package (require.resolve + its package.json): main never loads native inference code.
    'inference:status': async () => onnxRuntimeStatus(),
    'predictions:list': async () => listPredictions(ctx.requireProject()),
    'predictions:get': async (r) => getPrediction(ctx.requireProject(), requireInteger(r, 'id')),
    'predictions:rows': async (r) => {
      const id = requireInteger(r, 'id');
      const sortBy = r.sortBy === 'score' ? 'score' : 'index';
      return predictionRows(ctx.requireProject(), {
        id,
        offset: optionalInt(r.offset) ?? 0,
        limit: Math.min(optionalInt(r.limit) ?? 100, 10_000),
        sortBy,
        descending: r.descending === true,
        ...(typeof r.predicted === 'string' ? { predicted: r.predicted } : {}),
        ...(typeof r.search === 'string' ? { search: r.search } : {}),
      });
    },
    'predictions:variants': async (r) => {
      const sortBy = r.sortBy === 'delta' || r.sortBy === 'absDelta' ? r.sortBy : 'index';
      return variantRows(ctx.requireProject(), {
        id: requireInteger(r, 'id'),
        offset: optionalInt(r.offset) ?? 0,
        limit: Math.min(optionalInt(r.limit) ?? 100, 10_000),
        sortBy,
        descending: r.descending === true,
      });
    },
    'predictions:track': async (r) => {
      const start = optionalInt(r.start);
      const end = optionalInt(r.end);
      const maxPoints = optionalInt(r.maxPoints);
      return scanTrack(ctx.requireProject(), {
        id: requireInteger(r, 'id'),
        ...(start === undefined ? {} : { start }),
        ...(end === undefined ? {} : { end }),
        ...(maxPoints === undefined ? {} : { maxPoints }),
      });
    },
    'predictions:delete': async (r) => {
      const store = ctx.requireProject();
      deletePrediction(store, requireInteger(r, 'id'));
      ctx.emit(Events.predictionsChanged, listPredictions(store));
      return null;
    },
  };
}
