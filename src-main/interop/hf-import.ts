/**
 * A Hugging Face BERT checkpoint folder (config.json, vocab.txt, model.safetensors or pytorch_model.bin, sharded or
 * not) -> the app's saved-model form (SavedModelConfig + flat float32 weights in the engine's layout). Every tensor's
 * shape is checked; what is missing, unexpected or tied is reported.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BertConfig, BertHead } from '../engine/models/bert';
import type { SavedModelConfig } from '../training/artifacts';
import { bertConfigFromHf, checkRunnable, type HfConfig, kFromVocab, kFromVocabSize } from './hf-config';
import { readSafetensors } from './safetensors';
import { InteropError, type LoadedTensor, type TensorMap } from './tensors';
import { readTorchBin } from './torch-bin';

export interface HfImportReport {
  readonly source: string;
  /** The weight files read, with their SHA-256. */
  readonly files: readonly { readonly name: string; readonly sha256: string }[];
  readonly architecture: string;
  readonly k: number;
  readonly head: 'mlm' | 'classification';
  readonly classes: readonly string[];
  readonly hiddenAct: string;
  /** dtype -> number of tensors, as stored in the file. */
  readonly dtypes: Readonly<Record<string, number>>;
  readonly loaded: number;
  /** App parameters the checkpoint lacks: initialized new (only heads; a missing encoder tensor refuses the file). */
  readonly initialized: readonly string[];
  /** Checkpoint tensors the app's model has no place for (ignored). */
  readonly unexpected: readonly string[];
  /** Tied copies (the MLM decoder = word embeddings, as Hugging Face ties them) and buffers (position_ids). */
  readonly ignored: readonly string[];
  readonly warnings: readonly string[];
}

export interface ConvertedModel {
  readonly config: SavedModelConfig;
  readonly weights: Float32Array;
  readonly report: HfImportReport;
}

function readJson(file: string): HfConfig {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as HfConfig;
  } catch (err) {
    throw new InteropError(`${path.basename(file)} is not a readable JSON object (${err instanceof Error ? err.message : String(err)}).`);
  }
}

const sha256 = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');

/** The weight files of a folder, safetensors first; shards through their index. */
function readWeights(dir: string): { tensors: TensorMap; files: { name: string; sha256: string }[] } {
  const files: { name: string; sha256: string }[] = [];
  const tensors: TensorMap = new Map();
  const readOne = (name: string): void => {
    const bytes = fs.readFileSync(path.join(dir, name));
    files.push({ name, sha256: sha256(bytes) });
    const got = name.endsWith('.safetensors') ? readSafetensors(bytes, name).tensors : readTorchBin(bytes);
    for (const [k, v] of got) tensors.set(k, v);
  };
  for (const [single, index] of [
    ['model.safetensors', 'model.safetensors.index.json'],
    ['pytorch_model.bin', 'pytorch_model.bin.index.json'],
  ] as const) {
    if (fs.existsSync(path.join(dir, single))) {
      readOne(single);
      return { tensors, files };
    }
    if (fs.existsSync(path.join(dir, index))) {
      const map = readJson(path.join(dir, index))['weight_map'];
      if (typeof map !== 'object' || map === null) throw new InteropError(`${index} has no weight_map.`);
      const shards = [...new Set(Object.values(map as Record<string, unknown>).map(String))].sort();
      for (const s of shards) {
        if (path.basename(s) !== s) throw new InteropError(`${index} names a shard outside the folder (${s}).`);
        readOne(s);
      }
      return { tensors, files };
    }
  }
  if (fs.existsSync(path.join(dir, 'tf_model.h5')) || fs.existsSync(path.join(dir, 'flax_model.msgpack'))) {
    throw new InteropError('The folder has TensorFlow or Flax weights only; save the model with PyTorch (model.safetensors or pytorch_model.bin) first.');
  }
  throw new InteropError('The folder has no model.safetensors or pytorch_model.bin.');
}

/** A checkpoint name in the app's spelling: BertModel names get "bert.", old LayerNorm gamma/beta become weight/bias. */
export function canonicalName(name: string): string {
  let n = name.replace(/^module\./, '');
  if (/^(embeddings|encoder|pooler)\./.test(n)) n = `bert.${n}`;
  n = n.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  return n;
}

function classesOf(c: HfConfig, count: number): string[] {
  const id2label = c['id2label'];
  if (typeof id2label === 'object' && id2label !== null) {
    const entries = Object.entries(id2label as Record<string, unknown>);
    const labels = Array.from({ length: count }, (_, i) => entries.find(([key]) => Number(key) === i)?.[1]);
    if (entries.length === count && labels.every((l) => typeof l === 'string' && l !== '') && new Set(labels).size === count) return labels as string[];
  }
  return Array.from({ length: count }, (_, i) => `LABEL_${i}`);
}

/** Reads and converts a checkpoint folder; `seed` initializes the head parameters the checkpoint lacks. */
export async function readHfCheckpoint(dir: string, seed = 0): Promise<ConvertedModel> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InteropError(`${dir} is not a folder.`);
  const configFile = path.join(dir, 'config.json');
  if (!fs.existsSync(configFile)) {
    throw new InteropError(`${dir} has no config.json; a Hugging Face checkpoint folder holds config.json, vocab.txt and model.safetensors or pytorch_model.bin.`);
  }
  const hf = readJson(configFile);
  const warnings = checkRunnable(hf);
  const bert: BertConfig = bertConfigFromHf(hf);
  let k: 3 | 4 | 5 | 6;
  const vocabFile = path.join(dir, 'vocab.txt');
  if (fs.existsSync(vocabFile)) {
    k = kFromVocab(fs.readFileSync(vocabFile, 'utf8').split('\n'));
  } else {
    const guess = kFromVocabSize(bert.vocabSize);
    if (guess === null) throw new InteropError(`The folder has no vocab.txt and its vocabulary size ${bert.vocabSize} is not a DNABERT k-mer vocabulary (4^k + 5).`);
    k = guess;
    warnings.push(`There is no vocab.txt; k = ${k} was inferred from the vocabulary size ${bert.vocabSize}, assuming DNABERT's token order.`);
  }
  if (4 ** k + 5 !== bert.vocabSize) {
    throw new InteropError(`config.json says vocab_size ${bert.vocabSize}, but vocab.txt is DNABERT's ${k}-mer vocabulary of ${4 ** k + 5} tokens.`);
  }

  const { tensors: raw, files } = readWeights(dir);
  const tensors = new Map<string, { source: string; t: LoadedTensor }>();
  for (const [name, t] of raw) {
    const n = canonicalName(name);
    if (tensors.has(n)) throw new InteropError(`The checkpoint holds ${n} twice (as ${tensors.get(n)?.source} and ${name}).`);
    tensors.set(n, { source: name, t });
  }
  const dtypes: Record<string, number> = {};
  for (const t of raw.values()) dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;

  const hasClassifier = tensors.has('classifier.weight');
  const pooling = 'cls' as const;
  let head: BertHead;
  let classes: string[] = [];
  if (hasClassifier) {
    const shape = tensors.get('classifier.weight')?.t.shape ?? [];
    const n = shape[0] ?? 0;
    if (shape.length !== 2 || n < 2) throw new InteropError(`The classifier has ${n} output${n === 1 ? '' : 's'}; the app's classifiers need at least 2 classes.`);
    head = { kind: 'classification', numClasses: n, pooling };
    classes = classesOf(hf, n);
  } else {
    head = { kind: 'mlm' };
  }
  const ignored: string[] = [];
  // Tied and derived tensors: Hugging Face overwrites the decoder with the word embeddings when it loads.
  const decoderBias = tensors.get('cls.predictions.decoder.bias');
  if (decoderBias) {
    if (!tensors.has('cls.predictions.bias')) tensors.set('cls.predictions.bias', decoderBias);
    tensors.delete('cls.predictions.decoder.bias');
    ignored.push(decoderBias.source);
  }
  const decoder = tensors.get('cls.predictions.decoder.weight');
  if (decoder) {
    tensors.delete('cls.predictions.decoder.weight');
    ignored.push(decoder.source);
    const emb = tensors.get('bert.embeddings.word_embeddings.weight')?.t.values;
    const d = decoder.t.values;
    if (emb && d && (emb.length !== d.length || emb.some((v, i) => v !== d[i]))) {
      warnings.push('cls.predictions.decoder.weight differs from the word embeddings; as in Hugging Face (tied weights), the word embeddings are used.');
    }
  }
  for (const name of [...tensors.keys()]) {
    if (/^bert\.embeddings\.position_ids$/.test(name)) {
      ignored.push(tensors.get(name)?.source ?? name);
      tensors.delete(name);
    }
  }

  const { ParamLayout } = await import('../engine/models/params');
  const { bertParamSpecs } = await import('../engine/models/bert');
  const layout = new ParamLayout(bertParamSpecs(bert, head));
  const weights = layout.initialize(seed);
  const initialized: string[] = [];
  const missingEncoder: string[] = [];
  let loaded = 0;
  for (const e of layout.entries) {
    const found = tensors.get(e.name);
    if (!found) {
      if (e.name.startsWith('bert.embeddings.') || e.name.startsWith('bert.encoder.')) missingEncoder.push(e.name);
      else initialized.push(e.name);
      continue;
    }
    tensors.delete(e.name);
    const { t, source } = found;
    if (t.shape.join('x') !== e.shape.join('x')) {
      throw new InteropError(`${source} has shape [${t.shape.join(', ')}], but config.json implies [${e.shape.join(', ')}].`);
    }
    if (!t.values) throw new InteropError(`${source} holds ${t.dtype} values; the app needs floating-point weights.`);
    weights.set(t.values, e.offset);
    loaded++;
  }
  if (missingEncoder.length > 0) {
    throw new InteropError(
      `The checkpoint lacks ${missingEncoder.length} of the encoder's tensors (first: ${missingEncoder[0]}), so it is not a complete BERT with this config.json.`,
    );
  }
  const unexpected = [...tensors.values()].map((v) => v.source);
  if (initialized.length > 0) {
    warnings.push(`${initialized.length} head tensors are not in the checkpoint and start from random values: ${initialized.join(', ')}.`);
  }
  if (unexpected.length > 0) warnings.push(`${unexpected.length} tensors have no place in the app's model and were ignored: ${unexpected.join(', ')}.`);
  const archs = Array.isArray(hf['architectures']) ? (hf['architectures'] as unknown[]).map(String) : [];
  const architecture = archs[0] ?? (hasClassifier ? 'BertForSequenceClassification' : tensors.size === 0 && initialized.length > 0 ? 'BertModel' : 'BertForMaskedLM');
  const maxTokens = Math.min(bert.maxPositions, 512);
  const config: SavedModelConfig = {
    format: 'dnalm-model',
    version: 1,
    architecture: 'bert',
    role: head.kind === 'classification' ? 'classifier' : 'pretrained',
    spec: { kind: 'bert', preset: 'mini', config: bert, head },
    classes,
    input: { kind: 'kmer', k, maxTokens },
    maxLength: null,
    k,
    maxTokens,
    tokenizer: { kind: 'kmer', k, overlapping: true, addSpecial: true, maxLength: maxTokens, truncation: 'right' },
    outputs: head.kind === 'classification' ? head.numClasses : bert.vocabSize,
    parameters: layout.trainableSize,
    layout: layout.entries.map((e) => ({ name: e.name, shape: [...e.shape], offset: e.offset, size: e.size })),
    runId: null,
    createdAt: new Date().toISOString(),
  };
  return {
    config,
    weights,
    report: {
      source: path.resolve(dir),
      files,
      architecture,
      k,
      head: head.kind,
      classes,
      hiddenAct: typeof hf['hidden_act'] === 'string' ? hf['hidden_act'] : 'gelu',
      dtypes,
      loaded,
      initialized,
      unexpected,
      ignored,
      warnings,
    },
  };
}
