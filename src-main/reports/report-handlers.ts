import type { Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { notYet } from '../service/not-yet';

export type ReportChannel = typeof Invoke.reportsPdf | typeof Invoke.reportsCsv | typeof Invoke.reportsList;

export function reportHandlers(_ctx: ServiceContext): HandlerMap<ReportChannel> {
  return {
    'reports:pdf': async () => notYet('PDF reports'),
    'reports:csv': async () => notYet('CSV export'),
    'reports:list': async () => [],
  };
}
