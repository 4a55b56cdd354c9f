import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECENT_PROJECTS, RecentProjects } from '../../../src-main/project/recent-projects';
import { makeTempDir } from '../../integration/project/helpers';

let tmp: { dir: string; cleanup: () => void };
let listFile: string;
beforeEach(() => {
  tmp = makeTempDir('dnalm-recent-');
  listFile = path.join(tmp.dir, 'settings', 'recent-projects.json');
});
afterEach(() => tmp.cleanup());

/** A folder that looks like a project to the list (it only checks that the database file is there). */
function fakeProject(name: string): string {
  const folder = path.join(tmp.dir, `${name}.dnalm`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'project.sqlite'), '');
  return folder;
}

describe('RecentProjects', () => {
  it('starts empty and lists the most recently opened project first', () => {
    const recent = new RecentProjects(listFile);
    expect(recent.list()).toEqual([]);
    const a = fakeProject('A');
    const b = fakeProject('B');
    recent.touch(a, 'A');
    recent.touch(b, 'B');
    recent.touch(a, 'A renamed');
    const list = new RecentProjects(listFile).list(); // read back from the file
    expect(list.map((p) => [p.name, p.path, p.exists])).toEqual([
      ['A renamed', a, true],
      ['B', b, true],
    ]);
    expect(Date.parse(list[0]?.openedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it(`keeps only the ${MAX_RECENT_PROJECTS} most recent`, () => {
    const recent = new RecentProjects(listFile);
    for (let i = 0; i < MAX_RECENT_PROJECTS + 3; i++) recent.touch(fakeProject(`P${i}`), `P${i}`);
    const names = recent.list().map((p) => p.name);
    expect(names).toHaveLength(MAX_RECENT_PROJECTS);
    expect(names[0]).toBe(`P${MAX_RECENT_PROJECTS + 2}`);
    expect(names).not.toContain('P2');
    expect(names).toContain('P3');
  });

  it('forgets a project on request', () => {
    const recent = new RecentProjects(listFile);
    const a = fakeProject('A');
    const b = fakeProject('B');
    recent.touch(a, 'A');
    recent.touch(b, 'B');
    recent.forget(a + path.sep); // a trailing separator still names the same folder
    expect(recent.list().map((p) => p.name)).toEqual(['B']);
    recent.forget(path.join(tmp.dir, 'never-listed'));
    expect(recent.list().map((p) => p.name)).toEqual(['B']);
  });

  it('shows a project whose folder was deleted as no longer existing', () => {
    const recent = new RecentProjects(listFile);
    const a = fakeProject('A');
    recent.touch(a, 'A');
    fs.rmSync(a, { recursive: true });
    expect(recent.list()).toEqual([expect.objectContaining({ path: a, name: 'A', exists: false })]);
  });

  it('treats a damaged list as empty and replaces it on the next touch', () => {
    fs.mkdirSync(path.dirname(listFile), { recursive: true });
    fs.writeFileSync(listFile, '[{"path": "/x", "na');
    const recent = new RecentProjects(listFile);
    expect(recent.list()).toEqual([]);
    const a = fakeProject('A');
    recent.touch(a, 'A');
    expect(JSON.parse(fs.readFileSync(listFile, 'utf8'))).toEqual([expect.objectContaining({ path: a, name: 'A' })]);
  });

  it('skips malformed entries of an otherwise valid list', () => {
    const a = fakeProject('A');
    fs.mkdirSync(path.dirname(listFile), { recursive: true });
    fs.writeFileSync(listFile, JSON.stringify([42, null, { name: 'no path' }, { path: a, name: 'A', openedAt: 'x' }]));
    expect(new RecentProjects(listFile).list()).toEqual([{ path: a, name: 'A', openedAt: 'x', exists: true }]);
    fs.writeFileSync(listFile, JSON.stringify({ not: 'a list' }));
    expect(new RecentProjects(listFile).list()).toEqual([]);
  });
});
