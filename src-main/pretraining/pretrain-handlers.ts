/** Pretraining runs, ablations and the preflight estimate. Starting and resuming go through jobs:start. */
import { ApiError, type Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { requireInteger } from '../service/request-validation';
import { corpusDataset } from './pretrain-jobs';
import { pretrainPreflight } from './pretrain-preflight';
import { getAblation, getPretrain, listAblations, listPretrains } from './pretrain-repository';
import { parsePretrainSettings } from './pretrain-settings';

export type PretrainChannel =
  | typeof Invoke.pretrainPreflight
  | typeof Invoke.pretrainList
  | typeof Invoke.pretrainGet
  | typeof Invoke.ablationList
  | typeof Invoke.ablationGet;

function positiveId(request: unknown): number {
  const id = requireInteger(request, 'id');
  if (id < 1) throw new ApiError('INVALID_REQUEST', '"id" must be a positive whole number.');
  return id;
}

export function pretrainHandlers(ctx: ServiceContext): HandlerMap<PretrainChannel> {
  return {
    'pretrain:preflight': async (req) => {
      const store = ctx.requireProject();
      if (typeof req !== 'object' || req === null) throw new ApiError('INVALID_REQUEST', 'The request is missing its fields.');
      const settings = parsePretrainSettings((req as { settings?: unknown }).settings);
      return pretrainPreflight(settings, corpusDataset(store, settings));
    },
    'pretrain:list': async () => listPretrains(ctx.requireProject()),
    'pretrain:get': async (req) => getPretrain(ctx.requireProject(), positiveId(req)),
    'ablation:list': async () => listAblations(ctx.requireProject()),
    'ablation:get': async (req) => getAblation(ctx.requireProject(), positiveId(req)),
  };
}
