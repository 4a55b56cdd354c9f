/**
 * Cooperative cancellation for the readers. The caller passes a plain `{ cancelled: boolean }` object and flips it
 * (from a job's cancel handler, say); the readers look at it between chunks and between BED intervals, so a cancel
 * takes effect within one chunk (about 1 MB) of work. A plain flag rather than an AbortSignal keeps the readers
 * usable from workers and tests without any event plumbing.
 */
export interface CancelSignal {
  readonly cancelled: boolean;
}

/** Thrown when the caller cancelled a read. Its `name` is 'CancelledError' so callers can tell it from a format error. */
export class CancelledError extends Error {
  constructor(message = 'The read was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function isCancelledError(err: unknown): err is CancelledError {
  return err instanceof Error && err.name === 'CancelledError';
}

export function throwIfCancelled(signal: CancelSignal | undefined): void {
  if (signal?.cancelled === true) throw new CancelledError();
}
