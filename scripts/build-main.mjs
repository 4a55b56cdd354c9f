// Bundles the Node side (Electron main, preload, worker, web host, CLI) into dist/main as CommonJS.
// The preload must be one CommonJS file: a sandboxed preload cannot require local modules.
// Runtime packages stay external so that their .wasm files resolve from node_modules (or app.asar) at run time.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entries = {
  'electron-main': 'src-main/app/electron-main.ts',
  preload: 'src-main/app/preload.ts',
  'engine-worker': 'src-main/engine/worker-main.ts',
  // The Trainer's replica threads (worker_threads) load this file next to engine-worker.cjs (defaultWorkerScript()).
  'training-worker': 'src-main/engine/training/worker-thread.ts',
  'web-host': 'src-main/host/main.ts',
  cli: 'src-main/cli/main.ts',
};

await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(root, file)])),
  outdir: path.join(root, 'dist/main'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  packages: 'external',
  logLevel: 'warning',
});
console.log('built dist/main');
