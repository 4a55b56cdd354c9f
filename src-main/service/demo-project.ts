import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DataLicence, ImportOptions } from '../../src-shared/api';
import { importInProcess } from '../datasets/dataset-import';
import { fileIo } from '../datasets/dataset-io';
import { appVersion, resourcesDir } from '../paths';
import { ProjectStore } from '../project';
import { readDataLicences } from './about';

export const DEMO_FOLDER_NAME = 'Demo project.dnalm';
export const DEMO_DATASET_NAME = 'Human non-TATA promoters';
const DEMO_DATASET_FOLDER = 'gb_human_nontata_promoters';

const DEMO_DESCRIPTION =
  'A demo project built from the data bundled with DNA LM Studio: human non-TATA promoters (Genomic Benchmarks), ' +
  'the JASPAR 2024 vertebrate motifs and the hg38 chr2:1-2,333,275 region with its TSS annotation. ' +
  'Data licences are listed under Help > About.';

function licenceText(licences: readonly DataLicence[]): string {
  const entry = licences.find((l) => l.name === DEMO_DATASET_FOLDER);
  return entry ? `${entry.licence}. ${entry.source}. ${entry.attribution}` : '';
}

/** The bundled promoter set: train/test CSVs with a label column, imported with the splits they carry. */
function demoDatasetOptions(dataDir: string): ImportOptions {
  return {
    paths: [path.join(dataDir, 'data', DEMO_DATASET_FOLDER)],
    format: 'auto',
    name: DEMO_DATASET_NAME,
    description: 'Genomic Benchmarks human_nontata_promoters (official test split, re-split 80/20): 251 bp around EPD TSSs vs. random gene fragments.',
    labels: { from: 'column', column: 'label' },
    ambiguous: 'to-n',
    invalid: 'reject',
    duplicates: 'keep',
    leakage: 'keep',
    split: { mode: 'given' },
  };
}

/**
 * Creates the demo project in the user's data folder on first use and returns its path. It is an ordinary project
 * (the user may change it); deleting its folder makes the next start build a fresh one. It is built under a
 * temporary name and renamed when complete, so a crash half-way never leaves a demo without its dataset.
 */
export async function ensureDemoProject(userDataDir: string, dataDir = resourcesDir): Promise<string> {
  const folder = path.join(userDataDir, DEMO_FOLDER_NAME);
  if (fs.existsSync(path.join(folder, 'project.sqlite'))) return folder;
  fs.mkdirSync(userDataDir, { recursive: true });
  const building = path.join(userDataDir, `.demo-${process.pid}-${crypto.randomBytes(4).toString('hex')}.dnalm`);
  try {
    const store = await ProjectStore.create(building, { appVersion, name: 'Demo project', description: DEMO_DESCRIPTION, isDemo: true });
    try {
      const licences = readDataLicences(dataDir);
      store.setSetting('about.dataLicences', licences);
      // The same path as an import job, run here: ~9,000 records take well under a second.
      await importInProcess(store, demoDatasetOptions(dataDir), fileIo, { progress: () => undefined, checkpoint: async () => undefined }, licenceText(licences));
    } finally {
      store.close();
    }
    try {
      fs.renameSync(building, folder);
    } catch (err) {
      // Another instance finished first: theirs is as good as ours.
      if (!fs.existsSync(path.join(folder, 'project.sqlite'))) throw err;
    }
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return folder;
}
