/**
 * Electron entry: one window, a sandboxed renderer with context isolation and no Node, the application service behind
 * IPC, engine jobs in utility processes. Everything else lives in the host-agnostic service.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, session, shell } from 'electron';
import { ApiError } from '../../src-shared/api';
import { mainBundleDir, rendererDir } from '../paths';
import { AppService, type DialogProvider } from '../service/app-service';
import { openInitialProject } from '../service/startup';
import { aboutText } from './about-text';
import { bindIpc } from './ipc-binding';
import { menuTemplate } from './menu';
import { forkUtilityProcess } from './utility-worker';

const rendererIndex = path.join(rendererDir, 'index.html');
const rendererUrlPrefix = pathToFileURL(rendererDir).href;
let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'DNA LM Studio',
    show: false,
    webPreferences: {
      preload: path.join(mainBundleDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The renderer never navigates and never opens windows; links to the web go to the system browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(rendererIndex);
  return win;
}

function dialogs(): DialogProvider {
  return {
    chooseNewProject: async () => {
      const options = {
        title: 'New project',
        buttonLabel: 'Create project',
        defaultPath: path.join(app.getPath('documents'), 'My project.dnalm'),
        properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
      };
      const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    chooseProject: async () => {
      const options = { title: 'Open project', buttonLabel: 'Open', properties: ['openDirectory' as const] };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    chooseImportFiles: async (folders) => {
      const options = {
        title: folders ? 'Import a dataset folder' : 'Import sequence files',
        buttonLabel: 'Choose',
        properties: folders ? ['openDirectory' as const] : ['openFile' as const, 'multiSelections' as const],
        filters: folders
          ? []
          : [
              { name: 'Sequences', extensions: ['fa', 'fasta', 'fna', 'fas', 'gz', 'bgz', 'csv', 'tsv', 'txt', 'bed'] },
              { name: 'All files', extensions: ['*'] },
            ],
      };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : r.filePaths;
    },
    chooseExportFile: async (defaultName) => {
      const options = { title: 'Export', defaultPath: path.join(app.getPath('documents'), defaultName) };
      const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

async function start(): Promise<void> {
  const service = new AppService({
    host: 'electron',
    userDataDir: app.getPath('userData'),
    launcher: forkUtilityProcess,
    dialogs: dialogs(),
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  bindIpc(ipcMain, service, {
    isTrustedSender: (url) => url.startsWith(rendererUrlPrefix),
    windows: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });

  const report = (err: unknown): void => {
    const message = err instanceof ApiError ? err.message : `Unexpected error: ${String(err)}`;
    dialog.showErrorBox('DNA LM Studio', message);
  };
  const refreshMenu = (): void => {
    const actions = {
      newProject: () =>
        void dialogs()
          .chooseNewProject()
          .then((p) => (p ? service.call('project:create', { path: p }) : null))
          .catch(report),
      openProject: () =>
        void dialogs()
          .chooseProject()
          .then((p) => (p ? service.call('project:open', { path: p }) : null))
          .catch(report),
      openRecent: (p: string) => void service.call('project:open', { path: p }).catch(report),
      closeProject: () => void service.call('project:close', undefined).catch(report),
      about: () =>
        void service
          .call('app:info', undefined)
          .then((info) => dialog.showMessageBox({ type: 'info', title: 'About DNA LM Studio', message: `${info.appName} ${info.version}`, detail: aboutText(info) }))
          .catch(report),
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(service.recent.list(), service.currentProject !== null, actions)));
  };
  service.onEvent((channel) => {
    if (channel === 'project:changed') refreshMenu();
  });
  refreshMenu();

  await openInitialProject(service);
  mainWindow = createWindow();

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Finish the last save and release the project lock before the process goes away.
    event.preventDefault();
    quitting = true;
    void service.shutdown().finally(() => app.quit());
  });
}

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the running instance (two writers on one project file must never happen).
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (err: unknown) => {
    dialog.showErrorBox('DNA LM Studio could not start', String(err));
    app.exit(2);
  });
}
