import { utilityProcess } from 'electron';
import { StderrTail, type WorkerExit, type WorkerLauncher, type WorkerProcess } from '../jobs/worker-process';
import { isFromWorker, type FromWorker, type ToWorker } from '../jobs/worker-protocol';

/** The engine process under Electron: a utility process (a Node environment Chromium manages and sandboxes apart). */
class UtilityProcessWorker implements WorkerProcess {
  private readonly proc: Electron.UtilityProcess;
  private readonly stderr = new StderrTail();
  private readonly exitListeners: ((exit: WorkerExit) => void)[] = [];
  private exited: WorkerExit | null = null;

  constructor(entry: string) {
    this.proc = utilityProcess.fork(entry, [], { stdio: 'pipe', serviceName: 'DNA LM Studio engine' });
    this.proc.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    this.proc.stderr?.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString('utf8'));
      process.stderr.write(chunk);
    });
    this.proc.on('exit', (code) => {
      this.exited = { code, signal: null, stderrTail: this.stderr.toString() };
      for (const listener of this.exitListeners) listener(this.exited);
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  send(message: ToWorker): void {
    if (this.exited === null) this.proc.postMessage(message);
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.proc.on('message', (m: unknown) => {
      if (isFromWorker(m)) listener(m);
    });
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    if (this.exited !== null) listener(this.exited);
    else this.exitListeners.push(listener);
  }

  kill(): void {
    if (this.exited === null) this.proc.kill();
  }
}

export const forkUtilityProcess: WorkerLauncher = (entry) => new UtilityProcessWorker(entry);
