/**
 * Import throughput and peak memory, side by side with `seqkit stats` (Debian package seqkit) on the same files in
 * the same run. Files are generated (random DNA, fixed seed): FASTA of 250 MB, 500 MB and 1 GB (1 kb records, 80-column
 * lines) to show memory staying flat as the file grows, and a 200 MB CSV (250 bp records).
 * Ours = `dnalm dataset import` into a fresh project (parse, validate, hash, pack, write), timed as a whole process.
 * Sizes can be scaled down for a quick look: DNALM_BENCH_SCALE=0.1 npm run bench -- import
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const scale = Number(process.env['DNALM_BENCH_SCALE'] ?? '1');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-import-bench-'));

/** xorshift32: reproducible random bases without holding the file in memory. */
function makeRng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const BASES = [65, 67, 71, 84];

function randomBases(rng: () => number, n: number, out: Buffer, offset: number): void {
  for (let i = 0; i < n; i += 16) {
    let r = rng();
    for (let j = 0; j < 16 && i + j < n; j++, r >>>= 2) out[offset + i + j] = BASES[r & 3] ?? 65;
  }
}

function writeFasta(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  const rng = makeRng(7);
  const recordLen = 1000;
  const chunk = Buffer.alloc(8 << 20);
  let used = 0;
  let written = 0;
  for (let rec = 0; written + used < bytes; rec++) {
    const header = Buffer.from(`>rec${rec} synthetic\n`);
    if (used + header.length + recordLen + 20 > chunk.length) {
      fs.writeSync(fd, chunk, 0, used);
      written += used;
      used = 0;
    }
    header.copy(chunk, used);
    used += header.length;
    for (let done = 0; done < recordLen; done += 80) {
      const n = Math.min(80, recordLen - done);
      randomBases(rng, n, chunk, used);
      used += n;
      chunk[used++] = 10;
    }
  }
  fs.writeSync(fd, chunk, 0, used);
  fs.closeSync(fd);
}

function writeCsv(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  const rng = makeRng(11);
  const chunk = Buffer.alloc(8 << 20);
  let used = chunk.write('sequence,label\n');
  let written = 0;
  for (let rec = 0; written + used < bytes; rec++) {
    if (used + 300 > chunk.length) {
      fs.writeSync(fd, chunk, 0, used);
      written += used;
      used = 0;
    }
    randomBases(rng, 250, chunk, used);
    used += 250;
    used += chunk.write(rec % 2 ? ',positive\n' : ',negative\n', used);
  }
  fs.writeSync(fd, chunk, 0, used);
  fs.closeSync(fd);
}

interface Measured {
  readonly seconds: number;
  readonly peakMb: number;
  readonly ok: boolean;
  readonly detail: string;
}

/** Wall time and peak resident memory of a whole command, via GNU time. */
function measure(command: string[], env: NodeJS.ProcessEnv = process.env): Measured {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...command], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  return { seconds: seconds ?? NaN, peakMb: (kb ?? NaN) / 1024, ok: r.status === 0, detail: r.status === 0 ? '' : r.stderr.slice(-400) };
}

interface Row {
  readonly file: string;
  readonly mb: number;
  readonly tool: string;
  readonly seconds: number;
  readonly mbPerS: number;
  readonly peakMb: number;
}

function main(): void {
  if (spawnSync('seqkit', ['version']).status !== 0) {
    console.error('seqkit is not installed: apt-get install -y seqkit');
    process.exit(1);
  }
  const inputs: { file: string; format: string }[] = [];
  for (const mb of [250, 500, 1000]) {
    const file = path.join(work, `synthetic-${mb}MB.fa`);
    writeFasta(file, mb * 1e6 * scale);
    inputs.push({ file, format: 'fasta' });
  }
  const csv = path.join(work, 'synthetic-200MB.csv');
  writeCsv(csv, 200e6 * scale);
  inputs.push({ file: csv, format: 'csv' });

  const rows: Row[] = [];
  for (const { file, format } of inputs) {
    const mb = fs.statSync(file).size / 1e6;
    // seqkit reads CSV as nothing useful; for the CSV its peer is the same records as FASTA, which is what a user would
    // otherwise have run it on. Warm the page cache first so both read from memory.
    measure(['cat', file]);
    let peerFile = file;
    if (format === 'csv') {
      peerFile = `${file}.fa`;
      spawnSync('sh', ['-c', `awk -F, 'NR>1{print ">r"NR"\\n"$1}' '${file}' > '${peerFile}'`]);
      measure(['cat', peerFile]);
    }
    const seqkit = measure(['seqkit', 'stats', '-j', '2', peerFile]);
    const project = path.join(work, `p-${path.basename(file)}.dnalm`);
    spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), 'project', 'create', project]);
    const ours = measure([
      process.execPath,
      path.join(root, 'bin/dnalm.cjs'),
      'dataset',
      'import',
      project,
      file,
      '--name',
      'bench',
      '--format',
      format,
      ...(format === 'csv' ? ['--label-column', 'label'] : []),
      '--split',
      'seed=1',
    ]);
    if (!ours.ok) console.error(`dnalm failed on ${file}:\n${ours.detail}`);
    rows.push({ file: path.basename(file), mb, tool: 'seqkit stats -j 2', seconds: seqkit.seconds, mbPerS: mb / seqkit.seconds, peakMb: seqkit.peakMb });
    rows.push({ file: path.basename(file), mb, tool: 'dnalm dataset import', seconds: ours.seconds, mbPerS: mb / ours.seconds, peakMb: ours.peakMb });
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
    if (peerFile !== file) fs.rmSync(peerFile, { force: true });
  }

  console.log(`\n${'file'.padEnd(26)}${'MB'.padStart(8)}  ${'tool'.padEnd(22)}${'s'.padStart(8)}${'MB/s'.padStart(9)}${'peak MB'.padStart(9)}  time vs seqkit`);
  for (let i = 0; i < rows.length; i += 2) {
    const peer = rows[i];
    const ours = rows[i + 1];
    if (!peer || !ours) continue;
    for (const r of [peer, ours]) {
      const ratio = r === ours ? `${(ours.seconds / peer.seconds).toFixed(2)}x` : '';
      console.log(
        `${r.file.padEnd(26)}${r.mb.toFixed(0).padStart(8)}  ${r.tool.padEnd(22)}${r.seconds.toFixed(2).padStart(8)}${r.mbPerS.toFixed(1).padStart(9)}${r.peakMb.toFixed(0).padStart(9)}  ${ratio}`,
      );
    }
  }
  const out = path.join(root, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  const meta = { date: new Date().toISOString(), scale, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version };
  fs.writeFileSync(path.join(out, 'import.json'), JSON.stringify({ meta, rows }, null, 2));
  console.log(`\nwrote ${path.join(out, 'import.json')}`);
  fs.rmSync(work, { recursive: true, force: true });
}

main();
