import type { Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { notYet } from '../service/not-yet';

export type InferenceChannel =
  | typeof Invoke.modelsExportOnnx
  | typeof Invoke.inferenceStatus
  | typeof Invoke.predictionsList
  | typeof Invoke.predictionsGet
  | typeof Invoke.predictionsRows
  | typeof Invoke.predictionsVariants
  | typeof Invoke.predictionsTrack
  | typeof Invoke.predictionsDelete;

/** Prediction records, their rows and tracks, ONNX export. Starting predictions goes through jobs:start. */
export function inferenceHandlers(_ctx: ServiceContext): HandlerMap<InferenceChannel> {
  return {
    'models:exportOnnx': async () => notYet('ONNX export'),
    'inference:status': async () => notYet('Inference'),
    'predictions:list': async () => [],
    'predictions:get': async () => notYet('Predictions'),
    'predictions:rows': async () => notYet('Predictions'),
    'predictions:variants': async () => notYet('Variant scoring'),
    'predictions:track': async () => notYet('Scanning'),
    'predictions:delete': async () => notYet('Predictions'),
  };
}
