import type { WorkerChannel } from './worker-channel';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * What a task sees of the outside world: report progress, and reach a cancellation point. Tasks know nothing of jobs,
 * projects or the UI, which keeps them testable in isolation.
 */
export class TaskContext {
  private cancelled = false;

  constructor(private readonly channel: WorkerChannel) {}

  requestCancel(): void {
    this.cancelled = true;
  }

  progress(step: number, total: number, message: string, metrics: Record<string, number> = {}): void {
    this.channel.post({ type: 'progress', step, total, message, metrics });
  }

  log(message: string, level: 'info' | 'warn' = 'info'): void {
    this.channel.post({ type: 'log', level, message });
  }

  /**
   * Yields to the event loop so that a Cancel message sent meanwhile is received (compute kernels are synchronous),
   * then stops the task if it was cancelled. Call it between steps.
   */
  async checkpoint(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.cancelled) throw new CancelledError();
  }
}
