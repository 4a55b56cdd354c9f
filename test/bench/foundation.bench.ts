/**
 * Foundation benchmark: what a user waits for in the plumbing.
 *  - project save: one committed change (transaction + atomic save with .bak + fsyncs) as the database grows;
 *  - engine: the self-test's matmul on each backend that loads here (WASM vs plain-JS CPU).
 * Prints a table and writes bench-results/foundation.json. Numbers, not assertions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chooseBackend } from '../../src-main/engine/backend';
import { ProjectStore } from '../../src-main/project';

interface Row {
  readonly bench: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function projectSaves(rows: Row[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-bench-'));
  const store = await ProjectStore.create(path.join(dir, 'bench'), { appVersion: 'bench' });
  try {
    const payload = 'ACGT'.repeat(256); // 1 KB a row
    for (const targetMb of [1, 10, 50]) {
      store.write((db) => {
        const current = Number(db.exec('SELECT COUNT(*) FROM job_events')[0]?.values[0]?.[0] ?? 0);
        const wanted = targetMb * 1024;
        if (current === 0) db.run(`INSERT INTO jobs (kind, title, state, created_at) VALUES ('selftest', 'bench', 'done', '')`);
        const stmt = db.prepare(`INSERT INTO job_events (job_id, at, type, payload_json) VALUES (1, '', 'log', ?)`);
        for (let i = current; i < wanted; i++) stmt.run([payload]);
        stmt.free();
      });
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        store.setSetting('bench.counter', i);
        times.push(performance.now() - t0);
      }
      const size = fs.statSync(path.join(store.path, 'project.sqlite')).size / 1e6;
      rows.push({ bench: 'project save (one change)', case: `${size.toFixed(1)} MB file`, value: median(times), unit: 'ms' });
    }
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function engineMatmul(rows: Row[]): Promise<void> {
  for (const backend of ['wasm', 'cpu'] as const) {
    const { tf } = await chooseBackend([backend]);
    for (const size of [128, 256, 512]) {
      const a = tf.randomNormal([size, size]);
      const b = tf.randomNormal([size, size]);
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        const c = tf.matMul(a, b);
        await c.data();
        c.dispose();
        times.push(performance.now() - t0);
      }
      a.dispose();
      b.dispose();
      const ms = median(times.slice(1));
      rows.push({ bench: `matmul ${backend}`, case: `${size}x${size}`, value: (2 * size ** 3) / (ms * 1e6), unit: 'GFLOP/s' });
    }
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await projectSaves(rows);
  await engineMatmul(rows);
  console.log('\n' + ['bench'.padEnd(28), 'case'.padEnd(14), 'value'.padStart(10), 'unit'].join('  '));
  for (const r of rows) console.log([r.bench.padEnd(28), r.case.padEnd(14), r.value.toFixed(2).padStart(10), r.unit].join('  '));
  const out = path.resolve(__dirname, '../../bench-results');
  fs.mkdirSync(out, { recursive: true });
  const meta = { date: new Date().toISOString(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version };
  fs.writeFileSync(path.join(out, 'foundation.json'), JSON.stringify({ meta, rows }, null, 2));
  console.log(`\nwrote ${path.join(out, 'foundation.json')}`);
}

void main();
