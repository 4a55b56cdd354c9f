/** `dnalm model import | export` on a real project, through the built CLI (node scripts/build-main.mjs first). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { python } from './support';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-interop-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dnalm(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: path.join(tmp, 'home') },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const project = path.join(tmp, 'p.dnalm');
beforeAll(() => {
  python('make', path.join(tmp, 'cls'), '--k', '3', '--seed', '2', '--classes', 'promoter,enhancer,other');
  python('make', path.join(tmp, 'erf'), '--k', '3', '--seed', '5', '--act', 'gelu');
  expect(dnalm('project', 'create', project).code).toBe(0);
}, 120_000);

describe('dnalm model import | export', () => {
  it('imports a classifier checkpoint, exports it with a model card, and imports the export back unchanged', () => {
    expect(dnalm('model', 'import', project, path.join(tmp, 'cls')).stderr).toMatch(/--licence/);
    const imported = dnalm('model', 'import', project, path.join(tmp, 'cls'), '--licence', 'CC-BY-4.0 (test)', '--name', 'tiny classifier', '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const { model, report } = JSON.parse(imported.stdout) as { model: { id: number; role: string; classes: string[]; licence: string }; report: { loaded: number } };
    expect(model).toMatchObject({ role: 'classifier', classes: ['promoter', 'enhancer', 'other'], licence: 'CC-BY-4.0 (test)' });
    expect(report.loaded).toBe(41);

    const out = path.join(tmp, 'export');
    const exported = dnalm('model', 'export', project, String(model.id), out, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    expect((JSON.parse(exported.stdout) as { files: string[] }).files).toContain('model.safetensors');
    const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(card).toMatch(/CC-BY-4\.0 \(test\)/);
    expect(card).toMatch(/model\.safetensors: SHA-256 `[0-9a-f]{64}`/);
    expect(fs.readFileSync(path.join(out, 'continue-pretraining', 'run_mlm.sh'), 'utf8')).toMatch(/run_mlm\.py[\s\S]*--max_seq_length 40/);

    const back = dnalm('model', 'import', project, out, '--licence', 'CC-BY-4.0 (test)', '--json');
    expect(back.code, back.stderr).toBe(0);
    const id2 = (JSON.parse(back.stdout) as { model: { id: number } }).model.id;
    const dirs = fs.readdirSync(path.join(project, 'artifacts', 'models')).sort();
    expect(dirs).toHaveLength(2);
    const [a, b] = dirs.map((d) => fs.readFileSync(path.join(project, 'artifacts', 'models', d, 'weights.f32')));
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(true);
    expect(id2).toBe(model.id + 1);

    const second = dnalm('model', 'export', project, String(model.id), out);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/not empty/);
  });

  it('prints the notes of an approximate import and refuses a folder that is not a checkpoint', () => {
    const r = dnalm('model', 'import', project, path.join(tmp, 'erf'), '--licence', 'MIT');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/role pretrained, k = 3/);
    expect(r.stdout).toMatch(/note: .*erf/);
    const bad = dnalm('model', 'import', project, tmp, '--licence', 'MIT');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^dnalm: .*no config\.json/);
  });
});
