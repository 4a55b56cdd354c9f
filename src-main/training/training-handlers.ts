import { ApiError, Events, type Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { requireInteger } from '../service/request-validation';
import { exportHfModel, importHfModel } from '../interop/hf-project';
import { preflight } from './preflight';
import { deleteModel, deleteRun, getCompare, getRunDetail, listCompares, listModels, listRuns } from './run-repository';
import { parseTrainSettings } from './settings';
import { trainableDataset } from './training-jobs';

export type TrainingChannel =
  | typeof Invoke.trainingPreflight
  | typeof Invoke.runsList
  | typeof Invoke.runsGet
  | typeof Invoke.runsDelete
  | typeof Invoke.modelsList
  | typeof Invoke.modelsDelete
  | typeof Invoke.modelsImportHf
  | typeof Invoke.modelsExportHf
  | typeof Invoke.compareList
  | typeof Invoke.compareGet;

function positiveId(request: unknown): number {
  const id = requireInteger(request, 'id');
  if (id < 1) throw new ApiError('INVALID_REQUEST', '"id" must be a positive whole number.');
  return id;
}

/** Runs, models, compare experiments and the preflight estimate. Starting and resuming go through jobs:start. */
export function trainingHandlers(ctx: ServiceContext): HandlerMap<TrainingChannel> {
  return {
    'training:preflight': async (req) => {
      const store = ctx.requireProject();
      if (typeof req !== 'object' || req === null) throw new ApiError('INVALID_REQUEST', 'The request is missing its fields.');
      const settings = parseTrainSettings((req as { settings?: unknown }).settings);
      const { warning: _warning, ...estimate } = await preflight(settings, trainableDataset(store, settings.datasetId).summary);
      return estimate;
    },
    'runs:list': async () => listRuns(ctx.requireProject()),
    'runs:get': async (req) => getRunDetail(ctx.requireProject(), positiveId(req)),
    'runs:delete': async (req) => {
      const store = ctx.requireProject();
      deleteRun(store, positiveId(req));
      ctx.emit(Events.runsChanged, listRuns(store));
      ctx.emit(Events.modelsChanged, listModels(store));
      return null;
    },
    'models:list': async () => listModels(ctx.requireProject()),
    'models:delete': async (req) => {
      const store = ctx.requireProject();
      deleteModel(store, positiveId(req));
      ctx.emit(Events.modelsChanged, listModels(store));
      ctx.emit(Events.runsChanged, listRuns(store));
      return null;
    },
    'models:importHf': async (req) => {
      const store = ctx.requireProject();
      const r = (typeof req === 'object' && req !== null ? req : {}) as Record<string, unknown>;
      if (typeof r['path'] !== 'string' || r['path'] === '') throw new ApiError('INVALID_REQUEST', '"path" must name the checkpoint folder.');
      if (r['name'] !== undefined && typeof r['name'] !== 'string') throw new ApiError('INVALID_REQUEST', '"name" must be text.');
      if (typeof r['licence'] !== 'string') throw new ApiError('INVALID_REQUEST', '"licence" must be text.');
      const { summary } = await importHfModel(store, {
        path: r['path'],
        licence: r['licence'],
        licenceConfirmed: r['licenceConfirmed'] === true,
        ...(typeof r['name'] === 'string' ? { name: r['name'] } : {}),
      });
      ctx.emit(Events.modelsChanged, listModels(store));
      return summary;
    },
    'models:exportHf': async (req) => {
      const store = ctx.requireProject();
      const id = positiveId(req);
      const out = (req as { path?: unknown }).path;
      if (typeof out !== 'string' || out === '') throw new ApiError('INVALID_REQUEST', '"path" must name the folder to export to.');
      return exportHfModel(store, id, out);
    },
    'compare:list': async () => listCompares(ctx.requireProject()),
    'compare:get': async (req) => getCompare(ctx.requireProject(), positiveId(req)),
  };
}
