/** Messages between the trainer (leader thread) and its replica threads. */
import type { WasmKernelOptions } from '../kernels';
import type { Batch, TaskSpec } from './task';

export interface ReplicaInit {
  readonly task: TaskSpec;
  readonly seed: number;
  readonly index: number;
  readonly kernels: WasmKernelOptions;
  /** The weights every replica reads, written by the leader between steps. */
  readonly weights: SharedArrayBuffer;
  /** This replica's gradient (and new buffer values), read by the leader after each step. */
  readonly out: SharedArrayBuffer;
}

export type ToReplica =
  | { readonly type: 'grad'; readonly id: number; readonly batch: Batch; readonly denominator: number; readonly step: number; readonly training: boolean }
  | { readonly type: 'evaluate'; readonly id: number; readonly batch: Batch; readonly denominator: number }
  | { readonly type: 'logits'; readonly id: number; readonly batch: Batch };

export type FromReplica =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'done'; readonly id: number; readonly loss: number; readonly ms: number; readonly terms?: Readonly<Record<string, number>> }
  | { readonly type: 'logits'; readonly id: number; readonly values: Float32Array; readonly shape: [number, number] }
  | { readonly type: 'error'; readonly id?: number; readonly message: string };
