import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-pkg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('packaging', () => {
  it('produces an app.asar with main, preload, worker, renderer and resources, and no sources or tests', () => {
    // Electron's binary cannot be downloaded here: a stub "electron" executable stands in for the runtime.
    const stub = path.join(tmp, 'electron-dist');
    fs.mkdirSync(stub);
    fs.writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const out = path.join(tmp, 'release');
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--config',
        'electron-builder.yml',
        `-c.electronDist=${stub}`,
        `-c.directories.output=${out}`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 240_000 },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);

    const asar = path.join(out, 'linux-unpacked', 'resources', 'app.asar');
    const files = listPackage(asar, { isPack: false }).map((f) => f.split(path.sep).join('/'));
    for (const expected of [
      '/package.json',
      '/dist/main/electron-main.cjs',
      '/dist/main/preload.cjs',
      '/dist/main/engine-worker.cjs',
      '/dist/renderer/index.html',
      '/resources/licences.json',
      '/resources/data/gb_human_nontata_promoters/train.csv.gz',
      '/node_modules/sql.js/package.json',
      '/node_modules/@tensorflow/tfjs-backend-wasm/package.json',
      // PDF reports: pdfmake's Node printer and the Roboto fonts it bundles, read at run time; ECharts' CommonJS build.
      '/node_modules/pdfmake/src/printer.js',
      '/node_modules/pdfmake/build/vfs_fonts.js',
      '/node_modules/echarts/dist/echarts.js',
    ]) {
      expect(files).toContain(expected);
    }
    const own = files.filter((f) => !f.startsWith('/node_modules/'));
    expect(own.filter((f) => /^\/(src-main|src-shared|src-renderer|test|scripts|\.ci)(\/|$)/.test(f))).toEqual([]);
    expect(own.filter((f) => /\.(ts|vue|map)$/.test(f))).toEqual([]);
    // Dev tooling (bundled into dist or only for tests) must not ship.
    for (const dev of ['vue', 'vite', 'vitest', 'electron', 'electron-builder', 'playwright-core', 'typescript']) {
      expect(files).not.toContain(`/node_modules/${dev}/package.json`);
    }
    // The WebAssembly engines are read from disk by path, so they sit beside the archive.
    const unpacked = path.join(out, 'linux-unpacked', 'resources', 'app.asar.unpacked', 'node_modules');
    expect(fs.existsSync(path.join(unpacked, 'sql.js', 'dist', 'sql-wasm.wasm'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, '@tensorflow', 'tfjs-backend-wasm', 'dist')).filter((f) => f.endsWith('.wasm')).length).toBeGreaterThan(0);
    // ONNX Runtime's native files too, for this platform and architecture only.
    const ort = path.join(unpacked, 'onnxruntime-node', 'bin', 'napi-v6');
    expect(fs.existsSync(path.join(ort, 'linux', 'x64', 'onnxruntime_binding.node'))).toBe(true);
    expect(fs.readdirSync(ort)).toEqual(['linux']);
    expect(fs.readdirSync(path.join(ort, 'linux'))).toEqual(['x64']);
  });
});
