import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from '../../../src-main/app/menu';

function actions(): MenuActions {
  return { newProject: vi.fn(), openProject: vi.fn(), openRecent: vi.fn(), closeProject: vi.fn(), about: vi.fn() };
}

const items = (m: MenuItemConstructorOptions | undefined) => (m?.submenu ?? []) as MenuItemConstructorOptions[];

describe('the application menu', () => {
  it('has File: New, Open, Open Recent, Close and Help: About', () => {
    const template = menuTemplate([], false, actions(), 'linux');
    const file = template.find((m) => m.label === 'File');
    expect(items(file).map((i) => i.label ?? i.type ?? i.role)).toEqual([
      'New Project…',
      'Open Project…',
      'Open Recent',
      'separator',
      'Close Project',
      'separator',
      'quit',
    ]);
    expect(items(template.find((m) => m.label === 'Help')).map((i) => i.label)).toEqual(['About DNA LM Studio']);
  });

  it('lists existing recent projects and opens the one clicked; Close is disabled without a project', () => {
    const a = actions();
    const template = menuTemplate(
      [
        { path: '/p/a.dnalm', name: 'a', openedAt: '2026-01-01', exists: true },
        { path: '/p/gone.dnalm', name: 'gone', openedAt: '2026-01-01', exists: false },
      ],
      false,
      a,
      'linux',
    );
    const file = items(template.find((m) => m.label === 'File'));
    const recent = items(file.find((i) => i.label === 'Open Recent'));
    expect(recent.map((r) => r.label)).toEqual(['a — /p/a.dnalm']);
    (recent[0]?.click as () => void)();
    expect(a.openRecent).toHaveBeenCalledWith('/p/a.dnalm');
    expect(file.find((i) => i.label === 'Close Project')?.enabled).toBe(false);
  });
});
