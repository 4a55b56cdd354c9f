// Our scanner against Biopython's Bio.motifs PSSM scoring (biopython_motif_scores.py) on a 20-kb stretch of the
// bundled hg38 chr2 region that starts inside its N run: every window score of both strands, the per-motif max and
// the sum above 0.8 x the best score must agree to 1e-4 bits, for 20 motifs of the JASPAR set, with a uniform and an
// AT-rich background.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FastaReference } from '../../../src-main/io';
import { readMotifFile } from '../../../src-main/io/motif-reader';
import { BUNDLED_MOTIFS_FILE } from '../../../src-main/motifs/motif-collection';
import { PackedSequences, prepareScan, scanMatrixSync } from '../../../src-main/motifs/motif-scan';
import { consensusOf, pwmOf } from '../../../src-main/motifs/pwm';
import { compileMotif, scoreRegion } from '../../../src-main/motifs/scanner';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'biopython_motif_scores.py');
const REFERENCE = path.resolve(__dirname, '../../../resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
const START = 5_000;
const END = 25_000;
const TOLERANCE = 1e-4;

const hasBiopython = spawnSync(PYTHON, ['-c', 'import Bio.motifs'], { encoding: 'utf8' }).status === 0;
if (!hasBiopython) console.warn(`SKIPPED motif scores vs Biopython: ${PYTHON} cannot import Bio.motifs (apt-get install -y python3-biopython).`);

interface BioMotif {
  readonly id: string;
  readonly max: number | null;
  readonly sum: number;
  readonly consensus: string;
}

const motifs = readMotifFile(BUNDLED_MOTIFS_FILE).motifs.filter((_, k) => k % 44 === 3);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-motif-bio-'));
let sequence = '';

function biopython(background: readonly number[]): BioMotif[] {
  const out = path.join(tmp, background.join('_'));
  fs.mkdirSync(out, { recursive: true });
  const config = path.join(out, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      motifs: BUNDLED_MOTIFS_FILE,
      ids: motifs.map((m) => m.id),
      sequence: REFERENCE,
      start: START,
      end: END,
      pseudocount: 0.8,
      background,
      relative_threshold: 0.8,
      full: motifs.map((m) => m.id),
      out,
    }),
  );
  const run = spawnSync(PYTHON, [SCRIPT, config], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (run.status !== 0) throw new Error(`biopython_motif_scores.py failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { motifs: BioMotif[] }).motifs;
}

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

beforeAll(async () => {
  const ref = await FastaReference.open(REFERENCE);
  try {
    sequence = await ref.fetch('chr2', START, END);
  } finally {
    await ref.close();
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasBiopython)(`motif scores agree with Biopython ${PYTHON}`, () => {
  it.each([
    ['uniform', [0.25, 0.25, 0.25, 0.25]],
    ['AT-rich', [0.3, 0.2, 0.2, 0.3]],
  ])('every window on both strands, max and sum above threshold (%s background)', (_name, background) => {
    expect(motifs).toHaveLength(20);
    expect(sequence).toHaveLength(END - START);
    const bio = biopython(background);
    const seqs = new PackedSequences([sequence]);
    let compared = 0;
    for (const [k, motif] of motifs.entries()) {
      const ours = scoreRegion(seqs, 0, compileMotif(pwmOf(motif, 0.8, background)));
      const dir = path.join(tmp, background.join('_'));
      for (const [strand, theirs] of [
        ['forward', readF32(path.join(dir, `${motif.id}.fwd.f32`))],
        ['reverse', readF32(path.join(dir, `${motif.id}.rev.f32`))],
      ] as const) {
        const mine = ours[strand];
        expect(mine.length).toBe(theirs.length);
        for (let i = 0; i < mine.length; i++) {
          const a = mine[i] ?? 0;
          const b = theirs[i] ?? 0;
          // Windows over the N run are NaN on both sides.
          if (Number.isNaN(a) || Number.isNaN(b)) expect([motif.id, i, Number.isNaN(a)]).toEqual([motif.id, i, Number.isNaN(b)]);
          else if (Math.abs(a - b) > TOLERANCE) expect([motif.id, strand, i, a]).toEqual([motif.id, strand, i, b]);
          else compared++;
        }
      }
      expect(consensusOf(motif.counts)).toBe(bio[k]?.consensus);
    }
    expect(compared).toBeGreaterThan(20 * 2 * 14_000);

    // The reductions: our matrix (background given through the same numbers) against Biopython's max and sum.
    for (const scoring of ['max', 'sum'] as const) {
      const prepared = prepareScan(motifs, seqs, { scoring, background: 'uniform' });
      const withBg = { ...prepared, pwms: motifs.map((m) => pwmOf(m, 0.8, background)) };
      const reductions = withBg.pwms.map((p) => (scoring === 'max' ? { kind: 'max' as const } : { kind: 'sum' as const, threshold: 0.8 * p.maxScore }));
      const row = scanMatrixSync(seqs, { ...withBg, reductions });
      motifs.forEach((m, k) => {
        const expected = scoring === 'max' ? (bio[k]?.max ?? Number.NaN) : (bio[k]?.sum ?? Number.NaN);
        expect(Math.abs((row[k] ?? 0) - expected), `${m.id} ${scoring}`).toBeLessThan(scoring === 'max' ? TOLERANCE : 1e-3);
      });
    }
  });
});
