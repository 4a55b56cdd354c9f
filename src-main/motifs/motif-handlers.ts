import type { Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { notYet } from '../service/not-yet';

export type MotifChannel = typeof Invoke.motifsLoad | typeof Invoke.motifsGet | typeof Invoke.motifScansList | typeof Invoke.motifScansTop;

export function motifHandlers(_ctx: ServiceContext): HandlerMap<MotifChannel> {
  return {
    'motifs:load': async () => notYet('Motifs'),
    'motifs:get': async () => notYet('Motifs'),
    'motifScans:list': async () => [],
    'motifScans:top': async () => notYet('Motif scans'),
  };
}
