import { ApiError, type Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';

export type TrainingChannel =
  | typeof Invoke.trainingPreflight
  | typeof Invoke.runsList
  | typeof Invoke.runsGet
  | typeof Invoke.runsDelete
  | typeof Invoke.modelsList
  | typeof Invoke.modelsDelete
  | typeof Invoke.compareList
  | typeof Invoke.compareGet;

// Placeholder until the training module lands; replaced by it.
export function trainingHandlers(_ctx: ServiceContext): HandlerMap<TrainingChannel> {
  const notYet = async (): Promise<never> => {
    throw new ApiError('UNSUPPORTED', 'Training is not available in this build yet.');
  };
  return {
    'training:preflight': notYet,
    'runs:list': async () => [],
    'runs:get': notYet,
    'runs:delete': notYet,
    'models:list': async () => [],
    'models:delete': notYet,
    'compare:list': async () => [],
    'compare:get': notYet,
  };
}
