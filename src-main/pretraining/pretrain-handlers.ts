import type { Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { notYet } from '../service/not-yet';

export type PretrainChannel =
  | typeof Invoke.pretrainPreflight
  | typeof Invoke.pretrainList
  | typeof Invoke.pretrainGet
  | typeof Invoke.ablationList
  | typeof Invoke.ablationGet;

export function pretrainHandlers(_ctx: ServiceContext): HandlerMap<PretrainChannel> {
  return {
    'pretrain:preflight': async () => notYet('Pretraining'),
    'pretrain:list': async () => [],
    'pretrain:get': async () => notYet('Pretraining'),
    'ablation:list': async () => [],
    'ablation:get': async () => notYet('The ablation experiment'),
  };
}
