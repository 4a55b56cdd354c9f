/**
 * BED intervals cut from a reference genome. Each data line becomes one record: the interval (0-based, half-open)
 * widened by `flank`, resized around its centre to `resizeTo`, read from the reference, and reverse-complemented on
 * the minus strand (unless `reverseComplementMinus` is false). Its id is `chrom:start-end(strand)` of the window that
 * was cut, followed by the BED name.
 */
import { reverseComplement } from '../../src-shared/dna';
import { throwIfCancelled } from './cancel';
import { extractionWindow, isBedHeaderLine, isBedMetaLine, parseBedLine, type BedInterval } from './bed-intervals';
import { LineSplitter } from './line-splitter';
import { readChunks, type ReadContext } from './read-chunks';
import { FastaReference } from './reference';
import { ImportError, type RawRecord, type SourceSpec } from './types';

function region(chrom: string, start: number, end: number): string {
  return `${chrom}:${start}-${end}`;
}

export async function* readBed(spec: SourceSpec, ctx: ReadContext = {}): AsyncGenerator<RawRecord> {
  const file = spec.path;
  if (spec.reference === undefined || spec.reference === '') {
    throw new ImportError(file, 0, 'a BED file only has coordinates; choose the reference genome (FASTA) to cut the sequences from');
  }
  const flank = spec.flank ?? 0;
  const resizeTo = spec.resizeTo;
  if (!Number.isInteger(flank) || flank < 0) throw new ImportError(file, 0, `the flank must be a whole number of bases, 0 or more (got ${flank})`);
  if (resizeTo !== undefined && (!Number.isInteger(resizeTo) || resizeTo < 1)) {
    throw new ImportError(file, 0, `the resize length must be a whole number of bases, 1 or more (got ${resizeTo})`);
  }
  const rcMinus = spec.reverseComplementMinus ?? true;
  const split = spec.split ?? null;
  const fixedLabel = spec.label ?? null;

  const ref = await FastaReference.open(spec.reference, ctx.signal);
  const extract = async (iv: BedInterval): Promise<RawRecord> => {
    const length = ref.lengthOf(iv.chrom);
    if (length === undefined) {
      throw new ImportError(file, iv.line, `chromosome ${iv.chrom} is not in ${ref.name} (it has ${ref.describeNames()})`);
    }
    const w = extractionWindow(iv, flank, resizeTo);
    const changed = w.start !== iv.start || w.end !== iv.end;
    const why = changed ? ` (the BED interval ${region(iv.chrom, iv.start, iv.end)} after flank/resize)` : '';
    if (w.start < 0) {
      throw new ImportError(file, iv.line, `${region(iv.chrom, w.start, w.end)}${why} starts before the beginning of ${iv.chrom}`);
    }
    if (w.end > length) {
      throw new ImportError(file, iv.line, `${region(iv.chrom, w.start, w.end)}${why} runs past the end of ${iv.chrom} (length ${length.toLocaleString('en-US')})`);
    }
    let sequence = await ref.fetch(iv.chrom, w.start, w.end);
    // The shared reverseComplement works on upper-case letters; the pipeline upper-cases everything anyway.
    if (iv.strand === '-' && rcMinus) sequence = reverseComplement(sequence.toUpperCase());
    const id = `${region(iv.chrom, w.start, w.end)}${iv.strand === null ? '' : `(${iv.strand})`}${iv.name === null ? '' : ` ${iv.name}`}`;
    return {
      id,
      sequence,
      label: spec.labelFromName === true ? iv.name : fixedLabel,
      split,
      file,
      line: iv.line,
      chrom: iv.chrom,
    };
  };

  try {
    const splitter = new LineSplitter();
    let firstData = true;
    const handle = async (text: string, line: number): Promise<RawRecord | null> => {
      if (isBedMetaLine(text)) return null;
      if (firstData) {
        firstData = false;
        if (isBedHeaderLine(text)) return null;
      }
      throwIfCancelled(ctx.signal);
      return extract(parseBedLine(file, line, text));
    };
    for await (const chunk of readChunks(file, { ...ctx, currentLine: () => splitter.lineNo })) {
      const base = splitter.lineNo;
      const lines = splitter.push(chunk);
      for (let i = 0; i < lines.length; i++) {
        const rec = await handle(lines[i] ?? '', base + i + 1);
        if (rec !== null) yield rec;
      }
    }
    const base = splitter.lineNo;
    const last = splitter.end();
    for (let i = 0; i < last.length; i++) {
      const rec = await handle(last[i] ?? '', base + i + 1);
      if (rec !== null) yield rec;
    }
  } finally {
    await ref.close();
  }
}
