import type { FromWorker, ToWorker } from '../jobs/worker-protocol';

/**
 * The worker's side of the message pipe. Electron's utility process talks through process.parentPort, a forked Node
 * child through process.send; the engine code sees one interface.
 */
export interface WorkerChannel {
  post(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent(): WorkerChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      post: (m) => parentPort.postMessage(m),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data as ToWorker)),
    };
  }
  if (typeof process.send === 'function') {
    return {
      post: (m) => {
        if (process.connected) process.send?.(m);
      },
      onMessage: (listener) => process.on('message', (m) => listener(m as ToWorker)),
    };
  }
  throw new Error('The engine worker must be started by DNA LM Studio (no parent process channel found).');
}
