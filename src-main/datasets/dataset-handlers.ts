import { ApiError, type Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';

type DatasetChannel =
  | typeof Invoke.datasetsList
  | typeof Invoke.datasetsGet
  | typeof Invoke.datasetsRecords
  | typeof Invoke.datasetsPreview
  | typeof Invoke.datasetsUpdate
  | typeof Invoke.datasetsDelete
  | typeof Invoke.datasetsExport;

// Placeholder until the datasets pipeline lands; replaced by the datasets module.
export function datasetHandlers(_ctx: ServiceContext): HandlerMap<DatasetChannel> {
  const notYet = async (): Promise<never> => {
    throw new ApiError('UNSUPPORTED', 'Datasets are not available in this build yet.');
  };
  return {
    'datasets:list': async () => [],
    'datasets:get': notYet,
    'datasets:records': notYet,
    'datasets:preview': notYet,
    'datasets:update': notYet,
    'datasets:delete': notYet,
    'datasets:export': notYet,
  };
}
