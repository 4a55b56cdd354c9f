/** `dnalm report`: the PDF of a run, compare experiment or prediction record, or any table as CSV. */
import type { CsvOptions, CsvTable, ReportFile, ReportSubject } from '../../src-shared/api';
import { getPrediction } from '../inference/prediction-repository';
import type { ProjectStore } from '../project';
import { writeCsvReport, writePdfReport } from '../reports/report-service';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, bool, text, wholeNumber } from './flags';
import { withStore } from './job-session';

export const REPORT_VALUED_FLAGS = ['run', 'compare', 'prediction', 'pdf', 'csv', 'table', 'delimiter'];

export const REPORT_USAGE = `  dnalm report PROJECT (--run ID | --compare ID | --prediction ID) --pdf FILE [--json]
                                           a PDF report: data and its hash, settings, metrics and charts, model
                                           lineage, app version and licences
  dnalm report PROJECT [--run ID | --compare ID | --prediction ID] --csv FILE [--table T] [--bom]
                 [--delimiter comma|tab|semicolon] [--json]
                                           a table as CSV (RFC 4180, CRLF); --table: history or metrics (a run),
                                           rows, calls or variants (a prediction record; default: its kind's table),
                                           runs or models (no subject); --bom for spreadsheet programs`;

const USAGE_LINE = 'dnalm report PROJECT (--run ID | --compare ID | --prediction ID) (--pdf FILE | --csv FILE [--table T] [--bom])';

/** A record number; unlike flags.int() the error repeats the usage, as the three subject flags are easily confused. */
function idFlag(args: ParsedArgs, name: string): number | undefined {
  const value = args.flags.get(name);
  if (value === undefined) return undefined;
  return (value === true ? undefined : wholeNumber(value, 1)) ?? bad(`--${name} must be a positive whole number: ${USAGE_LINE}`);
}

function subjectOf(args: ParsedArgs): ReportSubject | null {
  const run = idFlag(args, 'run');
  const compare = idFlag(args, 'compare');
  const prediction = idFlag(args, 'prediction');
  const given = [run, compare, prediction].filter((v) => v !== undefined).length;
  if (given > 1) bad(`Give one of --run, --compare and --prediction: ${USAGE_LINE}`);
  if (run !== undefined) return { kind: 'run', runId: run };
  if (compare !== undefined) return { kind: 'compare', compareId: compare };
  if (prediction !== undefined) return { kind: 'prediction', predictionId: prediction };
  return null;
}

function csvTableOf(store: ProjectStore, subject: ReportSubject | null, table: string | undefined): CsvTable {
  if (!subject) {
    if (table === 'runs' || table === 'models') return { kind: table };
    return bad(`Without --run, --compare or --prediction, --table must be runs or models: ${USAGE_LINE}`);
  }
  if (subject.kind === 'run') {
    if (table === undefined || table === 'metrics') return { kind: 'run-metrics', runId: subject.runId };
    if (table === 'history') return { kind: 'run-history', runId: subject.runId };
    return bad(`For a run, --table is metrics (the default) or history.`);
  }
  if (subject.kind === 'compare') {
    if (table === undefined || table === 'compare') return { kind: 'compare-table', compareId: subject.compareId };
    return bad('A compare experiment has one table (mean ± sd); leave out --table.');
  }
  const id = subject.predictionId;
  const kind = table ?? { predict: 'rows', scan: 'calls', variants: 'variants', explain: '' }[getPrediction(store, id).kind];
  if (kind === 'rows') return { kind: 'prediction-rows', predictionId: id };
  if (kind === 'calls') return { kind: 'scan-calls', predictionId: id };
  if (kind === 'variants') return { kind: 'variant-rows', predictionId: id };
  if (kind === '') return bad(`Prediction record ${id} is an explanation, which has no table; write its PDF with --pdf.`);
  return bad(`For a prediction record, --table is rows, calls or variants.`);
}

function csvOptionsOf(args: ParsedArgs): CsvOptions {
  const d = text(args, 'delimiter');
  const delimiters: Record<string, ',' | '\t' | ';'> = { comma: ',', ',': ',', tab: '\t', '\t': '\t', semicolon: ';', ';': ';' };
  const delimiter = d === undefined ? undefined : (delimiters[d] ?? bad('--delimiter must be comma, tab or semicolon.'));
  return { ...(bool(args, 'bom') ? { bom: true } : {}), ...(delimiter !== undefined ? { delimiter } : {}) };
}

export async function report(args: ParsedArgs, out: Output): Promise<void> {
  const project = args.positional[1] ?? bad(`Give the project folder: ${USAGE_LINE}`);
  const pdf = text(args, 'pdf');
  const csv = text(args, 'csv');
  if ((pdf === undefined) === (csv === undefined)) bad(`Give one of --pdf FILE and --csv FILE: ${USAGE_LINE}`);
  const subject = subjectOf(args);
  const table = text(args, 'table');
  await withStore(project, false, async (store) => {
    let file: ReportFile;
    if (pdf !== undefined) {
      if (!subject) bad(`Say what the PDF is about with --run, --compare or --prediction: ${USAGE_LINE}`);
      file = await writePdfReport(store, subject as ReportSubject, pdf);
      out.print(`Wrote ${file.path} (${file.count} pages, ${file.bytes.toLocaleString('en')} bytes).`, file);
    } else {
      const target = csv ?? bad('--csv needs a file name.');
      file = writeCsvReport(store, csvTableOf(store, subject, table), target, csvOptionsOf(args));
      out.print(`Wrote ${file.path} (${file.count.toLocaleString('en')} rows, ${file.bytes.toLocaleString('en')} bytes).`, file);
    }
  });
}
