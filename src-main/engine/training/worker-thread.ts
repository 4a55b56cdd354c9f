/**
 * Entry of a replica thread (worker_threads). WebAssembly in Node runs one thread per backend, so the trainer uses
 * one backend per thread: this thread loads its own TensorFlow.js on wasm with our kernels, builds the same task and
 * answers gradient / evaluation / logits requests for its shard of each batch. Weights and gradients travel through
 * SharedArrayBuffers (no copies through messages); requests carry only the shard's token ids.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chooseBackend } from '../backend';
import { installWasmKernels } from '../kernels';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol';
import { Replica } from './replica';
import { createTask } from './task';

const port = parentPort;
if (!port) throw new Error('worker-thread.ts runs only as a worker thread');
const init = workerData as ReplicaInit;
const post = (m: FromReplica, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

void (async () => {
  try {
    const { backend } = await chooseBackend(['wasm']);
    installWasmKernels(init.kernels);
    const replica = new Replica(createTask(init.task), init.seed, init.index);
    const weights = new Float32Array(init.weights);
    const out = new Float32Array(init.out);
    port.on('message', (m: ToReplica) => {
      try {
        const t0 = performance.now();
        switch (m.type) {
          case 'grad': {
            const loss = replica.gradients(weights, m.batch, m.denominator, m.step, m.training, out);
            post({ type: 'done', id: m.id, loss, ms: performance.now() - t0, terms: replica.lastTerms });
            return;
          }
          case 'evaluate': {
            const loss = replica.evaluate(weights, m.batch, m.denominator);
            post({ type: 'done', id: m.id, loss, ms: performance.now() - t0, terms: replica.lastTerms });
            return;
          }
          case 'logits': {
            const { values, shape } = replica.logits(weights, m.batch);
            post({ type: 'logits', id: m.id, values, shape }, [values.buffer as ArrayBuffer]);
            return;
          }
        }
      } catch (err) {
        post({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) });
      }
    });
    post({ type: 'ready', backend });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
})();
