/** `dnalm export-onnx`: the bundled CLI writes a project's model as an .onnx file, or exits 1 with the reason. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from '../../../src-main/inference/onnx/onnx-runtime';
import { appVersion } from '../../../src-main/paths';
import { ProjectStore } from '../../../src-main/project';
import { MODELS_DIR, writeModel } from '../../../src-main/training/artifacts';
import { insertModelRow } from '../../../src-main/training/run-repository';
import type { LoadedModel } from '../../../src-main/inference/runner';
import { cnnModel, pretrainedBertModel } from './onnx-support';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-onnx-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dnalm(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: path.join(tmp, 'home') },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function addModel(store: ProjectStore, name: string, model: LoadedModel): number {
  const rel = `${MODELS_DIR}/${name}`;
  const bytes = writeModel(path.join(store.artifactsDir, rel), model.config, model.weights);
  const c = model.config;
  return insertModelRow(store, { name, architecture: c.architecture, role: c.role, artifactPath: rel, config: c, licence: 'test', classes: c.classes, parameters: c.parameters, sizeBytes: bytes }).id;
}

describe('dnalm export-onnx', () => {
  const project = path.join(tmp, 'p.dnalm');
  let cnnId = 0;
  let pretrainedId = 0;
  beforeAll(async () => {
    const store = await ProjectStore.create(project, { appVersion });
    cnnId = addModel(store, 'promoter-cnn', cnnModel('onehot', 200, ['non-promoter', 'promoter'], 31));
    pretrainedId = addModel(store, 'encoder', pretrainedBertModel(32));
    store.close();
  });

  it('writes the model as an .onnx file that ONNX Runtime opens', async () => {
    const file = path.join(tmp, 'out', 'cnn.onnx');
    fs.mkdirSync(path.dirname(file));
    const r = dnalm('export-onnx', project, '--model', String(cnnId), '--out', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ path: file, bytes: fs.statSync(file).size });
    const runtime = loadOnnxRuntime();
    if ('error' in runtime) throw new Error(runtime.error);
    const session = await runtime.ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
    expect(session.inputNames).toEqual(['input_ids']);
    expect(session.outputNames).toEqual(['logits']);
    await session.release();
    expect(dnalm('export-onnx', project, '--model', String(cnnId), '--out', file).stdout).toMatch(/^Exported model \d+ to .*cnn\.onnx \([\d,]+ bytes\)/);
  });

  it('exits 1 with the reason for a model it cannot export, a missing model number or a missing --out', () => {
    const refused = dnalm('export-onnx', project, '--model', String(pretrainedId), '--out', path.join(tmp, 'enc.onnx'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^dnalm: "encoder" cannot be exported to ONNX\. .*fine-tune it/);
    expect(fs.existsSync(path.join(tmp, 'enc.onnx'))).toBe(false);
    expect(dnalm('export-onnx', project, '--out', path.join(tmp, 'x.onnx')).stderr).toMatch(/Give the model number with --model/);
    expect(dnalm('export-onnx', project, '--model', String(cnnId)).stderr).toMatch(/Give the file to write with --out/);
  });
});
