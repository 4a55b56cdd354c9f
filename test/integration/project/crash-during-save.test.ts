import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../src-main/project';
import { makeTempDir } from './helpers';

/**
 * Pulls the plug on a process in the middle of its saves, again and again, and checks that the project always opens
 * afterwards with the last reported change (or the one being saved at the kill): never a damaged or missing file.
 * The child is the real code bundled by esbuild as CommonJS, the way the app ships it.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/save-loop.ts', import.meta.url));
const ROUNDS = 6;
const PAYLOAD_KIB = 256;

let tmp: { dir: string; cleanup: () => void };
let bundle: string;

beforeAll(async () => {
  tmp = makeTempDir('dnalm-crash-');
  bundle = path.join(tmp.dir, 'save-loop.cjs');
  const result = await build({
    entryPoints: [fixture],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  // e.g. an `import.meta` in the project code would be a warning here (and undefined at run time in the app)
  expect(result.warnings.map((w) => w.text)).toEqual([]);
});
afterAll(() => tmp.cleanup());

function readLog(file: string): { start: number; committed: number[] } {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  let start = -1;
  const committed: number[] = [];
  for (const line of lines) {
    const [word, n] = line.split(' ');
    if (word === 'ready') start = Number(n);
    else if (word === 'committed') committed.push(Number(n));
  }
  return { start, committed };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs the save loop until a random moment, kills it with SIGKILL, and returns what it reported. */
async function runAndKill(folder: string, round: number): Promise<{ start: number; committed: number[]; delayMs: number }> {
  const log = path.join(tmp.dir, `round-${round}.log`);
  let stderr = '';
  const child = fork(bundle, [folder, log, String(PAYLOAD_KIB)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') }, // the bundle lives outside the repo
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let early: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (early = e));

  await waitFor(() => early !== undefined || readLog(log).start >= 0, 'the child to open the project');
  if (early !== undefined) throw new Error(`save loop exited on its own (${JSON.stringify(early)}): ${stderr}`);
  const delayMs = 20 + Math.floor(Math.random() * 600);
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  const { signal } = await exited;
  expect(signal, `the child should still have been running when killed: ${stderr}`).toBe('SIGKILL');
  return { ...readLog(log), delayMs };
}

describe('kill -9 during saves', () => {
  it(`always leaves a readable project holding the last committed change (${ROUNDS} rounds)`, async () => {
    const SQL = await initSqlJs();
    const created = await ProjectStore.create(path.join(tmp.dir, 'Crash'), { appVersion: 'crash-test' });
    const folder = created.path;
    created.close();
    let totalCommits = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const report = await runAndKill(folder, round);
      totalCommits += report.committed.length;
      const lastReported = report.committed.at(-1) ?? report.start;
      const context = `round ${round}, killed after ${report.delayMs} ms, last reported commit ${lastReported}`;

      // Opening takes over the dead child's lock and clears its half-written temp files.
      const store = await ProjectStore.open(folder, { appVersion: 'crash-test' });
      try {
        const check = store.read((db) => db.exec('PRAGMA quick_check')[0]?.values[0]?.[0]);
        expect(check, context).toBe('ok');
        const onDisk = store.read((db) => Number(db.exec('SELECT MAX(counter) FROM crash_test')[0]?.values[0]?.[0] ?? 0));
        expect([lastReported, lastReported + 1], context).toContain(onDisk);
        expect(store.getSetting('crashTest.counter') ?? 0, context).toBe(onDisk); // one commit, all or nothing
        const sizes = store.read((db) => db.exec('SELECT DISTINCT length(payload) FROM crash_test')[0]?.values.flat() ?? []);
        expect(sizes.every((s) => s === PAYLOAD_KIB * 1024), context).toBe(true);
      } finally {
        store.close();
      }
      expect(fs.readdirSync(folder).filter((f) => f.includes('.tmp-')), context).toEqual([]);

      // The backup of the previous save is a complete database as well.
      const bak = new SQL.Database(fs.readFileSync(path.join(folder, 'project.sqlite.bak')));
      expect(bak.exec('PRAGMA quick_check')[0]?.values[0]?.[0], context).toBe('ok');
      bak.close();
    }
    expect(totalCommits).toBeGreaterThan(ROUNDS);
  });
});
