import type { MenuItemConstructorOptions } from 'electron';
import type { RecentProject } from '../../src-shared/api';

export interface MenuActions {
  newProject(): void;
  openProject(): void;
  openRecent(path: string): void;
  closeProject(): void;
  about(): void;
}

/**
 * The application menu as data (tested without Electron): File with New / Open / Open Recent / Close, and Help > About.
 */
export function menuTemplate(
  recent: readonly RecentProject[],
  hasProject: boolean,
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform,
): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = recent.filter((r) => r.exists).length
    ? recent.filter((r) => r.exists).map((r) => ({ label: `${r.name} — ${r.path}`, click: () => actions.openRecent(r.path) }))
    : [{ label: 'No recent projects', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => actions.newProject() },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => actions.openProject() },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Close Project', accelerator: 'CmdOrCtrl+W', enabled: hasProject, click: () => actions.closeProject() },
        ...(platform === 'darwin' ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { label: 'Help', submenu: [{ label: 'About DNA LM Studio', click: () => actions.about() }] },
  ];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}
