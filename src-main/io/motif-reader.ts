/**
 * Reads a motif file in any of the three formats (chosen by content, not by extension; plain or gzip), and checks what
 * every format must give: at least one motif, DNA letters, ids that are unique.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { MotifFormat } from '../../src-shared/api';
import { ImportError } from './types';
import type { MotifFileContents, MotifMatrix } from './motif-types';
import { parseJaspar } from './motif-jaspar';
import { parseMeme } from './motif-meme';
import { parseTransfac } from './motif-transfac';

/** Motif files are small (the whole JASPAR vertebrate set is 300 kB); anything far larger is not one. */
const MAX_MOTIF_FILE_BYTES = 64 << 20;

/** The format from the first meaningful line, or null. */
export function sniffMotifFormat(lines: readonly string[]): MotifFormat | null {
  for (const raw of lines.slice(0, 200)) {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    if (/^MEME version/.test(text)) return 'meme';
    if (text.startsWith('>')) return 'jaspar';
    if (/^(AC|ID|NA|VV|XX|DE|P0|PO)(\s|$)/.test(text)) return 'transfac';
    return null;
  }
  return null;
}

export function readMotifText(file: string, text: string, format?: MotifFormat): MotifFileContents {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const chosen = format ?? sniffMotifFormat(lines);
  if (chosen === null) {
    throw new ImportError(file, 1, 'not a motif file: expected JASPAR (">MA0004.1 Arnt"), MEME ("MEME version 4") or TRANSFAC ("AC ...") format');
  }
  let motifs: MotifMatrix[];
  let background: number[] | undefined;
  if (chosen === 'jaspar') motifs = parseJaspar(file, lines);
  else if (chosen === 'transfac') motifs = parseTransfac(file, lines);
  else ({ motifs, background } = parseMeme(file, lines));
  if (motifs.length === 0) throw new ImportError(file, 0, `no motifs found in this ${chosen.toUpperCase()} file`);
  const seen = new Map<string, number>();
  for (const m of motifs) {
    const first = seen.get(m.id);
    if (first !== undefined) throw new ImportError(file, m.line, `motif ${m.id} appears twice (first at line ${first}); ids must be unique`);
    seen.set(m.id, m.line);
  }
  return background === undefined ? { path: file, format: chosen, motifs } : { path: file, format: chosen, motifs, background };
}

/** Reads and parses a motif file. Errors are ImportErrors naming the file, the line and the problem. */
export function readMotifFile(file: string, format?: MotifFormat): MotifFileContents {
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_MOTIF_FILE_BYTES) throw new ImportError(file, 0, `the file is ${Math.round(size / 2 ** 20)} MB; motif files are far smaller — is it the right file?`);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportError(file, 0, code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'this is a folder, not a motif file' : `cannot be read (${code ?? String(err)})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch {
      throw new ImportError(file, 0, 'the gzip data is damaged or incomplete');
    }
  }
  if (bytes.includes(0)) throw new ImportError(file, 0, `${path.basename(file)} is a binary file, not a motif file`);
  return readMotifText(file, bytes.toString('utf8'), format);
}
