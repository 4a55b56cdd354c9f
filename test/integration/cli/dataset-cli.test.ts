import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetDetail, DatasetSummary } from '../../../src-shared/api';
import { listing, sha256 } from '../datasets/helpers';

const root = path.resolve(__dirname, '../../..');
const sharedData = path.resolve(root, '../shared/data');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-cli-datasets-'));
const project = path.join(tmp, 'Benchmarks.dnalm');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dnalm(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: path.join(tmp, 'home') },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface ManifestRow {
  readonly split: string;
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly labels: Record<string, number>;
}

/** The classification table of ../shared/data/MANIFEST.md: dataset -> its splits with counts per label. */
function manifest(): Map<string, ManifestRow[]> {
  const text = fs.readFileSync(path.join(sharedData, 'MANIFEST.md'), 'utf8');
  const sets = new Map<string, ManifestRow[]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const [, name, split, n, lengths, labels] = cells;
    if (!name || !split || !n || !/^\d+$/.test(n) || !lengths || !labels) continue;
    const [min, , max] = lengths.split('/').map(Number);
    const counts = Object.fromEntries(labels.split(', ').map((pair) => {
      const [label = '', count = ''] = pair.split(': ');
      return [label, Number(count)];
    }));
    const rows = sets.get(name) ?? [];
    rows.push({ split: split === 'dev' ? 'validation' : split, n: Number(n), min: min ?? 0, max: max ?? 0, labels: counts });
    sets.set(name, rows);
  }
  return sets;
}

const sets = manifest();

beforeAll(() => {
  expect(dnalm('project', 'create', project).code).toBe(0);
});

describe('dnalm dataset import: every shared classification dataset', () => {
  it('finds the datasets in the manifest', () => {
    expect(sets.size).toBeGreaterThanOrEqual(20);
    expect(sets.get('gue_prom_core_all')?.map((r) => r.split)).toEqual(['train', 'validation', 'test']);
  });

  it.each([...sets.keys()])('imports %s with the counts of the manifest', (name) => {
    const rows = sets.get(name) ?? [];
    const r = dnalm('dataset', 'import', project, path.join(sharedData, name), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as DatasetSummary;
    expect(summary.name).toBe(name);
    expect(summary.splitDescription).toBe('given splits');
    expect(summary.splits).toEqual(rows.map((row) => row.split));
    expect(summary.counts).toEqual(Object.fromEntries(rows.map((row) => [row.split, row.labels])));
    expect(summary.records).toBe(rows.reduce((n, row) => n + row.n, 0));
    expect(summary.lengths.min).toBe(Math.min(...rows.map((row) => row.min)));
    expect(summary.lengths.max).toBe(Math.max(...rows.map((row) => row.max)));
  });

  it('lists them all, and the project file stays small', () => {
    const r = dnalm('dataset', 'list', project, '--json');
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as DatasetSummary[];
    expect(all.map((d) => d.name).sort()).toEqual([...sets.keys()].sort());
    const dbBytes = fs.statSync(path.join(project, 'project.sqlite')).size;
    const stored = all.reduce((n, d) => n + d.storedBytes, 0);
    console.log(`${all.length} datasets: project.sqlite ${dbBytes} bytes, sequences ${stored} bytes in artifacts/datasets`);
    expect(dbBytes).toBeLessThan(512 * 1024);
    expect(dnalm('dataset', 'list', project).stdout).toMatch(/^ID\s+NAME\s+RECORDS/);
  });
});

describe('dnalm dataset import of GUE prom_core_all', () => {
  it('reports progress on stderr and takes seconds', () => {
    const started = Date.now();
    const r = dnalm('dataset', 'import', project, path.join(sharedData, 'gue_prom_core_all'), '--name', 'prom again', '--leakage', 'drop');
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\s*\d+%\s+Read(ing)? /m);
    expect(r.stderr).toMatch(/warning: 42 sequences are in both train and test; the train copies are left out/);
    expect(r.stdout).toMatch(/Imported "prom again" \(id \d+\): 59,092 records/);
    const stored = /stored ([\d.]+ [KM]B) in ([\d.]+) s/.exec(r.stdout);
    console.log(`GUE prom_core_all via the CLI: ${seconds.toFixed(1)} s wall (import ${stored?.[2]} s), stored ${stored?.[1]}`);
  });

  it('shows a dataset by name or id', () => {
    const byName = dnalm('dataset', 'show', project, 'gue_prom_core_all');
    expect(byName.code).toBe(0);
    expect(byName.stdout).toMatch(/Records:\s+59,196 \(train 47,356, validation 5,920, test 5,920\)/);
    expect(byName.stdout).toMatch(/Content hash: 6216a6c73195cef6d80a15487fc0f03754fc06f352b5171199e1ee86fb5d5f6b/);
    expect(byName.stdout).toMatch(/Top 6-mers:\s+GGCGGC/);
    const detail = JSON.parse(dnalm('dataset', 'show', project, 'gue_prom_core_all', '--json').stdout) as DatasetDetail;
    const byId = JSON.parse(dnalm('dataset', 'show', project, String(detail.id), '--json').stdout) as DatasetDetail;
    expect(byId).toEqual(detail);
    expect(detail.stats.gcHistogram).toHaveLength(20);
    const missing = dnalm('dataset', 'show', project, 'no such set');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^dnalm: There is no dataset named "no such set"/);
  });

  it('exports a split as CSV or FASTA, and the CSV imports back to the same content', () => {
    const csv = path.join(tmp, 'prom.csv');
    const r = dnalm('dataset', 'export', project, 'gue_prom_core_all', csv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exported 59,196 records/);
    const back = dnalm('dataset', 'import', project, csv, '--name', 'prom csv', '--json');
    expect(back.code).toBe(0);
    expect((JSON.parse(back.stdout) as DatasetSummary).contentHash).toBe('6216a6c73195cef6d80a15487fc0f03754fc06f352b5171199e1ee86fb5d5f6b');

    const fasta = path.join(tmp, 'prom-test.fa');
    expect(dnalm('dataset', 'export', project, 'gue_prom_core_all', fasta, '--split', 'test').stdout).toMatch(/Exported 5,920 records/);
    const lines = fs.readFileSync(fasta, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5920 * 2);
    expect(lines[0]).toMatch(/^>row\d+ label=[01] split=test$/);
    expect(dnalm('dataset', 'export', project, 'gue_prom_core_all', path.join(tmp, 'x.xlsx')).code).toBe(1);
  });
});

describe('a refused import', () => {
  it('exits 1 with the file and line on one line, and leaves the project byte for byte as it was', () => {
    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    const rows = ['sequence,label', 'ACGTACGT,1', 'ACGTACGT,0', 'ACGTAZGT,1', 'ACGTACGT,0', 'ACG?ACGT,1'];
    fs.writeFileSync(path.join(bad, 'train.csv.gz'), zlib.gzipSync(`${rows.join('\n')}\n`));
    const small = path.join(tmp, 'small.csv');
    fs.writeFileSync(small, 'sequence,label\nACGTACGT,1\nACGTACGA,0\n');
    expect(dnalm('dataset', 'import', project, small).code).toBe(0);
    const dbBefore = sha256(path.join(project, 'project.sqlite'));
    const before = listing(project);

    const r = dnalm('dataset', 'import', project, bad, '--name', 'bad set');
    expect(r.code).toBe(1);
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toBe("dnalm: train.csv.gz, line 4, column 6 of the sequence: 'Z' is not a DNA base (A, C, G, T or N). (and 1 more)");
    expect(sha256(path.join(project, 'project.sqlite'))).toBe(dbBefore);
    expect(listing(project)).toEqual(before);

    const ambiguous = path.join(tmp, 'ambiguous.csv');
    fs.writeFileSync(ambiguous, 'sequence,label\nACGTRCGT,1\nACGTACGT,0\n');
    const refused = dnalm('dataset', 'import', project, ambiguous, '--ambiguous', 'reject');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/^dnalm: ambiguous\.csv, line 2, column 5 of the sequence: 'R' is an IUPAC ambiguity code/);
    expect(listing(project)).toEqual(before);

    const taken = dnalm('dataset', 'import', project, small);
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toMatch(/^dnalm: This project already has a dataset named "small"/);
    expect(dnalm('dataset', 'import', project, path.join(tmp, 'nothing-here')).code).toBe(1);
    expect(dnalm('dataset', 'import', project, bad, '--split', 'seed=x').code).toBe(1);
    expect(listing(project)).toEqual(before);
  });

  it('splits at random with a seed from the command line, the same way twice', () => {
    const src = path.join(sharedData, 'gb_human_ocr_ensembl_toy');
    const a = JSON.parse(dnalm('dataset', 'import', project, src, '--name', 'ocr random a', '--split', 'seed=5,train=0.7,validation=0.15', '--json').stdout) as DatasetSummary;
    const b = JSON.parse(dnalm('dataset', 'import', project, src, '--name', 'ocr random b', '--split', 'seed=5,train=0.7,validation=0.15', '--json').stdout) as DatasetSummary;
    expect(a.splitDescription).toBe('random stratified 70/15/15, seed 5');
    expect(a.counts).toEqual({ train: { negative: 350, positive: 350 }, validation: { negative: 75, positive: 75 }, test: { negative: 75, positive: 75 } });
    expect(b.contentHash).toBe(a.contentHash);
  });
});
