import { fork, type ChildProcess } from 'node:child_process';
import { isFromWorker, type FromWorker, type ToWorker } from './worker-protocol';

export interface WorkerExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** The last lines the worker wrote to stderr: often the real reason of a crash (out of memory, a native abort). */
  readonly stderrTail: string;
}

/**
 * One engine process. Implemented with child_process.fork under plain Node (web host, CLI, tests) and with Electron's
 * utilityProcess.fork in the desktop app (src-main/app/utility-worker.ts); the job manager only sees this interface.
 */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onExit(listener: (exit: WorkerExit) => void): void;
  kill(): void;
}

export type WorkerLauncher = (entry: string) => WorkerProcess;

const STDERR_TAIL_BYTES = 4000;

export class StderrTail {
  private text = '';
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-STDERR_TAIL_BYTES);
  }
  toString(): string {
    return this.text;
  }
}

class ChildProcessWorker implements WorkerProcess {
  private readonly child: ChildProcess;
  private readonly stderr = new StderrTail();
  private readonly exitListeners: ((exit: WorkerExit) => void)[] = [];
  private exited: WorkerExit | null = null;

  constructor(entry: string) {
    this.child = fork(entry, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'json' });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr.push(chunk);
      process.stderr.write(chunk);
    });
    // 'close' rather than 'exit': by then stderr is drained, so the tail holds the crash reason.
    this.child.on('close', (code, signal) => {
      this.exited = { code, signal, stderrTail: this.stderr.toString() };
      for (const listener of this.exitListeners) listener(this.exited);
    });
    // A failed spawn (missing entry, no permission) still ends in 'close'; swallow the 'error' so it cannot crash main.
    this.child.on('error', (err) => this.stderr.push(`\n${err.message}\n`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ToWorker): void {
    if (this.exited !== null || !this.child.connected) return;
    this.child.send(message);
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.child.on('message', (m) => {
      if (isFromWorker(m)) listener(m);
    });
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    if (this.exited !== null) listener(this.exited);
    else this.exitListeners.push(listener);
  }

  kill(): void {
    if (this.exited === null) this.child.kill('SIGKILL');
  }
}

export const forkChildProcess: WorkerLauncher = (entry) => new ChildProcessWorker(entry);
