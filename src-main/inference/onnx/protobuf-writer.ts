/**
 * The protobuf wire format, writing only: varints, length-delimited fields and fixed 32-bit floats. Enough to encode
 * ONNX's messages without a protobuf library. A message is a list of byte chunks, so large tensors are copied once,
 * when the whole file is joined, and a nested message's length is known before its bytes are placed.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.size + this.pending.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.size += this.pending.length;
    this.pending = [];
  }

  private append(bytes: Uint8Array): void {
    this.flush();
    if (bytes.byteLength === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
  }

  /** Unsigned varint of a non-negative safe integer, or any int64 (negative ones as ten-byte two's complement). */
  private varint(value: number | bigint): void {
    if (typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) {
      let v = value;
      while (v >= 0x80) {
        this.pending.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
      }
      this.pending.push(v);
      return;
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`${value} is not an integer that protobuf can hold`);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.pending.push(...b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.byteLength);
    this.append(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, inner: ProtoWriter): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(inner.length);
    inner.flush();
    for (const c of inner.chunks) this.append(c);
    return this;
  }

  /** The encoded message as one contiguous array. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.byteLength;
    }
    return out;
  }
}
