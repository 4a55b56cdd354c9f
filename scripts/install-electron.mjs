// Runs from `npm ci` (prepare). package.json's allowScripts stops npm from running Electron's own download script,
// because on offline build machines that script fails and would fail the whole install. Here we run it ourselves and
// tolerate failure: with internet the desktop runtime is downloaded as usual; without it, `npm start` falls back to
// the browser. ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the attempt.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

function installedBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1' || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === 'true') {
  console.log('Electron: binary download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD); `npm start` will use the browser.');
} else if (installedBinary()) {
  // Already there (e.g. npm install run twice).
} else {
  let script;
  try {
    script = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    script = null;
  }
  const result = script ? spawnSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }) : null;
  if (result && result.status === 0 && installedBinary()) {
    console.log('Electron: desktop runtime installed.');
  } else {
    const reason = (result?.stderr ?? 'electron package missing').trim().split('\n')[0];
    console.log(`Electron: the desktop runtime could not be downloaded (${reason}). \`npm start\` will run the app in your browser.`);
  }
}
