/** `dnalm motifs list|scan`: motif collections and affinity scans, with or without a project. */
import fs from 'node:fs';
import path from 'node:path';
import type { MotifScanSettings } from '../../src-shared/api';
import { findDataset } from '../datasets/dataset-repository';
import { newStagingDir, removeImportLeftovers, removeStagingDir } from '../datasets/staging';
import { BUNDLED_MOTIFS_FILE, collectionOf, loadMotifFile } from '../motifs/motif-collection';
import { runMotifScan } from '../motifs/scan-run';
import { commitMotifScan, listMotifScans } from '../motifs/scan-repository';
import { defaultScanName, parseScanSettings } from '../motifs/scan-settings';
import { appVersion } from '../paths';
import { ProjectStore } from '../project';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, real, text } from './flags';
import { withStore } from './job-session';

export const MOTIF_VALUED_FLAGS = ['motifs', 'bed', 'reference', 'fasta', 'dataset', 'scoring', 'threshold', 'background', 'pseudocount', 'out', 'name'];

export const MOTIF_USAGE = `  dnalm motifs list [--motifs FILE] [--json]
                                           the motifs of a JASPAR, MEME or TRANSFAC file (default: the bundled
                                           JASPAR 2024 CORE vertebrates set): id, name, width, information content
  dnalm motifs scans PROJECT [--json]      the motif scans stored in a project
  dnalm motifs scan [PROJECT] [--motifs FILE] (--bed B --reference FASTA | --fasta F | --dataset NAME|ID)
                 --scoring max|sum [--threshold BITS] [--background uniform|corpus] [--pseudocount P]
                 [--out TSV] [--name N] [--json]
                                           score every region with every motif (both strands, log2 odds) and write
                                           the regions x motifs matrix; with PROJECT it is also stored there
                                           (--dataset needs PROJECT; without PROJECT, --out is required)`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export async function motifsList(args: ParsedArgs, out: Output): Promise<void> {
  const file = text(args, 'motifs');
  const collection = collectionOf(loadMotifFile(file === undefined ? BUNDLED_MOTIFS_FILE : path.resolve(file)));
  const rows = collection.motifs.map((m) => [m.id, m.name, String(m.width), m.informationContent.toFixed(2), m.consensus]);
  out.print(
    `${collection.motifs.length} motifs in ${collection.path} (${collection.format.toUpperCase()})${collection.licence ? `\n${collection.licence}` : ''}\n\n` +
      table(['ID', 'NAME', 'WIDTH', 'IC (bits)', 'CONSENSUS'], rows),
    collection,
  );
}

export async function motifScansList(args: ParsedArgs, out: Output): Promise<void> {
  const project = args.positional[2];
  if (!project) bad('Give the project folder: dnalm motifs scans PROJECT');
  await withStore(project, true, (store) => {
    const scans = listMotifScans(store);
    const rows = scans.map((s) => [String(s.id), s.name, String(s.regions), String(s.motifs), s.settings.scoring, s.matrixPath]);
    out.print(scans.length === 0 ? 'No motif scans in this project yet.' : table(['ID', 'NAME', 'REGIONS', 'MOTIFS', 'SCORING', 'MATRIX'], rows), scans);
  });
}

function settingsFromFlags(args: ParsedArgs, datasetId: number | null): MotifScanSettings {
  const bed = text(args, 'bed');
  const fasta = text(args, 'fasta');
  const reference = text(args, 'reference');
  const sources = [bed, fasta, datasetId].filter((s) => s !== undefined && s !== null).length;
  if (sources !== 1) bad('Give exactly one of --bed FILE --reference FASTA, --fasta FILE or --dataset NAME|ID.');
  if (bed !== undefined && reference === undefined) bad('--bed needs --reference FASTA (the genome the BED coordinates refer to).');
  const regions =
    bed !== undefined
      ? { kind: 'bed', bedPath: bed, referencePath: reference }
      : fasta !== undefined
        ? { kind: 'fasta', path: fasta }
        : { kind: 'dataset', datasetId };
  const scoring = text(args, 'scoring');
  if (scoring === undefined) bad('Give --scoring max (best window per region) or --scoring sum (sum of hits above --threshold).');
  return parseScanSettings({
    regions,
    scoring,
    background: text(args, 'background') ?? 'uniform',
    ...(text(args, 'motifs') !== undefined ? { motifsPath: text(args, 'motifs') } : {}),
    ...(text(args, 'name') !== undefined ? { name: text(args, 'name') } : {}),
    ...(real(args, 'threshold') !== undefined ? { threshold: real(args, 'threshold') } : {}),
    ...(real(args, 'pseudocount') !== undefined ? { pseudocount: real(args, 'pseudocount') } : {}),
  });
}

export async function motifsScan(args: ParsedArgs, out: Output): Promise<void> {
  const project = args.positional[2];
  const outFile = text(args, 'out');
  if (project === undefined && outFile === undefined) bad('Give --out FILE.tsv for the matrix, or a PROJECT to store it in.');
  const store = project === undefined ? null : await ProjectStore.open(path.resolve(project), { appVersion, readOnly: false });
  let stagingDir: string | null = null;
  try {
    const datasetFlag = text(args, 'dataset');
    if (datasetFlag !== undefined && store === null) bad('--dataset needs the PROJECT that holds the dataset: dnalm motifs scan PROJECT --dataset NAME|ID ...');
    const dataset = datasetFlag !== undefined && store !== null ? findDataset(store, datasetFlag) : null;
    const settings = settingsFromFlags(args, dataset?.summary.id ?? null);
    let lastReport = 0;
    const hooks = {
      progress: (step: number, total: number, message: string): void => {
        const now = Date.now();
        if (now - lastReport < 1000 && step < total) return;
        lastReport = now;
        out.progress(`${message} (${Math.round((100 * step) / Math.max(1, total))} %)`);
      },
      checkpoint: async (): Promise<void> => undefined,
    };
    if (store !== null) {
      removeImportLeftovers(store);
      stagingDir = newStagingDir(store);
    }
    const outcome = await runMotifScan(
      settings,
      stagingDir !== null ? { dir: stagingDir } : { matrixFile: outFile === undefined ? null : path.resolve(outFile) },
      dataset?.file ?? null,
      hooks,
    );
    let stored = null;
    if (store !== null && stagingDir !== null) {
      if (outFile !== undefined) {
        fs.copyFileSync(path.join(stagingDir, 'matrix.tsv'), path.resolve(outFile));
      }
      stored = commitMotifScan(store, { stagingDir, name: settings.name ?? defaultScanName(settings), settings, regions: outcome.regions, motifs: outcome.motifs, seconds: outcome.seconds });
    }
    const where = [outFile !== undefined ? `wrote ${path.resolve(outFile)}` : '', stored !== null ? `stored as motif scan ${stored.id} "${stored.name}" (${stored.matrixPath})` : '']
      .filter((s) => s !== '')
      .join('; ');
    out.print(
      `Scanned ${outcome.regions.toLocaleString('en-US')} regions with ${outcome.motifs} motifs (${settings.scoring}, background ${outcome.description.background.map((b) => b.toFixed(3)).join('/')}) in ${outcome.seconds.toFixed(1)} s; ${where}.`,
      { regions: outcome.regions, motifs: outcome.motifs, seconds: outcome.seconds, settings, background: outcome.description.background, out: outFile === undefined ? null : path.resolve(outFile), scan: stored },
    );
  } finally {
    if (stagingDir !== null) removeStagingDir(stagingDir);
    store?.close();
  }
}
