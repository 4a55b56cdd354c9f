/**
 * Variants to score: a VCF (plain or gzip; `#CHROM` header; SNVs and small indels; a multi-allelic ALT is split into
 * one variant per allele) or lines `chr:pos ref>alt` (1-based pos). Pure parsing; the REF check against the
 * reference happens when the windows are read.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ApiError, type VariantSource } from '../../src-shared/api';

export interface ParsedVariant {
  readonly id: string;
  readonly chrom: string;
  /** 1-based. */
  readonly pos: number;
  readonly ref: string;
  readonly alt: string;
  /** Where it came from: file name and line. */
  readonly file: string;
  readonly line: number;
}

/** Alleles longer than this are not "small" indels. */
export const MAX_ALLELE = 50;

const ALLELE = /^[ACGTNacgtn]+$/;

function fail(file: string, line: number, problem: string): never {
  throw new ApiError('INVALID_REQUEST', `${file}, line ${line}: ${problem}`);
}

function checkAllele(file: string, line: number, what: string, a: string): string {
  if (!ALLELE.test(a)) fail(file, line, `the ${what} allele '${a}' is not made of bases (A, C, G, T, N); only SNVs and small indels can be scored.`);
  if (a.length > MAX_ALLELE) fail(file, line, `the ${what} allele has ${a.length} bases; alleles of at most ${MAX_ALLELE} bases (SNVs and small indels) can be scored.`);
  return a.toUpperCase();
}

function position(file: string, line: number, text: string): number {
  const pos = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(pos) || pos < 1) fail(file, line, `the position '${text}' is not a whole number of at least 1 (positions are 1-based).`);
  return pos;
}

export function parseVcf(fileName: string, text: string): ParsedVariant[] {
  const out: ParsedVariant[] = [];
  let header = false;
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    const n = i + 1;
    if (line.startsWith('##') || line.trim() === '') continue;
    if (line.startsWith('#CHROM')) {
      header = true;
      continue;
    }
    if (!header) fail(fileName, n, 'a VCF needs its #CHROM header line before the variants.');
    const f = line.split('\t');
    if (f.length < 5) fail(fileName, n, `a VCF line needs at least 5 tab-separated fields (CHROM POS ID REF ALT); this one has ${f.length}.`);
    const [chrom = '', posText = '', idText = '', refText = '', altText = ''] = f;
    const pos = position(fileName, n, posText.trim());
    const ref = checkAllele(fileName, n, 'REF', refText.trim());
    for (const altRaw of altText.trim().split(',')) {
      if (altRaw === '.' || altRaw === '*') continue; // no alternative allele here / a deletion spanning from elsewhere
      const alt = checkAllele(fileName, n, 'ALT', altRaw);
      const id = idText.trim() !== '' && idText.trim() !== '.' ? idText.trim() : `${chrom}:${pos} ${ref}>${alt}`;
      out.push({ id: altText.includes(',') && !id.includes('>') ? `${id} ${ref}>${alt}` : id, chrom: chrom.trim(), pos, ref, alt, file: fileName, line: n });
    }
  }
  if (!header) fail(fileName, 1, 'this is not a VCF: it has no #CHROM header line.');
  return out;
}

/** `chr2:264032 A>G` per line (also `chr2:264032:A:G` and `chr2 264032 A G`); # starts a comment. */
export function parseVariantLines(fileName: string, text: string): ParsedVariant[] {
  const out: ParsedVariant[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const m = /^(\S+?)[:\s]+(\d+)[:\s]+([A-Za-z]+)\s*(?:>|:|\s)\s*([A-Za-z,]+)$/.exec(line);
    if (!m) fail(fileName, i + 1, `'${line}' is not a variant; write chr:pos ref>alt, e.g. chr2:264032 A>G (1-based position).`);
    const [, chrom = '', posText = '', refText = '', altText = ''] = m;
    const pos = position(fileName, i + 1, posText);
    const ref = checkAllele(fileName, i + 1, 'reference', refText);
    for (const a of altText.split(',')) {
      const alt = checkAllele(fileName, i + 1, 'alternative', a);
      out.push({ id: `${chrom}:${pos} ${ref}>${alt}`, chrom, pos, ref, alt, file: fileName, line: i + 1 });
    }
  }
  return out;
}

export function readVariants(source: VariantSource): ParsedVariant[] {
  let variants: ParsedVariant[];
  if (source.kind === 'text') variants = parseVariantLines('the variant list', source.text);
  else {
    const name = path.basename(source.path);
    let text: string;
    try {
      const raw = fs.readFileSync(source.path);
      text = (raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString('utf8');
    } catch (err) {
      throw new ApiError('INVALID_REQUEST', `${name} cannot be read (${err instanceof Error ? err.message : String(err)}).`);
    }
    variants = /^(##fileformat=VCF|#CHROM)/m.test(text.slice(0, 1 << 16)) ? parseVcf(name, text) : parseVariantLines(name, text);
  }
  if (variants.length === 0) throw new ApiError('INVALID_REQUEST', 'No variants to score (the list or VCF holds none with an alternative allele).');
  return variants;
}

/**
 * The window of `window` bases around a variant on a record of `length` bases: centred on the REF allele, moved
 * inside the record at its ends. `extra` more bases are read past the end so a deletion's window can be refilled.
 */
export function variantWindow(pos: number, refLength: number, window: number, length: number): { start: number; end: number } {
  const p0 = pos - 1;
  let start = p0 + Math.floor(refLength / 2) - Math.floor(window / 2);
  start = Math.max(0, Math.min(start, length - window));
  return { start, end: start + window };
}

/** The alternative window: REF replaced by ALT in `bases` (which start at `start`), cut to `window` bases. */
export function applyVariant(bases: string, start: number, v: Pick<ParsedVariant, 'pos' | 'ref' | 'alt'>, window: number): { ref: string; alt: string } {
  const at = v.pos - 1 - start;
  const ref = bases.slice(0, window);
  const alt = (bases.slice(0, at) + v.alt + bases.slice(at + v.ref.length)).slice(0, window);
  return { ref, alt };
}
