import path from 'node:path';
import {
  ApiError,
  Events,
  IMPORT_FORMATS,
  type DatasetExportFormat,
  type DatasetRecord,
  type DatasetRecordsPage,
  type ImportFormat,
  type Invoke,
} from '../../src-shared/api';
import { gcFraction } from '../../src-shared/dna';
import type { ProjectStore } from '../project';
import { optionalString, requireInteger, requireString } from '../service/request-validation';
import type { HandlerMap, ServiceContext } from '../service/service-context';
import { assertOutsideProject, exportRecords } from './dataset-export';
import { fileIo, type DatasetIo } from './dataset-io';
import { previewImport } from './dataset-preview';
import { deleteDataset, detailOf, getDataset, listDatasets, updateDataset, type StoredDataset } from './dataset-repository';
import { checkDatasetName, checkDescription, invalidRequest } from './import-options';
import { SequenceFileReader, type StoredRecord } from './sequence-store';

type DatasetChannel =
  | typeof Invoke.datasetsList
  | typeof Invoke.datasetsGet
  | typeof Invoke.datasetsRecords
  | typeof Invoke.datasetsPreview
  | typeof Invoke.datasetsUpdate
  | typeof Invoke.datasetsDelete
  | typeof Invoke.datasetsExport;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_SEARCH_LENGTH = 10_000;
/** A long search yields to the event loop this often, so that the app stays responsive while it scans. */
const YIELD_EVERY = 20_000;

const bad: (message: string) => never = invalidRequest;

function fields(request: unknown): Record<string, unknown> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) bad('The request is missing its fields.');
  return request as Record<string, unknown>;
}

function optionalCount(request: unknown, field: string): number | undefined {
  const value = fields(request)[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) bad(`"${field}" must be a whole number of at least 0.`);
  return value;
}

function toDto(rec: StoredRecord): DatasetRecord {
  return {
    index: rec.index,
    id: rec.id,
    split: rec.split,
    label: rec.label,
    length: rec.sequence.length,
    gc: gcFraction(rec.sequence),
    sequence: rec.sequence,
  };
}

function sequenceFile(stored: StoredDataset): string {
  if (stored.file === null) {
    throw new ApiError('DATASET_NOT_FOUND', `The dataset "${stored.summary.name}" has no stored sequences; import it again.`);
  }
  return stored.file;
}

function openSequences(stored: StoredDataset): SequenceFileReader {
  const file = sequenceFile(stored);
  try {
    return SequenceFileReader.open(file);
  } catch (err) {
    throw new ApiError(
      'DATASET_NOT_FOUND',
      `The sequences of "${stored.summary.name}" cannot be read (${err instanceof Error ? err.message : String(err)}). ` +
        'Delete the dataset and import it again.',
    );
  }
}

/**
 * One page of records, filtered by split, class and a search (an upper-case piece of the sequence, or part of the
 * id, ignoring case). Without a search or class filter the page is read directly through the file's block index.
 */
async function recordsPage(store: ProjectStore, request: unknown): Promise<DatasetRecordsPage> {
  const id = requireInteger(request, 'id');
  const split = optionalString(request, 'split');
  const label = optionalString(request, 'label');
  const rawSearch = optionalString(request, 'search')?.trim() ?? '';
  if (rawSearch.length > MAX_SEARCH_LENGTH) bad(`A search can have at most ${MAX_SEARCH_LENGTH} characters.`);
  const offset = optionalCount(request, 'offset') ?? 0;
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, optionalCount(request, 'limit') ?? DEFAULT_PAGE_SIZE));

  const reader = openSequences(getDataset(store, id));
  try {
    let start = 0;
    let end = reader.count;
    if (split !== undefined && split !== '') {
      const range = reader.splitRange(split);
      if (!range) return { total: 0, records: [] };
      start = range.start;
      end = range.start + range.count;
    }
    const labelCode = label === undefined || label === '' ? undefined : reader.meta.labels.indexOf(label);
    if (labelCode === -1) return { total: 0, records: [] };
    if (labelCode === undefined && rawSearch === '') {
      const records = [...reader.records(start + offset, Math.min(end, start + offset + limit))].map(toDto);
      return { total: end - start, records };
    }
    const bases = rawSearch.toUpperCase();
    const idPart = rawSearch.toLowerCase();
    const want = labelCode === undefined ? undefined : (_: number, code: number) => code === labelCode;
    const records: DatasetRecord[] = [];
    let total = 0;
    let scanned = 0;
    for (const rec of reader.records(start, end, want)) {
      if (++scanned % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (rawSearch !== '' && !rec.sequence.includes(bases) && !rec.id.toLowerCase().includes(idPart)) continue;
      if (total >= offset && records.length < limit) records.push(toDto(rec));
      total++;
    }
    return { total, records };
  } finally {
    reader.close();
  }
}

export function datasetHandlers(ctx: ServiceContext, io: DatasetIo = fileIo): HandlerMap<DatasetChannel> {
  const changed = (store: ProjectStore): void => ctx.emit(Events.datasetsChanged, listDatasets(store));
  return {
    'datasets:list': async () => listDatasets(ctx.requireProject()),
    'datasets:get': async (req) => detailOf(getDataset(ctx.requireProject(), requireInteger(req, 'id'))),
    'datasets:records': async (req) => recordsPage(ctx.requireProject(), req),
    'datasets:preview': async (req) => {
      const paths = fields(req)['paths'];
      if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string' || p.trim() === '')) {
        bad('Choose at least one file or folder to preview.');
      }
      const format = fields(req)['format'];
      if (format !== undefined && format !== null && !(IMPORT_FORMATS as readonly unknown[]).includes(format)) {
        bad(`"format" must be one of ${IMPORT_FORMATS.join(', ')}.`);
      }
      let taken: string[] = [];
      try {
        taken = listDatasets(ctx.requireProject()).map((d) => d.name);
      } catch {
        // no project open: any name will do for now; the import checks again
      }
      return previewImport((paths as string[]).map((p) => p.trim()), (format ?? undefined) as ImportFormat | undefined, io, taken);
    },
    'datasets:update': async (req) => {
      const store = ctx.requireProject();
      const id = requireInteger(req, 'id');
      const name = fields(req)['name'];
      const description = fields(req)['description'];
      const summary = updateDataset(store, id, {
        ...(name === undefined || name === null ? {} : { name: checkDatasetName(name) }),
        ...(description === undefined || description === null ? {} : { description: checkDescription(description) ?? '' }),
      });
      changed(store);
      return summary;
    },
    'datasets:delete': async (req) => {
      const store = ctx.requireProject();
      deleteDataset(store, requireInteger(req, 'id'));
      changed(store);
      return null;
    },
    'datasets:export': async (req) => {
      const store = ctx.requireProject();
      const id = requireInteger(req, 'id');
      const format = fields(req)['format'];
      if (format !== 'csv' && format !== 'fasta') bad('"format" must be csv or fasta.');
      const target = path.resolve(requireString(req, 'path', 'the file to export to'));
      const split = optionalString(req, 'split');
      assertOutsideProject(target, store.path);
      const stored = getDataset(store, id);
      openSequences(stored).close(); // a missing or damaged file is reported as such, before anything is written
      const records = exportRecords(sequenceFile(stored), format as DatasetExportFormat, target, split === '' ? undefined : split);
      return { path: target, records };
    },
  };
}
