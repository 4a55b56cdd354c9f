import { Events, type Invoke } from '../../src-shared/api';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { requireString } from '../service/request-validation';
import { listReports, parseCsvOptions, parseCsvTable, parseSubject, writeCsvReport, writePdfReport } from './report-service';

export type ReportChannel = typeof Invoke.reportsPdf | typeof Invoke.reportsCsv | typeof Invoke.reportsList;

/** PDF and CSV reports written where the user chose, and the list of those written before. */
export function reportHandlers(ctx: ServiceContext): HandlerMap<ReportChannel> {
  return {
    'reports:pdf': async (req) => {
      const store = ctx.requireProject();
      const subject = parseSubject((req as { subject?: unknown } | null)?.subject);
      const file = await writePdfReport(store, subject, requireString(req, 'path', 'the file to write the report to'));
      ctx.emit(Events.reportsChanged, listReports(store));
      return file;
    },
    'reports:csv': async (req) => {
      const store = ctx.requireProject();
      const r = req as { table?: unknown; options?: unknown } | null;
      const table = parseCsvTable(r?.table);
      const options = parseCsvOptions(r?.options);
      const file = writeCsvReport(store, table, requireString(req, 'path', 'the file to write the table to'), options);
      ctx.emit(Events.reportsChanged, listReports(store));
      return file;
    },
    'reports:list': async () => listReports(ctx.requireProject()),
  };
}
