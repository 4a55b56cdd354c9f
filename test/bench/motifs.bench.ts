/**
 * Motif scanning: all 879 JASPAR 2024 vertebrate motifs over the bundled 2.3 Mb hg38 chr2 region, both strands, every
 * position, against Biopython's Bio.motifs PSSM scoring (`pssm.calculate(seq)` and the reverse-complement PSSM, Debian
 * python3-biopython) on the same motifs, pseudocounts (0.8 split by a uniform background) and sequence, in the same run.
 * Checks agreement: the full score arrays of a sample of motifs, and the per-motif max and sum (> 0.8 x best) for all.
 * Prints a table and writes bench-results/motifs.json. BENCH_QUICK=1 uses the first 100 motifs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FastaReference } from '../../src-main/io';
import { readMotifFile } from '../../src-main/io/motif-reader';
import { PackedSequences, prepareScan, scanMatrixSync } from '../../src-main/motifs/motif-scan';
import { compileMotif, scoreRegion } from '../../src-main/motifs/scanner';

const ROOT = path.resolve(__dirname, '../..');
const MOTIFS = path.join(ROOT, 'resources/data/jaspar2024_core_vertebrates_nr/JASPAR2024_CORE_vertebrates_non-redundant_pfms_jaspar.txt');
const REFERENCE = path.join(ROOT, 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
const SCRIPT = path.join(ROOT, 'test/integration/motifs/biopython_motif_scores.py');
const QUICK = process.env['BENCH_QUICK'] === '1';
const TOLERANCE = 1e-4;
/** Motifs whose whole score arrays (2 x 2.3 M values each) are compared. */
const SAMPLE = 8;

interface BioMotif {
  readonly id: string;
  readonly max: number | null;
  readonly sum: number;
}

interface Timing {
  readonly wall: number;
  /** CPU seconds of this process: what the 2-core build machine, shared with other work, measures more steadily. */
  readonly cpu: number;
}

function timed(fn: () => void): Timing {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  fn();
  const used = process.cpuUsage(c);
  return { wall: Number(process.hrtime.bigint() - t) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-motif-bench-'));
  const all = readMotifFile(MOTIFS).motifs;
  const motifs = QUICK ? all.slice(0, 100) : all;
  const ref = await FastaReference.open(REFERENCE);
  const length = ref.lengthOf('chr2') ?? 0;
  const sequence = await ref.fetch('chr2', 0, length);
  await ref.close();
  const sample = motifs.filter((_, k) => k % Math.floor(motifs.length / SAMPLE) === 0).slice(0, SAMPLE);
  console.log(`${motifs.length} motifs (mean width ${(motifs.reduce((a, m) => a + m.counts.length, 0) / motifs.length).toFixed(2)}) x ${length.toLocaleString('en-US')} bp, both strands`);

  // Ours, single thread: pack once, then the three kinds of output.
  let seqs = new PackedSequences([]);
  const tPack = timed(() => (seqs = new PackedSequences([sequence])));
  const options = { background: 'uniform' as const, pseudocount: 0.8 };
  let maxRow: Float32Array = new Float32Array(0);
  let sumRow: Float32Array = new Float32Array(0);
  const tMax = timed(() => (maxRow = scanMatrixSync(seqs, prepareScan(motifs, seqs, { ...options, scoring: 'max' }))));
  const tSum = timed(() => (sumRow = scanMatrixSync(seqs, prepareScan(motifs, seqs, { ...options, scoring: 'sum' }))));
  const prepared = prepareScan(motifs, seqs, { ...options, scoring: 'max' });
  let checksum = 0;
  const tFull = timed(() => {
    for (const pwm of prepared.pwms) {
      const s = scoreRegion(seqs, 0, compileMotif(pwm));
      checksum += (s.forward[20_000] ?? 0) + (s.reverse[20_000] ?? 0);
    }
  });
  console.log(`ours: pack ${tPack.wall.toFixed(2)} s, max ${tMax.wall.toFixed(1)} s, sum ${tSum.wall.toFixed(1)} s, full arrays ${tFull.wall.toFixed(1)} s (checksum ${checksum.toFixed(3)})`);

  // Biopython on the same motifs and sequence.
  const config = path.join(work, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({ motifs: MOTIFS, ids: motifs.map((m) => m.id), sequence: REFERENCE, start: 0, end: length, pseudocount: 0.8, background: [0.25, 0.25, 0.25, 0.25], relative_threshold: 0.8, full: sample.map((m) => m.id), out: work }),
  );
  const wall = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/python3', [SCRIPT, config], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const bioWall = Number(process.hrtime.bigint() - wall) / 1e9;
  if (run.status !== 0) throw new Error(`Biopython failed (apt-get install python3-biopython?): ${run.stderr}`);
  const bio = JSON.parse(run.stdout) as { seconds: number; cpu_seconds: number; length: number; motifs: BioMotif[] };
  const bioVersion = spawnSync('/usr/bin/python3', ['-c', 'import Bio; print(Bio.__version__)'], { encoding: 'utf8' }).stdout.trim();

  // Agreement.
  let fullMaxDiff = 0;
  let fullCompared = 0;
  for (const m of sample) {
    const s = scoreRegion(seqs, 0, compileMotif(prepared.pwms[motifs.indexOf(m)] ?? prepared.pwms[0]!));
    for (const [mine, file] of [[s.forward, `${m.id}.fwd.f32`], [s.reverse, `${m.id}.rev.f32`]] as const) {
      const theirs = readF32(path.join(work, file));
      if (theirs.length !== mine.length) throw new Error(`${m.id}: ${mine.length} scores, Biopython ${theirs.length}`);
      for (let i = 0; i < mine.length; i++) {
        const a = mine[i] ?? 0;
        const b = theirs[i] ?? 0;
        if (Number.isNaN(a) !== Number.isNaN(b)) throw new Error(`${m.id} window ${i}: NaN on one side only`);
        if (!Number.isNaN(a)) {
          fullMaxDiff = Math.max(fullMaxDiff, Math.abs(a - b));
          fullCompared++;
        }
      }
    }
  }
  let maxDiff = 0;
  let sumRelDiff = 0;
  bio.motifs.forEach((b, k) => {
    maxDiff = Math.max(maxDiff, Math.abs((maxRow[k] ?? 0) - (b.max ?? Number.NaN)));
    sumRelDiff = Math.max(sumRelDiff, Math.abs((sumRow[k] ?? 0) - b.sum) / Math.max(1, Math.abs(b.sum)));
  });
  const agree = fullMaxDiff <= TOLERANCE && maxDiff <= TOLERANCE;

  const rows = [
    { tool: `Biopython ${bioVersion} Bio.motifs (calculate, both strands)`, output: 'full score arrays', seconds: bio.seconds, cpuSeconds: bio.cpu_seconds },
    { tool: 'ours, 1 thread', output: 'full score arrays', seconds: tFull.wall, cpuSeconds: tFull.cpu },
    { tool: 'ours, 1 thread', output: 'per-motif max (affinity)', seconds: tMax.wall, cpuSeconds: tMax.cpu },
    { tool: 'ours, 1 thread', output: 'per-motif sum > 0.8 x best', seconds: tSum.wall, cpuSeconds: tSum.cpu },
  ];
  console.log(`\n${'tool'.padEnd(52)}${'output'.padEnd(30)}${'wall s'.padStart(8)}${'CPU s'.padStart(8)}${'Mb x motifs/CPU s'.padStart(19)}${'vs Biopython (wall, CPU)'.padStart(26)}`);
  for (const r of rows) {
    const rate = ((length / 1e6) * motifs.length) / r.cpuSeconds;
    const vs = `${(bio.seconds / r.seconds).toFixed(1)}x, ${(bio.cpu_seconds / r.cpuSeconds).toFixed(1)}x`;
    console.log(`${r.tool.padEnd(52)}${r.output.padEnd(30)}${r.seconds.toFixed(1).padStart(8)}${r.cpuSeconds.toFixed(1).padStart(8)}${rate.toFixed(1).padStart(19)}${vs.padStart(26)}`);
  }
  console.log(`\nBiopython process wall time (parse + score + reductions): ${bioWall.toFixed(1)} s`);
  console.log(`agreement: full arrays of ${sample.length} motifs (${fullCompared.toLocaleString('en-US')} windows) max |diff| ${fullMaxDiff.toExponential(2)}; ` + `per-motif max of ${motifs.length} motifs max |diff| ${maxDiff.toExponential(2)}; sum max relative diff ${sumRelDiff.toExponential(2)} -> ${agree ? 'AGREE' : 'DISAGREE'} (tolerance ${TOLERANCE})`);
  console.log(
    `speed ratio, CPU time (wall): full score arrays ${(bio.cpu_seconds / tFull.cpu).toFixed(1)}x (${(bio.seconds / tFull.wall).toFixed(1)}x); ` +
      `max affinity ${(bio.cpu_seconds / tMax.cpu).toFixed(1)}x (${(bio.seconds / tMax.wall).toFixed(1)}x); goal >= 5x`,
  );

  const out = path.join(ROOT, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  const meta = { date: new Date().toISOString(), quick: QUICK, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version, biopython: bioVersion, motifs: motifs.length, bases: length };
  const agreement = { sample: sample.map((m) => m.id), fullWindows: fullCompared, fullMaxAbsDiff: fullMaxDiff, perMotifMaxAbsDiff: maxDiff, sumMaxRelDiff: sumRelDiff, tolerance: TOLERANCE, agree };
  fs.writeFileSync(path.join(out, 'motifs.json'), JSON.stringify({ meta, rows, agreement, biopythonWallSeconds: bioWall, pack: tPack }, null, 2));
  console.log(`wrote ${path.join(out, 'motifs.json')}`);
  fs.rmSync(work, { recursive: true, force: true });
  if (!agree) process.exitCode = 1;
}

void main();
