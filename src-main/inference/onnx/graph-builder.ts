/** A small helper to write ONNX graphs as code: each op call adds a node and returns the name of its output. */
import { DataType, type OnnxAttribute, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto';

type AttrValue = number | readonly number[] | string;
/** Attributes by name; a float is written as `{ f: value }` (a plain number is an int). */
export type Attrs = Readonly<Record<string, AttrValue | { readonly f: number }>>;

const bytesOf = (a: Float32Array | BigInt64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function attribute(name: string, v: AttrValue | { readonly f: number }): OnnxAttribute {
  if (typeof v === 'string') return { name, kind: 'string', value: v };
  if (typeof v === 'number') return { name, kind: 'int', value: v };
  if ('f' in v) return { name, kind: 'float', value: v.f };
  return { name, kind: 'ints', value: [...(v as readonly number[])] };
}

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly names = new Set<string>();
  private readonly opCount = new Map<string, number>();

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** A float32 initializer (copied). */
  weight(name: string, dims: readonly number[], values: Float32Array): string {
    const size = dims.reduce((n, d) => n * d, 1);
    if (values.length !== size) throw new Error(`${name}: ${values.length} values for shape [${dims.join(', ')}]`);
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dataType: DataType.FLOAT, dims: [...dims], raw: bytesOf(Float32Array.from(values)) });
    return unique;
  }

  /** A float32 scalar constant (an initializer of shape []). */
  scalar(name: string, value: number): string {
    return this.weight(name, [], Float32Array.of(value));
  }

  /** An int64 1-D constant (shapes, axes, indices). */
  ints(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dataType: DataType.INT64, dims: [...dims], raw: bytesOf(BigInt64Array.from(values, (v) => BigInt(v))) });
    return unique;
  }

  /** Adds a node; returns its first output's name. `domain` names a contrib operator set (com.microsoft). */
  op(opType: string, inputs: readonly string[], attrs: Attrs = {}, outputName?: string, domain?: string): string {
    const n = (this.opCount.get(opType) ?? 0) + 1;
    this.opCount.set(opType, n);
    const output = this.unique(outputName ?? `${opType.toLowerCase()}_${n}`);
    this.nodes.push({
      opType,
      ...(domain ? { domain } : {}),
      name: `${opType}_${n}`,
      inputs: [...inputs],
      outputs: [output],
      attributes: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** Reserves a graph input's name. */
  input(name: string): string {
    if (this.names.has(name)) throw new Error(`duplicate name ${name}`);
    this.names.add(name);
    return name;
  }

  /** Renames the value `from` to the graph output name `to` (an Identity node). */
  output(from: string, to: string): string {
    return this.op('Identity', [from], {}, to);
  }

  graph(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[], doc?: string): OnnxGraph {
    return { name, nodes: [...this.nodes], initializers: [...this.initializers], inputs, outputs, ...(doc ? { doc } : {}) };
  }
}
