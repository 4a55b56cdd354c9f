import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'vitest';
import type { RunDetail } from '../../../src-shared/api';
import { appVersion } from '../../../src-main/paths';
import { ProjectStore } from '../../../src-main/project';
import { ROOT, type DnalmCli } from './dnalm-cli';

/** The shared human non-TATA promoter set (gb_human_nontata_promoters): `train.csv.gz`, `test.csv.gz`. */
export const SHARED_PROMOTERS = path.resolve(ROOT, '../shared/data/gb_human_nontata_promoters');

/** The first rows of each class of a split, as a small `<split>.csv.gz` in `folder`; returns their sequences. */
export function smallPromoterSplit(folder: string, split: string, perClass: number): string[] {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(SHARED_PROMOTERS, `${split}.csv.gz`))).toString('utf8').trim().split('\n');
  const taken = new Map<string, number>();
  const rows = [lines[0] ?? 'sequence,label'];
  for (const line of lines.slice(1)) {
    const label = line.split(',')[1] ?? '';
    if ((taken.get(label) ?? 0) >= perClass) continue;
    taken.set(label, (taken.get(label) ?? 0) + 1);
    rows.push(line);
  }
  fs.writeFileSync(path.join(folder, `${split}.csv.gz`), zlib.gzipSync(`${rows.join('\n')}\n`));
  return rows.slice(1).map((l) => l.split(',')[0] ?? '');
}

export interface PromoterProject {
  readonly datasetId: number;
  /** The sequences of the small test split, in file order. */
  readonly testSequences: string[];
}

/**
 * A project created with the CLI at `project`, holding the dataset `promoters`: the first `perClass.train` and
 * `perClass.test` rows of each class of the shared promoter set, copied to `<tmp>/small` and imported.
 */
export function createPromoterProject(
  dnalm: DnalmCli,
  tmp: string,
  project: string,
  perClass: { readonly train: number; readonly test: number },
): PromoterProject {
  const small = path.join(tmp, 'small');
  fs.mkdirSync(small);
  smallPromoterSplit(small, 'train', perClass.train);
  const testSequences = smallPromoterSplit(small, 'test', perClass.test);
  expect(dnalm('project', 'create', project).code).toBe(0);
  const imported = dnalm('dataset', 'import', project, small, '--name', 'promoters', '--json');
  expect(imported.code, imported.stderr).toBe(0);
  return { datasetId: (JSON.parse(imported.stdout) as { id: number }).id, testSequences };
}

/** `dnalm train` on the `promoters` dataset for one epoch (batch 32, seed 3) with the model options given. */
export function trainOnPromoters(dnalm: DnalmCli, project: string, modelArgs: readonly string[]): RunDetail {
  const r = dnalm('train', project, '--dataset', 'promoters', ...modelArgs, '--epochs', '1', '--batch-size', '32', '--seed', '3', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunDetail;
}

/** Reads the project file with a read-only store, closed afterwards. */
export async function readProject<T>(project: string, fn: (store: ProjectStore) => T): Promise<T> {
  const store = await ProjectStore.open(project, { appVersion, readOnly: true });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}
