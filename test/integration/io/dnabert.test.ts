// DNABERT fine-tuning TSVs (space-separated overlapping 6-mers, tab, label; CRLF line ends) must convert back to
// exactly the sequences of the dev.csv.gz next to them, which the MANIFEST says were checked against the originals.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectSources, readRecords } from '../../../src-main/io';
import { SHARED_DATA, importError, makeTempDir, readAll } from './helpers';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('DNABERT k-mer TSV', () => {
  it.each(['dnabert_ft6_sample', 'dnabert_prom_core_6mer'])('%s: the k-mers convert to exactly the sequences and labels of dev.csv.gz', async (dataset) => {
    const dir = path.join(SHARED_DATA, dataset);
    const kmers = await readAll({ path: path.join(dir, 'dev.original_6mer.tsv.gz'), format: 'dnabert-tsv', split: 'dev' });
    const csv = await readAll({ path: path.join(dir, 'dev.csv.gz'), format: 'csv', labelColumn: 'label', split: 'dev' });
    expect(kmers.length).toBe(csv.length);
    expect(kmers.map((r) => [r.sequence, r.label, r.split])).toEqual(csv.map((r) => [r.sequence, r.label, r.split]));
    // The header line is skipped, so the first record is on line 2.
    expect(kmers[0]?.line).toBe(2);
  });

  it('is picked in a dnabert folder when the format hint asks for it, with the split from the file name', async () => {
    const { sources, format } = await detectSources([path.join(SHARED_DATA, 'dnabert_ft6_sample')], 'dnabert-tsv');
    expect(format).toBe('dnabert-tsv');
    expect(sources).toEqual([{ path: path.join(SHARED_DATA, 'dnabert_ft6_sample', 'dev.original_6mer.tsv.gz'), format: 'dnabert-tsv', split: 'dev' }]);
    let n = 0;
    for await (const r of readRecords(sources[0] ?? { path: '', format: 'dnabert-tsv' })) if (r.split === 'dev') n++;
    expect(n).toBe(1000);
  });

  it('names the line and the k-mer position when consecutive k-mers do not overlap', async () => {
    const file = path.join(tmp.dir, 'broken.tsv');
    fs.writeFileSync(file, 'sequence\tlabel\nACGTAC CGTACG GTACGT\t1\nACGTAC CGTACG TTTTTT GTACGT\t0\n');
    const err = await importError(() => readAll({ path: file, format: 'dnabert-tsv' }));
    expect(err.line).toBe(3);
    expect(err.column).toBe(15);
    expect(err.message).toBe(
      `${file}, line 3, column 15: k-mers 2 and 3 do not overlap ('CGTACG' then 'TTTTTT'; each k-mer must start with the last 5 letters of the one before)`,
    );
  });

  it('rejects k-mers of different lengths', async () => {
    const file = path.join(tmp.dir, 'short.tsv.gz');
    fs.writeFileSync(file, zlib.gzipSync('ACGTAC CGTACG GTAC\t1\r\n'));
    const err = await importError(() => readAll({ path: file, format: 'dnabert-tsv' }));
    expect(err.line).toBe(1);
    expect(err.problem).toBe("k-mer 3 ('GTAC') has 4 letters but the first k-mer has 6");
  });
});
