/**
 * The bulky part of a prediction record, in artifacts/predictions/<id>/ (written under artifacts/.staging/<uuid>/ by
 * the worker, moved there by main when the row is inserted):
 *
 *   rows.json          predict: columnar { ids, lengths, labels?, splits? } (one entry per input sequence)
 *   probabilities.f32  predict: [n, classes] float32 little-endian, the model's class order
 *   forward.f32        scan: one score per window (NaN = skipped, mostly N), window i starts at start + i * stride
 *   reverse.f32        scan with both strands: the reverse-complement strand's scores, same windows
 *   track.bedGraph     scan: the score track (per window the higher strand) for genome browsers
 *   calls.bed          scan: the called regions (BED6, score = highest window score x 1000)
 *   variants.json      variants: VariantRow[]
 *   attention.f32      explain (BERT): [layers, heads, tokens, tokens] float32
 */
import fs from 'node:fs';
import path from 'node:path';

export const PREDICTIONS_DIR = 'predictions';

export const FILES = {
  rows: 'rows.json',
  probabilities: 'probabilities.f32',
  forward: 'forward.f32',
  reverse: 'reverse.f32',
  bedGraph: 'track.bedGraph',
  bed: 'calls.bed',
  variants: 'variants.json',
  attention: 'attention.f32',
} as const;

export interface RowColumns {
  readonly ids: string[];
  readonly lengths: number[];
  readonly labels?: (string | null)[];
  readonly splits?: (string | null)[];
}

export function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function readFloat32(file: string): Float32Array {
  const buf = fs.readFileSync(file);
  const out = new Float32Array(buf.byteLength >>> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.byteLength));
  return out;
}

/** `count` floats from index `first` of a float32 file, without reading the rest (scan tracks can be large). */
export function readFloat32Range(file: string, first: number, count: number): Float32Array {
  const out = new Float32Array(Math.max(0, count));
  if (count <= 0) return out;
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, new Uint8Array(out.buffer), 0, count * 4, first * 4);
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** Appends float32 values to a file as they are computed (a scan never holds its whole track). */
export class Float32Appender {
  private readonly fd: number;
  count = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
  }

  append(values: Float32Array): void {
    fs.writeSync(this.fd, bytesOf(values));
    this.count += values.length;
  }

  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/** A text file written line by line through a buffer. */
export class LineWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
  }

  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}
