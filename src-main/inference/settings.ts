/**
 * The settings of predict / scan / variants / explain as they arrive from a renderer, a browser tab or the CLI:
 * checked field by field in main before a job starts, so that a mistake is a sentence, not a failed job.
 */
import fs from 'node:fs';
import { resolveDataPath } from '../paths';
import {
  ApiError,
  type ExplainSettings,
  type InferenceEnginePreference,
  type PredictInput,
  type PredictSettings,
  type ScanSettings,
  type ScanSource,
  type VariantSettings,
  type VariantSource,
} from '../../src-shared/api';

type Rec = Record<string, unknown>;

const bad = (message: string): never => {
  throw new ApiError('INVALID_REQUEST', message);
};

function rec(v: unknown, what: string): Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad(`${what} is missing.`);
  return v as Rec;
}

function int(o: Rec, key: string, min: number, required: true): number;
function int(o: Rec, key: string, min: number, required?: false): number | undefined;
function int(o: Rec, key: string, min: number, required = false): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return required ? bad(`"${key}" is required.`) : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return bad(`"${key}" must be a whole number of at least ${min}.`);
  return v;
}

function num(o: Rec, key: string, min: number, max: number, required = false): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return required ? bad(`"${key}" is required.`) : undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return bad(`"${key}" must be a number from ${min} to ${max}.`);
  return v;
}

function str(o: Rec, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return bad(`"${key}" must be text.`);
  return v;
}

function existingFile(p: unknown, what: string): string {
  if (typeof p !== 'string' || p.trim() === '') return bad(`Please give ${what}.`);
  const abs = resolveDataPath(p);
  let ok = false;
  try {
    ok = fs.statSync(abs).isFile();
  } catch {
    ok = false;
  }
  if (!ok) bad(`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} ${abs} does not exist or is not a file.`);
  return abs;
}

function bool(o: Rec, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return bad(`"${key}" must be true or false.`);
  return v;
}

function engine(o: Rec): InferenceEnginePreference | undefined {
  const e = o['engine'];
  if (e === undefined || e === null) return undefined;
  if (e !== 'auto' && e !== 'onnx' && e !== 'tfjs') return bad('"engine" must be auto, onnx or tfjs.');
  return e;
}

const defined = <T extends Rec>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function common(o: Rec): Rec {
  return defined({ modelId: int(o, 'modelId', 1, true), name: str(o, 'name'), engine: engine(o) });
}

function predictInput(v: unknown): PredictInput {
  const i = rec(v, 'The input (pasted text, a file or a dataset)');
  switch (i['kind']) {
    case 'text': {
      const text = str(i, 'text');
      if (text === undefined || text.trim() === '') return bad('The pasted text is empty; paste FASTA or one sequence per line.');
      return { kind: 'text', text };
    }
    case 'file': {
      const col = (key: string): string | number | undefined => {
        const c = i[key];
        if (c === undefined || c === null) return undefined;
        if (typeof c === 'string' || (typeof c === 'number' && Number.isInteger(c) && c >= 0)) return c;
        return bad(`"${key}" must be a column name or a 0-based index.`);
      };
      const seq = col('sequenceColumn');
      const id = col('idColumn');
      return { kind: 'file', path: existingFile(i['path'], 'the input file'), ...(seq === undefined ? {} : { sequenceColumn: seq }), ...(id === undefined ? {} : { idColumn: id }) };
    }
    case 'dataset': {
      const split = str(i, 'split');
      return { kind: 'dataset', datasetId: int(i, 'datasetId', 1, true), ...(split === undefined ? {} : { split }) };
    }
    default:
      return bad('The input kind must be text, file or dataset.');
  }
}

export function parsePredictSettings(v: unknown): PredictSettings {
  const o = rec(v, 'The prediction settings');
  return defined({
    ...common(o),
    input: predictInput(o['input']),
    threshold: num(o, 'threshold', 0, 1),
    batchSize: int(o, 'batchSize', 1),
    truncate: bool(o, 'truncate'),
  }) as unknown as PredictSettings;
}

function scanSource(v: unknown): ScanSource {
  const s = rec(v, 'The sequence to scan');
  if (s['kind'] === 'text') {
    const text = str(s, 'text');
    if (text === undefined || text.trim() === '') return bad('The pasted sequence is empty.');
    return defined({ kind: 'text', text, name: str(s, 'name') }) as ScanSource;
  }
  if (s['kind'] !== 'file') return bad('The sequence to scan must be a file or pasted text.');
  const start = int(s, 'start', 0);
  const end = int(s, 'end', 1);
  if (start !== undefined && end !== undefined && end <= start) bad(`The region end (${end}) must be after its start (${start + 1}, 1-based).`);
  return defined({ kind: 'file', path: existingFile(s['path'], 'the FASTA file to scan'), record: str(s, 'record'), start, end }) as ScanSource;
}

export function parseScanSettings(v: unknown): ScanSettings {
  const o = rec(v, 'The scan settings');
  const strands = o['strands'] ?? 'forward';
  if (strands !== 'forward' && strands !== 'both') bad('"strands" must be forward or both.');
  let annotation: ScanSettings['annotation'];
  if (o['annotation'] !== undefined && o['annotation'] !== null) {
    const a = rec(o['annotation'], 'The annotation');
    annotation = { path: existingFile(a['path'], 'the annotation BED file'), maxDistance: int(a, 'maxDistance', 0) ?? 500 };
  }
  return defined({
    ...common(o),
    source: scanSource(o['source']),
    window: int(o, 'window', 1),
    stride: int(o, 'stride', 1, true),
    strands,
    classIndex: int(o, 'classIndex', 0),
    threshold: num(o, 'threshold', 0, 1) ?? 0.5,
    mergeGap: int(o, 'mergeGap', 0) ?? 0,
    minLength: int(o, 'minLength', 0) ?? 0,
    annotation,
    batchSize: int(o, 'batchSize', 1),
  }) as unknown as ScanSettings;
}

function variantSource(v: unknown): VariantSource {
  const s = rec(v, 'The variants');
  if (s['kind'] === 'text') {
    const text = str(s, 'text');
    if (text === undefined || text.trim() === '') return bad('The variant list is empty; write chr:pos ref>alt lines, e.g. chr2:264032 A>G.');
    return { kind: 'text', text };
  }
  if (s['kind'] !== 'file') return bad('The variants must be a VCF file or a pasted list.');
  return { kind: 'file', path: existingFile(s['path'], 'the VCF file') };
}

export function parseVariantSettings(v: unknown): VariantSettings {
  const o = rec(v, 'The variant settings');
  return defined({
    ...common(o),
    referencePath: existingFile(o['referencePath'], 'the reference FASTA'),
    variants: variantSource(o['variants']),
    window: int(o, 'window', 1),
    classIndex: int(o, 'classIndex', 0),
  }) as unknown as VariantSettings;
}

export function parseExplainSettings(v: unknown): ExplainSettings {
  const o = rec(v, 'The explanation settings');
  const sequence = str(o, 'sequence');
  if (sequence === undefined || sequence.trim() === '') bad('Give the sequence to explain.');
  const attention = o['attention'];
  if (attention !== undefined && typeof attention !== 'boolean') bad('"attention" must be true or false.');
  return defined({ ...common(o), sequence, classIndex: int(o, 'classIndex', 0), attention }) as unknown as ExplainSettings;
}
