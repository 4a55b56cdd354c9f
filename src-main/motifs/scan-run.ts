/**
 * One motif scan from settings to files, without a project: read the regions (BED over a reference, FASTA records, or
 * a dataset's `.seqs` file), read the motifs, scan, write the matrix TSV and its description. The job runs it in the
 * engine worker into a staging folder; the CLI runs it in-process into the file the user named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type MotifScanSettings } from '../../src-shared/api';
import { readRecords } from '../io';
import { SequenceFileReader } from '../datasets/sequence-store';
import { ImportError } from '../io/types';
import type { MotifMatrix } from '../io/motif-types';
import { BUNDLED_MOTIFS_FILE, loadMotifFile } from './motif-collection';
import { PackedSequences, prepareScan, scanMatrix, type PreparedScan } from './motif-scan';

export interface ScanHooks {
  readonly progress: (step: number, total: number, message: string) => void;
  readonly checkpoint: () => Promise<void>;
}

export interface Regions {
  readonly ids: string[];
  readonly sequences: string[];
}

/** Written next to the matrix: what its columns are, so the top motifs per region can be ranked fairly. */
export interface ScanDescription {
  readonly motifsPath: string;
  readonly scoring: 'max' | 'sum';
  readonly background: readonly number[];
  readonly pseudocount: number;
  readonly motifs: readonly { readonly id: string; readonly name: string; readonly maxScore: number; readonly minScore: number; readonly threshold?: number }[];
}

export interface ScanOutcome {
  readonly regions: number;
  readonly motifs: number;
  readonly seconds: number;
  readonly description: ScanDescription;
}

export async function readRegions(settings: MotifScanSettings, datasetFile: string | null, hooks: ScanHooks): Promise<Regions> {
  const ids: string[] = [];
  const sequences: string[] = [];
  const src = settings.regions;
  try {
    if (src.kind === 'dataset') {
      if (datasetFile === null) throw new ApiError('INVALID_REQUEST', 'This dataset has no stored sequences to scan.');
      const reader = SequenceFileReader.open(datasetFile);
      try {
        for (const rec of reader.records()) {
          ids.push(rec.id);
          sequences.push(rec.sequence);
        }
      } finally {
        reader.close();
      }
    } else {
      const spec = src.kind === 'bed' ? { path: src.bedPath, format: 'bed' as const, reference: src.referencePath } : { path: src.path, format: 'fasta' as const };
      for await (const rec of readRecords(spec, (p) => hooks.progress(p.bytesRead, Math.max(1, p.totalBytes), 'Reading the regions'))) {
        ids.push(rec.id);
        sequences.push(rec.sequence);
        if (ids.length % 10_000 === 0) await hooks.checkpoint();
      }
    }
  } catch (err) {
    if (err instanceof ImportError) throw new ApiError('IMPORT_REJECTED', err.message.replace(/[\r\n]+/g, ' '));
    throw err;
  }
  if (ids.length === 0) throw new ApiError('IMPORT_REJECTED', 'There are no regions to scan: the input has no records.');
  return { ids, sequences };
}

function tsvCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** The matrix as TSV: a header `region<TAB>motif ids...`, one line per region, scores with 4 decimals. */
export function writeMatrixTsv(file: string, ids: readonly string[], motifs: readonly MotifMatrix[], values: Float32Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    const m = motifs.length;
    const lines: string[] = [['region', ...motifs.map((x) => tsvCell(x.id))].join('\t')];
    let pending = lines[0]?.length ?? 0;
    const flush = (): void => {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
      pending = 0;
    };
    ids.forEach((id, r) => {
      const cells = new Array<string>(m + 1);
      cells[0] = tsvCell(id);
      for (let k = 0; k < m; k++) cells[k + 1] = (values[r * m + k] ?? 0).toFixed(4);
      const line = cells.join('\t');
      lines.push(line);
      pending += line.length;
      if (pending > 1 << 20) flush();
    });
    if (lines.length > 0) flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export const MATRIX_FILE = 'matrix.tsv';
export const DESCRIPTION_FILE = 'motifs.json';

export function describeScan(settings: MotifScanSettings, motifsPath: string, motifs: readonly MotifMatrix[], prepared: PreparedScan): ScanDescription {
  return {
    motifsPath,
    scoring: settings.scoring,
    background: prepared.background,
    pseudocount: prepared.pseudocount,
    motifs: motifs.map((m, k) => {
      const pwm = prepared.pwms[k];
      const red = prepared.reductions[k];
      return { id: m.id, name: m.name, maxScore: pwm?.maxScore ?? 0, minScore: pwm?.minScore ?? 0, ...(red?.kind === 'sum' ? { threshold: red.threshold } : {}) };
    }),
  };
}

/**
 * Reads, scans and writes `<outDir>/matrix.tsv` and `<outDir>/motifs.json` (or only `matrixFile` when given: the CLI's
 * --out). Progress: reading (0..1 of the file), then motifs done of all.
 */
export async function runMotifScan(
  settings: MotifScanSettings,
  out: { readonly dir: string } | { readonly matrixFile: string | null },
  datasetFile: string | null,
  hooks: ScanHooks,
): Promise<ScanOutcome & { readonly ids: readonly string[]; readonly values: Float32Array; readonly motifList: readonly MotifMatrix[] }> {
  const started = Date.now();
  const motifsPath = settings.motifsPath ?? BUNDLED_MOTIFS_FILE;
  const contents = loadMotifFile(motifsPath);
  const regions = await readRegions(settings, datasetFile, hooks);
  const seqs = new PackedSequences(regions.sequences);
  regions.sequences.length = 0;
  let prepared: PreparedScan;
  try {
    prepared = prepareScan(contents.motifs, seqs, settings);
  } catch (err) {
    throw new ApiError('INVALID_REQUEST', err instanceof Error ? err.message : String(err));
  }
  const total = contents.motifs.length;
  hooks.progress(0, total, `Scanning ${regions.ids.length.toLocaleString('en-US')} regions with ${total} motifs`);
  const values = await scanMatrix(seqs, prepared, {
    onProgress: (done) => hooks.progress(done, total, `Scanned ${done} of ${total} motifs`),
    checkpoint: hooks.checkpoint,
  });
  const description = describeScan(settings, motifsPath, contents.motifs, prepared);
  if ('dir' in out) {
    fs.mkdirSync(out.dir, { recursive: true });
    writeMatrixTsv(path.join(out.dir, MATRIX_FILE), regions.ids, contents.motifs, values);
    fs.writeFileSync(path.join(out.dir, DESCRIPTION_FILE), JSON.stringify(description));
  } else if (out.matrixFile !== null) {
    const tmp = `${out.matrixFile}.partial`;
    writeMatrixTsv(tmp, regions.ids, contents.motifs, values);
    fs.renameSync(tmp, out.matrixFile);
  }
  return {
    regions: regions.ids.length,
    motifs: total,
    seconds: (Date.now() - started) / 1000,
    description,
    ids: regions.ids,
    values,
    motifList: contents.motifs,
  };
}
