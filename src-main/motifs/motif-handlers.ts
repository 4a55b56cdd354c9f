import path from 'node:path';
import type { Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { optionalString, requireInteger, requireString } from '../service/request-validation';
import { BUNDLED_MOTIFS_FILE, collectionOf, findMotif, loadMotifFile } from './motif-collection';
import { detailOf } from './pwm';
import { listMotifScans, topMotifs } from './scan-repository';

export type MotifChannel = typeof Invoke.motifsLoad | typeof Invoke.motifsGet | typeof Invoke.motifScansList | typeof Invoke.motifScansTop;

/** Top motifs per region shown at most (the page asks for 3-5). */
const MAX_TOP = 50;
const MAX_PAGE = 500;

function motifsPathOf(request: unknown): string {
  const p = optionalString(request ?? {}, 'path');
  return p === undefined || p.trim() === '' ? BUNDLED_MOTIFS_FILE : path.resolve(p);
}

export function motifHandlers(ctx: ServiceContext): HandlerMap<MotifChannel> {
  return {
    // Motif files do not need a project: the browser works before one is open.
    'motifs:load': async (request) => collectionOf(loadMotifFile(motifsPathOf(request))),
    'motifs:get': async (request) => detailOf(findMotif(loadMotifFile(motifsPathOf(request)), requireString(request, 'id', 'the motif id'))),
    'motifScans:list': async () => listMotifScans(ctx.requireProject()),
    'motifScans:top': async (request) => {
      const top = request.top === undefined ? 5 : requireInteger(request, 'top');
      const offset = requireInteger(request, 'offset');
      const limit = requireInteger(request, 'limit');
      return topMotifs(ctx.requireProject(), requireInteger(request, 'id'), offset, Math.min(MAX_PAGE, limit), Math.max(1, Math.min(MAX_TOP, top)));
    },
  };
}
