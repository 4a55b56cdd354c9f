/**
 * Hugging Face interop against PyTorch (Debian's python3-torch, no transformers): a tiny BERT built by
 * bert_reference.py with Hugging Face's module names is written as model.safetensors (f32, f16, bf16) and
 * pytorch_model.bin (zip and legacy formats), imported, and run by the app's engine; hidden states and logits must agree
 * to 1e-4. The other way: an app model exported as a Hugging Face folder is loaded by name into the PyTorch model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHfCheckpoint } from '../../../src-main/interop/hf-import';
import { writeHfFolder } from '../../../src-main/interop/hf-export';
import { Rng } from '../../../src-main/engine/models/rng';
import { appForward, maxAbsDiff, python, type Inputs, type Outputs } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-interop-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const dir = (name: string): string => path.join(tmp, name);
const expected = (name: string): Inputs & Outputs => JSON.parse(fs.readFileSync(path.join(dir(name), 'expected.json'), 'utf8')) as Inputs & Outputs;
const figures: Record<string, { hidden: number; logits: number }> = {};

beforeAll(() => {
  python('make', dir('mlm'), '--k', '3', '--seed', '1');
  python('make', dir('cls'), '--k', '3', '--seed', '2', '--classes', 'promoter,enhancer,other');
  python('make', dir('f16'), '--k', '4', '--seed', '3', '--dtype', 'f16');
  python('make', dir('bf16'), '--k', '3', '--seed', '4', '--dtype', 'bf16', '--classes', 'no,yes');
  python('make', dir('erf'), '--k', '3', '--seed', '5', '--act', 'gelu');
  python('evil', dir('evil'));
}, 180_000);

afterAll(() => {
  // The figures the report quotes.
  console.log(`max |app - PyTorch|: ${JSON.stringify(figures, null, 1)}`);
});

async function compare(label: string, folder: string, reference: string, tol = 1e-4): Promise<void> {
  const m = await readHfCheckpoint(folder);
  const want = expected(reference);
  const got = await appForward(m.config, m.weights, want);
  const d = { hidden: maxAbsDiff(got.hidden, want.hidden), logits: maxAbsDiff(got.logits, want.logits) };
  figures[label] = d;
  expect(d.hidden).toBeLessThan(tol);
  expect(d.logits).toBeLessThan(tol);
}

describe('importing a Hugging Face BERT checkpoint', () => {
  it('reads model.safetensors (BertForMaskedLM) and reproduces hidden states and MLM logits', async () => {
    const m = await readHfCheckpoint(dir('mlm'));
    expect(m.report).toMatchObject({ k: 3, head: 'mlm', architecture: 'BertForMaskedLM', initialized: [], unexpected: [], dtypes: { F32: 42 } });
    expect(m.config).toMatchObject({ role: 'pretrained', k: 3, architecture: 'bert', spec: { head: { kind: 'mlm' }, config: { hidden: 32, layers: 2, heads: 2, intermediate: 64, vocabSize: 69, maxPositions: 40 } } });
    await compare('safetensors f32 (MLM)', dir('mlm'), 'mlm');
  });

  it('reads pytorch_model.bin (zip format) without running its pickle: tied copies, buffers and strided views', async () => {
    fs.renameSync(path.join(dir('mlm'), 'model.safetensors'), path.join(dir('mlm'), 'model.safetensors.off'));
    try {
      const m = await readHfCheckpoint(dir('mlm'));
      expect(m.report.files.map((f) => f.name)).toEqual(['pytorch_model.bin']);
      expect([...m.report.ignored].sort()).toEqual(['bert.embeddings.position_ids', 'cls.predictions.decoder.bias', 'cls.predictions.decoder.weight']);
      expect(m.report.warnings).toEqual([]);
      await compare('pytorch_model.bin zip (MLM)', dir('mlm'), 'mlm');
    } finally {
      fs.renameSync(path.join(dir('mlm'), 'model.safetensors.off'), path.join(dir('mlm'), 'model.safetensors'));
    }
  });

  it('reads the legacy (pre-1.6) torch.save format', async () => {
    await compare('pytorch_model.bin legacy (MLM)', path.join(dir('mlm'), 'legacy'), 'mlm');
  });

  it('imports BertForSequenceClassification with its classes from id2label', async () => {
    const m = await readHfCheckpoint(dir('cls'));
    expect(m.config).toMatchObject({ role: 'classifier', classes: ['promoter', 'enhancer', 'other'], outputs: 3, spec: { head: { kind: 'classification', numClasses: 3, pooling: 'cls' } } });
    await compare('safetensors f32 (classifier)', dir('cls'), 'cls');
    await compare('pytorch_model.bin legacy (classifier)', path.join(dir('cls'), 'legacy'), 'cls');
  });

  it('reads float16 and bfloat16 weights (safetensors and pytorch_model.bin)', async () => {
    const f16 = await readHfCheckpoint(dir('f16'));
    expect(f16.report).toMatchObject({ k: 4, dtypes: { F16: 42 } });
    await compare('safetensors f16 (MLM, k=4)', dir('f16'), 'f16');
    await compare('safetensors bf16 (classifier)', dir('bf16'), 'bf16');
    await compare('pytorch_model.bin legacy bf16 (classifier)', path.join(dir('bf16'), 'legacy'), 'bf16');
  });

  it('accepts the exact (erf) GELU with a note, and differs from it only by the tanh approximation', async () => {
    const m = await readHfCheckpoint(dir('erf'));
    expect(m.report.hiddenAct).toBe('gelu');
    expect(m.report.warnings.join(' ')).toMatch(/erf.*tanh approximation/);
    const want = expected('erf');
    const got = await appForward(m.config, m.weights, want);
    figures['erf GELU checkpoint, app tanh GELU'] = { hidden: maxAbsDiff(got.hidden, want.hidden), logits: maxAbsDiff(got.logits, want.logits) };
    expect(maxAbsDiff(got.hidden, want.hidden)).toBeLessThan(2e-2);
  });
});

describe('refusing checkpoints', () => {
  const variant = (name: string, from: string, edit: (config: Record<string, unknown>) => void, files?: (d: string) => void): string => {
    const d = dir(name);
    fs.mkdirSync(d, { recursive: true });
    for (const f of ['config.json', 'vocab.txt', 'model.safetensors']) fs.copyFileSync(path.join(dir(from), f), path.join(d, f));
    const c = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
    edit(c);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify(c));
    files?.(d);
    return d;
  };

  it('refuses a pickle that calls anything outside the allow-list, and runs nothing', async () => {
    await expect(readHfCheckpoint(dir('evil'))).rejects.toThrow(/posix\.system|os\.system|not plain tensor data/);
    expect(fs.existsSync(path.join(dir('evil'), 'pwned.txt'))).toBe(false);
  });

  it("refuses DNABERT-2's ALiBi / BPE model with a sentence saying why", async () => {
    const d = variant('dnabert2', 'mlm', (c) => {
      c['auto_map'] = { AutoModel: 'bert_layers.BertModel' };
      c['alibi_starting_size'] = 512;
    });
    await expect(readHfCheckpoint(d)).rejects.toThrow(/own model code.*ALiBi.*DNABERT-2.*cannot run/);
    const bpe = variant('bpe', 'mlm', () => undefined, (f) => fs.writeFileSync(path.join(f, 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'AACGTTAG', 'GGT', '##CA'].join('\n')));
    await expect(readHfCheckpoint(bpe)).rejects.toThrow(/not DNABERT's k-mer vocabulary.*BPE/);
    const esm = variant('esm', 'mlm', (c) => (c['model_type'] = 'esm'));
    await expect(readHfCheckpoint(esm)).rejects.toThrow(/"esm" model/);
  });

  it('checks every shape against config.json', async () => {
    const d = variant('shape', 'mlm', (c) => (c['intermediate_size'] = 48));
    await expect(readHfCheckpoint(d)).rejects.toThrow(/intermediate\.dense\.weight has shape \[64, 32\], but config\.json implies \[48, 32\]/);
    const noLayers = variant('layers', 'mlm', (c) => (c['num_hidden_layers'] = 3));
    await expect(readHfCheckpoint(noLayers)).rejects.toThrow(/lacks 16 of the encoder's tensors/);
  });
});

describe('exporting an app BERT as a Hugging Face folder', () => {
  /** An app model with random, non-trivial weights (not the near-zero initialization). */
  async function randomApp(from: string, seed: number) {
    const m = await readHfCheckpoint(dir(from));
    const rng = new Rng(seed);
    const weights = Float32Array.from(m.weights, (v) => v + rng.normal() * 0.05);
    return { config: m.config, weights };
  }

  it.each([
    ['mlm', 'BertForMaskedLM'],
    ['cls', 'BertForSequenceClassification'],
  ])('writes a %s folder that PyTorch loads by name with the same outputs', async (from, architecture) => {
    const model = await randomApp(from, 11);
    const out = dir(`export-${from}`);
    const r = await writeHfFolder(model, out, { name: `tiny ${from}`, appVersion: 'test', modelLicence: 'CC-BY-4.0', createdAt: '2025-01-01' });
    expect(r.files).toEqual(
      expect.arrayContaining(['README.md', 'config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.txt', 'continue-pretraining/run_mlm.sh', 'continue-pretraining/kmerize.py']),
    );
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ architectures: [architecture], model_type: 'bert', hidden_act: 'gelu_new', vocab_size: 69 });
    const inputs = path.join(dir(from), 'inputs.json');
    const torch = JSON.parse(python('run', out, inputs)) as Outputs & { missing: string[]; vocab_size: number };
    expect(torch.vocab_size).toBe(69);
    const app = await appForward(model.config, model.weights, JSON.parse(fs.readFileSync(inputs, 'utf8')) as Inputs);
    const d = { hidden: maxAbsDiff(app.hidden, torch.hidden), logits: maxAbsDiff(app.logits, torch.logits) };
    figures[`export ${from} -> PyTorch`] = d;
    expect(d.hidden).toBeLessThan(1e-4);
    expect(d.logits).toBeLessThan(1e-4);
    // and back: the export imports to the same weights
    const again = await readHfCheckpoint(out);
    expect(maxAbsDiff(again.weights, model.weights)).toBe(0);
  });

  it('refuses a folder that is not empty', async () => {
    const model = await randomApp('mlm', 1);
    fs.mkdirSync(dir('busy'));
    fs.writeFileSync(path.join(dir('busy'), 'x'), '');
    await expect(writeHfFolder(model, dir('busy'), { name: 'x', appVersion: 't', modelLicence: '', createdAt: '' })).rejects.toThrow(/not empty/);
  });
});
