import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

export interface RunningHost {
  readonly url: string;
  readonly origin: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts the real web host (`dist/main/web-host.cjs`, what `npm start` runs here) and reads the URL it prints. */
export async function startHostProcess(userDataDir: string): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'dist/main/web-host.cjs')], {
    env: { ...process.env, DNALM_HOME: userDataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not print a URL:\n${output}`)), 30_000);
    const check = (): void => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
