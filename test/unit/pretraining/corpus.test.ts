/**
 * The pretraining corpus on the real hg38 chr2 region: FASTA windows (region, stride, strands, N-runs skipped), BED
 * regions over the reference, the held-out split, NGSP pairs, GeneBERT region groups and the batches built from them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLS_ID, SEP_ID, reverseComplement } from '../../../src-shared/dna';
import { Rng } from '../../../src-main/engine/models/rng';
import { maskSchedule } from '../../../src-main/engine/training/mask-schedule';
import { IGNORE_INDEX } from '../../../src-main/engine/training/task';
import { groupStart, ngspPair, readCorpus, splitAnchors, windowOffsets } from '../../../src-main/pretraining/corpus';
import { pretrainBatch, standardise, tokensFor } from '../../../src-main/pretraining/pretrain-batches';

const dir = path.resolve(__dirname, '../../../../shared/data/reference_hg38_chr2_1-2333275');
const fasta = path.join(dir, 'chr2_1-2333275.fa.gz');

describe('the pretraining corpus', () => {
  it('cuts a FASTA region into windows with a stride, both strands, and skips the windows that are mostly N', async () => {
    // chr2 starts with 10,000 N (the telomere): the first 100 windows of 100 bp are skipped.
    const c = await readCorpus({ kind: 'fasta', path: fasta, region: { record: 'chr2', start: 0, end: 20_000 }, window: 100, stride: 50, bothStrands: true }, 1);
    const forward = c.tracks[0]!;
    expect(c.tracks).toHaveLength(2);
    expect(forward.length + c.summary.skippedN).toBe(Math.floor((20_000 - 100) / 50) + 1);
    expect(c.summary.skippedN).toBeGreaterThanOrEqual(198);
    expect(forward.every((w) => w.length === 100 && (w.match(/N/g)?.length ?? 0) <= 50)).toBe(true);
    // Consecutive windows overlap by window - stride; the reverse strand is the reverse complements in reverse order.
    expect(forward[1]!.slice(0, 50)).toBe(forward[0]!.slice(50));
    expect(c.tracks[1]).toEqual(forward.map(reverseComplement).reverse());
    expect(c.summary.windows).toBe(2 * forward.length);
    expect(c.summary.description).toMatch(/chr2:0-20000, windows of 100 bp every 50 bp, both strands/);
  });

  it('is hashed with the seed, and refuses a record or region that is not there, naming the file', async () => {
    const src = { kind: 'fasta', path: fasta, region: { record: 'chr2', start: 500_000, end: 510_000 }, window: 100, stride: 100, bothStrands: false } as const;
    const a = await readCorpus(src, 1);
    expect((await readCorpus(src, 1)).summary.hash).toBe(a.summary.hash);
    expect((await readCorpus(src, 2)).summary.hash).not.toBe(a.summary.hash);
    await expect(readCorpus({ ...src, region: { record: 'chr7', start: 0, end: 1000 } }, 1)).rejects.toThrow(/chr2_1-2333275\.fa\.gz: there is no record named "chr7" \(the file has chr2\)/);
    await expect(readCorpus({ ...src, region: { record: 'chr2', start: 0, end: 9_000_000 } }, 1)).rejects.toThrow(/outside the record/);
  });

  it('reads BED regions over the reference, resized around their centre, as consecutive regions per chromosome', async () => {
    const c = await readCorpus({ kind: 'bed', bedPath: path.join(dir, 'ensembl_regulatory_build_hg38.bed'), referencePath: fasta, window: 200, bothStrands: false }, 1);
    expect(c.summary.windows + c.summary.skippedN).toBe(260);
    expect(c.tracks[0]!.every((w) => w.length === 200)).toBe(true);
    expect(c.summary.description).toMatch(/260 regions of ensembl_regulatory_build_hg38\.bed/);
  });

  it('holds out a seeded validation fraction and forms GeneBERT groups of consecutive regions inside a track', async () => {
    const c = await readCorpus({ kind: 'fasta', path: fasta, region: { record: 'chr2', start: 600_000, end: 650_000 }, window: 100, stride: 100, bothStrands: true }, 1);
    const { train, validation } = splitAnchors(c, 0.1, 5, 10);
    expect(validation.length).toBe(Math.round(c.summary.windows * 0.1));
    expect(train.length + validation.length).toBe(c.summary.windows);
    const key = (a: { track: number; index: number }) => `${a.track}:${a.index}`;
    expect(new Set(train.map(key)).size).toBe(train.length);
    expect(train.some((a) => validation.map(key).includes(key(a)))).toBe(false);
    expect(splitAnchors(c, 0.1, 5, 10).validation).toEqual(validation);
    const last = { track: 0, index: c.tracks[0]!.length - 1 };
    expect(groupStart(c, last, 10)).toBe(c.tracks[0]!.length - 10);
    expect(() => splitAnchors(c, 0.1, 5, 100_000)).toThrow(/No track of the corpus has 100000 consecutive windows/);
  });

  it('pairs segment A with its true next segment half of the time, else with a random segment', async () => {
    const c = await readCorpus({ kind: 'fasta', path: fasta, region: { record: 'chr2', start: 700_000, end: 800_000 }, window: 100, stride: 100, bothStrands: false }, 1);
    const rng = new Rng(9);
    let follows = 0;
    for (let i = 0; i < 1000; i++) {
      const a = { track: 0, index: rng.int(c.tracks[0]!.length) };
      const w = c.tracks[0]![a.index]!;
      const p = ngspPair(c, a, rng);
      expect(p.first).toBe(w.slice(0, 50));
      if (p.follows) {
        follows++;
        expect(p.second).toBe(w.slice(50));
      } else {
        expect(p.second).not.toBe(w.slice(50));
      }
    }
    expect(follows).toBeGreaterThan(450);
    expect(follows).toBeLessThan(550);
  });

  it('builds batches: [CLS] A [SEP] B [SEP] with segment ids, masks, the NGSP label and each sample\'s region group', async () => {
    const c = await readCorpus({ kind: 'fasta', path: fasta, region: { record: 'chr2', start: 900_000, end: 950_000 }, window: 100, stride: 100, bothStrands: false }, 1);
    const rows = c.summary.windows;
    const raw = Float32Array.from({ length: rows * 3 }, (_, i) => (i % 3) * 10 + Math.floor(i / 3)); // column j: 10 j + row
    const values = standardise(raw, rows, 3);
    const L = tokensFor(100, 4);
    const phase = maskSchedule({ masking: 'plain' }, 10, 4)[0]!;
    const anchors = [{ track: 0, index: 3 }, { track: 0, index: rows - 1 }];
    const b = pretrainBatch(c, anchors, { k: 4, maxTokens: L, ngsp: true, srm: { regions: 10, motifs: 3, values } }, phase, new Rng(2));
    expect(b.size).toBe(2);
    expect(b.labels).toHaveLength(2 * (L + 1));
    for (let r = 0; r < 2; r++) {
      const ids = Array.from(b.tokens.subarray(r * L, (r + 1) * L));
      const types = Array.from(b.tokenTypes!.subarray(r * L, (r + 1) * L));
      expect(ids[0]).toBe(CLS_ID);
      const seps = ids.map((id, i) => (id === SEP_ID ? i : -1)).filter((i) => i >= 0);
      expect(seps).toHaveLength(2);
      expect(types.slice(0, seps[0]! + 1).every((t) => t === 0)).toBe(true);
      expect(types.slice(seps[0]! + 1, seps[1]! + 1).every((t) => t === 1)).toBe(true);
      expect([0, 1]).toContain(b.labels[r * (L + 1) + L]);
      const masked = Array.from(b.labels.subarray(r * (L + 1), r * (L + 1) + L)).filter((y) => y !== IGNORE_INDEX).length;
      expect(masked).toBeGreaterThan(0);
    }
    // The region groups: windows 3..12 for the first sample; the last 10 windows for the one at the end of the track.
    const offsets = windowOffsets(c);
    const row = (i: number) => Array.from(values.subarray((offsets[0]! + i) * 3, (offsets[0]! + i + 1) * 3));
    expect(Array.from(b.features!.subarray(0, 3))).toEqual(row(3));
    expect(Array.from(b.features!.subarray(27, 30))).toEqual(row(12));
    expect(Array.from(b.features!.subarray(30, 33))).toEqual(row(rows - 10));
    // Standardised per motif: mean 0, sd 1.
    const col = Array.from({ length: rows }, (_, i) => values[i * 3 + 1]!);
    expect(col.reduce((a, v) => a + v, 0) / rows).toBeCloseTo(0, 5);
    expect(Math.sqrt(col.reduce((a, v) => a + v * v, 0) / rows)).toBeCloseTo(1, 4);
  });
});
