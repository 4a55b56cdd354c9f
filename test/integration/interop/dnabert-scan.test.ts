/**
 * Issue 7's last "done when": a DNABERT-shaped checkpoint (the 6-mer DNABERT vocabulary, tiny layer sizes) imported from
 * a Hugging Face folder fine-tunes in the app and then scans a stretch of the bundled chr2 reference, all through the
 * built CLI (node scripts/build-main.mjs first) on a real project.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { python } from './support';

const root = path.resolve(__dirname, '../../..');
const sharedData = path.resolve(root, '../shared/data');
const reference = path.join(root, 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
const tss = path.join(root, 'resources/data/reference_hg38_chr2_1-2333275/tss_epdnew_hg38.bed');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-dnabert-scan-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dnalm(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: path.join(tmp, 'home') },
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(r: { code: number | null; stdout: string; stderr: string }): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const project = path.join(tmp, 'p.dnalm');
beforeAll(() => {
  python('make', path.join(tmp, 'dnabert-shaped'), '--k', '6', '--seed', '7');
  json(dnalm('project', 'create', project, '--json'));
  json(dnalm('dataset', 'import', project, path.join(sharedData, 'dnabert_ft6_sample'), '--name', 'dnabert sample', '--split', 'seed=3', '--json'));
}, 240_000);

describe('an imported DNABERT-shaped checkpoint', () => {
  it('fine-tunes on a dataset and scans a region of the bundled reference', () => {
    const { model } = json<{ model: { id: number; role: string } }>(
      dnalm('model', 'import', project, path.join(tmp, 'dnabert-shaped'), '--licence', 'Apache-2.0 (test weights)', '--json'),
    );
    const run = json<{ id: number; status: string; modelId: number; settings?: unknown }>(
      dnalm('train', project, '--dataset', 'dnabert sample', '--model', 'bert', '--pretrained', String(model.id), '--k', '6',
        '--epochs', '1', '--batch-size', '16', '--lr', '0.0005', '--seed', '1', '--threads', '1', '--json'),
    );
    expect(run.status).toBe('success');
    expect(run.modelId).toBeGreaterThan(model.id);

    // 20 kb around SH3YL1 / ACP1 (TSSs at 264,032 and 264,947), both strands.
    const scanned = json<{ id: number; kind: string; count: number; engine: string }>(
      dnalm('scan', project, '--model', String(run.modelId), '--fasta', reference, '--region', 'chr2:255,001-275,000',
        '--stride', '100', '--strands', 'both', '--threshold', '0.5', '--annotation', tss, '--json'),
    );
    expect(scanned.kind).toBe('scan');
    // One count per window position (both strands scored at each): about (20,000 - window) / 100 + 1.
    expect(scanned.count).toBeGreaterThan(150);
    expect(scanned.count).toBeLessThanOrEqual(200);

    const bedGraph = fs
      .readdirSync(path.join(project, 'artifacts', 'predictions'), { recursive: true, encoding: 'utf8' })
      .find((f) => f.endsWith('.bedGraph') || f.endsWith('.bedgraph'));
    expect(bedGraph, 'the scan writes a bedGraph track').toBeDefined();
    const lines = fs.readFileSync(path.join(project, 'artifacts', 'predictions', bedGraph ?? ''), 'utf8').trim().split('\n').filter((l) => !l.startsWith('track') && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines.slice(0, 50)) {
      const [chrom, start, end, score] = line.split('\t');
      expect(chrom).toBe('chr2');
      expect(Number(end)).toBeGreaterThan(Number(start));
      expect(Number(start)).toBeGreaterThanOrEqual(255_000);
      expect(Number(score)).toBeGreaterThanOrEqual(0);
      expect(Number(score)).toBeLessThanOrEqual(1);
    }
  }, 600_000);
});
