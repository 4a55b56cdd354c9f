/** The checkpoint readers on hand-made bytes: safetensors, the restricted pickle reader, dtypes, vocabularies, names. */
import { describe, expect, it } from 'vitest';
import { buildVocab } from '../../../src-shared/dna';
import { checkRunnable, kFromVocab, kFromVocabSize } from '../../../src-main/interop/hf-config';
import { canonicalName } from '../../../src-main/interop/hf-import';
import { PickleDict, readPickle } from '../../../src-main/interop/pickle';
import { readSafetensors, writeSafetensors } from '../../../src-main/interop/safetensors';
import { halfToFloat } from '../../../src-main/interop/tensors';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function safetensorsFile(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const h = Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(8 + h.length + data.length);
  out.writeBigUInt64LE(BigInt(h.length), 0);
  h.copy(out, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips float32 tensors with metadata, data 8-byte aligned', () => {
    const bytes = writeSafetensors([{ name: 'a.weight', shape: [2, 3], values: Float32Array.of(1, 2, 3, 4, 5, -6.5) }, { name: 'b', shape: [1], values: Float32Array.of(7) }], { format: 'pt' });
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0);
    const r = readSafetensors(bytes);
    expect(r.metadata).toEqual({ format: 'pt' });
    expect(r.tensors.get('a.weight')).toEqual({ dtype: 'F32', shape: [2, 3], values: Float32Array.of(1, 2, 3, 4, 5, -6.5) });
    expect(r.tensors.get('b')?.values).toEqual(Float32Array.of(7));
  });

  it('decodes float16 and bfloat16, and refuses offsets that do not fit', () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001]).buffer); // 1, -2, ~1/3, smallest subnormal
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer); // 1, -3
    const r = readSafetensors(safetensorsFile({ h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] } }, Uint8Array.from([...f16, ...bf16])));
    const h = r.tensors.get('h')?.values ?? new Float32Array();
    expect([h[0], h[1], h[3]]).toEqual([1, -2, 2 ** -24]);
    expect(h[2]).toBeCloseTo(1 / 3, 3);
    expect(r.tensors.get('b')?.values).toEqual(Float32Array.of(1, -3));
    expect(() => readSafetensors(safetensorsFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(/does not fit/);
    expect(() => readSafetensors(Uint8Array.of(1, 2, 3))).toThrow(/not a valid safetensors/);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
  });
});

describe('the restricted pickle reader', () => {
  it('refuses any GLOBAL outside the allow-list before anything else happens', () => {
    expect(() => readPickle(ascii("cos\nsystem\n(S'touch /tmp/x'\ntR."))).toThrow(/os\.system, which is not plain tensor data/);
    expect(() => readPickle(ascii('cbuiltins\neval\n.'))).toThrow(/builtins\.eval/);
    expect(() => readPickle(ascii('\x80\x02ctorch._utils\n_rebuild_tensor_v2\nctorch\nload\n.'))).toThrow(/torch\.load/);
  });

  it('refuses object-building opcodes and unknown data behind a persistent id', () => {
    expect(() => readPickle(ascii('\x80\x02(i__main__\nX\n.'))).toThrow(/opcode 0x69/); // INST
    expect(() => readPickle(ascii('\x80\x02X\x03\x00\x00\x00abcQ.'))).toThrow(/not a torch storage/); // BINPERSID on a string
  });

  it('reads plain data: dicts, lists, tuples, ints, floats, strings, memo', () => {
    // pickle.dumps({'a': [1, 2.5, 'x', 300, -5, 2**40], 'b': (True, None), 'c': OrderedDict([('k', 'v')])}, protocol=2)
    const bytes = Buffer.from('80027d71002858010000006171015d7102284b0147400400000000000058010000007871034d2c014afbffffff8a06000000000001655801000000627104884e867105580100000063710663636f6c6c656374696f6e730a4f726465726564446963740a71072952710858010000006b7109580100000076710a73752e', 'hex');
    const value = readPickle(bytes).value as PickleDict;
    expect(value).toBeInstanceOf(PickleDict);
    expect(value.map.get('a')).toEqual([1, 2.5, 'x', 300, -5, 2 ** 40]);
    expect(value.map.get('b')).toEqual([true, null]);
    expect((value.map.get('c') as PickleDict).map.get('k')).toBe('v');
  });
});

describe('DNABERT vocabularies and names', () => {
  it('infers k from vocab.txt or the vocabulary size, and refuses anything else', () => {
    for (const k of [3, 4, 5, 6]) expect(kFromVocab([...buildVocab(k), ''])).toBe(k);
    expect(kFromVocabSize(4101)).toBe(6);
    expect(kFromVocabSize(4096)).toBeNull();
    const shuffled = buildVocab(3);
    [shuffled[5], shuffled[6]] = [shuffled[6] ?? '', shuffled[5] ?? ''];
    expect(() => kFromVocab(shuffled)).toThrow(/not DNABERT's k-mer vocabulary/);
  });

  it('maps BertModel names, DataParallel prefixes and old LayerNorm names onto the app', () => {
    expect(canonicalName('embeddings.word_embeddings.weight')).toBe('bert.embeddings.word_embeddings.weight');
    expect(canonicalName('module.bert.encoder.layer.0.output.LayerNorm.gamma')).toBe('bert.encoder.layer.0.output.LayerNorm.weight');
    expect(canonicalName('pooler.dense.bias')).toBe('bert.pooler.dense.bias');
    expect(canonicalName('classifier.weight')).toBe('classifier.weight');
  });

  it('notes the erf GELU, accepts tanh GELU names, refuses other activations and heads', () => {
    expect(checkRunnable({ hidden_act: 'gelu' })).toHaveLength(1);
    expect(checkRunnable({ hidden_act: 'gelu_new', model_type: 'bert', architectures: ['BertForMaskedLM'] })).toEqual([]);
    expect(() => checkRunnable({ hidden_act: 'relu' })).toThrow(/activation "relu"/);
    expect(() => checkRunnable({ architectures: ['BertForTokenClassification'] })).toThrow(/BertForTokenClassification/);
    expect(() => checkRunnable({ problem_type: 'regression' })).toThrow(/regression/);
  });
});
