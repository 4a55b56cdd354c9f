/**
 * One record's sequence, from bytes to what a `.seqs` record stores after its id (see sequence-store.ts):
 * varint length, varint N-run count, the runs, and the 2-bit packed bases. Validation, packing and the 64-bit
 * duplicate hash happen in one loop over the bytes.
 *
 * The fast path reads four bases at a time (an Int32 word) and turns them into one packed byte with a few shifts:
 * for A/C/G/T in either case, ((c >> 1) & 3) ^ ((c >> 2) & 1) is 0/1/2/3, and the word is checked against the bytes
 * that its codes stand for, so anything but A/C/G/T/a/c/g/t sends the record to the byte-by-byte path (N runs) or,
 * for any other character, back to the caller.
 *
 * The duplicate hash covers the length, the N runs and the packed bases: exactly the normalised sequence (upper case,
 * ambiguity codes already made N), so two records get the same hash when their stored sequences are identical.
 */

// A/C/G/T/N in either case -> 0..3, N 4; anything else 5.
const CODE = new Uint8Array(256).fill(5);
for (const [i, c] of [...'ACGT'].entries()) {
  CODE[c.charCodeAt(0)] = i;
  CODE[c.toLowerCase().charCodeAt(0)] = i;
}
CODE[0x4e] = 4;
CODE[0x6e] = 4;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class SequenceEncoder {
  /** Bases in the sequence. */
  length = 0;
  /** The duplicate hash (two 32-bit lanes). */
  hashHi = 0;
  hashLo = 0;
  /** varint length, varint run count, runs: the bytes before the packed bases. */
  head = new Uint8Array(64);
  headLength = 0;
  /** ceil(length / 4) packed bytes; the unused bits of the last byte (and of its word) are 0. */
  packed = new Uint8Array(1 << 12);
  packedWords = new Int32Array(this.packed.buffer);
  private runs: number[] = [];
  private scratch = new Uint8Array(1 << 12);

  get packedLength(): number {
    return (this.length + 3) >> 2;
  }

  /**
   * Encodes bytes[start, end) when they are all A/C/G/T (either case) and returns true; returns false, having
   * encoded nothing usable, when any byte is something else. `start` must be a multiple of 4 (`words` reads them).
   */
  encodeAcgt(bytes: Uint8Array, words: Int32Array, start: number, end: number): boolean {
    const length = end - start;
    this.ensure(length);
    const out = this.packedWords;
    const groups = length >> 4; // 16 bases -> one packed word
    // The length gets its own mixing step: xor-ing it into the seed would let it cancel against the first word.
    let h1 = Math.imul(0xdeadbeef ^ length, 2246822519);
    let h2 = Math.imul(0x41c6ce57 ^ length, 3266489917);
    if (LITTLE_ENDIAN && (start & 3) === 0) {
      let w = start >> 2;
      for (let g = 0; g < groups; g++, w += 4) {
        const a = pack4(words[w] ?? 0);
        const b = pack4(words[w + 1] ?? 0);
        const c = pack4(words[w + 2] ?? 0);
        const d = pack4(words[w + 3] ?? 0);
        if ((a | b | c | d) < 0) return false;
        const word = a | (b << 8) | (c << 16) | (d << 24);
        out[g] = word;
        h1 = Math.imul(h1 ^ word, 2654435761);
        h2 = Math.imul(h2 ^ word, 1597334677);
      }
    } else {
      for (let g = 0; g < groups; g++) {
        let word = 0;
        for (let k = 0; k < 16; k++) {
          const code = CODE[bytes[start + g * 16 + k] ?? 0] ?? 5;
          if (code > 3) return false;
          word |= code << (2 * k);
        }
        out[g] = word;
        h1 = Math.imul(h1 ^ word, 2654435761);
        h2 = Math.imul(h2 ^ word, 1597334677);
      }
    }
    const done = groups << 4;
    if (done < length) {
      let word = 0;
      for (let i = done, k = 0; i < end - start; i++, k++) {
        const code = CODE[bytes[start + i] ?? 0] ?? 5;
        if (code > 3) return false;
        word |= code << (2 * k);
      }
      out[groups] = word;
      h1 = Math.imul(h1 ^ word, 2654435761);
      h2 = Math.imul(h2 ^ word, 1597334677);
    }
    this.length = length;
    this.runs.length = 0;
    this.finishHead();
    this.finishHash(h1, h2);
    return true;
  }

  /**
   * Encodes bytes[start, end), which the caller has checked are all A/C/G/T/N in either case (see `checkBytes`);
   * N becomes a run.
   */
  encodeBytes(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.ensure(length);
    const packed = this.packed;
    const runs = this.runs;
    runs.length = 0;
    let runStart = -1;
    let byte = 0;
    let p = 0;
    for (let i = 0; i < length; i++) {
      let code = CODE[bytes[start + i] ?? 0] ?? 5;
      if (code >= 4) {
        if (runStart < 0) runStart = i;
        code = 0;
      } else if (runStart >= 0) {
        runs.push(runStart, i - runStart);
        runStart = -1;
      }
      byte |= code << (2 * (i & 3));
      if ((i & 3) === 3) {
        packed[p++] = byte;
        byte = 0;
      }
    }
    if (runStart >= 0) runs.push(runStart, length - runStart);
    if ((length & 3) !== 0) packed[p++] = byte;
    while ((p & 3) !== 0) packed[p++] = 0;
    this.length = length;
    // The length gets its own mixing step: xor-ing it into the seed would let it cancel against the first word.
    let h1 = Math.imul(0xdeadbeef ^ length, 2246822519);
    let h2 = Math.imul(0x41c6ce57 ^ length, 3266489917);
    const words = this.packedWords;
    for (let w = 0; w < p >> 2; w++) {
      const word = words[w] ?? 0;
      h1 = Math.imul(h1 ^ word, 2654435761);
      h2 = Math.imul(h2 ^ word, 1597334677);
    }
    for (const r of runs) {
      h1 = Math.imul(h1 ^ r, 2246822519);
      h2 = Math.imul(h2 ^ r, 3266489917);
    }
    this.finishHead();
    this.finishHash(h1, h2);
  }

  /** Encodes an upper-case A/C/G/T/N string (the pipeline's normalised sequence). */
  encodeString(sequence: string): void {
    if (this.scratch.length < sequence.length) this.scratch = new Uint8Array(sequence.length * 2);
    const s = this.scratch;
    for (let i = 0; i < sequence.length; i++) s[i] = sequence.charCodeAt(i);
    this.encodeBytes(s, 0, sequence.length);
  }

  private ensure(length: number): void {
    const need = ((length + 63) >> 2) & ~3;
    if (this.packed.length >= need) return;
    let cap = this.packed.length * 2;
    while (cap < need) cap *= 2;
    this.packed = new Uint8Array(cap);
    this.packedWords = new Int32Array(this.packed.buffer);
  }

  private finishHead(): void {
    const runs = this.runs;
    if (this.head.length < 10 + runs.length * 5) this.head = new Uint8Array(20 + runs.length * 10);
    let p = writeVarint(this.head, 0, this.length);
    p = writeVarint(this.head, p, runs.length / 2);
    let previousEnd = 0;
    for (let r = 0; r < runs.length; r += 2) {
      const start = runs[r] ?? 0;
      const len = runs[r + 1] ?? 0;
      p = writeVarint(this.head, p, start - previousEnd);
      p = writeVarint(this.head, p, len);
      previousEnd = start + len;
    }
    this.headLength = p;
  }

  private finishHash(h1: number, h2: number): void {
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hashHi = h2 >>> 0;
    this.hashLo = h1 >>> 0;
  }
}

/**
 * Four ASCII bases (little-endian word) -> their packed byte (base k at bits 2k), or -1 when any of the four bytes is
 * not A/C/G/T/a/c/g/t.
 */
function pack4(w: number): number {
  const x = ((w >>> 1) & 0x03030303) ^ ((w >>> 2) & 0x01010101);
  const hi = (x >>> 1) & 0x01010101;
  // The byte each code stands for: A 0x41, C 0x43, G 0x47, T 0x54 (no carries between bytes).
  const expected = 0x41414141 + (x << 1) + (hi << 1) + (hi & x) * 11;
  if (((w | 0x20202020) ^ (expected | 0x20202020)) !== 0) return -1;
  return (x | (x >>> 6) | (x >>> 12) | (x >>> 18)) & 0xff;
}

/** 0: every byte is A/C/G/T/N in either case; 1: some other byte. */
export function checkBytes(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if ((CODE[bytes[i] ?? 0] ?? 5) > 4) return 1;
  return 0;
}

export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    buf[pos++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  buf[pos++] = value;
  return pos;
}
