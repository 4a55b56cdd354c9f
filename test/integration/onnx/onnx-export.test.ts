/**
 * Exporting a project's model as an .onnx file (the `models:exportOnnx` command): the file re-opened from disk by
 * ONNX Runtime predicts what the app predicts, and a model the exporter cannot write is refused with a reason and
 * leaves no file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api';
import { buildOnnxModel, exportOnnxModel } from '../../../src-main/inference/onnx/onnx-export';
import { createOnnxRunner, onnxUnavailableReason } from '../../../src-main/inference/onnx/onnx-runner';
import { type OrtModule, loadOnnxRuntime } from '../../../src-main/inference/onnx/onnx-runtime';
import type { LoadedModel } from '../../../src-main/inference/runner';
import { appVersion } from '../../../src-main/paths';
import { ProjectStore } from '../../../src-main/project';
import { MODELS_DIR, writeModel } from '../../../src-main/training/artifacts';
import { insertModelRow } from '../../../src-main/training/run-repository';
import { setupWasm } from '../../unit/engine/helpers';
import { type TestModel, bertModel, cnnModel, maxAbsDiff, pretrainedBertModel, promoterSequences, tfjsLogits } from './onnx-support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-onnx-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Saves a model into the project as training or an import would, and returns its id. */
function addModel(store: ProjectStore, name: string, model: LoadedModel): number {
  const rel = `${MODELS_DIR}/${name}`;
  const bytes = writeModel(path.join(store.artifactsDir, rel), model.config, model.weights);
  return insertModelRow(store, {
    name,
    architecture: model.config.architecture,
    role: model.config.role,
    artifactPath: rel,
    config: model.config,
    licence: 'test weights',
    classes: model.config.classes,
    parameters: model.config.parameters,
    sizeBytes: bytes,
  }).id;
}

async function runFile(ort: OrtModule, file: string, model: TestModel, sequences: readonly string[]): Promise<Float32Array> {
  const batch = model.batch(sequences);
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
  const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [batch.size, batch.length]);
  const feeds = { input_ids: int64(batch.tokens), ...(batch.attentionMask ? { attention_mask: int64(batch.attentionMask) } : {}) };
  const out = await session.run(feeds);
  await session.release();
  return out['logits']!.data as Float32Array;
}

describe('ONNX export of a project model', () => {
  let store: ProjectStore;
  let ort: OrtModule;
  let sequences: string[];
  beforeAll(async () => {
    const runtime = loadOnnxRuntime();
    if ('error' in runtime) throw new Error(`onnxruntime-node must be installed for these tests: ${runtime.error}`);
    ort = runtime.ort;
    await setupWasm();
    store = await ProjectStore.create(path.join(tmp, 'p'), { appVersion });
    sequences = promoterSequences(16);
  });
  afterAll(() => store.close());

  it.each([
    ['CNN', () => cnnModel('embedding', 251, ['non-promoter', 'promoter'], 21)],
    ['BERT', () => bertModel('mean', 48, ['non-promoter', 'promoter'], 22)],
  ] as const)('writes a %s as an .onnx file that predicts what the app predicts', async (name, make) => {
    const model = make();
    const id = addModel(store, `model-${name}`, model);
    const file = path.join(tmp, `${name}.onnx`);
    const result = await exportOnnxModel(store, id, file);
    expect(result).toEqual({ path: file, bytes: fs.statSync(file).size });
    const seqs = model.config.architecture === 'bert' ? sequences.map((s, i) => s.slice(0, 20 + 2 * i)) : sequences;
    const fromFile = await runFile(ort, file, model, seqs);
    expect(maxAbsDiff(fromFile, tfjsLogits(model, model.batch(seqs)))).toBeLessThan(1e-4);
  });

  it('writes standard ONNX operators only (the runner alone uses ONNX Runtime\'s fused ones), with classes and tokenizer as metadata', async () => {
    const model = bertModel('cls', 48, ['non-promoter', 'promoter'], 27);
    const id = addModel(store, 'portable', model);
    const file = path.join(tmp, 'portable.onnx');
    await exportOnnxModel(store, id, file);
    const bytes = fs.readFileSync(file);
    expect(bytes.includes('com.microsoft')).toBe(false);
    expect(bytes.includes('LayerNormalization')).toBe(true);
    expect(bytes.includes('["non-promoter","promoter"]')).toBe(true);
    expect(bytes.includes('"kind":"kmer","k":3')).toBe(true);
    const fused = Buffer.from((await buildOnnxModel(model.config, model.weights, 'onnxruntime')).bytes);
    expect(fused.includes('com.microsoft')).toBe(true);
    expect(fused.includes('SkipLayerNormalization')).toBe(true);
  });

  it('adds the .onnx extension when the name lacks it', async () => {
    const id = addModel(store, 'named', cnnModel('onehot', 100, ['a', 'b'], 23));
    const result = await exportOnnxModel(store, id, path.join(tmp, 'no-extension'));
    expect(result.path).toBe(path.join(tmp, 'no-extension.onnx'));
    expect(fs.existsSync(result.path)).toBe(true);
  });

  it('refuses a pretrained encoder without a classification head, says what to do, and writes nothing', async () => {
    const model = pretrainedBertModel(24);
    const id = addModel(store, 'pretrained', model);
    const file = path.join(tmp, 'pretrained.onnx');
    const err = await exportOnnxModel(store, id, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('INVALID_REQUEST');
    expect((err as ApiError).message).toMatch(/"pretrained" cannot be exported to ONNX\. .*without a classification head; fine-tune it/);
    expect(fs.existsSync(file)).toBe(false);
    // Prediction falls back to TensorFlow.js for it, with the same reason.
    expect(await createOnnxRunner(model)).toBeNull();
    expect(onnxUnavailableReason()).toMatch(/classification head/);
  });

  it('refuses a model whose weights file is damaged, naming the parameter', async () => {
    const model = cnnModel('embedding', 100, ['a', 'b'], 25);
    const id = addModel(store, 'damaged', model);
    fs.truncateSync(path.join(store.artifactsDir, MODELS_DIR, 'damaged', 'weights.f32'), 1000);
    const file = path.join(tmp, 'damaged.onnx');
    await expect(exportOnnxModel(store, id, file)).rejects.toThrow(/"damaged" cannot be exported to ONNX\. .*does not hold the parameter \S+ that model\.json describes/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses an unknown model, a target inside the project and a folder that does not exist', async () => {
    await expect(exportOnnxModel(store, 999, path.join(tmp, 'x.onnx'))).rejects.toThrow(/no model number 999/);
    const id = addModel(store, 'placed', cnnModel('onehot', 100, ['a', 'b'], 26));
    await expect(exportOnnxModel(store, id, path.join(store.artifactsDir, 'x.onnx'))).rejects.toThrow(/outside the project/);
    await expect(exportOnnxModel(store, id, path.join(tmp, 'missing', 'x.onnx'))).rejects.toThrow(/does not exist/);
  });
});
