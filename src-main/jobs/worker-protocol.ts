import type { ApiErrorData } from '../../src-shared/api';
import type { JobKind } from '../../src-shared/api';

/**
 * Messages between the job manager (main process) and the engine worker (utility / child process).
 * Every message is a tagged union member: no booleans that mean "this is an error".
 */
export type ToWorker =
  | { readonly type: 'start'; readonly jobId: number; readonly kind: JobKind; readonly params: Readonly<Record<string, unknown>> }
  | { readonly type: 'cancel' };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'progress';
      readonly step: number;
      readonly total: number;
      readonly message: string;
      readonly metrics: Readonly<Record<string, number>>;
    }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'result'; readonly value: unknown }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly error: ApiErrorData; readonly stack?: string };

export function isFromWorker(value: unknown): value is FromWorker {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
