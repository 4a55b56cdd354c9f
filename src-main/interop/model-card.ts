/** The README.md model card of an exported folder: what the model is, its data (with hashes), settings, metrics, licences. */
import type { EvaluationResult, TrainSettings } from '../../src-shared/api';
import type { BertConfig, BertHead } from '../engine/models/bert';

export interface ModelCardInfo {
  readonly name: string;
  readonly appVersion: string;
  readonly modelLicence: string;
  readonly createdAt: string;
  readonly dataset?: { readonly name: string; readonly contentHash: string; readonly licence: string; readonly records?: number } | undefined;
  readonly settings?: TrainSettings | undefined;
  readonly test?: EvaluationResult | null | undefined;
  /** An imported model: where it came from. */
  readonly source?: { readonly path: string; readonly files: readonly { readonly name: string; readonly sha256: string }[]; readonly hiddenAct: string } | undefined;
}

const fmt = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : '—');

export function modelCard(info: ModelCardInfo & { bert: BertConfig; head: BertHead; k: number; maxTokens: number; classes: readonly string[] }): string {
  const { bert, head } = info;
  const cls = head.kind === 'classification';
  const hfClass = !cls ? 'BertForMaskedLM' : head.pooling === 'cls' ? 'BertForSequenceClassification' : 'BertModel';
  const lines = [
    '---',
    `license: other`,
    'library_name: transformers',
    'tags: [dna, genomics, dnabert, k-mer]',
    '---',
    '',
    `# ${info.name}`,
    '',
    `Exported by DNA LM Studio ${info.appVersion} on ${info.createdAt}. A BERT with DNABERT's ${info.k}-mer vocabulary`,
    `(${bert.layers} layers, hidden ${bert.hidden}, ${bert.heads} heads, FFN ${bert.intermediate}, ${bert.maxPositions} positions),`,
    `${cls ? `a classifier over ${info.classes.length} classes (${info.classes.join(', ')}), ${head.pooling === 'cls' ? 'pooled on [CLS]' : 'mean-pooled over the tokens'}` : 'with its masked-language-model head'}.`,
    '',
    '## Use',
    '',
    '```python',
    `from transformers import BertTokenizer, ${hfClass}`,
    `model = ${hfClass}.from_pretrained("PATH/TO/THIS/FOLDER")`,
    'tokenizer = BertTokenizer.from_pretrained("PATH/TO/THIS/FOLDER", do_lower_case=False)',
    `seq = "ACGTAGGCTA..."; kmers = " ".join(seq[i:i + ${info.k}] for i in range(len(seq) - ${info.k} + 1))`,
    `inputs = tokenizer(kmers, return_tensors="pt", truncation=True, max_length=${info.maxTokens})`,
    '```',
    '',
    `Input: overlapping ${info.k}-mers of the upper-case sequence, [CLS] first and [SEP] last, at most ${info.maxTokens} tokens;`,
    'k-mers holding anything but A, C, G, T become [UNK].',
    `The activation is the tanh approximation of GELU (\`hidden_act: ${'gelu_new'}\`), which is what the app computes.`,
  ];
  if (cls && head.pooling === 'mean') {
    lines.push(
      '',
      '**Mean pooling.** Transformers has no BERT class that mean-pools, so `config.json` names `BertModel` and the',
      'classifier is stored as `classifier.weight` / `classifier.bias` (reported as unused by `from_pretrained`). Logits:',
      '`h = model(**inputs).last_hidden_state; m = inputs["attention_mask"][..., None]; pooled = (h * m).sum(1) / m.sum(1)`,',
      'then `pooled @ classifier.weight.T + classifier.bias`.',
    );
  }
  lines.push('', '## Training data');
  if (info.dataset) {
    lines.push(
      '',
      `- Dataset: ${info.dataset.name}${info.dataset.records === undefined ? '' : ` (${info.dataset.records} sequences)`}`,
      `- Content hash (SHA-256 of the canonical form): \`${info.dataset.contentHash}\``,
      `- Data licence: ${info.dataset.licence || 'not recorded'}`,
    );
  } else if (info.source) {
    lines.push('', `Imported from ${info.source.path}; its original training data are described by its authors.`);
  } else {
    lines.push('', 'Not recorded.');
  }
  if (info.source) {
    lines.push('', '## Source checkpoint', '', ...info.source.files.map((f) => `- ${f.name}: SHA-256 \`${f.sha256}\``), `- hidden_act in its config: ${info.source.hiddenAct}`);
  }
  if (info.settings) {
    lines.push('', '## Settings', '', '```json', JSON.stringify(info.settings, null, 2), '```');
  }
  const t = info.test;
  if (t) {
    lines.push(
      '',
      '## Test metrics',
      '',
      `Split ${t.split}: accuracy ${fmt(t.accuracy)}, F1 ${fmt(t.f1)}, MCC ${fmt(t.mcc)}, ROC-AUC ${fmt(t.rocAuc)}, PR-AUC ${fmt(t.prAuc)}, precision ${fmt(t.precision)}, recall ${fmt(t.recall)}.`,
      '',
      '| class | precision | recall | F1 | support |',
      '|---|---|---|---|---|',
      ...t.perClass.map((c) => `| ${c.label} | ${fmt(c.precision)} | ${fmt(c.recall)} | ${fmt(c.f1)} | ${c.support} |`),
    );
  }
  lines.push(
    '',
    '## Licences',
    '',
    `- Model weights: ${info.modelLicence || 'not recorded — ask the person who trained or imported the model before you share it'}`,
    ...(info.dataset ? [`- Training data: ${info.dataset.licence || 'not recorded'}`] : []),
    '- DNABERT vocabulary: generated from the k-mer alphabet (DNABERT, Ji et al. 2021, Apache-2.0 code).',
    '',
    '## Continue pretraining',
    '',
    'See `continue-pretraining/README.md`: a Transformers + Accelerate recipe with the same tokenizer settings; the',
    'checkpoint it writes can be imported back with `dnalm model import PROJECT FOLDER --licence TEXT`.',
    '',
  );
  return lines.join('\n');
}
