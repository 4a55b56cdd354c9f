/** Runs the same computation on the plain-JS 'cpu' backend (the reference) and on 'wasm' with our kernels. */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../../src-main/engine/backend';
import { installWasmKernels } from '../../../src-main/engine/kernels';
import { Rng } from '../../../src-main/engine/models/rng';

let ready: Promise<void> | null = null;

/** Loads the wasm backend once per test file and installs our kernels. */
export function setupWasm(): Promise<void> {
  ready ??= (async () => {
    await chooseBackend(['wasm']);
    installWasmKernels();
  })();
  return ready;
}

export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

export function randomInts(n: number, max: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(max));
}

type Output = tf.Tensor | tf.Tensor[];

function read(out: Output): Float32Array[] {
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

/** `f` on cpu, then on wasm (the backend left active). f builds its tensors from plain arrays inside. */
export async function onBoth(f: () => Output): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  await tf.setBackend('cpu');
  const cpu = read(tf.tidy(f));
  await tf.setBackend('wasm');
  const wasm = read(tf.tidy(f));
  return { cpu, wasm };
}

/** Largest |a - b| relative to the largest |b| (1 when b is all zero). */
export function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1);
}

export function expectClose(got: Float32Array[], want: Float32Array[], tol = 1e-4): void {
  if (got.length !== want.length) throw new Error(`${got.length} outputs, expected ${want.length}`);
  got.forEach((g, i) => {
    const e = relError(g, want[i]!);
    if (!(e <= tol)) throw new Error(`output ${i}: relative error ${e} > ${tol} (lengths ${g.length} / ${want[i]!.length})`);
  });
}
