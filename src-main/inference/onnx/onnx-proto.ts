/**
 * ONNX's messages (onnx/onnx.proto, proto2) as plain objects, and their encoding. Field numbers are onnx.proto's;
 * only the fields an inference graph needs are here. Tensors carry their values in raw_data (little-endian), the
 * form every ONNX reader accepts for float and integer tensors.
 */
import { ProtoWriter } from './protobuf-writer';

/** The IR version and default-domain opset the exporter writes (ONNX 1.12 era: LayerNormalization is in 17). */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

/** TensorProto.DataType values. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export interface OnnxTensor {
  readonly name: string;
  readonly dataType: DataTypeCode;
  readonly dims: readonly number[];
  /** Values in the element type's little-endian layout. */
  readonly raw: Uint8Array;
}

export type OnnxAttribute =
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'string'; readonly value: string }
  | { readonly name: string; readonly kind: 'tensor'; readonly value: OnnxTensor };

/** ONNX Runtime's contrib operators (fused attention, skip layer norm, GELU with bias). */
export const MS_DOMAIN = 'com.microsoft';

export interface OnnxNode {
  readonly opType: string;
  /** '' for the default ONNX domain. */
  readonly domain?: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** A dimension: a fixed size or a named symbolic one ("batch"). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: DataTypeCode;
  readonly shape: readonly OnnxDim[];
  readonly doc?: string;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly doc?: string;
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly doc?: string;
  /** metadata_props: shown by model viewers, read back by tools. */
  readonly metadata: Readonly<Record<string, string>>;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;

function tensorProto(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d); // dims
  w.int(2, t.dataType); // data_type
  w.string(8, t.name); // name
  w.bytes(9, t.raw); // raw_data
  return w;
}

function attributeProto(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  switch (a.kind) {
    case 'float':
      return w.float(2, a.value).int(20, ATTR_FLOAT);
    case 'int':
      return w.int(3, a.value).int(20, ATTR_INT);
    case 'string':
      return w.string(4, a.value).int(20, ATTR_STRING);
    case 'tensor':
      return w.message(5, tensorProto(a.value)).int(20, ATTR_TENSOR);
    case 'ints':
      for (const v of a.value) w.int(8, v);
      return w.int(20, ATTR_INTS);
  }
}

function nodeProto(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const a of n.attributes) w.message(5, attributeProto(a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function valueInfoProto(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  const w = new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
  if (v.doc) w.string(3, v.doc);
  return w;
}

function graphProto(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, nodeProto(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensorProto(t));
  if (g.doc) w.string(10, g.doc);
  for (const i of g.inputs) w.message(11, valueInfoProto(i));
  for (const o of g.outputs) w.message(12, valueInfoProto(o));
  return w;
}

/** The .onnx file's bytes. */
export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new ProtoWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, m.producerName)
    .string(3, m.producerVersion)
    .int(5, 1); // model_version
  if (m.doc) w.string(6, m.doc);
  w.message(7, graphProto(m.graph));
  w.message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET)); // opset_import: the default domain
  if (m.graph.nodes.some((n) => n.domain === MS_DOMAIN)) w.message(8, new ProtoWriter().string(1, MS_DOMAIN).int(2, 1));
  for (const [key, value] of Object.entries(m.metadata)) w.message(14, new ProtoWriter().string(1, key).string(2, value));
  return w.finish();
}
