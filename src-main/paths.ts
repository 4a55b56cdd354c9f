import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where things are at run time. The code runs from dist/main/*.cjs both in a checkout and inside app.asar, so every
 * path is derived from this file's folder rather than from the working directory.
 */
function findAppRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`DNA LM Studio: cannot find the application folder above ${__dirname}`);
}

export const appRoot = findAppRoot();
export const resourcesDir = path.join(appRoot, 'resources');
export const rendererDir = path.join(appRoot, 'dist', 'renderer');
export const mainBundleDir = path.join(appRoot, 'dist', 'main');
export const workerEntry = path.join(mainBundleDir, 'engine-worker.cjs');

interface PackageJson {
  readonly version: string;
  readonly productName: string;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

export const packageJson = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as PackageJson;
export const appVersion = packageJson.version;
export const appName = packageJson.productName;

/**
 * Per-user state (recent projects, the demo project) outside Electron: $DNALM_HOME, else the XDG config folder.
 * Electron passes app.getPath('userData') instead.
 */
export function defaultUserDataDir(): string {
  const override = process.env['DNALM_HOME'];
  if (override) return override;
  const xdg = process.env['XDG_CONFIG_HOME'] ?? path.join(os.homedir(), '.config');
  return path.join(xdg, 'dna-lm-studio');
}

/**
 * A path the user or the renderer gave: `resources/data/...` names a file shipped with the app (resolved inside the
 * installed application, wherever that is), anything else is resolved against the working folder as usual.
 */
export function resolveDataPath(p: string): string {
  const prefix = 'resources/data/';
  if (p.startsWith(prefix)) {
    const rest = p.slice(prefix.length);
    const parts = rest.split('/');
    if (rest !== '' && !parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\'))) {
      return path.join(resourcesDir, 'data', ...parts);
    }
  }
  return path.resolve(p);
}
