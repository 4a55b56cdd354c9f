// `npm run bench`: bundles each test/bench/*.bench.ts with esbuild and runs it in plain Node, one after another.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const benches = fs.readdirSync(here).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
let failed = 0;
for (const file of benches) {
  const outfile = path.join(here, `.${path.basename(file, '.ts')}.cjs`);
  await build({ entryPoints: [path.join(here, file)], outfile, bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
  console.log(`== ${file}`);
  const r = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  fs.rmSync(outfile, { force: true });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
