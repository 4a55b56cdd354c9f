import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDatasets } from '../../../src-main/datasets/dataset-repository';
import { appVersion } from '../../../src-main/paths';
import { ProjectStore } from '../../../src-main/project';
import { DEMO_DATASET_NAME, ensureDemoProject } from '../../../src-main/service/demo-project';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-demo-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the demo project', () => {
  it('contains the bundled promoter dataset with its splits and licence', async () => {
    const home = path.join(tmp, 'home');
    const folder = await ensureDemoProject(home);
    expect(fs.readdirSync(home)).toEqual([path.basename(folder)]); // built under another name, renamed when complete
    const store = await ProjectStore.open(folder, { appVersion, readOnly: true });
    try {
      expect(store.summary()).toMatchObject({ name: 'Demo project', isDemo: true, counts: { datasets: 1 } });
      const [dataset] = listDatasets(store);
      expect(dataset).toMatchObject({
        name: DEMO_DATASET_NAME,
        records: 9034,
        classes: ['negative', 'positive'],
        splits: ['train', 'test'],
        counts: { train: { negative: 3295, positive: 3932 }, test: { negative: 824, positive: 983 } },
        splitDescription: 'given splits',
      });
      expect(dataset?.licence).toMatch(/Apache-2\.0.*MIT.*Grešová/);
      expect(fs.readdirSync(path.join(folder, 'artifacts', 'datasets'))).toHaveLength(1);
      expect(fs.existsSync(path.join(folder, 'artifacts', '.staging'))).toBe(false);
    } finally {
      store.close();
    }
    const before = fs.statSync(path.join(folder, 'project.sqlite')).mtimeMs;
    expect(await ensureDemoProject(home)).toBe(folder);
    expect(fs.statSync(path.join(folder, 'project.sqlite')).mtimeMs).toBe(before);
  });
});
