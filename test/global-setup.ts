// Integration and e2e tests fork the real bundled worker and serve the built renderer, so they need `npm run build`
// to have run (the README's test command does that first). Fail early with a clear message instead of a timeout.
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(__dirname, '..');
  const needed = ['dist/main/engine-worker.cjs', 'dist/main/cli.cjs', 'dist/renderer/index.html'];
  const missing = needed.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0 && process.env['DNALM_SKIP_BUILD_CHECK'] !== '1') {
    throw new Error(`Missing build output (${missing.join(', ')}). Run \`npm run build\` before the tests.`);
  }
}
