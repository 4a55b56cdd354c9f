/** MotifScanSettings from a request or job parameters, checked field by field (they may come from a browser tab). */
import path from 'node:path';
import { ApiError, type MotifScanSettings } from '../../src-shared/api';
import { resolveDataPath } from '../paths';

const bad = (message: string): never => {
  throw new ApiError('INVALID_REQUEST', message);
};

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') return bad(`Please give ${what}.`);
  return value.trim();
}

export function parseScanSettings(params: Readonly<Record<string, unknown>>): MotifScanSettings {
  const r = params['regions'];
  if (typeof r !== 'object' || r === null) return bad('Please choose the regions to scan: a BED file with its reference, a FASTA file or a dataset.');
  const reg = r as Record<string, unknown>;
  let regions: MotifScanSettings['regions'];
  if (reg['kind'] === 'bed') {
    regions = { kind: 'bed', bedPath: resolveDataPath(text(reg['bedPath'], 'the BED file')), referencePath: resolveDataPath(text(reg['referencePath'], 'the reference FASTA for the BED file')) };
  } else if (reg['kind'] === 'fasta') {
    regions = { kind: 'fasta', path: resolveDataPath(text(reg['path'], 'the FASTA file')) };
  } else if (reg['kind'] === 'dataset') {
    const id = reg['datasetId'];
    if (typeof id !== 'number' || !Number.isInteger(id)) return bad('Please choose the dataset to scan.');
    regions = { kind: 'dataset', datasetId: id };
  } else {
    return bad('The regions must come from a BED file, a FASTA file or a dataset.');
  }
  const scoring = params['scoring'];
  if (scoring !== 'max' && scoring !== 'sum') return bad('Scoring must be "max" (best window per region) or "sum" (sum of hits above a threshold).');
  const background = params['background'] ?? 'uniform';
  if (background !== 'uniform' && background !== 'corpus') return bad('The background must be "uniform" or "corpus" (the base composition of the regions).');
  const threshold = params['threshold'];
  if (threshold !== undefined && (typeof threshold !== 'number' || !Number.isFinite(threshold))) return bad('The threshold must be a number of bits.');
  const pseudocount = params['pseudocount'];
  if (pseudocount !== undefined && (typeof pseudocount !== 'number' || !(pseudocount >= 0) || !Number.isFinite(pseudocount))) {
    return bad('The pseudocount must be a number of 0 or more.');
  }
  const motifsPath = params['motifsPath'];
  const name = params['name'];
  return {
    ...(typeof name === 'string' && name.trim() !== '' ? { name: name.trim() } : {}),
    ...(typeof motifsPath === 'string' && motifsPath.trim() !== '' ? { motifsPath: resolveDataPath(motifsPath.trim()) } : {}),
    regions,
    scoring,
    ...(threshold !== undefined ? { threshold } : {}),
    background,
    ...(pseudocount !== undefined ? { pseudocount } : {}),
  };
}

/** A default name: what was scanned and how. */
export function defaultScanName(s: MotifScanSettings): string {
  const what = s.regions.kind === 'bed' ? path.basename(s.regions.bedPath) : s.regions.kind === 'fasta' ? path.basename(s.regions.path) : `dataset ${s.regions.datasetId}`;
  const motifs = s.motifsPath === undefined ? 'JASPAR 2024' : path.basename(s.motifsPath);
  return `${what} × ${motifs} (${s.scoring})`;
}
