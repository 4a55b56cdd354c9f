// Folder layouts a user picks in the import wizard, and what the preview shows for them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectSources, previewRecords, readRecords, type RawRecord, type SourceSpec } from '../../../src-main/io';
import { SHARED_DATA, importError, makeTempDir, readAll } from './helpers';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

function write(rel: string, content: string | Buffer): string {
  const file = path.join(tmp.dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** The nontata promoters, as `[sequence, label]` rows, from shared data. */
function nontata(split: 'train' | 'test'): [string, string][] {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(SHARED_DATA, 'gb_human_nontata_promoters', `${split}.csv.gz`))).toString('utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',') as [string, string]);
}

async function readSources(sources: readonly SourceSpec[]): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for (const s of sources) out.push(...(await readAll(s)));
  return out;
}

describe('detectSources', () => {
  it('reads a genomic-benchmarks folder: split from the subfolder, class from the file name', async () => {
    // train/positive.csv.gz (a one-column CSV with a header) and train/negative.fa ... as genomic-benchmarks exports look.
    const expected: Record<string, Record<string, number>> = {};
    for (const split of ['train', 'test'] as const) {
      const rows = nontata(split).slice(0, 300);
      for (const label of ['positive', 'negative']) {
        const seqs = rows.filter((r) => r[1] === label).map((r) => r[0]);
        (expected[split] ??= {})[label] = seqs.length;
        write(`gb/${split}/${label}.csv.gz`, zlib.gzipSync(`seq\n${seqs.join('\n')}\n`));
      }
    }
    write('gb/README.md', '# not data\n');
    const { sources, format } = await detectSources([path.join(tmp.dir, 'gb')]);
    expect(format).toBe('csv');
    expect(sources.map((s) => [path.relative(tmp.dir, s.path), s.split, s.label])).toEqual([
      ['gb/test/negative.csv.gz', 'test', 'negative'],
      ['gb/test/positive.csv.gz', 'test', 'positive'],
      ['gb/train/negative.csv.gz', 'train', 'negative'],
      ['gb/train/positive.csv.gz', 'train', 'positive'],
    ]);
    const counts: Record<string, Record<string, number>> = {};
    for (const r of await readSources(sources)) {
      const perSplit = (counts[r.split ?? ''] ??= {});
      perSplit[r.label ?? ''] = (perSplit[r.label ?? ''] ?? 0) + 1;
    }
    expect(counts).toEqual(expected);
  });

  it('reads a genomic-benchmarks folder of FASTA files', async () => {
    write('gbfa/train/enhancer.fa', '>e1\nACGTACGTAC\n>e2\nGGGGCCCCAA\n');
    write('gbfa/train/promoter.fasta.gz', zlib.gzipSync('>p1\nTTTTAAAACC\n'));
    write('gbfa/test/enhancer.fa', '>e3\nACGTACGTAC\n');
    write('gbfa/test/promoter.fa', '>p2\nTTTTAAAACC\n');
    const { sources, format } = await detectSources([path.join(tmp.dir, 'gbfa')]);
    expect(format).toBe('fasta');
    const records = await readSources(sources);
    expect(records.map((r) => [r.id, r.split, r.label])).toEqual([
      ['e3', 'test', 'enhancer'],
      ['p2', 'test', 'promoter'],
      ['e1', 'train', 'enhancer'],
      ['e2', 'train', 'enhancer'],
      ['p1', 'train', 'promoter'],
    ]);
  });

  it('reads a folder of FASTA files as one class per file, sniffing content whatever the extension', async () => {
    write('fa/promoters.txt', '>p1\nACGTACGT\n');
    write('fa/background.fa', '>b1\nGGGGCCCC\n');
    write('fa/reference.fa.fai', 'chr1\t10\t6\t10\t11\n');
    const { sources, format } = await detectSources([path.join(tmp.dir, 'fa')]);
    expect(format).toBe('fasta');
    expect(sources.map((s) => [path.basename(s.path), s.label])).toEqual([
      ['background.fa', 'background'],
      ['promoters.txt', 'promoters'],
    ]);
  });

  it('prefers the CSV in a dnabert folder and ignores dev.original_6mer.tsv.gz', async () => {
    const { sources } = await detectSources([path.join(SHARED_DATA, 'dnabert_prom_core_6mer')]);
    expect(sources).toEqual([{ path: path.join(SHARED_DATA, 'dnabert_prom_core_6mer', 'dev.csv.gz'), format: 'csv', split: 'dev', labelColumn: 'label' }]);
  });

  it('sniffs formats by content: tab-separated .csv, DNABERT, BED, headerless sequences', async () => {
    const tsv = write('really-tabs.csv', 'sequence\tlabel\nACGTACGT\t1\nACGTTTTT\t0\n');
    expect((await detectSources([tsv])).format).toBe('tsv');
    const kmers = write('kmers.txt', 'sequence  label\r\nACGTAC CGTACG GTACGT\t1\r\n');
    expect((await detectSources([kmers])).format).toBe('dnabert-tsv');
    const bed = write('peaks.txt', 'chr1\t100\t200\tpeak1\nchr1\t300\t400\tpeak2\n');
    expect((await detectSources([bed])).format).toBe('bed');
    const list = write('sequences.txt', 'ACGTACGTAAAC\nGGGTTTACCCAA\n');
    expect((await detectSources([list])).format).toBe('csv');
    const records = await readAll((await detectSources([list])).sources[0] ?? { path: list, format: 'csv' });
    expect(records.map((r) => [r.id, r.sequence, r.line])).toEqual([
      ['row1', 'ACGTACGTAAAC', 1],
      ['row2', 'GGGTTTACCCAA', 2],
    ]);
  });

  it('refuses files of different formats picked together, and a folder with no data', async () => {
    const fa = write('a.fa', '>x\nACGT\n');
    const csv = write('b.csv', 'sequence,label\nACGTACGT,1\n');
    const err = await importError(() => detectSources([fa, csv]));
    expect(err.message).toContain('import them separately');
    fs.mkdirSync(path.join(tmp.dir, 'nothing'));
    write('nothing/notes.md', 'hello');
    expect((await importError(() => detectSources([path.join(tmp.dir, 'nothing')]))).problem).toMatch(/no data files/);
  });
});

describe('CSV/TSV details', () => {
  it('reads RFC 4180 quoting, CRLF, a BOM, ids from an id column and splits from a split column', async () => {
    const text = '\uFEFFid,"Sequence",label,split\r\n"r1","ACGT\r\nACGT",pos,train\r\nr2,"GG""CC",neg,test\r\n\r\nr3,acgtn,"a, b",\r\n';
    const file = write('quoted.csv', text);
    const { sources } = await detectSources([file]);
    expect(sources[0]).toEqual({ path: file, format: 'csv', labelColumn: 'label', splitColumn: 'split' });
    const records = await readAll(sources[0] ?? { path: file, format: 'csv' });
    expect(records.map((r) => [r.id, r.sequence, r.label, r.split, r.line])).toEqual([
      ['r1', 'ACGTACGT', 'pos', 'train', 2],
      ['r2', 'GG"CC', 'neg', 'test', 4],
      ['r3', 'acgtn', 'a, b', null, 6],
    ]);
  });

  it('detects a missing header and picks the DNA column; columns by 1-based index', async () => {
    const file = write('noheader.tsv', 'id7\tACGTACGTAC\t1\nid8\tTTTTGGGGCC\t0\n');
    const preview = await previewRecords([{ path: file, format: 'tsv', labelColumn: '3' }], 10);
    expect(preview.hasHeader).toBe(false);
    expect(preview.columns).toEqual(['col1', 'col2', 'col3']);
    expect(preview.records.map((r) => [r.id, r.sequence, r.label, r.line])).toEqual([
      ['row1', 'ACGTACGTAC', '1', 1],
      ['row2', 'TTTTGGGGCC', '0', 2],
    ]);
  });
});

describe('previewRecords', () => {
  it('shows the first records of every source, and the CSV columns with the header flag', async () => {
    const { sources } = await detectSources([path.join(SHARED_DATA, 'gb_human_ensembl_regulatory_toy')]);
    const preview = await previewRecords(sources, 6);
    expect(preview.columns).toEqual(['sequence', 'label']);
    expect(preview.hasHeader).toBe(true);
    expect(preview.records).toHaveLength(6);
    expect(new Set(preview.records.map((r) => r.split))).toEqual(new Set(['train', 'test']));
  });

  it('stops reading early: previewing a large file costs about one chunk', async () => {
    const big = write('big.fa', '>s\nACGTACGTAC\n'.repeat(500_000));
    let last = 0;
    for await (const r of readRecords({ path: big, format: 'fasta' }, (p) => (last = p.bytesRead))) {
      void r;
      break;
    }
    expect(last).toBeLessThan(fs.statSync(big).size);
    const preview = await previewRecords([{ path: big, format: 'fasta' }], 3);
    expect(preview.records.map((r) => r.line)).toEqual([1, 3, 5]);
    expect(preview.columns).toEqual([]);
  });
});
