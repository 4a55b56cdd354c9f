// Every classification set in shared/data, read the way the import wizard reads a folder (detectSources on the
// folder, then readRecords on each source), must give the MANIFEST's record counts and classes per split.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectSources, readRecords } from '../../../src-main/io';
import { SHARED_DATA, readAll } from './helpers';

interface ManifestRow {
  readonly dataset: string;
  readonly split: string;
  readonly n: number;
  readonly labels: Record<string, number>;
}

/** The "Datasets" table of MANIFEST.md: `| dataset | split | n | lengths | labels (count) | with N | gz bytes |`. */
function manifestRows(): ManifestRow[] {
  const text = fs.readFileSync(path.join(SHARED_DATA, 'MANIFEST.md'), 'utf8');
  const rows: ManifestRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // ['', dataset, split, n, lengths, labels, withN, bytes, '']
    const [, dataset, split, n, , labels] = cells;
    if (dataset === undefined || split === undefined || n === undefined || labels === undefined || !/^\d+$/.test(n)) continue;
    const counts: Record<string, number> = {};
    for (const part of labels.split(',')) {
      const m = /^\s*([^:]+):\s*(\d+)\s*$/.exec(part);
      if (m?.[1] !== undefined && m[2] !== undefined) counts[m[1].trim()] = Number(m[2]);
    }
    rows.push({ dataset, split, n: Number(n), labels: counts });
  }
  return rows;
}

const rows = manifestRows();
const datasets = [...new Set(rows.map((r) => r.dataset))];

describe('shared data sets read through detectSources', () => {
  it('finds the MANIFEST table (guards the parsing of the table itself)', () => {
    expect(datasets.length).toBeGreaterThanOrEqual(20);
    expect(rows.find((r) => r.dataset === 'gb_human_nontata_promoters' && r.split === 'train')).toEqual({
      dataset: 'gb_human_nontata_promoters',
      split: 'train',
      n: 7227,
      labels: { negative: 3295, positive: 3932 },
    });
    expect(rows.find((r) => r.dataset === 'gue_prom_core_all' && r.split === 'train')?.n).toBe(47356);
  });

  it.each(datasets)('%s: record counts and classes per split match the MANIFEST', async (dataset) => {
    const { sources, format } = await detectSources([path.join(SHARED_DATA, dataset)]);
    expect(format).toBe('csv');
    // dnabert_* folders also hold dev.original_6mer.tsv.gz: the same data in another format, not to be mixed in.
    expect(sources.map((s) => path.basename(s.path)).every((n) => n.endsWith('.csv.gz'))).toBe(true);
    const counts: Record<string, Record<string, number>> = {};
    for (const source of sources) {
      expect(source.labelColumn).toBe('label');
      for await (const r of readRecords(source)) {
        const split = r.split ?? '(none)';
        const label = r.label ?? '(none)';
        const perSplit = (counts[split] ??= {});
        perSplit[label] = (perSplit[label] ?? 0) + 1;
      }
    }
    const expected: Record<string, Record<string, number>> = {};
    for (const r of rows.filter((x) => x.dataset === dataset)) expected[r.split] = r.labels;
    expect(counts).toEqual(expected);
  });

  it('keeps the sequences exactly as stored (upper-case, one N-containing record in nontata train)', async () => {
    const { sources } = await detectSources([path.join(SHARED_DATA, 'gb_human_nontata_promoters')]);
    const train = sources.find((s) => s.split === 'train');
    expect(train).toBeDefined();
    if (train === undefined) return;
    const records = await readAll(train);
    const raw = zlib.gunzipSync(fs.readFileSync(train.path)).toString('utf8').trim().split('\n').slice(1);
    expect(records.map((r) => `${r.sequence},${r.label ?? ''}`)).toEqual(raw);
    expect(records.filter((r) => r.sequence.includes('N'))).toHaveLength(1);
    expect(records[0]?.line).toBe(2);
    expect(records[0]?.id).toBe('row1');
  });
});
