// `dnalm motifs list|scan|scans` as a user runs them: the built CLI in a child process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotifCollection, MotifScanSummary } from '../../../src-shared/api';

const root = path.resolve(__dirname, '../../..');
const DATA = path.join(root, 'resources/data');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-cli-motifs-'));
const fasta = path.join(tmp, 'regions.fa');
const motifs = path.join(tmp, 'ten.transfac');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dnalm(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: path.join(tmp, 'home') },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // Ten TRANSFAC matrices (the other format of the same set), and three regions, one of them with an N run.
  const transfac = fs.readFileSync(path.join(DATA, 'jaspar2024_core_vertebrates_nr/JASPAR2024_CORE_vertebrates_non-redundant_pfms_transfac.txt'), 'utf8');
  fs.writeFileSync(motifs, `${transfac.split('//\n').slice(0, 10).join('//\n')}//\n`);
  fs.writeFileSync(fasta, '>ebox\nTTTTCACGTGTTTT\n>gappy\nACGTNNNNNNNNNNCACGTGAA\n>short\nACG\n');
});

describe('dnalm motifs', () => {
  it('lists a collection: the bundled one by default, or a file', () => {
    const all = dnalm('motifs', 'list', '--json');
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as MotifCollection).motifs).toHaveLength(879);
    const ten = dnalm('motifs', 'list', '--motifs', motifs);
    expect(ten.code).toBe(0);
    expect(ten.stdout).toContain('10 motifs in');
    expect(ten.stdout).toMatch(/MA0004\.1\s+Arnt\s+6\s+10\.99\s+CACGTG/);
  });

  it('scans a FASTA without a project into a TSV', () => {
    const out = path.join(tmp, 'scan.tsv');
    const r = dnalm('motifs', 'scan', '--motifs', motifs, '--fasta', fasta, '--scoring', 'max', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ regions: 3, motifs: 10, out });
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(rows[0]?.slice(0, 2)).toEqual(['region', 'MA0004.1']);
    // Arnt (CACGTG, palindromic) is found in both regions with a full ACGT window; "short" has no window and gets
    // the motif's lowest possible score.
    const arnt = rows.slice(1).map((r) => Number(r[1]));
    expect(arnt[0]).toBeCloseTo(arnt[1] ?? 0, 4);
    expect(arnt[0]).toBeGreaterThan(10);
    expect(arnt[2]).toBeLessThan(-10);
  });

  it('stores a BED scan in a project and lists it', () => {
    const project = path.join(tmp, 'Scans.dnalm');
    expect(dnalm('project', 'create', project).code).toBe(0);
    const ref = path.join(DATA, 'reference_hg38_chr2_1-2333275');
    const r = dnalm('motifs', 'scan', project, '--motifs', motifs, '--bed', path.join(ref, 'tss_epdnew_hg38.bed'), '--reference', path.join(ref, 'chr2_1-2333275.fa.gz'), '--scoring', 'sum', '--json');
    expect(r.code, r.stderr).toBe(0);
    const stored = (JSON.parse(r.stdout) as { scan: MotifScanSummary }).scan;
    expect(stored).toMatchObject({ regions: 13, motifs: 10, matrixPath: `motif-scans/${stored.id}/matrix.tsv` });
    expect(fs.existsSync(path.join(project, 'artifacts', stored.matrixPath))).toBe(true);
    const listed = dnalm('motifs', 'scans', project, '--json');
    expect((JSON.parse(listed.stdout) as MotifScanSummary[]).map((s) => s.id)).toEqual([stored.id]);
  });

  it('refuses bad input with a reason and exit code 1', () => {
    const bad = path.join(tmp, 'bad.jaspar');
    fs.writeFileSync(bad, '>M1 x\nA [ 1 2 ]\nC [ 1 2 ]\nG [ 1 2 ]\n');
    const r = dnalm('motifs', 'scan', '--motifs', bad, '--fasta', fasta, '--scoring', 'max', '--out', path.join(tmp, 'x.tsv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.jaspar, line 5: motif M1 has no row for T');
    expect(fs.existsSync(path.join(tmp, 'x.tsv'))).toBe(false);
    expect(dnalm('motifs', 'scan', '--fasta', fasta, '--scoring', 'max').stderr).toContain('Give --out FILE.tsv');
    expect(dnalm('motifs', 'scan', '--fasta', fasta, '--scoring', 'best', '--out', path.join(tmp, 'y.tsv')).stderr).toContain('Scoring must be');
  });
});
