/**
 * A minimal zip reader for PyTorch's checkpoint archives: the central directory (zip64 included), stored and deflated
 * entries. Names are returned as written; nothing is extracted to disk.
 */
import zlib from 'node:zlib';
import { InteropError } from './tensors';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.entries = this.readDirectory();
  }

  private bad(why: string): never {
    throw new InteropError(`${this.what} is not a readable zip archive: ${why}.`);
  }

  private u16(at: number): number {
    if (at + 2 > this.bytes.length) this.bad('it is truncated');
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    if (at + 4 > this.bytes.length) this.bad('it is truncated');
    return this.view.getUint32(at, true);
  }

  private u64(at: number): number {
    if (at + 8 > this.bytes.length) this.bad('it is truncated');
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.bad('an offset is too large');
    return Number(v);
  }

  private readDirectory(): Map<string, ZipEntry> {
    let eocd = -1;
    for (let i = this.bytes.length - 22; i >= Math.max(0, this.bytes.length - 22 - 65535); i--) {
      if (this.view.getUint32(i, true) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) this.bad('no end of central directory');
    let count = this.u16(eocd + 10);
    let dirOffset = this.u32(eocd + 16);
    const locator = eocd - 20;
    if (locator >= 0 && this.u32(locator) === EOCD64_LOCATOR) {
      const eocd64 = this.u64(locator + 8);
      if (this.u32(eocd64) !== EOCD64) this.bad('a broken zip64 directory');
      count = this.u64(eocd64 + 32);
      dirOffset = this.u64(eocd64 + 48);
    }
    const entries = new Map<string, ZipEntry>();
    let at = dirOffset;
    for (let n = 0; n < count; n++) {
      if (this.u32(at) !== CENTRAL) this.bad('a broken central directory');
      const method = this.u16(at + 10);
      let compressedSize = this.u32(at + 20);
      let size = this.u32(at + 24);
      const nameLength = this.u16(at + 28);
      const extraLength = this.u16(at + 30);
      const commentLength = this.u16(at + 32);
      let localHeaderOffset = this.u32(at + 42);
      const name = new TextDecoder().decode(this.bytes.subarray(at + 46, at + 46 + nameLength));
      // zip64 extra field: the 64-bit values of the fields that read 0xFFFFFFFF, in this order.
      let e = at + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = this.u16(e);
        const len = this.u16(e + 2);
        if (id === 0x0001) {
          let p = e + 4;
          if (size === 0xffffffff) {
            size = this.u64(p);
            p += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = this.u64(p);
            p += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = this.u64(p);
        }
        e += 4 + len;
      }
      entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
      at = extraEnd + commentLength;
    }
    return entries;
  }

  /** The entry's bytes (a view for stored entries). */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) this.bad(`it has no entry ${name}`);
    const h = entry.localHeaderOffset;
    if (this.u32(h) !== LOCAL) this.bad(`the entry ${name} has no local header`);
    const start = h + 30 + this.u16(h + 26) + this.u16(h + 28);
    if (start + entry.compressedSize > this.bytes.length) this.bad(`the entry ${name} is truncated`);
    const raw = this.bytes.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) return raw;
    if (entry.method === 8) return new Uint8Array(zlib.inflateRawSync(raw));
    return this.bad(`the entry ${name} uses compression method ${entry.method}`);
  }
}
