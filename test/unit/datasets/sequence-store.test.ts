import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, SequenceFileReader, SequenceFileWriter } from '../../../src-main/datasets/sequence-store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-seqs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function randomSequence(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    s += r < 0.05 ? 'N' : 'ACGT'[Math.floor(r * 4)];
  }
  return s;
}

function lcg(seed: number): () => number {
  let x = seed;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296);
}

interface Rec {
  id: string;
  label: number;
  sequence: string;
}

function write(name: string, records: readonly Rec[], splits = [{ name: 'train', start: 0, count: records.length }]) {
  const file = path.join(tmp, name);
  const writer = SequenceFileWriter.create(file);
  for (const r of records) writer.append(r.id, r.label, r.sequence);
  const size = writer.finish({ labels: ['neg', 'pos'], splits });
  return { file, size };
}

describe('the .seqs sequence store', () => {
  const random = lcg(7);
  const records: Rec[] = Array.from({ length: 1000 }, (_, i) => ({
    id: i % 97 === 0 ? `séquence ${i} — «ünïcode»` : `chr1:${1000 + i * 250}-${1250 + i * 250}(+)`,
    label: i % 3 === 0 ? 1 : 0,
    sequence: i === 5 ? '' : i === 6 ? 'NNNNNNNN' : randomSequence(random, 1 + Math.floor(random() * 300)),
  }));

  it('reads back every record exactly, N runs, empty sequences and unicode ids included', () => {
    const { file, size } = write('all.seqs', records, [
      { name: 'train', start: 0, count: 800 },
      { name: 'test', start: 800, count: 200 },
    ]);
    expect(fs.statSync(file).size).toBe(size);
    const reader = SequenceFileReader.open(file);
    const back = [...reader.records()];
    reader.close();
    expect(back).toHaveLength(records.length);
    back.forEach((r, i) => {
      expect(r.index).toBe(i);
      expect(r.id).toBe(records[i]?.id);
      expect(r.sequence).toBe(records[i]?.sequence);
      expect(r.label).toBe(records[i]?.label === 1 ? 'pos' : 'neg');
      expect(r.split).toBe(i < 800 ? 'train' : 'test');
    });
    const again = SequenceFileReader.open(file);
    expect([...again.splitRecords('test')].map((r) => r.index)).toEqual(Array.from({ length: 200 }, (_, k) => 800 + k));
    expect([...again.splitRecords('validation')]).toEqual([]);
    again.close();
  });

  it('packs four bases a byte', () => {
    const seq = 'ACGT'.repeat(250); // 1000 bases, no N
    const { size } = write('packed.seqs', Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, label: 0, sequence: seq })));
    const payload = 100 * 250;
    expect(size).toBeLessThan(payload * 1.05 + 200);
  });

  it('reads any index range, across block boundaries, through the block index', () => {
    const { file } = write('ranges.seqs', records);
    const reader = SequenceFileReader.open(file);
    for (const [start, end] of [
      [0, 1],
      [BLOCK_SIZE - 1, BLOCK_SIZE + 2],
      [517, 531],
      [990, 2000],
      [-5, 3],
    ] as const) {
      const got = [...reader.records(start, end)];
      const from = Math.max(0, start);
      const to = Math.min(records.length, end);
      expect(got.map((r) => r.index)).toEqual(Array.from({ length: to - from }, (_, k) => from + k));
      expect(got.map((r) => r.id)).toEqual(records.slice(from, to).map((r) => r.id));
      expect(got.map((r) => r.sequence)).toEqual(records.slice(from, to).map((r) => r.sequence));
    }
    expect([...reader.records(10, 10)]).toEqual([]);
    reader.close();
  });

  it('skips unwanted records without decoding them', () => {
    const { file } = write('filtered.seqs', records);
    const reader = SequenceFileReader.open(file);
    const positives = [...reader.records(0, reader.count, (_, label) => label === 1)];
    reader.close();
    expect(positives.map((r) => r.index)).toEqual(records.flatMap((r, i) => (r.label === 1 ? [i] : [])));
    expect(positives.every((r) => r.sequence === records[r.index]?.sequence && r.id === records[r.index]?.id)).toBe(true);
  });

  it('refuses a file whose end is missing, and a file that is not a sequence file', () => {
    const { file } = write('whole.seqs', records.slice(0, 50));
    const cut = path.join(tmp, 'cut.seqs');
    fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, fs.statSync(file).size - 10));
    expect(() => SequenceFileReader.open(cut)).toThrow(/end is missing|damaged/);
    const other = path.join(tmp, 'other.seqs');
    fs.writeFileSync(other, 'sequence,label\n'.repeat(10));
    expect(() => SequenceFileReader.open(other)).toThrow(/not a DNA LM Studio sequence file/);
  });

  it('never overwrites a file and removes its output when aborted', () => {
    const { file } = write('keep.seqs', records.slice(0, 3));
    expect(() => SequenceFileWriter.create(file)).toThrow(/EEXIST/);
    const abandoned = path.join(tmp, 'abandoned.seqs');
    const writer = SequenceFileWriter.create(abandoned);
    writer.append('x', 0, 'ACGT');
    writer.abort();
    expect(fs.existsSync(abandoned)).toBe(false);
  });

  it('accepts only the pipeline alphabet', () => {
    const writer = SequenceFileWriter.create(path.join(tmp, 'alphabet.seqs'));
    expect(() => writer.append('x', 0, 'ACGR')).toThrow(/A\/C\/G\/T\/N/);
    expect(() => writer.append('x', 0, 'acgt')).toThrow(/A\/C\/G\/T\/N/);
    writer.abort();
  });
});
