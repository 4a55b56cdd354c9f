/**
 * Reading a PDF back the way a reader would: its text through poppler's pdftotext, its first page as an image through
 * pdftoppm -png, decoded here (zlib + PNG row filters) to check it is not blank. Also Python's csv module, an RFC 4180
 * parser independent of ours, for CSV round trips.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export function pdfText(file: string): string {
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout;
}

/** Text with runs of whitespace squeezed, so a table cell or a wrapped sentence can be found as one string. */
export function pdfWords(file: string): string {
  return pdfText(file).replace(/\s+/g, ' ');
}

export function pdfPageCount(file: string): number {
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  const m = /Pages:\s+(\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : 0;
}

export interface PageImage {
  readonly file: string;
  readonly pngBytes: number;
  readonly width: number;
  readonly height: number;
  /** Share of pixels that are not (near) white. */
  readonly inked: number;
  /** Standard deviation of the grey level over all pixels. */
  readonly sd: number;
}

/** Renders page 1 at 50 dpi to PNG and measures how much of it is drawn on. */
export function renderFirstPage(pdf: string): PageImage {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-page-'));
  const prefix = path.join(dir, 'page');
  const r = spawnSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', pdf, prefix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  const file = `${prefix}.png`;
  const png = fs.readFileSync(file);
  const { width, height, grey } = decodePng(png);
  let inked = 0;
  let sum = 0;
  let sum2 = 0;
  for (const g of grey) {
    if (g < 235) inked++;
    sum += g;
    sum2 += g * g;
  }
  const n = grey.length;
  const mean = sum / n;
  return { file, pngBytes: png.length, width, height, inked: inked / n, sd: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}

/** 8-bit greyscale/RGB/RGBA, non-interlaced: what pdftoppm writes. */
function decodePng(png: Buffer): { width: number; height: number; grey: Uint8Array } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unexpected PNG bit depth or interlace');
      colorType = data[9] ?? 0;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const channels = colorType === 2 ? 3 : colorType === 6 ? 4 : colorType === 0 ? 1 : colorType === 4 ? 2 : 0;
  if (channels === 0) throw new Error(`unexpected PNG colour type ${colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    grey[i] = channels >= 3 ? Math.round(((pixels[p] ?? 0) + (pixels[p + 1] ?? 0) + (pixels[p + 2] ?? 0)) / 3) : (pixels[p] ?? 0);
  }
  return { width, height, grey };
}

/** Parses a CSV file with Python's csv module (RFC 4180 dialect); `bom` strips one if present (utf-8-sig). */
export function parseCsvWithPython(file: string, delimiter = ','): string[][] {
  const script = [
    'import csv, json, sys',
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
    '    print(json.dumps(list(csv.reader(f, delimiter=sys.argv[2], strict=True))))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script, file, delimiter], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python csv failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}
