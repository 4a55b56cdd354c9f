/**
 * An app BERT (model.json + weights.f32) -> a Hugging Face folder that `BertForMaskedLM.from_pretrained` /
 * `BertForSequenceClassification.from_pretrained` load: config.json, vocab.txt, tokenizer files, model.safetensors, a
 * README model card and a recipe to continue pretraining on a GPU cluster (`continue-pretraining/`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildVocab, SPECIAL_TOKENS } from '../../src-shared/dna';
import type { BertConfig, BertHead } from '../engine/models/bert';
import type { SavedModelConfig } from '../training/artifacts';
import { EXPORT_HIDDEN_ACT, hfConfigFromBert } from './hf-config';
import { modelCard, type ModelCardInfo } from './model-card';
import { recipeFiles } from './recipe';
import { writeSafetensors } from './safetensors';
import { InteropError } from './tensors';

export interface ExportResult {
  readonly path: string;
  /** Relative to `path`. */
  readonly files: readonly string[];
}

/** The full BertConfig of a saved model (its spec's overrides on the preset it names). */
export async function savedBertConfig(config: SavedModelConfig): Promise<{ bert: BertConfig; head: BertHead }> {
  const spec = config.spec;
  if (config.architecture !== 'bert' || spec.kind !== 'bert') {
    throw new InteropError('Only BERT models can be exported as Hugging Face checkpoints; a CNN has no Transformers counterpart.');
  }
  const { bertConfig } = await import('../engine/models/bert');
  return { bert: bertConfig(spec.config ?? {}, spec.preset ?? 'mini'), head: spec.head };
}

function checkTarget(out: string): void {
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new InteropError(`${out} exists and is not a folder.`);
    if (fs.readdirSync(out).length > 0) throw new InteropError(`${out} is not empty; choose a new or empty folder for the export.`);
  }
}

/** Writes the folder next to its final place, then renames it, so a failed export leaves nothing half-written. */
export async function writeHfFolder(model: { config: SavedModelConfig; weights: Float32Array }, out: string, card: ModelCardInfo): Promise<ExportResult> {
  const target = path.resolve(out);
  checkTarget(target);
  const { bert, head } = await savedBertConfig(model.config);
  const k = model.config.k;
  if (k !== 3 && k !== 4 && k !== 5 && k !== 6) throw new InteropError('The model has no k-mer size recorded, so its vocabulary is unknown.');
  const layoutSize = model.config.layout.reduce((n, e) => Math.max(n, e.offset + e.size), 0);
  if (model.weights.length < layoutSize) throw new InteropError('The model weights file is shorter than its layout; the model folder is damaged.');
  const hfHead = head.kind === 'mlm' ? ({ kind: 'mlm' } as const) : ({ kind: 'classification', classes: model.config.classes, pooling: head.pooling } as const);
  const maxTokens = model.config.maxTokens ?? Math.min(512, bert.maxPositions);
  const hfConfig = hfConfigFromBert(bert, hfHead, {
    dnalm: {
      k,
      tokenizer: 'overlapping k-mers, DNABERT vocabulary, [CLS] ... [SEP]',
      max_tokens: maxTokens,
      pooling: head.kind === 'classification' ? head.pooling : null,
      exported_by: 'DNA LM Studio',
    },
  });
  const tensors = model.config.layout.map((e) => ({ name: e.name, shape: e.shape, values: model.weights.subarray(e.offset, e.offset + e.size) }));
  const files = new Map<string, string | Uint8Array>();
  files.set('config.json', `${JSON.stringify(hfConfig, null, 2)}\n`);
  files.set('vocab.txt', `${buildVocab(k).join('\n')}\n`);
  files.set(
    'tokenizer_config.json',
    `${JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: false, do_basic_tokenize: true, model_max_length: maxTokens, pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]' }, null, 2)}\n`,
  );
  files.set('special_tokens_map.json', `${JSON.stringify({ pad_token: SPECIAL_TOKENS[0], unk_token: SPECIAL_TOKENS[1], cls_token: SPECIAL_TOKENS[2], sep_token: SPECIAL_TOKENS[3], mask_token: SPECIAL_TOKENS[4] }, null, 2)}\n`);
  files.set('model.safetensors', writeSafetensors(tensors, { format: 'pt', exported_by: 'DNA LM Studio', hidden_act: EXPORT_HIDDEN_ACT }));
  files.set('README.md', modelCard({ ...card, bert, head, k, maxTokens, classes: model.config.classes }));
  for (const [name, text] of recipeFiles({ k, maxTokens, head: head.kind })) files.set(`continue-pretraining/${name}`, text);

  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(temp, { recursive: true, force: true });
  try {
    for (const [name, data] of files) {
      fs.mkdirSync(path.dirname(path.join(temp, name)), { recursive: true });
      fs.writeFileSync(path.join(temp, name), data, name.endsWith('.sh') ? { mode: 0o755 } : {});
    }
    if (fs.existsSync(target)) fs.rmdirSync(target); // empty, checked above
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  return { path: target, files: [...files.keys()].sort() };
}
