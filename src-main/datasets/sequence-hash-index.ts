/**
 * Exact-duplicate detection with bounded memory: each distinct sequence is remembered by a 64-bit hash (two
 * independent 32-bit lanes, cyrb53-style mixing, length included; the import computes it over the packed sequence,
 * see sequence-encoder.ts) in an open-addressing table of typed arrays.
 * A slot is 12 bytes (hash hi, hash lo, the first record's index); the table stays at most 70 % full, so a distinct
 * sequence costs 12-34 bytes (about 20 on average), whatever its length. Two different sequences share a hash with a
 * probability of about n² / 2^65 (3e-6 for ten million sequences), which would merely flag a false duplicate.
 */
export class SequenceHashIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private value: Int32Array;
  private mask: number;
  private used = 0;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.value = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.used;
  }

  /** Bytes the table holds now (for the report of memory per record). */
  get bytes(): number {
    return (this.mask + 1) * 12;
  }

  /** The value stored for an identical sequence seen before, or -1 after remembering this one with `value`. */
  findOrInsert(sequence: string, value: number): number {
    let h1 = 0xdeadbeef ^ sequence.length;
    let h2 = 0x41c6ce57 ^ sequence.length;
    for (let i = 0; i < sequence.length; i++) {
      const c = sequence.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return this.findOrInsertHash(h2 >>> 0, h1 >>> 0, value);
  }

  /** The same, for a 64-bit hash computed elsewhere (the import hashes the packed sequence as it packs it). */
  findOrInsertHash(hi: number, lo: number, value: number): number {
    let slot = lo & this.mask;
    for (;;) {
      const v = this.value[slot] ?? -1;
      if (v < 0) break;
      if (this.lo[slot] === lo && this.hi[slot] === hi) return v;
      slot = (slot + 1) & this.mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.value[slot] = value;
    this.used++;
    if (this.used * 10 > (this.mask + 1) * 7) this.grow();
    return -1;
  }

  private grow(): void {
    const { hi, lo, value } = this;
    const capacity = (this.mask + 1) * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.value = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (let s = 0; s < value.length; s++) {
      const v = value[s] ?? -1;
      if (v < 0) continue;
      const l = lo[s] ?? 0;
      let slot = l & this.mask;
      while ((this.value[slot] ?? -1) >= 0) slot = (slot + 1) & this.mask;
      this.hi[slot] = hi[s] ?? 0;
      this.lo[slot] = l;
      this.value[slot] = v;
    }
  }
}
