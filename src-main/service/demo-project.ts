import fs from 'node:fs';
import path from 'node:path';
import { appVersion } from '../paths';
import { ProjectStore } from '../project';
import { readDataLicences } from './about';

export const DEMO_FOLDER_NAME = 'Demo project.dnalm';

const DEMO_DESCRIPTION =
  'A demo project built from the data bundled with DNA LM Studio: human non-TATA promoters (Genomic Benchmarks), ' +
  'the JASPAR 2024 vertebrate motifs and the hg38 chr2:1-2,333,275 region with its TSS annotation. ' +
  'Data licences are listed under Help > About.';

/**
 * Creates the demo project in the user's data folder on first use and returns its path. It is an ordinary project
 * (the user may change it); deleting its folder makes the next start build a fresh one.
 */
export async function ensureDemoProject(userDataDir: string): Promise<string> {
  const folder = path.join(userDataDir, DEMO_FOLDER_NAME);
  if (fs.existsSync(path.join(folder, 'project.sqlite'))) return folder;
  fs.mkdirSync(userDataDir, { recursive: true });
  const store = await ProjectStore.create(folder, { appVersion, description: DEMO_DESCRIPTION, isDemo: true });
  try {
    store.setSetting('about.dataLicences', readDataLicences());
  } finally {
    store.close();
  }
  return folder;
}
