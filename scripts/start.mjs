// `npm start`: build, then run the desktop app if Electron's binary is installed, else the same app in a browser
// through the web host (machines where Electron cannot be downloaded: it prints the URL to open).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

const build = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
const buildMain = spawnSync(process.execPath, [path.join(root, 'scripts/build-main.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0 || buildMain.status !== 0) process.exit(1);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when its download was skipped.
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = process.env.DNALM_WEB === '1' ? null : electronBinary();
const child = binary
  ? spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
  : spawn(process.execPath, [path.join(root, 'dist/main/web-host.cjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
if (!binary) console.log('Electron is not installed here; starting DNA LM Studio in your browser instead.');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
