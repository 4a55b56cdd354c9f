/**
 * The hand-written protobuf encoder against the wire format's documented encodings, and the ONNX model header read
 * back with an independent field walker.
 */
import { describe, expect, it } from 'vitest';
import { DataType, ONNX_IR_VERSION, ONNX_OPSET, encodeModel } from '../../../src-main/inference/onnx/onnx-proto';
import { GraphBuilder } from '../../../src-main/inference/onnx/graph-builder';
import { ProtoWriter } from '../../../src-main/inference/onnx/protobuf-writer';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Top-level fields of a message: [field, wire type, value (varint as bigint, or bytes)]. */
function fields(b: Uint8Array): [number, number, bigint | Uint8Array][] {
  const out: [number, number, bigint | Uint8Array][] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const byte = b[i++]!;
      v |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) return v;
    }
  };
  while (i < b.length) {
    const tag = Number(varint());
    const wire = tag & 7;
    if (wire === 0) out.push([tag >> 3, wire, varint()]);
    else if (wire === 2) {
      const n = Number(varint());
      out.push([tag >> 3, wire, b.subarray(i, i + n)]);
      i += n;
    } else if (wire === 5) {
      out.push([tag >> 3, wire, b.subarray(i, i + 4)]);
      i += 4;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

describe('protobuf writer', () => {
  it('encodes varints as the protobuf documentation shows', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601'); // the documentation's example
    expect(hex(new ProtoWriter().int(1, 1).finish())).toBe('0801');
    expect(hex(new ProtoWriter().int(2, 2 ** 40).finish())).toBe('10808080808020'); // bit 40 = 2^5 in the sixth group
    // int64 -1 (e.g. axis = -1): ten bytes of two's complement
    expect(hex(new ProtoWriter().int(3, -1).finish())).toBe('18ffffffffffffffffff01');
  });

  it('writes strings, floats and nested messages with their lengths', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    const inner = new ProtoWriter().int(1, 150);
    expect(hex(new ProtoWriter().message(3, inner).finish())).toBe('1a03089601');
  });

  it('keeps large byte fields intact across chunks', () => {
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    const out = new ProtoWriter().string(1, 'w').bytes(9, big).int(2, 7).finish();
    const f = fields(out);
    expect(f.map(([n]) => n)).toEqual([1, 9, 2]);
    expect(Buffer.from(f[1]![2] as Uint8Array).equals(Buffer.from(big))).toBe(true);
    expect(f[2]![2]).toBe(7n);
  });
});

describe('ONNX model encoding', () => {
  it('declares IR version 8, opset 17 of the default domain, the producer and the metadata', () => {
    const g = new GraphBuilder();
    const x = g.input('x');
    const y = g.output(g.op('Add', [x, g.scalar('one', 1)]), 'y');
    const bytes = encodeModel({
      graph: g.graph('tiny', [{ name: x, elemType: DataType.FLOAT, shape: ['batch', 3] }], [{ name: y, elemType: DataType.FLOAT, shape: ['batch', 3] }]),
      producerName: 'DNA LM Studio',
      producerVersion: '0.1.0',
      metadata: { 'dnalm.classes': '["a","b"]' },
    });
    const top = fields(bytes);
    const get = (n: number) => top.filter(([f]) => f === n).map(([, , v]) => v);
    expect(get(1)).toEqual([BigInt(ONNX_IR_VERSION)]);
    expect(ONNX_IR_VERSION).toBe(8);
    expect(new TextDecoder().decode(get(2)[0] as Uint8Array)).toBe('DNA LM Studio');
    const opset = fields(get(8)[0] as Uint8Array);
    expect(opset).toContainEqual([2, 0, BigInt(ONNX_OPSET)]);
    expect(ONNX_OPSET).toBe(17);
    const meta = fields(get(14)[0] as Uint8Array).map(([, , v]) => new TextDecoder().decode(v as Uint8Array));
    expect(meta).toEqual(['dnalm.classes', '["a","b"]']);
    const graph = fields(get(7)[0] as Uint8Array);
    expect(graph.filter(([f]) => f === 1)).toHaveLength(2); // Add + Identity nodes
    expect(graph.filter(([f]) => f === 5)).toHaveLength(1); // the constant
  });
});
