/**
 * Typed access to the parts of tfjs-backend-wasm 4.22 that our kernels need: the heap, tensor registration and the
 * exported C functions. These are internals of the backend (not its public API), so they are reached through one
 * narrow interface here and checked once at install time; a tfjs upgrade that changes them fails loudly there.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

interface TensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

interface WasmModule {
  HEAPU8: Uint8Array;
  cwrap(name: string, returnType: null, argTypes: string[]): (...args: unknown[]) => void;
  tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
}

/** The wasm backend as our kernels see it. */
export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): TensorData | undefined; delete(dataId: object): boolean };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (!b || !b.wasm || !b.dataIdMap || typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function') {
    throw new Error('The WebAssembly backend does not expose the internals our kernels need (tfjs version changed?).');
  }
  return b as WasmBackend;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A Float32Array view on a tensor's memory. Take it after every allocation: a growing heap detaches old views. */
export function f32(backend: WasmBackend, info: TensorInfo): Float32Array {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor is not on the WebAssembly backend');
  return new Float32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, sizeOf(info.shape));
}

export function i32(backend: WasmBackend, info: TensorInfo): Int32Array {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor is not on the WebAssembly backend');
  return new Int32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, sizeOf(info.shape));
}

/** Index values as numbers whatever the integer dtype (int32 is the norm; float32 indices occur in tests). */
export function indexView(backend: WasmBackend, info: TensorInfo): Int32Array | Float32Array {
  return info.dtype === 'int32' ? i32(backend, info) : f32(backend, info);
}

export function memoryOffsetOf(backend: WasmBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor is not on the WebAssembly backend');
  return data.memoryOffset;
}

export function wasmIdOf(backend: WasmBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor is not on the WebAssembly backend');
  return data.id;
}

/**
 * A tensor that aliases part of another tensor's memory (no copy), for handing slices to the C kernels. It must be
 * released with `releaseView`, never disposed: disposing would free memory that belongs to the parent.
 */
export function makeView(backend: WasmBackend, shape: number[], byteOffset: number): TensorInfo {
  return backend.makeOutput(shape, 'float32', byteOffset);
}

export function releaseView(backend: WasmBackend, view: TensorInfo): void {
  const data = backend.dataIdMap.get(view.dataId);
  if (!data) return;
  backend.dataIdMap.delete(view.dataId);
  // Unregisters the id in C++ (and drops XNNPACK operators cached for it) without freeing the memory.
  backend.wasm.tfjs.disposeData(data.id);
}

export function sizeFromShape(shape: readonly number[]): number {
  return sizeOf(shape);
}
