import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { BackendAttempt, EngineBackend } from '../../src-shared/api';

export type Tf = typeof tfType;

/** Fastest first. The GPU build needs CUDA and libtensorflow; neither may exist, and that is normal on a laptop. */
export const BACKEND_ORDER: readonly EngineBackend[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface ChosenBackend {
  readonly tf: Tf;
  readonly backend: EngineBackend;
  readonly attempts: readonly BackendAttempt[];
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/Cannot find module/.test(message)) return 'not installed';
  return message.split('\n')[0]?.slice(0, 300) ?? 'failed';
}

async function tryBackend(tf: Tf, backend: EngineBackend): Promise<void> {
  switch (backend) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      // Requiring the binding registers the 'tensorflow' backend with the shared tfjs-core instance. A plain require:
      // these optional packages may be absent, and their types are not installed where they cannot install.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(backend === 'tfjs-node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the TensorFlow binding did not initialise');
      return;
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Load the .wasm binaries from the installed package (or app.asar), never from a CDN: the app runs offline.
      const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(`${distDir}${path.sep}`);
      if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not initialise');
      return;
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error('the plain JavaScript backend did not initialise');
      return;
    }
  }
}

/**
 * Loads TensorFlow.js on the fastest backend that works here, trying each in turn. A failing GPU path must fall
 * through to the next one, never crash the worker. `only` restricts the choice (e.g. to compare backends).
 */
export async function chooseBackend(only?: readonly EngineBackend[]): Promise<ChosenBackend> {
  // Loaded lazily: the worker reports "loading the engine" first, and the CLI and tests that never train stay fast.
  const tf: Tf = await import('@tensorflow/tfjs');
  const attempts: BackendAttempt[] = [];
  for (const backend of only ?? BACKEND_ORDER) {
    try {
      await tryBackend(tf, backend);
      await tf.ready();
      attempts.push({ backend, ok: true, reason: 'in use' });
      return { tf, backend, attempts };
    } catch (err) {
      attempts.push({ backend, ok: false, reason: reasonOf(err) });
    }
  }
  const summary = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new Error(`No compute backend could be loaded (${summary}). Reinstall DNA LM Studio.`);
}
