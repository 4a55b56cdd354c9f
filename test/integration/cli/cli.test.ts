import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src-main/project';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dnalm(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: path.join(tmp, 'home') },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the dnalm command', () => {
  it('prints its version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(dnalm('--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('creates a project and reports its schema version as JSON', () => {
    const created = dnalm('project', 'create', path.join(tmp, 'p'), '--description', 'CLI check', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'p', path: path.join(tmp, 'p.dnalm'), schemaVersion: SCHEMA_VERSION });
    expect(fs.existsSync(path.join(tmp, 'p.dnalm', 'project.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'p.dnalm', 'project.lock'))).toBe(false); // released on exit

    const info = dnalm('project', 'info', path.join(tmp, 'p.dnalm'), '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ schemaVersion: SCHEMA_VERSION, description: 'CLI check', counts: { datasets: 0 } });
    expect(dnalm('project', 'info', path.join(tmp, 'p.dnalm')).stdout).toMatch(new RegExp(`Schema version: ${SCHEMA_VERSION}`));
  });

  it('exits 1 with a one-line reason for user errors', () => {
    const again = dnalm('project', 'create', path.join(tmp, 'p.dnalm'));
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^dnalm: .*already exists/i);

    fs.writeFileSync(path.join(tmp, 'notes.txt'), 'hello');
    const foreign = dnalm('project', 'info', path.join(tmp, 'notes.txt'));
    expect(foreign.code).toBe(1);
    expect(fs.readFileSync(path.join(tmp, 'notes.txt'), 'utf8')).toBe('hello');

    expect(dnalm('frobnicate').code).toBe(1);
    expect(dnalm('selftest', '--repeats', 'many').code).toBe(1);
  });

  it('runs the engine self-test in a worker and names the backend and a timing', () => {
    const r = dnalm('selftest', '--json', '--size', '64', '--repeats', '5');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { backend: string; matmul: { msPerMatmul: number; size: number } };
    expect(result.backend).toBe('wasm');
    expect(result.matmul.size).toBe(64);
    expect(result.matmul.msPerMatmul).toBeGreaterThan(0);
  });
});
