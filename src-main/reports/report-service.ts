/**
 * Writing reports and remembering them: the PDF or CSV goes to the user's chosen path (atomically), then one row in
 * the `reports` table records it for the Reports page. Used by the IPC handlers and by `dnalm report`.
 */
import path from 'node:path';
import { ApiError, type CsvOptions, type CsvTable, type ReportFile, type ReportRecord, type ReportSubject } from '../../src-shared/api';
import type { ProjectStore } from '../project';
import { rows } from '../training/run-repository';
import { csvExport } from './csv-tables';
import { writeCsvFile } from './csv-writer';
import { loadReportEngines, renderPdf } from './pdf-render';
import { buildPredictionReport } from './prediction-report';
import { compareReportInput, predictionReportInput, reportMeta, runReportInput } from './report-data';
import { assertOutsideProject, writeReportFile } from './report-file';
import { buildCompareReport, buildRunReport } from './run-report';

function bad(message: string): never {
  throw new ApiError('INVALID_REQUEST', message);
}

function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) bad(`"${field}" must be a positive whole number.`);
  return value;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`Say ${what}.`);
  return value as Record<string, unknown>;
}

/** Requests cross a process boundary: the subject is checked field by field. */
export function parseSubject(value: unknown): ReportSubject {
  const s = record(value, 'what the report is about ("subject": a run, a compare experiment or a prediction record)');
  if (s['kind'] === 'run') return { kind: 'run', runId: positiveInt(s['runId'], 'runId') };
  if (s['kind'] === 'compare') return { kind: 'compare', compareId: positiveInt(s['compareId'], 'compareId') };
  if (s['kind'] === 'prediction') return { kind: 'prediction', predictionId: positiveInt(s['predictionId'], 'predictionId') };
  return bad(`Unknown report subject "${String(s['kind'])}": choose run, compare or prediction.`);
}

const CSV_KINDS = ['prediction-rows', 'scan-calls', 'variant-rows', 'run-history', 'run-metrics', 'compare-table', 'models', 'runs'] as const;

export function parseCsvTable(value: unknown): CsvTable {
  const t = record(value, 'which table to export ("table")');
  switch (t['kind']) {
    case 'prediction-rows':
    case 'scan-calls':
    case 'variant-rows':
      return { kind: t['kind'], predictionId: positiveInt(t['predictionId'], 'predictionId') };
    case 'run-history':
    case 'run-metrics':
      return { kind: t['kind'], runId: positiveInt(t['runId'], 'runId') };
    case 'compare-table':
      return { kind: 'compare-table', compareId: positiveInt(t['compareId'], 'compareId') };
    case 'models':
    case 'runs':
      return { kind: t['kind'] };
    default:
      return bad(`Unknown table "${String(t['kind'])}": choose one of ${CSV_KINDS.join(', ')}.`);
  }
}

export function parseCsvOptions(value: unknown): CsvOptions {
  if (value === undefined || value === null) return {};
  const o = record(value, 'the CSV options');
  if (o['bom'] !== undefined && typeof o['bom'] !== 'boolean') bad('"bom" must be true or false.');
  if (o['delimiter'] !== undefined && o['delimiter'] !== ',' && o['delimiter'] !== '\t' && o['delimiter'] !== ';') bad('"delimiter" must be a comma, a tab or a semicolon.');
  return {
    ...(o['bom'] !== undefined ? { bom: o['bom'] as boolean } : {}),
    ...(o['delimiter'] !== undefined ? { delimiter: o['delimiter'] as ',' | '\t' | ';' } : {}),
  };
}

function targetPath(store: ProjectStore, target: string): string {
  if (target.trim() === '') bad('Give the file to write the report to.');
  const resolved = path.resolve(target);
  assertOutsideProject(resolved, store.path);
  return resolved;
}

function recordReport(store: ProjectStore, entry: { format: 'pdf' | 'csv'; title: string; subject: unknown; path: string; bytes: number }): void {
  store.write((db) =>
    db.run('INSERT INTO reports (format, title, subject_json, path, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      entry.format,
      entry.title,
      JSON.stringify(entry.subject),
      entry.path,
      entry.bytes,
      new Date().toISOString(),
    ]),
  );
}

/** Builds the document first (reading everything it needs), so a missing subject leaves no file behind. */
export async function writePdfReport(store: ProjectStore, subject: ReportSubject, target: string, now = new Date()): Promise<ReportFile> {
  const file = targetPath(store, target);
  const meta = reportMeta(now);
  loadReportEngines();
  const doc =
    subject.kind === 'run'
      ? buildRunReport(runReportInput(store, subject.runId, meta))
      : subject.kind === 'compare'
        ? buildCompareReport(compareReportInput(store, subject.compareId, meta))
        : buildPredictionReport(predictionReportInput(store, subject.predictionId, meta));
  const pdf = await renderPdf(doc);
  writeReportFile(file, pdf.bytes);
  recordReport(store, { format: 'pdf', title: doc.info?.title ?? 'Report', subject, path: file, bytes: pdf.bytes.length });
  return { path: file, bytes: pdf.bytes.length, count: pdf.pages };
}

export function writeCsvReport(store: ProjectStore, table: CsvTable, target: string, options: CsvOptions = {}): ReportFile {
  const file = targetPath(store, target);
  const { title, data } = csvExport(store, table);
  const bytes = writeCsvFile(file, data, options);
  recordReport(store, { format: 'csv', title, subject: table, path: file, bytes });
  return { path: file, bytes, count: data.rows.length };
}

/** Newest first, as the Reports page lists them. */
export function listReports(store: ProjectStore): ReportRecord[] {
  return store.read((db) =>
    rows(db, 'SELECT format, title, path, bytes, created_at FROM reports ORDER BY id DESC').map((r) => ({
      path: String(r['path'] ?? ''),
      format: r['format'] === 'csv' ? 'csv' : 'pdf',
      title: String(r['title'] ?? ''),
      createdAt: String(r['created_at'] ?? ''),
      bytes: Number(r['bytes'] ?? 0),
    })),
  );
}
