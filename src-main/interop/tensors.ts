/**
 * Tensors read from a checkpoint file, before they are mapped onto the app's model: a name, a dtype as the file
 * states it, a shape, and float32 values (null for integer tensors such as `position_ids`, which the app never uses).
 */

export interface LoadedTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: Float32Array | null;
}

export type TensorMap = Map<string, LoadedTensor>;

/** A checkpoint the app will not read: the message is a sentence for the user. */
export class InteropError extends Error {
  override readonly name = 'InteropError';
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

const F16_EXP = new Float32Array(32);
for (let e = 1; e < 31; e++) F16_EXP[e] = 2 ** (e - 15);

/** IEEE half -> float32 (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (F16_EXP[e] ?? 0) * (1 + m / 1024);
}

/** `count` little-endian elements of `dtype` at `bytes[byteOffset]` as float32; null for integer and bool types. */
export function decodeFloats(bytes: Uint8Array, byteOffset: number, count: number, dtype: string): Float32Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case 'BF16': {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    default:
      return null;
  }
}

/** Bytes per element of the safetensors dtypes (also used for torch storages once mapped to these names). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};
