/**
 * Hugging Face BERT config.json <-> the app's BertConfig, the checks that decide whether the app can run a checkpoint,
 * and the DNABERT vocabulary check (k from vocab.txt).
 */
import { buildVocab, SUPPORTED_K, type KmerSize } from '../../src-shared/dna';
import type { BertConfig } from '../engine/models/bert';
import { InteropError } from './tensors';

export type HfConfig = Readonly<Record<string, unknown>>;

/** Activations the engine computes (it has the tanh approximation only; `gelu` is the exact erf form). */
export const TANH_GELU_NAMES = ['gelu_new', 'gelu_pytorch_tanh', 'gelu_fast'] as const;
/** What the app writes into exported configs: the tanh approximation it computes, known to every Transformers version. */
export const EXPORT_HIDDEN_ACT = 'gelu_new';

const SUPPORTED_ARCHITECTURES = ['BertForMaskedLM', 'BertForSequenceClassification', 'BertModel', 'BertForPreTraining'];

const CANNOT_RUN =
  'The app runs BERT models with learned absolute positions and DNABERT\'s overlapping k-mer vocabulary (k = 3 to 6) only';

function num(c: HfConfig, key: string, fallback?: number): number {
  const v = c[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InteropError(`config.json has no valid "${key}".`);
  return v;
}

function posInt(c: HfConfig, key: string, fallback?: number): number {
  const v = num(c, key, fallback);
  if (!Number.isInteger(v) || v < 1) throw new InteropError(`config.json: "${key}" must be a positive whole number, not ${v}.`);
  return v;
}

/** Refuses what the app cannot run, with a sentence that says why. Returns warnings for what it runs approximately. */
export function checkRunnable(c: HfConfig): string[] {
  const warnings: string[] = [];
  const modelType = c['model_type'];
  if (typeof modelType === 'string' && modelType !== 'bert') {
    throw new InteropError(`This checkpoint is a "${modelType}" model. ${CANNOT_RUN}.`);
  }
  if (c['auto_map'] !== undefined || c['alibi_starting_size'] !== undefined) {
    throw new InteropError(
      `This checkpoint needs its own model code (auto_map${c['alibi_starting_size'] !== undefined ? ', ALiBi attention' : ''}), as DNABERT-2 does, which the app cannot run. ${CANNOT_RUN}.`,
    );
  }
  const pos = c['position_embedding_type'];
  if (pos !== undefined && pos !== 'absolute') throw new InteropError(`This checkpoint uses "${String(pos)}" position embeddings. ${CANNOT_RUN}.`);
  if (c['is_decoder'] === true || c['add_cross_attention'] === true) throw new InteropError(`This checkpoint is a BERT decoder. ${CANNOT_RUN}.`);
  const archs = Array.isArray(c['architectures']) ? (c['architectures'] as unknown[]).map(String) : [];
  const other = archs.filter((a) => !SUPPORTED_ARCHITECTURES.includes(a));
  if (other.length > 0) {
    throw new InteropError(`This checkpoint is a ${other.join(', ')}; the app imports ${SUPPORTED_ARCHITECTURES.join(', ')} checkpoints.`);
  }
  const act = typeof c['hidden_act'] === 'string' ? c['hidden_act'] : 'gelu';
  if (act === 'gelu') {
    warnings.push(
      'The checkpoint uses the exact (erf) GELU; the app computes the tanh approximation, so outputs differ slightly (about 1e-3 on hidden states). Exports from the app say gelu_new, which is what it computes.',
    );
  } else if (!(TANH_GELU_NAMES as readonly string[]).includes(act)) {
    throw new InteropError(`This checkpoint uses the activation "${act}"; the app's BERT computes GELU only.`);
  }
  const problem = c['problem_type'];
  if (problem === 'regression' || problem === 'multi_label_classification') {
    throw new InteropError(`This checkpoint's head does ${String(problem).replace(/_/g, ' ')}; the app's classifiers are single-label.`);
  }
  return warnings;
}

/** The app's BertConfig from config.json (defaults as Hugging Face's BertConfig). */
export function bertConfigFromHf(c: HfConfig): BertConfig {
  const hidden = posInt(c, 'hidden_size', 768);
  const heads = posInt(c, 'num_attention_heads', 12);
  if (hidden % heads !== 0) throw new InteropError(`config.json: hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}.`);
  return {
    vocabSize: posInt(c, 'vocab_size', 30522),
    hidden,
    layers: posInt(c, 'num_hidden_layers', 12),
    heads,
    intermediate: posInt(c, 'intermediate_size', 3072),
    maxPositions: posInt(c, 'max_position_embeddings', 512),
    typeVocabSize: posInt(c, 'type_vocab_size', 2),
    layerNormEps: num(c, 'layer_norm_eps', 1e-12),
    hiddenDropout: num(c, 'hidden_dropout_prob', 0.1),
    attentionDropout: num(c, 'attention_probs_dropout_prob', 0.1),
    initStd: num(c, 'initializer_range', 0.02),
  };
}

/** Hugging Face config.json for an app BERT. */
export function hfConfigFromBert(
  c: BertConfig,
  head: { kind: 'mlm' } | { kind: 'classification'; classes: readonly string[]; pooling: 'cls' | 'mean' },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    architectures: [head.kind === 'mlm' ? 'BertForMaskedLM' : head.pooling === 'cls' ? 'BertForSequenceClassification' : 'BertModel'],
    model_type: 'bert',
    attention_probs_dropout_prob: c.attentionDropout,
    hidden_act: EXPORT_HIDDEN_ACT,
    hidden_dropout_prob: c.hiddenDropout,
    hidden_size: c.hidden,
    initializer_range: c.initStd,
    intermediate_size: c.intermediate,
    layer_norm_eps: c.layerNormEps,
    max_position_embeddings: c.maxPositions,
    num_attention_heads: c.heads,
    num_hidden_layers: c.layers,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    type_vocab_size: c.typeVocabSize,
    vocab_size: c.vocabSize,
    tie_word_embeddings: true,
  };
  if (head.kind === 'classification') {
    base['id2label'] = Object.fromEntries(head.classes.map((label, i) => [String(i), label]));
    base['label2id'] = Object.fromEntries(head.classes.map((label, i) => [label, i]));
    base['problem_type'] = 'single_label_classification';
  }
  return { ...base, ...extra };
}

/** k of a DNABERT vocabulary: vocab.txt must be exactly DNABERT's list for some k in 3..6. */
export function kFromVocab(lines: readonly string[]): KmerSize {
  const tokens = lines.map((l) => l.replace(/\r$/, '')).filter((l, i, all) => !(i === all.length - 1 && l === ''));
  for (const k of SUPPORTED_K) {
    const want = buildVocab(k);
    if (tokens.length === want.length && tokens.every((t, i) => t === want[i])) return k;
  }
  const looksBpe = tokens.some((t) => t.length > 6 || /^##/.test(t));
  throw new InteropError(
    `vocab.txt (${tokens.length} tokens) is not DNABERT's k-mer vocabulary for k = 3 to 6${looksBpe ? ' (it looks like a BPE or WordPiece vocabulary, as DNABERT-2 uses)' : ''}; the app's tokenizer cannot produce its ids. ${CANNOT_RUN}.`,
  );
}

/** k from the vocabulary size alone (4^k + 5), when a checkpoint comes without vocab.txt. */
export function kFromVocabSize(size: number): KmerSize | null {
  for (const k of SUPPORTED_K) if (4 ** k + 5 === size) return k;
  return null;
}
