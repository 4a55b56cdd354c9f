import fs from 'node:fs';
import path from 'node:path';
import type { DataLicence } from '../../src-shared/api';
import { packageJson, resourcesDir } from '../paths';

/** Licences and attribution of the data bundled in resources/, shown in Help > About and carried into reports. */
export function readDataLicences(dir = resourcesDir): DataLicence[] {
  const file = path.join(dir, 'licences.json');
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: DataLicence[] };
  return parsed.data;
}

function installedVersion(name: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return packageJson.dependencies[name] ?? packageJson.devDependencies[name] ?? 'not installed';
  }
}

/** Versions a bug report needs: the app, its runtimes and the libraries whose numbers can change results. */
export function componentVersions(): Record<string, string> {
  const versions: Record<string, string> = {
    'DNA LM Studio': packageJson.version,
    node: process.versions.node,
    v8: process.versions.v8,
    'sql.js': installedVersion('sql.js'),
    'TensorFlow.js': installedVersion('@tensorflow/tfjs'),
    platform: `${process.platform} ${process.arch}`,
  };
  if (process.versions['electron']) versions['electron'] = process.versions['electron'];
  if (process.versions['chrome']) versions['chromium'] = process.versions['chrome'];
  return versions;
}
