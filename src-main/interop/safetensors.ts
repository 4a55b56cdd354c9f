/**
 * The safetensors format (Hugging Face), read and written directly: an 8-byte little-endian header length N, N bytes of
 * JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then the raw
 * little-endian tensor bytes, offsets relative to the end of the header. Nothing in the file is executed.
 */
import { DTYPE_BYTES, InteropError, type LoadedTensor, type TensorMap, decodeFloats, numel } from './tensors';

interface HeaderEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data_offsets: readonly [number, number];
}

export interface Safetensors {
  readonly tensors: TensorMap;
  readonly metadata: Readonly<Record<string, string>>;
}

export function readSafetensors(bytes: Uint8Array, what = 'model.safetensors'): Safetensors {
  const bad = (why: string): never => {
    throw new InteropError(`${what} is not a valid safetensors file: ${why}.`);
  };
  if (bytes.byteLength < 8) bad('it is shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > 100_000_000 || 8 + headerLength > bytes.byteLength) bad(`the header length ${headerLength} is past the end of the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch {
    return bad('its header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) bad('its header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors: TensorMap = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      continue;
    }
    const e = raw as Partial<HeaderEntry>;
    const size = typeof e.dtype === 'string' ? DTYPE_BYTES[e.dtype] : undefined;
    if (size === undefined) bad(`tensor ${name} has the unknown dtype ${String(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`tensor ${name} has no valid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) bad(`tensor ${name} has no valid data offsets`);
    const [begin, end] = offsets as [number, number];
    const shape = e.shape as number[];
    const count = numel(shape);
    if (end - begin !== count * (size ?? 0) || end > dataLength) bad(`tensor ${name} does not fit its data offsets`);
    const tensor: LoadedTensor = { dtype: e.dtype as string, shape, values: decodeFloats(bytes, dataStart + begin, count, e.dtype as string) };
    tensors.set(name, tensor);
  }
  return { tensors, metadata };
}

/** float32 tensors in the given order, aligned to 8 bytes as the reference writer does. */
export function writeSafetensors(tensors: readonly { name: string; shape: readonly number[]; values: Float32Array }[], metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.values.length !== numel(t.shape)) throw new Error(`tensor ${t.name}: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.values.byteLength] };
    offset += t.values.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data starts on an 8-byte boundary
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    const src = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported');
    out.set(src, at);
    at += src.length;
  }
  return out;
}
