/**
 * A saved model (model.json + weights.f32) as an ONNX file (opset 17, IR 8), written without Python: the graph
 * builders for the app's architectures, the weights as initializers, and the tokenizer and classes as metadata so the
 * file is usable on its own. Also the `models:exportOnnx` command and `dnalm export-onnx`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../src-shared/api';
import { appVersion } from '../../paths';
import type { ProjectStore } from '../../project';
import { writeFileAtomicSync } from '../../project/atomic-write';
import { type SavedModelConfig, readModel } from '../../training/artifacts';
import { getModel } from '../../training/run-repository';
import { type GraphFlavour, bertGraph } from './bert-graph';
import { cnnGraph } from './cnn-graph';
import { type OnnxGraph, encodeModel } from './onnx-proto';
import { SavedWeights } from './saved-weights';

/** A model the exporter cannot write; the message says why and what to do. */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
}

export interface OnnxExport {
  readonly bytes: Uint8Array;
  /** Graph input names in the order the runner feeds them. */
  readonly inputs: readonly ('input_ids' | 'attention_mask')[];
}

async function graphOf(config: SavedModelConfig, w: SavedWeights, flavour: GraphFlavour): Promise<OnnxGraph> {
  const spec = config.spec;
  if (spec.kind === 'cnn') {
    // The engine's own config and layout, so that the graph reads exactly what the TensorFlow.js forward reads.
    const { cnnConfig, cnnParamSpecs } = await import('../../engine/models/cnn');
    const c = cnnConfig(spec.config);
    w.checkAgainst(cnnParamSpecs(c));
    return cnnGraph(c, w);
  }
  if (spec.kind === 'bert') {
    if (spec.head.kind !== 'classification') {
      throw new OnnxExportError('This is a pretrained BERT encoder without a classification head; fine-tune it on a labelled dataset, then export the fine-tuned model.');
    }
    const { bertConfig, bertParamSpecs } = await import('../../engine/models/bert');
    const c = bertConfig(spec.config, spec.preset ?? 'mini');
    w.checkAgainst(bertParamSpecs(c, spec.head));
    return bertGraph(c, spec.head, w, flavour);
  }
  throw new OnnxExportError(`The architecture "${(spec as { kind?: unknown }).kind}" cannot be exported to ONNX; only the CNN and BERT classifiers can.`);
}

/**
 * The .onnx bytes of a saved model. Throws OnnxExportError for a model the exporter cannot handle. 'portable' (files
 * for users) uses standard operators only; 'onnxruntime' (the app's runner) may use ONNX Runtime's fused operators.
 */
export async function buildOnnxModel(config: SavedModelConfig, weights: Float32Array, flavour: GraphFlavour = 'portable'): Promise<OnnxExport> {
  if (config.format !== 'dnalm-model' || config.version !== 1) throw new OnnxExportError('model.json is not a DNA LM Studio model of a version this app reads.');
  let graph: OnnxGraph;
  try {
    graph = await graphOf(config, new SavedWeights(config, weights), flavour);
  } catch (err) {
    if (err instanceof OnnxExportError) throw err;
    throw new OnnxExportError(`The model cannot be exported to ONNX: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bytes = encodeModel({
    graph,
    producerName: 'DNA LM Studio',
    producerVersion: appVersion,
    doc: `${config.architecture.toUpperCase()} classifier exported by DNA LM Studio ${appVersion}. Classes: ${config.classes.join(', ')}.`,
    metadata: {
      'dnalm.architecture': config.architecture,
      'dnalm.classes': JSON.stringify(config.classes),
      'dnalm.outputs': config.outputs === 1 ? 'one logit: sigmoid gives P(second class)' : 'one logit per class: softmax',
      'dnalm.tokenizer': JSON.stringify(config.tokenizer),
      ...(config.runId === null ? {} : { 'dnalm.run': String(config.runId) }),
    },
  });
  return { bytes, inputs: config.spec.kind === 'bert' ? ['input_ids', 'attention_mask'] : ['input_ids'] };
}

/** `models:exportOnnx`: writes model `id` of the project to `file` (replaced atomically). */
export async function exportOnnxModel(store: ProjectStore, id: number, file: string): Promise<{ path: string; bytes: number }> {
  if (!Number.isInteger(id) || id < 1) throw new ApiError('INVALID_REQUEST', 'Give the number of the model to export.');
  if (typeof file !== 'string' || file.trim() === '') throw new ApiError('INVALID_REQUEST', 'Give the .onnx file to write.');
  const { summary, dir } = getModel(store, id);
  let target = path.resolve(file);
  if (!target.toLowerCase().endsWith('.onnx')) target += '.onnx';
  const artifacts = path.resolve(store.artifactsDir);
  if (target.startsWith(`${artifacts}${path.sep}`)) throw new ApiError('INVALID_REQUEST', 'Export to a file outside the project folder.');
  if (!fs.existsSync(path.dirname(target))) throw new ApiError('INVALID_REQUEST', `The folder ${path.dirname(target)} does not exist; create it or choose another.`);
  let model: ReturnType<typeof readModel>;
  try {
    model = readModel(dir);
  } catch {
    throw new ApiError('INVALID_REQUEST', `The files of the model "${summary.name}" are missing or damaged.`);
  }
  let built: OnnxExport;
  try {
    built = await buildOnnxModel(model.config, model.weights);
  } catch (err) {
    if (err instanceof OnnxExportError) throw new ApiError('INVALID_REQUEST', `"${summary.name}" cannot be exported to ONNX. ${err.message}`);
    throw err;
  }
  writeFileAtomicSync(target, built.bytes);
  return { path: target, bytes: built.bytes.byteLength };
}
